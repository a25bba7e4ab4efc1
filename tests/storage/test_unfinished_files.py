"""Files in landing/ another program is still writing stay there for a later run
(orchestration/storage/unfinished.py); downloads in progress are not ingested from a folder."""

from __future__ import annotations

import threading
import time
from datetime import date

from orchestration.storage.input_paths import collect
from orchestration.storage.landing import archive_waiting, downloads_in_landing, land, waiting_files
from orchestration.storage.settings import DataDir
from orchestration.storage.unfinished import SETTLE_SECONDS

MONTH = (date(2025, 11, 1), date(2025, 12, 1))


def _landing(tmp_path) -> DataDir:
    data = DataDir(tmp_path / "data").ensure()
    data.landing.mkdir(parents=True, exist_ok=True)
    return data


def _slow_copy(path) -> None:
    """A copy under the final name: a line every tenth of a second, longer than the watch."""
    with open(path, "ab") as out:
        for _ in range(int(SETTLE_SECONDS * 20)):
            out.write(b"more of the page\n")
            out.flush()
            time.sleep(0.1)


def test_a_file_still_growing_stays_in_landing_and_is_taken_once_done(tmp_path):
    data = _landing(tmp_path)
    path = data.landing / "2025-11-03_page.txt"
    path.write_bytes(b"Daily Papers\n")
    thread = threading.Thread(target=_slow_copy, args=(path,))
    thread.start()
    left: list[str] = []
    try:
        assert archive_waiting(data, *MONTH, left=left) == []
    finally:
        thread.join()
    assert path.exists() and len(left) == 1
    assert left[0].startswith("2025-11-03_page.txt: still being written (it grew from ")
    [relative] = archive_waiting(data, *MONTH, left=left)   # the copy is done: the whole file goes
    assert not path.exists()
    assert (data.archive / relative).read_bytes().count(b"more of the page") == int(SETTLE_SECONDS * 20)


def test_a_file_still_growing_in_a_folder_given_to_ingest_is_refused_and_kept(tmp_path):
    data = _landing(tmp_path)
    folder = tmp_path / "captures"
    folder.mkdir()
    (folder / "2025-11-02_page.txt").write_bytes(b"a whole page")
    path = folder / "2025-11-03_page.txt"
    path.write_bytes(b"Daily Papers\n")
    thread = threading.Thread(target=_slow_copy, args=(path,))
    thread.start()
    try:
        landing = land([folder], data)
    finally:
        thread.join()
    assert [file.path.name for file in landing.landed] == ["2025-11-02_page.txt"]
    [refusal] = landing.refused
    assert refusal.startswith(f"{path}: still being written (it grew from ")
    assert refusal.endswith("ingest it again once it is complete")
    assert not (data.landing / path.name).exists()
    assert path.read_bytes().count(b"more of the page") == int(SETTLE_SECONDS * 20)   # left whole
    again = land([path], data)   # the copy is done: the whole file lands
    assert again.refused == [] and (data.landing / path.name).read_bytes() == path.read_bytes()


def test_a_file_put_in_landing_just_now_and_left_alone_is_archived(tmp_path):
    data = _landing(tmp_path)
    (data.landing / "2025-11-03_page.txt").write_bytes(b"a whole page")
    left: list[str] = []
    [relative] = archive_waiting(data, *MONTH, left=left)
    assert left == [] and (data.archive / relative).read_bytes() == b"a whole page"


def test_downloads_in_progress_and_their_placeholders_stay_in_landing(tmp_path):
    data = _landing(tmp_path)
    for name in ("2025-11-03.json", "2025-11-03.json.part",   # Firefox: an empty placeholder beside .part
                 "2025-11-04_page.txt.crdownload", "2025-11-05_page.txt"):
        (data.landing / name).write_bytes(b"" if name == "2025-11-03.json" else b"bytes")
    assert [path.name for path, _ in waiting_files(data)] == ["2025-11-05_page.txt"]
    assert downloads_in_landing(data) == [
        "2025-11-03.json: the placeholder of a download in progress (2025-11-03.json.part beside it); "
        "left in landing/ until the download is done and renamed",
        "2025-11-03.json.part: a download in progress (its name ends in '.part'); "
        "left in landing/ until the download is done and renamed",
        "2025-11-04_page.txt.crdownload: a download in progress (its name ends in '.crdownload'); "
        "left in landing/ until the download is done and renamed",
    ]
    assert len(archive_waiting(data, *MONTH)) == 1
    assert sorted(p.name for p in data.landing.iterdir()) == [
        "2025-11-03.json", "2025-11-03.json.part", "2025-11-04_page.txt.crdownload"]


def test_a_folder_given_to_ingest_skips_its_downloads_in_progress(tmp_path):
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "2025-11-04_page.txt.crdownload").write_bytes(b"half a page")
    (folder / "2025-11-05_page.txt").write_bytes(b"a page")
    found = collect([folder])
    assert [p.name for p in found.files] == ["2025-11-05_page.txt"]
    assert found.skipped == [f"{folder / '2025-11-04_page.txt.crdownload'}: a download in progress (its name "
                             "ends in '.crdownload'); ingest it once the download is done"]

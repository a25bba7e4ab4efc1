"""Landing follows no links and says what it left out: `papertrends ingest` of a folder holding a
link to a file outside it, a linked folder, hidden entries and a pipe, run as a user runs it."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from orchestration.storage.landing import LandingError, land
from orchestration.storage.settings import DataDir
from tests.shared_data import ROOT
from tests.warehouse_checks import run_ingest

CAPTURE = ROOT / "seeds" / "captures" / "2025-12-10_75ea5f93878b491f.txt"
SECRET = b"root:x:0:0:a system file that must never be archived\n"


def _input_folder(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "more" / "2025-12-10_other.txt").write_bytes(CAPTURE.read_bytes() + b"\n")
    folder = tmp_path / "in"
    (folder / ".cache").mkdir(parents=True)
    (folder / "2025-12-10_capture.txt").write_bytes(CAPTURE.read_bytes())
    (folder / "2025-12-10_system.txt").symlink_to(outside / "secret.txt")
    (folder / "linked-folder").symlink_to(outside / "more", target_is_directory=True)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / ".cache" / "2025-12-10_hidden.txt").write_bytes(CAPTURE.read_bytes())
    os.mkfifo(folder / "2025-12-10_pipe.txt")
    return folder


def test_links_are_refused_and_hidden_and_special_entries_skipped(tmp_path):
    folder = _input_folder(tmp_path)
    data = DataDir(tmp_path / "data").ensure()
    landing = land([folder, tmp_path / "outside" / "more"], data)
    assert [f.source for f in landing.landed] == [folder / "2025-12-10_capture.txt",
                                                  tmp_path / "outside" / "more" / "2025-12-10_other.txt"]
    assert sorted(m.split(":")[0] for m in landing.refused) == sorted(
        [str(folder / "2025-12-10_system.txt"), str(folder / "linked-folder")])
    assert all("symbolic link" in m and "not followed" in m for m in landing.refused)
    assert str(tmp_path / "outside" / "secret.txt") in " ".join(landing.refused)
    assert sorted(m.split(":")[0] for m in landing.skipped) == sorted(
        [str(folder / ".DS_Store"), str(folder / ".cache"), str(folder / "2025-12-10_pipe.txt")])
    assert not any(SECRET == p.read_bytes() for p in data.landing.iterdir() if p.is_file())


def test_the_data_dirs_own_files_are_refused_and_landing_is_not(tmp_path):
    """Its archive, warehouse and reports are papertrends' state: ingesting them would archive
    them for good. A capture put into landing/ by hand may be named."""
    data = DataDir(tmp_path / "data").ensure()
    (data.archive / "2025-12").mkdir(parents=True)
    for path in (data.root, data.archive / "2025-12", data.root / "reports"):
        with pytest.raises(LandingError, match="is in the data dir .* papertrends' own state, not snapshots"):
            land([path], data)
    assert not any(data.landing.iterdir())
    (data.landing / CAPTURE.name).write_bytes(CAPTURE.read_bytes())
    assert [f.source.name for f in land([data.landing / CAPTURE.name], data).landed] == [CAPTURE.name]


def test_a_folder_holding_the_data_dir_leaves_the_data_dir_out(tmp_path):
    """`papertrends ingest ~/` with the data dir (and an archive set elsewhere) inside it: the
    captures are taken, papertrends' own state is skipped whole and listed."""
    data = DataDir(tmp_path / "home" / "data").ensure()
    (data.archive / "2025-12").mkdir(parents=True)
    (data.archive / "2025-12" / CAPTURE.name).write_bytes(CAPTURE.read_bytes())
    (data.root / "warehouse.duckdb").write_bytes(b"DUCK")
    (tmp_path / "home" / "2025-12-10_capture.txt").write_bytes(CAPTURE.read_bytes())
    landing = land([tmp_path / "home"], data)
    assert [f.source.name for f in landing.landed] == ["2025-12-10_capture.txt"]
    assert [m.split(":")[0] for m in landing.skipped] == [str(data.root)]
    assert "own state" in landing.skipped[0]


def test_another_data_dir_in_a_folder_given_is_left_out_with_what_to_give_instead(tmp_path):
    """A backup of a data dir (its warehouse, Dagster's files, reports) is no snapshots: skipped
    whole, found in a folder or given itself, with its archive named as what to ingest."""
    backup = tmp_path / "home" / "papertrends-backup"
    (backup / "archive" / "2025-12").mkdir(parents=True)
    (backup / "archive" / "2025-12" / CAPTURE.name).write_bytes(CAPTURE.read_bytes())
    (backup / "warehouse.duckdb").write_bytes(b"DUCK")
    (backup / "dagster").mkdir()
    (backup / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    (tmp_path / "home" / "2025-12-10_capture.txt").write_bytes(CAPTURE.read_bytes() + b"\n")
    data = DataDir(tmp_path / "data").ensure()
    note = (f"{backup}: another papertrends data dir (warehouse.duckdb, archive/), not snapshots; to ingest "
            f"the snapshots it holds, give its archive: papertrends ingest {backup / 'archive'}")
    landing = land([tmp_path / "home"], data)
    assert [f.source.name for f in landing.landed] == ["2025-12-10_capture.txt"]
    assert landing.skipped == [note]
    assert land([backup], data).skipped == [note]
    assert [f.source.name for f in land([backup / "archive"], data).landed] == [CAPTURE.name]


def test_a_year_first_date_in_any_form_names_the_day_and_an_impossible_one_is_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["20251210_capture.txt", "2025_12_10 capture.txt", "2025.12.10.txt", "2025-02-30_capture.txt"]
    for name in names:
        (folder / name).write_bytes(CAPTURE.read_bytes() + name.encode())
        os.utime(folder / name, (1_700_000_000, 1_700_000_000))   # 2023-11-14: not the day named
    data = DataDir(tmp_path / "data").ensure()
    landing = land([folder], data)
    assert sorted(f.path.name for f in landing.landed) == sorted(f"2025-12-10~{n}".replace(" ", "_")
                                                                    for n in names[:3])
    assert landing.refused == [f"{folder / names[3]}: its name starts with '2025-02-30', which is no calendar "
                               "day; rename it YYYY-MM-DD_... or pass --snapshot-date"]


def test_one_date_inside_a_name_names_the_day_two_name_none(tmp_path):
    # modified on 2023-11-14: the capture's header "Dec 10" alone would be read as 2022-12-10
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["Daily Papers 2025-12-10.txt", "hf-daily-2025-12-10-copy.txt", "from 2025-12-08 to 2025-12-14.txt"]
    for name in names:
        (folder / name).write_bytes(CAPTURE.read_bytes() + name.encode())
        os.utime(folder / name, (1_700_000_000, 1_700_000_000))
    landing = land([folder], DataDir(tmp_path / "data").ensure())
    assert {f.source.name: f.path.name[:10] for f in landing.landed} == {names[0]: "2025-12-10", names[1]: "2025-12-10"}
    refused = f"{folder / names[2]}: snapshot date 2022-12-10 is before"   # (its header's day, by the mtime)
    assert [why.startswith(refused) for why in landing.refused] == [True]


def test_a_file_named_twice_is_taken_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2025-12-10_capture.txt").write_bytes(CAPTURE.read_bytes())
    data = DataDir(tmp_path / "data").ensure()
    landing = land([folder, folder / "2025-12-10_capture.txt", tmp_path / "in" / ".." / "in"], data)
    assert [f.source for f in landing.landed] == [folder / "2025-12-10_capture.txt"]


def test_a_named_link_is_refused_too(tmp_path):
    link = tmp_path / "2025-12-10_link.txt"
    link.symlink_to(CAPTURE)
    data = DataDir(tmp_path / "data").ensure()
    landing = land([link], data)
    assert landing.landed == [] and len(landing.refused) == 1
    assert str(CAPTURE) in landing.refused[0]


def test_a_link_put_into_landing_is_not_archived(tmp_path):
    from datetime import date

    from orchestration.storage.landing import archive_waiting, links_in_landing

    data = DataDir(tmp_path / "data").ensure()
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (data.landing / "2025-12-10_system.txt").symlink_to(tmp_path / "secret.txt")
    assert archive_waiting(data, date(2025, 12, 1), date(2026, 1, 1)) == []
    assert not any(data.archive.rglob("*.txt"))
    [why] = links_in_landing(data)
    assert "symbolic link" in why


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("refusals")
    folder = _input_folder(tmp_path)
    result = run_ingest(tmp_path / "data", folder)
    return tmp_path, folder, result


def test_the_ingest_summary_lists_what_was_refused_and_skipped(ingested):
    tmp_path, folder, result = ingested
    assert result.returncode == 1, result.stderr[-3000:]   # something was refused
    assert "Traceback" not in result.stdout + result.stderr
    summary = result.stdout
    assert "Warehouse" in summary
    refused = summary[summary.index("Refused (2"):summary.index("Skipped (3")]
    assert f"{folder / '2025-12-10_system.txt'}: a symbolic link" in refused
    assert f"{folder / 'linked-folder'}: a symbolic link" in refused
    skipped = summary[summary.index("Skipped (3"):]
    for name in (".DS_Store", ".cache", "2025-12-10_pipe.txt"):
        assert str(folder / name) in skipped


def test_only_the_regular_file_reached_the_archive_and_the_warehouse(ingested):
    tmp_path, _, _ = ingested
    archived = [p for p in (tmp_path / "data" / "archive").rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in archived] == [CAPTURE.read_bytes()]
    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.sql("select original_name from raw.snapshots").fetchall() == [("2025-12-10_capture.txt",)]
    finally:
        con.close()


def test_a_page_saved_complete_leaves_its_resources_and_system_files_out(tmp_path):
    """A folder holding a page saved "complete" (its HTML beside `<page>_files/` of images,
    scripts and styles) and the files an operating system leaves (Thumbs.db, desktop.ini):
    only the page and the capture are taken; the rest is listed as skipped, with why."""
    folder = tmp_path / "in"
    resources = folder / "Daily Papers - Hugging Face_files"
    resources.mkdir(parents=True)
    (folder / "Daily Papers - Hugging Face.html").write_text("<!DOCTYPE html><html><body></body></html>")
    (resources / "app.js").write_text("console.log('a script');")
    (resources / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "2025-12-10_capture.txt").write_bytes(CAPTURE.read_bytes())
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "desktop.ini").write_text("[.ShellClassInfo]\n")
    (folder / "notes_files").mkdir()   # a folder so named without its page: taken as any folder
    (folder / "notes_files" / "2025-12-10_more.txt").write_bytes(CAPTURE.read_bytes() + b"\n")
    data = DataDir(tmp_path / "data").ensure()
    landing = land([folder], data)
    assert sorted(f.source.name for f in landing.landed) == [
        "2025-12-10_capture.txt", "2025-12-10_more.txt", "Daily Papers - Hugging Face.html"]
    skipped = dict(m.split(": ", 1) for m in landing.skipped)
    assert sorted(skipped) == sorted(str(p) for p in (resources, folder / "Thumbs.db", folder / "desktop.ini"))
    assert skipped[str(resources)] == ("the images, scripts and styles of the page saved beside it "
                                       "(Daily Papers - Hugging Face.html), not snapshots")
    assert skipped[str(folder / "Thumbs.db")] == "a file the operating system keeps in folders, not a snapshot"

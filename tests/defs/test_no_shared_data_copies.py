"""No file of the repository holds a title or an abstract of the real data in ../shared/data.

The real papers' text is not ours to redistribute: tests read ../shared/data where it is and
generate what they make of it into temporary folders. This test reads every title and abstract
there (hf_api_daily/ and hf_api_history/*/, ~6,700 papers) and every tracked file (`git ls-files`),
and fails naming the files that hold one, whole or as 8 consecutive words (tests/shared_copies.py
says how text is compared). The bundled page capture is the project's own sample: its text is
allowed, and so is text repeating it.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import CAPTURE
from tests.shared_copies import MIN_TITLE_WORDS, WINDOW, CopyDetector, listing_files, words
from tests.shared_data import API_DAY_DIR, ROOT, SHARED_DATA

pytestmark = pytest.mark.needs_shared_data


@pytest.fixture(scope="module")
def detector() -> CopyDetector:
    found = CopyDetector.from_shared_data(SHARED_DATA)
    found.allow(CAPTURE.read_text(encoding="utf-8"))
    return found


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in listed.stdout.decode("utf-8").split("\0") if name]


def real_papers() -> list[dict]:
    """The `paper` objects of the November days, in file order (abstract and title not in the
    bundled capture)."""
    capture = " ".join(words(CAPTURE.read_text(encoding="utf-8")))
    papers = [item["paper"] for path in sorted(API_DAY_DIR.glob("*.json"))
              for item in json.loads(path.read_bytes())]
    return [p for p in papers if " ".join(words(p["title"])) not in capture]


def test_no_tracked_file_holds_a_real_title_or_abstract(detector):
    assert len(listing_files(SHARED_DATA)) > 500 and len(detector) > 1_000_000  # all the data read
    found = {}
    for name in tracked_files():
        path = ROOT / name
        if path.is_file():
            hits = detector.find(path.read_bytes().decode("utf-8", errors="replace"))
            if hits:
                found[name] = [" ".join(hit.split())[:70] for hit in hits[:3]] + (
                    [f"... {len(hits)} in all"] if len(hits) > 3 else [])
    assert found == {}, ("text from ../shared/data in the repository (not ours to redistribute; "
                         f"read it from ../shared/data at test time instead): {found}")


def test_a_file_holding_one_real_title_is_flagged(detector, tmp_path):
    papers = real_papers()
    long_title = next(p["title"] for p in papers if len(words(p["title"])) >= WINDOW)
    short_title = next(p["title"] for p in papers if MIN_TITLE_WORDS <= len(words(p["title"])) < WINDOW)
    for title in (long_title, short_title):
        path = tmp_path / "notes.py"
        path.write_text(f'# papers to read\nTITLE = "{" ".join(title.split())}"\nother = 1\n')
        assert detector.find(path.read_text()) == [title]


def test_eight_words_of_a_real_abstract_in_other_whitespace_and_case_are_flagged(detector, tmp_path):
    paper = real_papers()[3]
    eight = paper["summary"].split()[20:28]
    path = tmp_path / "doc.md"
    path.write_text("Some text of ours, then\n  " + "\n\t ".join(eight).upper() + "  \nand ours again.\n")
    assert detector.find(path.read_text()) == [paper["summary"]]
    seven = " ".join(eight[:7])
    assert detector.find(f"Text of ours: {seven}, and no more of it.") == []


def test_the_projects_own_text_is_not_flagged(detector):
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), CAPTURE,
                 ROOT / "tests" / "transforms" / "test_capture_parser.py"]:
        assert detector.find(path.read_text(encoding="utf-8")) == [], path.name


def test_titles_too_short_to_tell_from_ordinary_phrases_are_left_out(detector):
    """A title of fewer than MIN_TITLE_WORDS words is an ordinary phrase the project's own text
    may use ("Video World Models"); a title of MIN_TITLE_WORDS words is found whole."""
    papers = real_papers()
    short = next(p["title"] for p in papers if len(words(p["title"])) < MIN_TITLE_WORDS)
    assert detector.find(f"notes: {short}.") == []
    four = next(p["title"] for p in papers if len(words(p["title"])) == MIN_TITLE_WORDS)
    assert detector.find(f"notes: {four}.") == [four]

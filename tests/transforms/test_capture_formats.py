"""Tool captures (Markdown export, text-browser dump, select-all copy, saved HTML) of real API days
parse back to the JSON, field by field, and their decoration never becomes a paper.

Renderings are made at test time (tests/capture_render_tools.py) from ../shared/data, written
into a temporary folder with a truth file beside each (the expected values, straight from the
JSON), so a disagreement is a reader or renderer bug.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.capture_render import fold
from tests.capture_render_tools import render_tool_capture, shown_submitter
from tests.shared_data import api_day_files, history_day_files
from transforms.capture_formats import capture_day, capture_format, parse_any_capture
from transforms.errors import SnapshotError
from transforms.snapshot_reader import read_snapshot
from transforms.validation import MARKUP_TITLE, split_valid

pytestmark = pytest.mark.needs_shared_data

DAYS = api_day_files()
FORMATS = ("markdown", "textbrowser", "selectall", "html", "html_cards")
URLS = {"markdown", "textbrowser", "html", "html_cards"}  # formats whose cards carry paper links


def _items(day_file: Path) -> list[dict]:
    return json.loads(day_file.read_text(encoding="utf-8"))


def expected(item: dict, fmt: str, n: int = 0, variant: int = 0) -> dict:
    """The fields the rendering of `item` (the n-th card, from 0) must read back to."""
    paper, org = item["paper"], item["paper"].get("organization")
    want = {
        "title": fold(paper["title"]),
        "abstract": fold(paper["summary"]),
        "arxiv_id": paper["id"] if fmt in URLS else None,
        "organization_name": org["fullname"].strip() if org else None,
        "published_on": date.fromisoformat(paper["publishedAt"][:10]),
        "upvotes": paper["upvotes"],
        "comments": None if fmt == "selectall" else item["numComments"],
        "complete": True,
    }
    if fmt == "html":  # the embedded JSON: every author, the organization's handle too
        want.update(n_authors=len(paper["authors"]), organization=org["name"] if org else None,
                    organization_name=org["fullname"] if org else None)  # as the API parser keeps it
    else:
        want.update(n_authors=None if org else len(paper["authors"]),
                    organization=(org["name"] if org else None) if fmt != "selectall" else None)
    want.update(shown_submitter(item, fmt, n, variant))
    return want


EXTENSIONS = {"markdown": "md", "html": "html", "html_cards": "html"}   # others: .txt


@pytest.fixture(scope="module")
def renderings(tmp_path_factory) -> Path:
    """Every real November day in every format, written as files the way people save them, each
    beside its truth file: the fields each card must read back to, from the day's JSON."""
    folder = tmp_path_factory.mktemp("renderings")
    for day_file in DAYS:
        items, day = _items(day_file), date.fromisoformat(day_file.stem)
        for fmt in FORMATS:
            name = f"{day}_{fmt}.{EXTENSIONS.get(fmt, 'txt')}"
            (folder / name).write_text(render_tool_capture(items, day, fmt, variant=day.day),
                                       encoding="utf-8")
            truth = [expected(item, fmt, n, variant=day.day) for n, item in enumerate(items)]
            (folder / f"{day}_{fmt}.truth.json").write_text(json.dumps(truth, default=str))
    return folder


def _as_json(value):
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("day_file", DAYS, ids=lambda p: p.stem)
def test_every_format_reads_every_field_of_every_day(renderings: Path, day_file: Path, fmt: str):
    day = date.fromisoformat(day_file.stem)
    text = (renderings / f"{day}_{fmt}.{EXTENSIONS.get(fmt, 'txt')}").read_text(encoding="utf-8")
    truth = json.loads((renderings / f"{day}_{fmt}.truth.json").read_text())
    assert capture_format(text) == ("html" if fmt.startswith("html") else fmt)
    entries = parse_any_capture(text, day).entries
    assert len(entries) == len(truth)
    for position, (entry, want) in enumerate(zip(entries, truth), 1):
        assert entry["position"] == position
        assert entry["invalid"] == []
        assert {k: _as_json(entry[k]) for k in want} == want, (day, position)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_first_card_of_a_day_read_by_hand(fmt: str):
    """2025-11-03's first paper, its values written here as read off the page (the text compared
    with the JSON: the real data is not ours to copy). A card showing a submitter gives the
    name; only the HTML's JSON also gives the user name."""
    items = _items(DAYS[0])[:3]
    entry = parse_any_capture(render_tool_capture(items, date(2025, 11, 3), fmt, variant=1),
                              date(2025, 11, 3)).entries[0]
    by = items[0]["submittedBy"]
    copied = fmt == "selectall"   # a select-all copy: no links, no comment count
    assert entry["title"] == fold(items[0]["paper"]["title"])
    assert {k: entry[k] for k in ("arxiv_id", "n_authors", "organization", "published_on", "upvotes",
                                  "comments", "complete", "submitted_by", "submitted_by_name")} == {
        "arxiv_id": None if copied else "2510.27492", "n_authors": 8, "organization": None,
        "published_on": date(2025, 10, 30), "upvotes": 88, "comments": None if copied else 7,
        "complete": True, "submitted_by": by["name"] if fmt == "html" else None,
        "submitted_by_name": fold(by["fullname"]) if fmt in ("html", "selectall") else None}


@pytest.mark.parametrize("fmt", FORMATS)
def test_days_the_readers_were_not_tuned_on_read_back_right(fmt: str):
    """Every listing day of hf_api_history/ (490 days of 2023-2025, ~6,300 papers; the readers
    were written against the November 2025 days): at least 99% of each field right, every file
    read to as many entries as it has papers, and no submitter that is not the real one."""
    right, total, wrong_submitter = Counter(), Counter(), []
    for day_file in history_day_files():
        items, day = _items(day_file), date.fromisoformat(day_file.stem)
        entries = parse_any_capture(render_tool_capture(items, day, fmt, variant=day.day), day).entries
        assert len(entries) == len(items), day_file.name
        for n, (entry, item) in enumerate(zip(entries, items)):
            for field, value in expected(item, fmt, n, variant=day.day).items():
                total[field] += 1
                right[field] += entry[field] == value
                if field.startswith("submitted_by") and entry[field] not in (None, value):
                    wrong_submitter.append((day_file.stem, n + 1))
    assert total["title"] > 6_000
    assert {f: right[f] / total[f] for f in total if right[f] < 0.99 * total[f]} == {}
    assert wrong_submitter == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("title", ["Scenes of Objects et al.", "A Long Title " + "of Many Words " * 16])
def test_a_title_ending_in_a_full_stop_or_long_is_still_the_title(fmt: str, title: str):
    """Abstracts end with a full stop or are long; titles (above their abstract) may be both."""
    items, day = _items(DAYS[2])[:3], date.fromisoformat(DAYS[2].stem)
    items[1]["paper"]["title"] = title
    entries = parse_any_capture(render_tool_capture(items, day, fmt), day).entries
    assert [e["title"] for e in entries] == [fold(i["paper"]["title"]) for i in items]
    assert [e["invalid"] for e in entries] == [[], [], []]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_abstract_quoting_markdown_links_keeps_them_as_text(fmt: str):
    """A text-browser dump writes its links as "[label][N]": an inline "[text](target)" in it is
    the page's own text, as in a Markdown export (escaped there) or HTML."""
    items, day = _items(DAYS[2])[:2], date.fromisoformat(DAYS[2].stem)
    quoted = "Boxes are written as links, i.e., ``[a span](1, 2, 3)'', code at the [link](https://x.org/y)."
    items[0]["paper"]["summary"] = quoted
    entries = parse_any_capture(render_tool_capture(items, day, fmt), day).entries
    assert entries[0]["abstract"] == quoted
    assert entries[0]["invalid"] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_observations_are_the_real_papers_and_nothing_else(fmt: str):
    """Wrapped abstract lines, avatar lines, chips, reference lists and navigation stay inside
    their cards: the whole pipeline's observations of a file are exactly its papers."""
    items, day = _items(DAYS[3]), date.fromisoformat(DAYS[3].stem)
    data = render_tool_capture(items, day, fmt, variant=1).encode()
    snap = read_snapshot(data, day, f"{day}_capture.{fmt}")
    assert snap.status == "parsed", snap.reason
    valid, quarantined = split_valid(snap.observations)
    assert quarantined.height == 0
    assert sorted(valid["title"].to_list()) == sorted(fold(i["paper"]["title"]) for i in items)


def test_a_card_without_evidence_goes_to_quarantine_with_its_reason():
    """A heading that is no paper (no link, no who/date block, no upvote count) is not counted."""
    items, day = _items(DAYS[0])[:3], date.fromisoformat(DAYS[0].stem)
    text = render_tool_capture(items, day, "markdown")
    text = text.replace("\n*   [System theme]", "\n### Trending this week\n\nSome words here.\n\n*   [System theme]")
    snap = read_snapshot(text.encode(), day, "x.md")
    valid, quarantined = split_valid(snap.observations)
    assert valid.height == 3
    assert quarantined["title"].to_list() == ["Trending this week"]
    assert "not a paper entry" in " ".join(quarantined["reasons"].to_list()[0])
    assert "Trending this week" in quarantined["raw_text"][0]


@pytest.mark.parametrize("fmt", ["markdown", "textbrowser", "html"])
def test_the_capture_states_its_own_date(fmt: str):
    items, day = _items(DAYS[5])[:2], date.fromisoformat(DAYS[5].stem)
    text = render_tool_capture(items, day, fmt)
    assert capture_day(text, fallback=date(2026, 3, 1)) == day
    with pytest.raises(SnapshotError, match=day.isoformat()) as refused:
        parse_any_capture(text, date(2025, 12, 1))   # two explicit dates disagree: both named
    assert "2025-12-01" in str(refused.value)


def test_a_header_of_an_earlier_day_is_the_listing_day_not_a_refusal():
    """Captured the day after (the file name's date): the page still shows its header's list."""
    items, day = _items(DAYS[5])[:3], date.fromisoformat(DAYS[5].stem)
    text = render_tool_capture(items, day, "selectall")   # a header "Mon D", no URL
    later = date.fromordinal(day.toordinal() + 1)
    snap = read_snapshot(text.encode(), later, f"{later}_copy.txt")
    assert snap.status == "parsed" and snap.n_entries == 3
    assert snap.snapshot_date == later and snap.listing_day == day
    assert set(snap.observations["listed_on"].to_list()) == {day}
    assert any(f"shows the list of {day}" in problem for problem in snap.problems)


def test_a_header_just_after_the_snapshot_date_fails_the_file():
    """Named a day early: "Nov 3" on a file of Nov 2 would read as last year's Nov 3."""
    items, day = _items(DAYS[0])[:5], date.fromisoformat(DAYS[0].stem)
    named = date.fromordinal(day.toordinal() - 1)
    snap = read_snapshot(render_tool_capture(items, day, "selectall").encode(), named, f"{named}_copy.txt")
    assert snap.status == "failed", snap.reason
    assert f"'{day:%b} {day.day}'" in snap.reason and "1 day(s) after the snapshot date" in snap.reason


def test_a_header_day_before_its_papers_were_published_fails_the_file():
    from transforms.snapshot_reader import _check_header_day

    papers = [{"published_on": date(2025, 10, 30)}] * 3 + [{"published_on": None}]
    with pytest.raises(SnapshotError, match="most of its papers were published after that day"):
        _check_header_day(papers, date(2024, 11, 3), date(2025, 10, 20))
    _check_header_day(papers, date(2025, 11, 3), date(2025, 12, 20))   # a list seen later: fine


def test_select_all_header_is_read_against_the_capture_time():
    items, day = _items(DAYS[5])[:2], date.fromisoformat(DAYS[5].stem)
    text = render_tool_capture(items, day, "selectall")
    assert capture_day(text, fallback=date(2026, 3, 1)) == day.replace(year=2025)
    assert capture_day(text, fallback=day.replace(year=2026, day=day.day - 1)) == day


def test_a_file_in_an_unknown_layout_gives_no_paper():
    prose = "\n\n".join(fold(i["paper"]["summary"]) for i in _items(DAYS[1])[:5])
    snap = read_snapshot(prose.encode(), date.fromisoformat(DAYS[1].stem), "notes.txt")
    assert snap.status == "failed" and "no paper listing" in snap.reason


def test_parse_reads_the_sample_capture_under_any_name(tmp_path):
    """No date in the name: the header "Dec 10" is read against the file's modification time. A
    dated name is the snapshot date, and the header (the last source) refuses nothing."""
    from tests.conftest import CAPTURE

    for name in ("000_75ea5f93878b491f.txt", "papers page.txt", "2025-12-11_capture.txt",
                 "2026-01-05 papers.txt"):
        copy = tmp_path / name
        copy.write_bytes(CAPTURE.read_bytes())
        modified = datetime(2026, 1, 20, 12).timestamp()
        os.utime(copy, (modified, modified))
        result = subprocess.run([str(Path(sys.executable).parent / "papertrends"), "parse", str(copy)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 43
        named = name[:10] if name[0] == "2" else "2025-12-10"   # a dated name is the snapshot date
        assert f"snapshot date {named}" in result.stderr


@pytest.mark.parametrize("head_end, tail_start", [(" Study", "of "), (" Light-", "Houses ")])
def test_a_wrapped_title_whose_reference_is_lost_is_read_whole(head_end: str, tail_start: str):
    """A text-browser dump wraps a long title over two lines ("### [A long\\nTitle][14]"), at a
    space or after a hyphen; with its reference line lost (a damaged dump), the label is still
    the whole title, never its first line."""
    items, day = _items(DAYS[2])[:2], date.fromisoformat(DAYS[2].stem)
    items[1]["paper"]["title"] = "Sailing Through Fog: A Study of Light-Houses and Their Keepers"
    lines = render_tool_capture(items, day, "textbrowser").split("\n")
    at = next(i for i, line in enumerate(lines) if "Sailing Through Fog" in line)
    ref = re.search(r"\]\[(\d+)\]", lines[at])[1]
    head, tail = lines[at].split(head_end + ("" if head_end.endswith("-") else " ") + tail_start)
    lines[at:at + 1] = [head + head_end, tail_start + tail]
    lines = [line for line in lines if not re.fullmatch(rf"\s*{ref}\.\s+\S+\s*", line)]
    entries = parse_any_capture("\n".join(lines), day).entries
    assert [e["title"] for e in entries] == [fold(i["paper"]["title"]) for i in items]


@pytest.mark.parametrize("fmt", ["markdown", "textbrowser"])
def test_a_title_wrapped_after_a_hyphen_joins_without_a_space(fmt: str):
    """html2text (and other tools that wrap at hyphens) write "Chain-of-" on one line and
    "Thought" on the next: the title is "Chain-of-Thought", not "Chain-of- Thought"."""
    items, day = _items(DAYS[2])[:2], date.fromisoformat(DAYS[2].stem)
    items[1]["paper"]["title"] = "Lighthouse-Keeper Logs: A Chain-of-Watch Study of Coastal Fog"
    text = render_tool_capture(items, day, fmt).replace("Chain-of-Watch", "Chain-of-\nWatch", 1)
    assert "Chain-of-\nWatch" in text
    entries = parse_any_capture(text, day).entries
    assert [e["title"] for e in entries] == [fold(i["paper"]["title"]) for i in items]


@pytest.mark.parametrize("dropped", [(), ("date",), ("date", "heading"), ("date", "upvotes"),
                                     ("date", "logo"), ("date", "byline", "upvotes"),
                                     ("date", "heading", "byline", "upvotes")])
def test_markdown_whose_card_headings_are_lost_gives_no_false_title(dropped: tuple[str, ...]):
    """Markdown saved from the page, every card's `### [Title](...)` line lost (and with it what
    tells the format), read as plain text: the site's logo link, its front matter and its byline
    are no titles. An entry whose title holds a link goes to quarantine with that reason."""
    items, day = _items(DAYS[0])[:1], date.fromisoformat(DAYS[0].stem)
    lines = render_tool_capture(items, day, "markdown").split("\n")
    headings = [n for n, line in enumerate(lines) if line.startswith("#") and "/papers/" in line]
    assert headings, "the rendering has card headings to lose"
    header = {"date": r"[A-Z][a-z]{2} \d{1,2}", "heading": r"# Daily Papers", "byline": r"by \[.*",
              "upvotes": r"\d+", "logo": r"\[!\[.*"}
    gone = {n for n, line in enumerate(lines) if any(
        re.fullmatch(header[part], line.strip()) for part in dropped)} | set(headings)
    text = "\n".join(line for n, line in enumerate(lines) if n not in gone)
    snap = read_snapshot(text.encode(), day, "x.md")
    if snap.observations is None:
        assert snap.status == "failed" and snap.reason
        return
    valid, quarantined = split_valid(snap.observations)
    assert set(valid["title"].to_list()) <= {fold(i["paper"]["title"]) for i in items}
    for title, reasons in zip(quarantined["title"].to_list(), quarantined["reasons"].to_list()):
        if title and ("](" in title or title.startswith("# ")):
            assert MARKUP_TITLE in reasons

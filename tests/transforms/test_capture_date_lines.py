"""A date-like line wrapped inside an abstract is abstract text: it never starts or ends an entry.

Captures are rendered at test time from real API days (tests/capture_render.py, real data via
tests/shared_data.py). One abstract per day gets a date-like phrase ("Nov 23", "2025-11-24",
"Published on Nov 24", "May 5") and is hard-wrapped so that the phrase stands on a line of its
own (inside the abstract, as its first line, as its last line); the parsed entries must equal
the source JSON, item by item.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date

import pytest

from tests.capture_render import fold, render_capture
from tests.shared_data import API_DAY_DIR, require_shared_data
from transforms.capture_parser import parse_capture

pytestmark = pytest.mark.needs_shared_data

DAY = date(2025, 11, 24)
PHRASES = ("Nov 23", "2025-11-24", "Published on Nov 24", "May 5")
WHERE = ("middle", "first", "last")


def _items() -> list[dict]:
    require_shared_data()
    return json.loads((API_DAY_DIR / f"{DAY}.json").read_bytes())[:6]


def _wrap(text: str) -> list[str]:
    """Lines of about 90 characters, broken at spaces only (as a text browser wraps); a URL
    stays on the line of the word before it (a line that is only a URL is a link line)."""
    glued = text.replace(" http", "\0http")
    lines = textwrap.wrap(glued, 90, break_on_hyphens=False, break_long_words=False)
    return [line.replace("\0", " ") for line in lines]


def _with_phrase(abstract: str, phrase: str, where: str) -> tuple[str, list[str]]:
    """The abstract with the phrase added, and its lines as a capture wraps them (the phrase on a
    line of its own)."""
    words = fold(abstract)
    if where == "first":
        return f"{phrase} {words}", [phrase, *_wrap(words)]
    if where == "last":
        return f"{words} {phrase}", [*_wrap(words), phrase]
    cut = words.index(". ", len(words) // 3) + 1
    head, tail = words[:cut], words[cut:].strip()
    return (f"{head} {phrase} {tail}",
            [*_wrap(head), phrase, *_wrap(tail)])


def _expected(item: dict) -> dict:
    paper = item["paper"]
    return {"title": fold(paper["title"]), "abstract": fold(paper["summary"]),
            "published_on": date.fromisoformat(paper["publishedAt"][:10]),
            "comments": item["numComments"], "complete": True}


@pytest.mark.parametrize("style", ["plain", "upvotes", "links"])
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("phrase", PHRASES)
def test_a_date_like_line_inside_an_abstract_stays_in_the_abstract(phrase, where, style):
    items = _items()
    text = render_capture(items, DAY, style)
    target = items[2]["paper"]
    original = fold(target["summary"])
    changed, lines = _with_phrase(original, phrase, where)
    assert text.count(original) == 1
    text = text.replace(original, "\n".join(lines))
    target["summary"] = changed

    entries = parse_capture(text, DAY).entries

    got = [{key: e[key] for key in ("title", "abstract", "published_on", "comments", "complete")}
           for e in entries]
    assert got == [_expected(item) for item in items]
    assert [e["n_authors"] or e["organization_name"] for e in entries] == [
        len(i["paper"]["authors"]) if not i["paper"].get("organization")
        else i["paper"]["organization"]["fullname"] for i in items]
    assert not any("no authors/date block" in e["problems"] for e in entries)

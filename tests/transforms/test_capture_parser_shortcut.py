"""The parser's shortcut for the common shape of an entry (capture_groups.plain_group:
[upvote line] title abstract before a who · date block) gives what the general reading
(capture_groups.line_groups, `parse_capture(..., shortcut=False)`) gives: real captures, real
API days rendered in every capture style, and mutated captures (each of the first lines of a
listing replaced in turn by look-alikes, and hypothesis's random edits) parse to the
same entries with the shortcut and without it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from tests.capture_render import STYLES, render_capture
from tests.conftest import API_DAYS, CAPTURE
from tests.transforms.test_capture_parser_properties import SNAPSHOT, mutated_capture
from transforms.capture_parser import parse_capture
from transforms.errors import SnapshotError


def _both_ways(text: str, snapshot: date) -> tuple:
    """(entries with the shortcut, entries without it); a SnapshotError's message instead."""
    results = []
    for shortcut in (True, False):
        try:
            results.append(parse_capture(text, snapshot, shortcut=shortcut).entries)
        except SnapshotError as error:
            results.append(str(error))
    return tuple(results)


def _rendered(style: str) -> list[tuple[str, date]]:
    days = []
    for path in API_DAYS[:5]:
        day = date.fromisoformat(path.stem)
        days.append((render_capture(json.loads(path.read_text()), day, style), day))
    return days


def test_the_shortcut_is_taken_and_changes_nothing_on_the_real_capture():
    text = CAPTURE.read_text(encoding="utf-8")
    result = parse_capture(text, SNAPSHOT)
    # most cards take the shortcut; the general reading reads only the rest
    assert result.shortcut_cards > len(result.entries) // 2
    assert parse_capture(text, SNAPSHOT, shortcut=False).shortcut_cards == 0
    with_shortcut, without = _both_ways(text, SNAPSHOT)
    assert with_shortcut == without == result.entries


@pytest.mark.needs_shared_data
@pytest.mark.parametrize("style", STYLES)
def test_rendered_api_days_parse_the_same_with_and_without_the_shortcut(style):
    for text, day in _rendered(style):
        with_shortcut, without = _both_ways(text, day)
        assert isinstance(with_shortcut, list) and with_shortcut == without


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated_capture())
def test_mutated_captures_parse_the_same_with_and_without_the_shortcut(text):
    with_shortcut, without = _both_ways(text, SNAPSHOT)
    assert with_shortcut == without


LOOK_ALIKES = ["", "12", " [-] 7", "-", "1.2k", "n/a", "https://huggingface.co/papers/2510.27492",
               "A short title", "An abstract sentence.", "x" * 250, "·", "Nov 3", "Nov 3 4", "---",
               "12 13", " [-] 5 6", "-12", "2024 in review"]
_DAYS = [day for style in ("plain", "upvotes", "links_upvotes") for day in _rendered(style)[:2]]


@pytest.mark.needs_shared_data
@pytest.mark.parametrize("text, day", _DAYS)
def test_each_of_the_first_lines_replaced_parses_the_same_with_and_without(text, day):
    """Every one of the first 45 non-blank lines of the listing (upvote lines, titles,
    abstracts, who and date lines), replaced in turn by each look-alike."""
    lines = text.split("\n")
    listing = [i for i, line in enumerate(lines) if line.strip()][6:51]
    for i in listing:
        for look_alike in LOOK_ALIKES:
            changed = "\n".join(lines[:i] + [look_alike] + lines[i + 1:])
            with_shortcut, without = _both_ways(changed, day)
            assert with_shortcut == without, (i, lines[i][:60], look_alike)

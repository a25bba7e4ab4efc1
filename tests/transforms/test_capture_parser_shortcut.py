"""The parser's shortcut for the common shape of an entry (capture_groups.plain_group:
[upvote line] title abstract before a who · date block) gives what the general reading
(capture_groups.line_groups) gives: real captures, real API days rendered in every capture style,
and mutated captures (each of the first lines of a listing replaced in turn by look-alikes, and
hypothesis's random edits) parse to the same entries with the shortcut and without it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from tests.capture_render import STYLES, render_capture
from tests.conftest import API_DAYS, CAPTURE
from tests.transforms.test_capture_parser_properties import SNAPSHOT, mutated_capture
from transforms import capture_parser
from transforms.errors import SnapshotError


def _both_ways(text: str, snapshot: date, monkeypatch) -> tuple:
    """(entries with the shortcut, entries without it); a SnapshotError's message instead."""
    results = []
    for shortcut in (True, False):
        with monkeypatch.context() as patch:
            if not shortcut:
                patch.setattr(capture_parser, "plain_group", lambda *args: None)
            try:
                results.append(capture_parser.parse_capture(text, snapshot).entries)
            except SnapshotError as error:
                results.append(str(error))
    return tuple(results)


def _rendered(style: str) -> list[tuple[str, date]]:
    days = []
    for path in API_DAYS[:5]:
        day = date.fromisoformat(path.stem)
        days.append((render_capture(json.loads(path.read_text()), day, style), day))
    return days


def test_the_shortcut_is_taken_and_changes_nothing_on_the_real_capture(monkeypatch):
    calls = []
    general = capture_parser.line_groups
    monkeypatch.setattr(capture_parser, "line_groups", lambda *a, **k: calls.append(1) or general(*a, **k))
    text = CAPTURE.read_text(encoding="utf-8")
    entries = capture_parser.parse_capture(text, SNAPSHOT).entries
    # most regions take the shortcut; line_groups reads only the rest (and the end of the page)
    assert len(calls) < len(entries) // 2
    monkeypatch.undo()
    with_shortcut, without = _both_ways(text, SNAPSHOT, monkeypatch)
    assert with_shortcut == without == entries


@pytest.mark.needs_shared_data
@pytest.mark.parametrize("style", STYLES)
def test_rendered_api_days_parse_the_same_with_and_without_the_shortcut(style, monkeypatch):
    for text, day in _rendered(style):
        with_shortcut, without = _both_ways(text, day, monkeypatch)
        assert isinstance(with_shortcut, list) and with_shortcut == without


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutated_capture())
def test_mutated_captures_parse_the_same_with_and_without_the_shortcut(monkeypatch, text):
    with_shortcut, without = _both_ways(text, SNAPSHOT, monkeypatch)
    assert with_shortcut == without


LOOK_ALIKES = ["", "12", " [-] 7", "-", "1.2k", "n/a", "https://huggingface.co/papers/2510.27492",
               "A short title", "An abstract sentence.", "x" * 250, "·", "Nov 3", "Nov 3 4", "---",
               "12 13", " [-] 5 6", "-12", "2024 in review"]
_DAYS = [day for style in ("plain", "upvotes", "links_upvotes") for day in _rendered(style)[:2]]


@pytest.mark.needs_shared_data
@pytest.mark.parametrize("text, day", _DAYS)
def test_each_of_the_first_lines_replaced_parses_the_same_with_and_without(text, day, monkeypatch):
    """Every one of the first 45 non-blank lines of the listing (upvote lines, titles,
    abstracts, who and date lines), replaced in turn by each look-alike."""
    lines = text.split("\n")
    listing = [i for i, line in enumerate(lines) if line.strip()][6:51]
    for i in listing:
        for look_alike in LOOK_ALIKES:
            changed = "\n".join(lines[:i] + [look_alike] + lines[i + 1:])
            with_shortcut, without = _both_ways(changed, day, monkeypatch)
            assert with_shortcut == without, (i, lines[i][:60], look_alike)

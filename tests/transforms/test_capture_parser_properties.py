"""Property tests: whatever text arrives, parse_capture returns entries or raises SnapshotError.

Inputs are mutations of the real capture (lines deleted, duplicated, swapped, replaced by
structural look-alikes, NULs and random unicode injected, line endings changed, truncation)
and free-form lines made of the capture's own building blocks.
"""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.shared_data import ROOT
from transforms.capture_parser import CaptureResult, parse_capture
from transforms.errors import SnapshotError
from transforms.observations import ENTRY_FIELDS

SAMPLE = ROOT / "seeds" / "captures" / "2025-12-10_75ea5f93878b491f.txt"
LINES = SAMPLE.read_text(encoding="utf-8").split("\n")
SNAPSHOT = date(2025, 12, 10)

LOOK_ALIKES = [
    "", "·", " · ", "Dec 10", "Dec 9", "Feb 29", "Feb 30", "Aug 26 2", "Oct 3, 2023",
    "Oct 3, 0", "Oct 3, 99999", "Jan 99", "Jan 1, 2023 " + "9" * 5000, "  • 5 authors",
    "  • -3 authors", "  • " + "9" * 5000 + " authors", "[", "4 authors](https://x.y/z)",
    "spiralworks Spiral Works", " Spiral Works", "https://huggingface.co/spiralworks",
    "https://huggingface.co/papers/2510.27492",
    "https://huggingface.co/papers/2510.27492#community",
    "https://arxiv.org/abs/2510.27492v3", "-", "12", " [-] 12", " [-] -", "0", "-0",
    "\x00", "\ufeff", "\u2028", "\x0b\x0c\x1c", "new", "Daily Papers", "A title", "x" * 300,
]

line_strategy = st.one_of(
    st.sampled_from(LOOK_ALIKES), st.sampled_from(LINES), st.text(max_size=40))


def check(text: str, snapshot: date = SNAPSHOT) -> CaptureResult | None:
    try:
        result = parse_capture(text, snapshot)
    except SnapshotError as error:
        assert str(error)
        return None
    assert [e["position"] for e in result.entries] == list(range(1, len(result.entries) + 1))
    for entry in result.entries:
        assert set(entry) == set(ENTRY_FIELDS)
        assert isinstance(entry["raw_text"], str) and entry["raw_text"]
        assert isinstance(entry["complete"], bool)
        assert entry["complete"] or entry["problems"] or entry["invalid"]
        assert entry["title"] is None or entry["title"] == " ".join(entry["title"].split())
    return result


@st.composite
def mutated_capture(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(
            ["delete", "duplicate", "swap", "replace", "insert", "inject"]))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "replace":
            lines[i] = draw(line_strategy)
        elif action == "insert":
            lines.insert(i, draw(line_strategy))
        elif action == "inject":
            k = draw(st.integers(0, len(lines[i])))
            junk = draw(st.sampled_from(["\x00", "\r", "\ufeff", "·", "\n"]))
            junk += draw(st.text(max_size=5))
            lines[i] = lines[i][:k] + junk + lines[i][k:]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_capture())
def test_mutated_capture_parses_or_raises_snapshot_error(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(line_strategy, max_size=60), st.sampled_from(["\n", "\r\n"]),
       st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_structural_noise_parses_or_raises_snapshot_error(lines, newline, snapshot):
    check(newline.join(lines), snapshot)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_parses_or_raises_snapshot_error(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(LINES)))
def test_truncated_capture_keeps_the_entries_before_the_cut(cut):
    result = check("\n".join(LINES[:cut]))
    if result is not None:
        full = parse_capture("\n".join(LINES), SNAPSHOT).entries
        # every entry that ends well before the cut is unchanged
        for entry, whole in zip(result.entries[:-2], full):
            assert entry == whole

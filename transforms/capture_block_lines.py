"""A card's block (who / "·" / date, three lines on the page) written on fewer lines by a tool,
put back on its three lines before the plain reader (capture_parser) looks for blocks."""

from __future__ import annotations

import re

from transforms.capture_dates import MONTH_PATTERN

# a card's date line ("Oct 3, 2023", "Aug 26"), its comment count after it, ending the line
_DATE_ENDING_THE_LINE = rf"(?P<date>{MONTH_PATTERN}[ \t]+\d{{1,2}}(?:,[ \t]*\d{{1,9}})?(?:[ \t]+\d+)?)[ \t]*$"

# "<who> · <date> [<comments>]" on one line: a who of at most 150 characters (as a who line,
# capture_blocks), the date (and comment count) ending the line. The Markdown reader has its own
# (capture_markdown): there "·" may touch its neighbours; here spaces keep prose from splitting.
_ONE_LINE_BLOCK_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<who>\S[^\n]{0,148}?)[ \t]+·[ \t]+"
    + _DATE_ENDING_THE_LINE,
    re.MULTILINE)


# "·" and the date on one line under the who line ("16 authors" / "· Nov 10 11"), as HTML-to-text
# tools write a card whose who is a list item: the same three lines as "·" on a line of its own.
_DOT_DATE_LINE_RE = re.compile(
    r"^(?P<indent>[ \t]*)·[ \t]+"
    + _DATE_ENDING_THE_LINE,
    re.MULTILINE)


def blocks_on_their_lines(text: str) -> str:
    """The text with each block written on one line ("8 authors · Oct 30 7"), or with "·" and
    the date on one line ("· Nov 10 11"), on the three lines it stands for."""
    if " · " in text or "\t·" in text:
        text = _ONE_LINE_BLOCK_RE.sub(
            lambda m: f"{m['indent']}{m['who']}\n·\n{m['indent']}{m['date']}", text)
    if "·" in text:   # (at any indent: "\n        · Dec 25 7")
        text = _DOT_DATE_LINE_RE.sub(lambda m: f"{m['indent']}·\n{m['indent']}{m['date']}", text)
    return text


# "<who>·<date> [<comments>]" with no space around the "·" (a PDF's text, where the page's
# inline who, "·" and date are spans side by side): tried only when no block is found otherwise.
_GLUED_BLOCK_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<who>[^\s·][^\n·]{0,148}?)[ \t]*·[ \t]*"
    + _DATE_ENDING_THE_LINE,
    re.MULTILINE)


def unglued_blocks(text: str) -> str:
    """The text with each block glued around its "·" on its three lines."""
    return _GLUED_BLOCK_RE.sub(lambda m: f"{m['indent']}{m['who']}\n·\n{m['indent']}{m['date']}", text)

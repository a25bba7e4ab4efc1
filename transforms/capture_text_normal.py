"""A capture's text as every reader sees it (`normal_text`): line ends as "\n", and without the
characters, marks and codes that take no room on the page."""

from __future__ import annotations

import re

# Characters that take no room on the page: a copy can carry them around "·" or inside words.
# Characters no reader should see: zero-width ones, direction marks (a copy from a page or
# editor in a right-to-left language) and soft hyphens (a word processor's "con\xadtinue",
# shown only where a line breaks) go, the spaces a browser's copy of "· May 13" or "Published on"
# may hold (no-break, narrow no-break, thin) become " ", and Unicode's line and paragraph
# separators (a word processor's line break) "\n".
_INVISIBLE = {**dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f")),
              **dict.fromkeys(map(ord, "\u00a0\u202f\u2009"), " "),
              **dict.fromkeys(map(ord, "\u2028\u2029"), "\n")}
_INVISIBLE_CHARS = "".join(map(chr, _INVISIBLE))
# Direction embeddings and isolates (U+202A-U+202E, U+2066-U+2069) are as invisible, but a search
# for them costs 10x the others (their low bytes are common letters'): they are removed only when
# a capture finds no listing with them (capture_formats.parse_any_capture).
DIRECTION_FORMATTING_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


# An image a converter wrote as "[]" (pandoc -t plain) or "[x]" (w3m): a line of its own, maybe
# a bullet's ("-   []", "• [x]": an author's avatar), or the comment icon before its count
# ("· Dec 25 []7", "· Nov 7[]2"). A line of its own goes whole: a bullet left with nothing ("-")
# would read as an upvote line of "-"; the icon becomes one space, which keeps the date and the
# count apart ("Nov 7 2", not "Nov 72").
_EMPTY_IMAGE_MARK_RE = re.compile(r"\[x?\]")
# a terminal's escape codes (ECMA-48): an OSC sequence (an OSC 8 hyperlink's address) ended by BEL
# or ST (or, left open, by its line's end), a CSI sequence (colours, bold: "ESC[1m"), any other
# escape with its intermediate and final bytes ("ESC(B", tput sgr0's reset of the character set),
# or an ESC alone
_TERMINAL_CODE_RE = re.compile(r"\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]?")
_EMPTY_IMAGE_RE = re.compile(r"(^[ \t]*(?:[-*•+][ \t]+)?\[x?\][ \t]*$)|[ \t]*\[\](?=\d+[ \t]*$)", re.MULTILINE)


def _without_image(match: re.Match) -> str:
    return "" if match.group(1) is not None else " "


def normal_text(text: str) -> str:
    """A capture's text with line endings and line separators as "\n", Unicode spaces as " ",
    and without byte-order marks, zero-width characters, soft hyphens, pandoc's "[]" images and
    a terminal's escape codes, which no reader should have to see."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\v" in text:   # (a word processor's manual line break, saved as text)
        text = text.replace("\v", "\n")
    if "\x1b" in text:   # (a terminal's copy: colours, bold, hyperlinks)
        text = _TERMINAL_CODE_RE.sub("", text)
    if not text.isascii() and any(ch in text for ch in _INVISIBLE_CHARS):   # (faster than a regex)
        text = text.translate(_INVISIBLE)
    if _EMPTY_IMAGE_MARK_RE.search(text):   # (a regex finds it faster than two `in` tests)
        text = _EMPTY_IMAGE_RE.sub(_without_image, text)
    return text

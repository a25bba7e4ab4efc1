"""The lines of a wrapped title or abstract as one text.

A capture hard-wrapped at a fixed width (an editor's or a mail client's wrap, a word processor's
hyphenation) splits a paragraph into lines. They are joined by a space, except where a line ends
in a word and "-": there the wrap broke the line at a hyphen, and no space was ever there.

Two wraps end a line that way: one after a hyphen the text holds ("Vision-" / "Language"),
one inside a word, with a hyphen added ("Capabi-" / "lities"). The line alone cannot tell them
apart, so the rest of the capture decides: the hyphen goes when the capture writes the word
whole ("capabilities", or "capability" for "capabili-" / "ties": the same word but its ending)
and never with a hyphen there; otherwise it stays. Keeping it is the safe side: a wrap at a
hyphen the text holds is the common one (Python's textwrap, `fmt` and mail clients break only
there), and a title keeps its words either way.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[a-z0-9]+")
_COMPOUND_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_END_RE = re.compile(r"([A-Za-z0-9]+)-$")
_START_RE = re.compile(r"[A-Za-z0-9]+")

_last: tuple[list[str], set[str], set[str]] | None = None   # the last capture's evidence


def join_wrapped(lines: list[str], stripped: list[str]) -> str:
    """`lines` (stripped, non-blank) as one text; `stripped`: all the capture's lines, the
    evidence for a word broken at a line's end."""
    if not any(line[-1:] == "-" for line in lines[:-1]):
        return " ".join(lines)
    out = lines[0]
    for line in lines[1:]:
        end, start = _END_RE.search(out), _START_RE.match(line)
        if end is None or start is None:
            out += " " + line
            continue
        words, compounds = _evidence(stripped)
        head, tail = end[1].lower(), start[0].lower()
        whole = head + tail
        broken_word = f"{head}-{tail}" not in compounds and _written(whole, words)
        out = (out[:-1] if broken_word else out) + line
    return out


def _written(word: str, words: set[str]) -> bool:
    """The word, or it with another of the common English endings, is among `words`."""
    if word in words:
        return True
    stem = word[:-1] if word.endswith("s") else word
    return stem in words or stem + "s" in words


def _evidence(stripped: list[str]) -> tuple[set[str], set[str]]:
    """The capture's words, and its hyphenated pairs of words ("chart-to-code": "chart-to",
    "to-code"), from its lines: worked out once a capture (the last one's are kept)."""
    global _last
    if _last is not None and _last[0] is stripped:
        return _last[1], _last[2]
    text = "\n".join(stripped).lower()
    pairs = set()
    for compound in _COMPOUND_RE.findall(text):
        parts = compound.split("-")
        pairs.update(f"{a}-{b}" for a, b in zip(parts, parts[1:]))
    _last = (stripped, set(_WORD_RE.findall(text)), pairs)
    return _last[1], _last[2]

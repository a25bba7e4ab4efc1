"""The lines of a wrapped title or abstract as one text, and where a capture hard-wrapped with
no blank line between a card's parts has its title end and its abstract begin.

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

from transforms.capture_blocks import PAPER_ID_RE, url_line

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


_WRAP_SLACK = 25   # characters a hard-wrapped line falls short of the width: about one long word


_FIRST_WORD_RE = re.compile(r"\S+?(?:-|(?=\s)|$)")


def wrapped_at(line: str, below: str, width: int) -> bool:
    """The line ends where a wrap at `width` would end it: within a word of the width, or
    earlier because the next word (a URL, a long name) would not have fitted."""
    return width - len(line) <= _WRAP_SLACK or next_word_overflows(line, below, width)


def next_word_overflows(line: str, below: str, width: int) -> bool:
    """The first word of `below` would not have fitted after `line` in `width` characters: where
    a wrap at that width ends a line, however short the line. Read either way: a wrap that
    breaks a word at its hyphens ("Self-" / "revisions"), or one that never does (`textwrap`'s
    break_on_hyphens=False, most editors), whose next word is the whole "Self-revisions"."""
    word = below.split(maxsplit=1)
    return bool(word) and len(line) + 1 + len(word[0]) > width


# words a title in Title Case leaves in lower case: articles, conjunctions, prepositions
_SMALL_WORDS = frozenset("""a an the and or but nor so yet as if than vs versus via per plus
about above across after against along among around at before behind below beneath beside
besides between beyond by down during for from in inside into like near of off on onto out
outside over past since through throughout till to toward towards under until up upon with
within without""".split())
_CASE_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z0-9'’]+)*")


def case_turns(title_line: str, below: str) -> bool:
    """`title_line` is in Title Case and `below` reads as a sentence: the title ends and its
    abstract starts between them, where the wrap alone cannot tell (the abstract's first word
    would not have fitted either). Title Case: two or more capitalised words, and every word
    in lower case an article, conjunction or preposition; a sentence: two or more other words
    in lower case, at least half of those that are no such small word. A line ending in a
    hyphen goes on in the next."""
    if title_line.endswith("-"):
        return False
    words = _CASE_WORD_RE.findall(title_line)
    if sum(w[0].isupper() for w in words) < 2 or any(w[0].islower() and w not in _SMALL_WORDS for w in words):
        return False
    content = [w for w in _CASE_WORD_RE.findall(below) if w.lower() not in _SMALL_WORDS]
    lower = sum(w[0].islower() for w in content)
    return lower >= 2 and 2 * lower >= len(content)


def _widest_wrap(lines: list[str]) -> int:
    """The widest width `lines` can have been wrapped at: at each line's end the next line's
    first word did not fit."""
    return min((len(line) + len(m[0]) for line, below in zip(lines, lines[1:])
                if (m := _FIRST_WORD_RE.match(below))), default=10**6)


def merge_wrapped_abstract(stripped: list[str], texts: list[int], merged: dict[int, tuple[str, int]]) -> None:
    """A title line, then an abstract hard-wrapped at a fixed width right under it (no blank
    line anywhere): the lines after the title, each but the last ending where a wrap at the
    width ends a line (`wrapped_at`), are one abstract, a URL line among them too. `texts`
    keeps the title and the abstract's first line, which stands for it in `merged`."""
    if len(texts) < 3 or _merge_wrapped_title_and_abstract(stripped, texts, merged):
        return
    if not _consecutive(stripped, texts[1:]):
        return
    lines = stripped[texts[1]:texts[-1] + 1]
    width = max(map(len, lines))
    if 40 <= width <= 160 and all(wrapped_at(line, below, width) for line, below in zip(lines, lines[1:])):
        merged[texts[1]] = (join_wrapped(lines, stripped), texts[-1])
        del texts[2:]


def _merge_wrapped_title_and_abstract(stripped: list[str], texts: list[int],
                                      merged: dict[int, tuple[str, int]]) -> bool:
    """A title wrapped onto 2-3 lines, then its abstract, all hard-wrapped at one width with no
    blank line (wrapped_title_lines). Whether it merged them."""
    if not _consecutive(stripped, texts):
        return False
    lines = stripped[texts[0]:texts[-1] + 1]
    k = wrapped_title_lines(lines)
    if k is None or k == 1 or texts[k - 1] != texts[0] + k - 1:   # (no URL line in the title)
        return False
    merged[texts[0]] = (join_wrapped(lines[:k], stripped), texts[k - 1])
    merged[texts[k]] = (join_wrapped(lines[k:], stripped), texts[-1])
    texts[:] = [texts[0], texts[k]]
    return True


def _consecutive(stripped: list[str], texts: list[int]) -> bool:
    """The text lines `texts` follow one another, but for a URL line in the text (an abstract's
    link to its code, which a tool may set on a line of its own)."""
    return texts[-1] - texts[0] == len(texts) - 1 or all(
        i in texts or (stripped[i] and url_line(stripped[i]) and not PAPER_ID_RE.search(stripped[i]))
        for i in range(texts[0], texts[-1] + 1))


_LOWER_START_RE = re.compile(r"[a-z]+\b")   # a line going on with a word in lower case ("external", not "xLSTM")


def wrapped_title_lines(lines: list[str]) -> int | None:
    """How many of `lines`, a card's title then its abstract hard-wrapped at one width with no
    blank line, are the title (1-3); None when the wrap and the case cannot tell. Each title
    line but the last is ended by the wrap (the next word would not have fitted), the last is
    not (the abstract's first word would have), or the case turns there from Title Case into
    a sentence (case_turns), or a title line went on in lower case (no abstract starts so: the
    title is in sentence case) and the next starts with a capital; every abstract line but the
    last ends where a wrap ends a line."""
    n = len(lines)
    width = max(map(len, lines), default=0)
    if n < 3 or not 40 <= width <= 160:
        return None
    for k in (1, 2, 3):   # the title's lines
        if k >= n or k > 1 and (not next_word_overflows(lines[k - 2], lines[k - 1], width)
                                or case_turns(lines[k - 2], lines[k - 1])):
            return None
        if (not next_word_overflows(lines[k - 1], lines[k], width) or case_turns(lines[k - 1], lines[k])
                or k > 1 and _LOWER_START_RE.match(lines[k - 1]) and lines[k][:1].isupper()):
            if not all(wrapped_at(line, below, width) for line, below in zip(lines[k:], lines[k + 1:])):
                return None
            if k > 1 and len(lines[0]) > max(map(len, lines[k:])) and len(lines[0]) > _widest_wrap(lines[k:]):
                return None   # wider than the abstract's wrap: a heading left whole, no title line
            return k
    return None

"""A plain capture whose cards were re-wrapped into paragraphs (an editor's "fill paragraph",
`fmt`, a mail client re-flowing a copy whose card parts stood on lines of their own): upvote
count, title, abstract and who run on, and a title's end cannot be told from its abstract's
start. The who line then carries the text before it ("... and 1,600 forks. 5 authors", "authors"
under a line that ends in the count, "... model similarity. Tencent"), and a capture without
upvote lines shows titles that start with their count. The block reader (capture_blocks.read_who)
marks each who line; the parser (capture_parser) quarantines every entry of a capture whose
cards show it (docs/capture-formats.md)."""

from __future__ import annotations

import re

_TEXT_THEN_AUTHORS_RE = re.compile(r"\S.*\s\d+\s+authors?")
_TEXT_THEN_NAME_RE = re.compile(r"(?:\S+\s+){2,}\S*[a-z0-9/)\]}][.!?;][\"')\]}]?\s+(?P<name>\S.*)")
_SENTENCE_END_RE = re.compile(r"[.!?;][\"')\]}]?\s")
# a title that starts with a card's upvote count ("95 Halving Memory ..."): the count's line run
# into the title's
_NUMBERED_TITLE_RE = re.compile(r"\d{1,6} [^\s\d]")
RUN_ON_REASON = ("title, abstract and authors run together (the text was re-wrapped into"
                 " paragraphs): the title cannot be told apart; save the page again as HTML or"
                 " copy it without re-wrapping")


def run_on_who(who: str) -> int:
    """2 when the who line surely carries the card's text before it (text, then "N authors";
    "authors" alone), 1 when likely (a sentence's end, then a name), else 0."""
    if who in ("authors", "author") or (who.endswith(("authors", "author")) and _TEXT_THEN_AUTHORS_RE.fullmatch(who)):
        return 2
    if _SENTENCE_END_RE.search(who) is None:   # (most who lines: a name, a count)
        return 0
    return 1 if _TEXT_THEN_NAME_RE.fullmatch(who) else 0


def name_after_text(who: str) -> str:
    """The name after the abstract's last sentence in a who line run_on_who finds likely."""
    return _TEXT_THEN_NAME_RE.fullmatch(who)["name"]


def numbered_titles(entries: list[dict]) -> int:
    """How many entries' titles start with an upvote count (in a capture without upvote lines)."""
    return sum(1 for entry in entries if _NUMBERED_TITLE_RE.match(entry["title"] or ""))


def run_on_cards(blocks: list, numbered: int) -> bool:
    """Whether the capture's cards were re-wrapped into paragraphs: two or more and a third or
    more of its cards (or its one card) show it, by a who line that carries text before it
    (block.run_on) or `numbered` titles that start with their upvote count. (A block whose who
    line surely carries text is invalid either way: capture_blocks.read_who.)"""
    signs = sum(block.run_on > 0 for block in blocks) + numbered
    return signs >= min(2, len(blocks)) and 3 * signs >= len(blocks)

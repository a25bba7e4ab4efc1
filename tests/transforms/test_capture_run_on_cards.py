"""A capture whose cards were re-wrapped into paragraphs (an editor's "fill paragraph", a mail
client, `fmt`): upvote count, title, abstract and who run on, and a title's end cannot be told
from its abstract's start. Every entry is quarantined with the reason; none is counted with a
title made of the abstract's first words. The papers here are made up."""

from __future__ import annotations

import textwrap

import pytest

from tests.made_up_cards import ABSTRACT, DAY, PAPERS
from transforms.capture_formats import parse_any_capture
from transforms.capture_run_on import RUN_ON_REASON, run_on_who

HEADER = "Daily Papers - Hugging Face\nDaily Papers\nby AK and the research community\nNov 11\n\n"


def bs4_text() -> str:
    """The page as BeautifulSoup's get_text("\\n") writes it: a card's parts on lines of their
    own, an organization's display name without its logo."""
    return HEADER + "\n\n".join(
        f"{up}\n{title}\n{ABSTRACT}\n{who[1] if isinstance(who, tuple) else f'{who} authors'}\n·\n{when}"
        + (f" {comments}" if comments else "") for up, title, _, who, when, comments in PAPERS)


def refilled(text: str, width: int) -> str:
    """Each paragraph (lines between blank lines) filled to `width` columns."""
    return "\n\n".join(textwrap.fill(paragraph, width) for paragraph in text.split("\n\n"))


def test_the_cards_on_their_lines_read_as_written():
    entries = parse_any_capture(bs4_text(), DAY).entries
    assert [(e["upvotes"], e["title"], e["n_authors"], e["invalid"]) for e in entries] == [
        (up, title, None if isinstance(who, tuple) else who, []) for up, title, _, who, _, _ in PAPERS]


@pytest.mark.parametrize("width", [60, 72, 80, 100])
def test_re_wrapped_cards_are_quarantined_not_counted(width):
    entries = parse_any_capture(refilled(bs4_text(), width), DAY).entries
    assert entries, "the re-wrapped capture still shows its cards"
    assert all(RUN_ON_REASON in e["invalid"] for e in entries)
    # no organization is named from an abstract's last words
    assert not any(e["organization_name"] and "build on" in e["organization_name"] for e in entries)


def test_one_card_with_its_text_run_into_the_author_count_is_quarantined():
    head, tail = ABSTRACT.rsplit(" for ", 1)   # the abstract's last line glued to the count
    text = bs4_text().replace(f"{ABSTRACT}\n16 authors", f"{head}\nfor {tail} 16 authors")
    entries = parse_any_capture(text, DAY).entries
    assert [RUN_ON_REASON in e["invalid"] for e in entries] == [False, True, False]
    assert entries[1]["n_authors"] == 16


@pytest.mark.parametrize(("who", "level"), [
    ("Acme Labs", 0),
    ("16 authors", 0),
    ("Acme Inc. Research", 0),           # an organization's name with a full stop in it
    ("and 1,600 forks. 5 authors", 2),
    ("vla-paper.github.io 5 authors", 2),
    ("authors", 2),                      # its count wrapped onto the line above
    ("towards a better model of the world. Acme Labs", 1),
    ("towards a better model (of the world). Acme Labs", 1),
    ("code at https://example.org/made-up. Acme Labs", 1),
])
def test_who_lines_that_carry_the_text_before_them(who, level):
    assert run_on_who(who) == level


def test_a_name_after_the_abstracts_last_sentence_is_the_organization():
    """The who line reads as it does on a line of its own, without the sentence before it. (On
    its own it is a display name alone on the capture's one organization card: its first word
    reads as the handle, the limit docs/capture-formats.md states.)"""
    [alone, *_] = parse_any_capture(bs4_text(), DAY).entries
    text = bs4_text().replace(f"{ABSTRACT}\nAcme Labs", f"{ABSTRACT}\nfor others to build on. Acme Labs")
    [first, *_] = parse_any_capture(text, DAY).entries
    assert (first["organization"], first["organization_name"]) == (alone["organization"], alone["organization_name"])
    assert alone["organization_name"] and "build on" not in alone["organization_name"]
    assert not first["invalid"]

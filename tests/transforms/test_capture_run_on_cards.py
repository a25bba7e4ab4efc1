"""A capture whose cards were re-wrapped into paragraphs (an editor's "fill paragraph", a mail
client, `fmt`): upvote count, title, abstract and who run on, and a title's end cannot be told
from its abstract's start. Every entry is quarantined with the reason; none is counted with a
title made of the abstract's first words. The papers here are made up."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from transforms.capture_blocks import RUN_ON_REASON, run_on_who
from transforms.capture_formats import parse_any_capture

DAY = date(2025, 11, 11)
ABSTRACT = ("We study how a made-up method behaves on made-up tasks, and find that it helps in "
            "most settings we try while costing little. The analysis explains when it fails, "
            "and we release the code at https://example.org/made-up for others to build on.")
CARDS = [  # upvotes, title, who, date line
    ("95", "Halving Memory in Made-Up Agents with Shared Scratchpads for Long Tasks", "Acme", "Nov 5 3"),
    ("80", "Rethinking long horizons via state rebuilding", "16 authors", "Nov 10 11"),
    ("53", "Curating Data for Verifiable Rewards", "4 authors", "Nov 9 2"),
    ("41", "A Made-Up Benchmark of Tiny Puzzles", "Northwind", "Nov 8 1"),
]
HEADER = "Daily Papers - Hugging Face\nDaily Papers\nby AK and the research community\nNov 11\n\n"


def bs4_text(cards=CARDS) -> str:
    """The page as BeautifulSoup's get_text("\\n") writes it: a card's parts on lines of their own."""
    return HEADER + "\n\n".join(f"{up}\n{title}\n{ABSTRACT}\n{who}\n·\n{when}" for up, title, who, when in cards)


def refilled(text: str, width: int) -> str:
    """Each paragraph (lines between blank lines) filled to `width` columns."""
    return "\n\n".join(textwrap.fill(paragraph, width) for paragraph in text.split("\n\n"))


def test_the_cards_on_their_lines_read_as_written():
    entries = parse_any_capture(bs4_text(), DAY).entries
    assert [(e["upvotes"], e["title"], e["n_authors"], e["organization_name"], e["invalid"]) for e in entries] == [
        (95, CARDS[0][1], None, "Acme", []),
        (80, CARDS[1][1], 16, None, []),
        (53, CARDS[2][1], 4, None, []),
        (41, CARDS[3][1], None, "Northwind", []),
    ]


@pytest.mark.parametrize("width", [60, 72, 80, 100])
def test_re_wrapped_cards_are_quarantined_not_counted(width):
    entries = parse_any_capture(refilled(bs4_text(), width), DAY).entries
    assert entries, "the re-wrapped capture still shows its cards"
    assert all(RUN_ON_REASON in e["invalid"] for e in entries)
    # no organization is named from an abstract's last words
    assert not any(e["organization_name"] and "made-up" in e["organization_name"] for e in entries)


def test_one_card_with_its_text_run_into_the_author_count_is_quarantined():
    head, tail = ABSTRACT.rsplit(" for ", 1)   # the abstract's last line glued to the count
    text = bs4_text().replace(f"{ABSTRACT}\n4 authors", f"{head}\nfor {tail} 4 authors")
    entries = parse_any_capture(text, DAY).entries
    assert [RUN_ON_REASON in e["invalid"] for e in entries] == [False, False, True, False]
    assert entries[2]["n_authors"] == 4


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
    text = bs4_text().replace(f"{ABSTRACT}\nAcme", f"{ABSTRACT}\nfor others to build on. Acme")
    entries = parse_any_capture(text, DAY).entries
    assert [e["organization_name"] for e in entries] == ["Acme", None, None, "Northwind"]

"""A plain capture's organization line: "<handle> <display name>" where the page's logo gave
its alt text, the display name alone where the capture dropped the logo (inscriptis, a text
extraction). The papers and organizations are made up."""

from __future__ import annotations

import pytest

from tests.made_up_cards import ABSTRACT, DAY
from transforms.capture_formats import parse_any_capture

ORGS = [("acme", "Acme Labs"), ("widget-ai", "Widget AI"), ("zeta", "Zeta Research Group"),
        ("northlab", "North Lab")]


def plain_capture(who_lines: list[str]) -> str:
    cards = [f"A Made-Up Study Number {n} of Agents\n{ABSTRACT}\n{who}\n·\nNov {n + 3} {n}\n"
             for n, who in enumerate(who_lines, 1)]
    return "Daily Papers\nbyAK and the research community\nNov 11\n\n" + "\n".join(cards)


def organizations(text: str) -> list[tuple]:
    return [(e["organization"], e["organization_name"]) for e in parse_any_capture(text, DAY).entries]


def test_handle_and_name_lines_give_both():
    assert organizations(plain_capture([f"{h} {name}" for h, name in ORGS])) == ORGS


def test_a_handle_unlike_its_name_is_still_a_handle_among_lines_that_agree():
    lines = [*(f"{h} {name}" for h, name in ORGS), "fb AI at Meta"]
    assert organizations(plain_capture(lines))[-1] == ("fb", "AI at Meta")


def test_display_names_alone_are_names_not_a_handle_and_a_name():
    # "Acme Labs" is not handle "Acme" of an organization named "Labs"
    assert organizations(plain_capture([name for _, name in ORGS])) == [(None, name) for _, name in ORGS]

def test_a_name_alone_whose_second_word_joins_it_is_a_name_in_a_capture_of_few():
    # too few lines to judge the capture; "of", "for" never start a display name
    names = ["University of Made-Up Sciences DM2 Lab", "Institute for Widget Studies"]
    assert organizations(plain_capture(names)) == [(None, name) for name in names]
    assert organizations(plain_capture(["fb AI at Meta", "uoms University of Made-Up Sciences"])) == [
        ("fb", "AI at Meta"), ("uoms", "University of Made-Up Sciences")]
    # a text browser glues the logo's alt text to the name: split where the case turns
    assert organizations(plain_capture(["fbAI at Meta", "UOMS-CSUniversity of Made-Up Sciences"])) == [
        ("fb", "AI at Meta"), ("UOMS-CS", "University of Made-Up Sciences")]


def test_three_papers_of_one_organization_unlike_its_handle_keep_the_handle():
    assert organizations(plain_capture(["fb AI at Meta"] * 3)) == [("fb", "AI at Meta")] * 3


def card_pair(chip: str, heading: str) -> str:
    """Two cards whose chip line ("<chip>·Nov 5 3", the page's "·" spaced by its style) is
    `chip`; titles as headings ("### ") or plain lines ("")."""
    cards = "".join(f"{up}\n\n{heading}{title}\n\n{ABSTRACT}\n\n{chip}·Nov 5 3\n\n"
                    for up, title in [(95, "Halving Memory in Made-Up Agents"),
                                      (80, "Rethinking Long Horizons via State Rebuilding")])
    return "Hugging Face\n\n# Daily Papers\n\nPrevious Nov 11 Next\n\n" + cards


def chips(text: str) -> list[tuple]:
    return [(e["organization"], e["organization_name"], e["comments"]) for e in parse_any_capture(text, DAY).entries]


@pytest.mark.parametrize("chip, handle", [
    ("[acme]Acme Labs", "acme"),                                          # pandoc -t plain: the alt text
    ("[logo]Acme Labs", None),                                            # w3m: the logo file's name
    ("[1583856921041-5dd96eb166059660ed1ee413]Acme Labs", None),          # ... an upload's hash
    ("   [IMG]Acme Labs", None),                                          # links
    ("[]Acme Labs", None),                                                # pandoc -t plain, no alt text
])
def test_a_text_browsers_stand_in_for_a_logo_is_no_handle(chip, handle):
    assert chips(card_pair(chip, "")) == [(handle, "Acme Labs", 3)] * 2


@pytest.mark.parametrize("chip, handle", [
    ("![](/logo.png)Acme Labs", None),                                    # html2text --ignore-links
    ("![acme](https://cdn-avatars.huggingface.co/v1/acme.png)Acme Labs", "acme"),
    ("![acme](https://cdn-\navatars.huggingface.co/v1/acme.png)Acme Labs", "acme"),   # wrapped at 78
    ("![acme](./Daily Papers - Hugging Face_files/acme.png)Acme Labs", "acme"),        # a saved page's files
])
def test_a_markdown_chip_without_its_link_gives_the_logos_alt_text_and_the_name(chip, handle):
    assert chips(card_pair(chip, "### ")) == [(handle, "Acme Labs", 3)] * 2


def test_a_dump_that_indents_every_line_reads_its_glued_handle_and_name():
    # links -dump indents all of its text: an indent there marks no display name alone
    text = "\n".join(f"   {line}" if line else "" for line in card_pair("acmeAcme Labs", "").split("\n"))
    assert chips(text) == [("acme", "Acme Labs", 3)] * 2

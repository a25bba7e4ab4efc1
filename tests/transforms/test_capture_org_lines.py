"""A plain capture's organization line: "<handle> <display name>" where the page's logo gave
its alt text, the display name alone where the capture dropped the logo (inscriptis, a text
extraction). The papers and organizations are made up."""

from __future__ import annotations

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



def test_three_papers_of_one_organization_unlike_its_handle_keep_the_handle():
    assert organizations(plain_capture(["fb AI at Meta"] * 3)) == [("fb", "AI at Meta")] * 3

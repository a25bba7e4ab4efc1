"""Made-up cards for the capture tests (tests/transforms/test_capture_converter_*.py): three
papers, what a reader must find in them, and a select-all copy of their card layout."""

from __future__ import annotations

import textwrap
from datetime import date

from transforms.capture_formats import parse_any_capture

DAY = date(2025, 11, 11)
ABSTRACT = ("We study how a made-up method behaves on made-up tasks, and find that it helps in "
            "most settings we try while costing little. The analysis explains when it fails, "
            "and we release the code and data for others to build on.")
# upvotes, title, arXiv id, (handle, name) of an organization or an author count, date, comments
PAPERS = [
    (95, "Halving Memory in Made-Up Agents & Their Tools", "2511.00001", ("acme", "Acme Labs"), "Nov 5", 3),
    (80, "Rethinking Long Horizons via State Rebuilding for Agents That Plan Ahead", "2511.00002", 16,
     "Nov 10", 11),
    (53, "Curating Data for Verifiable Rewards", "2511.00003", 4, "Nov 9", 0),
]
EXPECTED = [(95, "Halving Memory in Made-Up Agents & Their Tools", 3, None, "Acme Labs"),
            (80, "Rethinking Long Horizons via State Rebuilding for Agents That Plan Ahead", 11, 16, None),
            (53, "Curating Data for Verifiable Rewards", 0, 4, None)]


def read(text: str) -> list[tuple]:
    return [(e["upvotes"], e["title"], e["comments"], e["n_authors"], e["organization_name"])
            for e in parse_any_capture(text, DAY).entries]


def select_all(wrap: int | None, blank_lines: bool = True) -> str:
    """A select-all copy of a rendering that shows the vote button above each title
    ("Upvote" / count) and the comment count on the date line, wrapped at `wrap` columns."""
    gap = "\n\n" if blank_lines else "\n"
    cards = []
    for up, title, _, who, when, comments in PAPERS:
        date_line = f"· Published on {when}" + (f" {comments}" if comments else "")
        who_lines = (f"{who[1]} {date_line}" if isinstance(who, tuple)
                     else f"  * \n  * \n  * {who} authors\n{date_line}")
        fill = (lambda s: textwrap.fill(s, wrap)) if wrap else (lambda s: s)
        cards.append(f"(BUTTON) Upvote\n{up}{gap}{fill(title)}{gap}{fill(ABSTRACT)}\n{who_lines}\n"
                     "GitHub 145 arXiv Page\n")
    return "Daily Papers\n\nby AK and the research community\n\nPrevious Nov 11 Next\n\n" + "".join(cards)

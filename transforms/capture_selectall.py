"""Select-all copies of the papers page's card layout (a browser's select-all + copy).

No URLs survive, so no arXiv id. Per card, roughly (blank lines or not):

    Submitted by                      optional, with the submitter's name on the next line
    <name>                            (the name the page shows, not the user name: no link)
    <title>
    <abstract>                        one line (the page does not wrap it)
    Org Name · Published on Nov 23    or  "15 authors" / "· Published on Nov 24"
    Upvote
    172
    GitHub 857 arXiv Page             link labels: the end of the card

A card is anchored on its date line ("· Published on <date>", "<who> · <date>"): its who is
on that line or the author count just above it, its abstract and title are the text lines
above that, and "Submitted by" + a name above the title belong to it (the name is the
entry's submitted_by_name; submitted_by, the user name, is not shown). The upvote count follows
"Upvote" after the date line. What lies between one card's upvote count and the next card's
text (link labels) is no card. Before the first card is site navigation and the header date.
"""

from __future__ import annotations

import re

from transforms.capture_blocks import LINK_LABELS_RE, NAV_LINES, abstract_like
from transforms.capture_cards import AUTHORS_RE, Card, leading_date
from transforms.capture_dates import HEADER_DATE_RE
from transforms.capture_markdown import upvote_shown

_DATE_LINE_RE = re.compile(r"(?P<who>.*?)\s*·\s*(?P<rest>(?:Published on\s+)?\S.*)|(?P<only>Published on\s+\S.*)")
_SUBMITTED = "submitted by"
_MAX_NAME = 100  # characters; a longer line after "Submitted by" is no one's name
_MAX_TITLE = 1000  # characters (transforms/validation.py)
_UPVOTE_LABEL = frozenset(("upvote", "upvoted", "upvotes"))
_PAGE_LINES = frozenset(("search any paper with ai", "by ak and the research community"))


def _date_line(line: str) -> tuple[str, str] | None:
    """(who shown on the line, date text) of a card's date line, else None."""
    m = _DATE_LINE_RE.fullmatch(line.strip())
    if m is None:
        return None
    dated = leading_date(m["rest"] or m["only"])
    if dated is None or dated[1].strip():
        return None
    return (m["who"] or "").strip(), dated[0]


def _skip_repeats(stripped: list[str], nonblank: list[int], top: int, floor: int) -> int:
    """`top` moved up over lines repeating the line at `top` (a line copied twice)."""
    while top - 1 >= floor and stripped[nonblank[top - 1]] == stripped[nonblank[top]]:
        top -= 1
    return top


def _may_be_title(stripped: list[str], nonblank: list[int], n: int, floor: int, above_abstract: bool) -> bool:
    """The line can be a card's title: not an author count, page line or header date, not the
    submitter's name (the line after "Submitted by"), and not abstract-like unless it stands
    above the card's abstract (a title may end with a full stop, "et al.", or be long)."""
    s = stripped[nonblank[n]]
    if ((abstract_like(s) and not above_abstract) or len(s) > _MAX_TITLE or AUTHORS_RE.fullmatch(s)
            or s.lower() in NAV_LINES or s.lower() in _PAGE_LINES or HEADER_DATE_RE.fullmatch(s)
            or LINK_LABELS_RE.fullmatch(s) or s.lower() in _UPVOTE_LABEL or s.lower() == _SUBMITTED):
        return False
    return not (n - 1 >= floor and stripped[nonblank[n - 1]].lower() == _SUBMITTED)


def read_cards(text: str) -> tuple[str | None, list[Card]]:
    """(the header date line, the cards in page order) of a select-all copy."""
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    nonblank = [i for i, s in enumerate(stripped) if s]
    anchors = [n for n, i in enumerate(nonblank) if "·" in stripped[i] or "Published" in stripped[i]
               if _date_line(stripped[i])]
    cards: list[Card] = []
    floor = 0  # index into nonblank: where the current card may start
    header = None
    for k, n in enumerate(anchors):
        who, date_text = _date_line(stripped[nonblank[n]])
        card = Card(raw_text="", date_text=date_text, shows_comments=False)
        top = n  # the card's first line (index into nonblank)
        if who and (m := AUTHORS_RE.fullmatch(who)):
            card.n_authors = m["n"]
        elif who:
            card.organization_name = who
        elif n - 1 >= floor and (m := AUTHORS_RE.fullmatch(stripped[nonblank[n - 1]])):
            card.n_authors, top = m["n"], n - 1
        top = _skip_repeats(stripped, nonblank, top, floor)
        if top - 1 >= floor and abstract_like(stripped[nonblank[top - 1]]):
            card.abstract, top = stripped[nonblank[top - 1]], top - 1
            top = _skip_repeats(stripped, nonblank, top, floor)
        if top - 1 >= floor and _may_be_title(stripped, nonblank, top - 1, floor, card.abstract is not None):
            card.title, top = stripped[nonblank[top - 1]], top - 1
        if top - 2 >= floor and stripped[nonblank[top - 2]].lower() == _SUBMITTED:
            name = stripped[nonblank[top - 1]]
            # (no title: the line may be the title itself, its name line lost; none is taken)
            if card.title is not None and len(name) <= _MAX_NAME:
                card.submitted_by_name = name
            top -= 2
        elif top - 1 >= floor and stripped[nonblank[top - 1]].lower() == _SUBMITTED:
            top -= 1
        if k == 0:
            for i in nonblank[:top]:
                if HEADER_DATE_RE.fullmatch(stripped[i]):
                    header = stripped[i]
        end = n
        limit = anchors[k + 1] if k + 1 < len(anchors) else len(nonblank)
        if end + 1 < limit and stripped[nonblank[end + 1]].lower() in _UPVOTE_LABEL:
            end += 1
            if end + 1 < limit and (shown := upvote_shown(stripped[nonblank[end + 1]])):
                card.upvotes, end = shown, end + 1
        if end + 1 < limit and LINK_LABELS_RE.fullmatch(stripped[nonblank[end + 1]]):
            end += 1
        floor = end + 1
        card.raw_text = "\n".join(lines[nonblank[top]:nonblank[end] + 1])
        cards.append(card)
    return header, cards

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

from transforms.capture_blocks import (
    LINK_LABELS_RE,
    NAV_LINES,
    WORD_RE,
    abstract_like,
    reads_as_prose,
)
from transforms.capture_cards import AUTHORS_RE, Card, leading_date
from transforms.capture_dates import HEADER_DATE_RE
from transforms.capture_line_joins import next_word_overflows
from transforms.capture_markdown import upvote_shown
from transforms.capture_org_lines import ALT_ORG_LINE_RE, logo_stand_in

_DATE_LINE_RE = re.compile(r"(?P<who>.*?)\s*·\s*(?P<rest>(?:Published on\s+)?\S.*)|(?P<only>Published on\s+\S.*)")
_BULLET_RE = re.compile(r"^[*•+-]\s+")
_MAX_WHO = 150  # characters of an organization name
# a date line a tool wrapped: "Org ·" / "Published on Apr 15", "Org · Published on" / "Nov 3 1",
# "Org · Published" / "on Nov 3 1"
_WRAPPED_DATE_LINE_RE = re.compile(r"·[ \t]*\n(?:[ \t]*\n)*[ \t]*(?=Published on\s)")
_WRAPPED_DATE_RE = re.compile(
    r"(?<=·)[ \t]*Published(?:[ \t]+on[ \t]*\n|[ \t]*\n[ \t]*on[ \t]+)[ \t]*(?=[A-Z][a-z]{2})")
_SUBMITTED = "submitted by"
_MAX_NAME = 100  # characters; a longer line after "Submitted by" is no one's name
_MAX_TITLE = 1000  # characters (transforms/validation.py)
_MAX_TITLE_LINES = 3  # a wrapped title's lines; a longer paragraph is an abstract
_WRAP_SLACK = 12  # characters: most lines of a wrapped text end this close to its width
_UPVOTE_LABEL = frozenset(("upvote", "upvoted", "upvotes"))
_PAGE_LINES = frozenset(("search any paper with ai", "by ak and the research community"))


def _author_count(line: str) -> re.Match | None:
    """The match of an author-count line ("15 authors", a list item "* 15 authors"), else None."""
    return AUTHORS_RE.fullmatch(_BULLET_RE.sub("", line))


def _date_line(line: str) -> tuple[str, str, str | None] | None:
    """(who shown on the line, date text, comment count or None) of a card's date line, else
    None. A page rendering that shows comments ends the line with their count ("Acme Labs ·
    Published on Nov 5 3")."""
    m = _DATE_LINE_RE.fullmatch(line.strip())
    if m is None:
        return None
    dated = leading_date(m["rest"] or m["only"])
    if dated is None or (dated[1].strip() and not dated[1].strip().isdecimal()):
        return None
    return (m["who"] or "").strip(), dated[0], dated[1].strip() or None


def _upvote_label(line: str) -> bool:
    """The vote button's label ("Upvote"; lynx writes "(BUTTON) Upvote")."""
    return line.lower().removeprefix("(button)").strip() in _UPVOTE_LABEL


def wrapped_lines(stripped: list[str]) -> bool:
    """Whether a tool wrapped (or cut) the capture's lines to a width: most long lines end
    within a word's length of the same width, and many follow one another (an abstract's lines).
    A browser's copy keeps each abstract on one line, and abstracts differ in length; a copy
    without abstracts has no runs of long lines; a URL may stick out of a wrapped text."""
    long = sorted(len(s) for s in stripped if len(s) >= 40)
    if len(long) < 5:
        return False
    width = long[int(0.9 * (len(long) - 1))]
    near = [width - _WRAP_SLACK <= len(s) <= width for s in stripped]
    return sum(near) * 2 >= len(long) and sum(a and b for a, b in zip(near, near[1:])) >= 5


def _title_lines(stripped: list[str], nonblank: list[int], top: int, floor: int, above_abstract: bool) -> int | None:
    """Where a wrapped title ending above `top` starts: the paragraph there, without an
    "Upvote" / count or "Submitted by" / name run into it, when it is at most _MAX_TITLE_LINES
    title lines bounded by a blank line or by those; else None."""
    if top - 1 < floor:
        return None
    first = _paragraph_start(nonblank, top - 1, floor, stripped)
    start = first
    while start < top and not _may_be_title(stripped, nonblank, start, floor, above_abstract):
        start += 1
    lines = [stripped[i] for i in nonblank[start:top]]
    if (not lines or len(lines) > _MAX_TITLE_LINES or any(upvote_shown(line) for line in lines)
            or not (start > first or _bounded(stripped, nonblank, start))
            or (abstract_like(" ".join(lines)) and not above_abstract)):
        return None
    return start


def _wrapped_title_abstract(card: Card, stripped: list[str], nonblank: list[int], top: int, floor: int) -> int:
    """In a wrapped capture, the card's title and abstract above its who (at top), each a
    paragraph, told apart by the blank line between them: a title paragraph above another is
    the title and the other the abstract; a lone paragraph is the title when it reads as one,
    else the abstract, and the card has no title (where no blank line bounds it, where its
    title would start cannot be told). Returns the card's new first line."""
    if top - 1 < floor:
        return top
    first = _paragraph_start(nonblank, top - 1, floor, stripped)
    above = _title_lines(stripped, nonblank, first, floor, True) if _bounded(stripped, nonblank, first) else None
    if above is not None:
        card.title = " ".join(stripped[i] for i in nonblank[above:first])
        card.abstract = " ".join(stripped[i] for i in nonblank[first:top])
        return above
    alone = _title_lines(stripped, nonblank, top, floor, False)
    if alone is not None:
        card.title = " ".join(stripped[i] for i in nonblank[alone:top])
        return alone
    card.abstract = " ".join(stripped[i] for i in nonblank[first:top])
    return first


def _wrapped_paragraph(stripped: list[str], nonblank: list[int], top: int, floor: int) -> bool:
    """The text right above the card's who (at top) is a paragraph of several lines after a
    blank line, each line but the last ending because the next word would not fit in the
    paragraph's width (a title above an abstract of one line does not), under a title
    paragraph of its own: a tool wrapped this card (a browser's copy keeps an abstract on one
    line), in a capture too small for `wrapped_lines` to tell (a few cards with short abstracts)."""
    if top - 2 < floor or nonblank[top - 1] != nonblank[top - 2] + 1:
        return False
    first = _paragraph_start(nonblank, top - 1, floor, stripped)
    if first == top - 1 or not _bounded(stripped, nonblank, first):
        return False
    lines = [stripped[i] for i in nonblank[first:top]]
    width = max(map(len, lines))
    return (all(next_word_overflows(line, below, width) for line, below in zip(lines, lines[1:]))
            and _title_lines(stripped, nonblank, first, floor, True) is not None)


def _long_text(line: str, least: int = 60) -> bool:
    """A line of text of `least` characters or more, no card's link labels: an abstract's."""
    return len(line) >= least and WORD_RE.search(line) is not None and LINK_LABELS_RE.fullmatch(line) is None


def _inside_prose(stripped: list[str], nonblank: list[int], n: int, floor: int) -> bool:
    """The line at n continues a long line of prose right above it (no blank line between): a
    line of a wrapped paragraph, never a title, which a card starts with (under its vote,
    its submitter, the card before or the page's header)."""
    return n - 1 >= floor and nonblank[n - 1] == nonblank[n] - 1 and _long_text(stripped[nonblank[n - 1]], 40)


def _unread_text(stripped: list[str], nonblank: list[int], start: int, stop: int) -> str | None:
    """The text of long lines (a card's abstract) between two cards that neither card took,
    joined; None when there is none."""
    return " ".join(stripped[i] for i in nonblank[start:stop] if _long_text(stripped[i])) or None


def _cut_card(lines: list[str], stripped: list[str], nonblank: list[int], floor: int) -> Card | None:
    """A card the copy ends in before its date line (a copy cut short, a page still loading):
    its abstract (the long lines after the last card) and the title above them, as the card
    shows them; None when the copy ends with its last card or the page's footer (short lines)."""
    last = next((n for n in reversed(range(floor, len(nonblank))) if _long_text(stripped[nonblank[n]])), None)
    if last is None:
        return None
    card, start = Card(raw_text="\n".join(lines[nonblank[floor]:nonblank[-1] + 1])), floor
    if (start + 1 < last and _upvote_label(stripped[nonblank[start]])
            and (shown := upvote_shown(stripped[nonblank[start + 1]]))):
        card.upvotes, start = shown, start + 2   # "Upvote" / "95" above the title
    title = next((n for n in range(start, last) if not abstract_like(stripped[nonblank[n]])
                  and _may_be_title(stripped, nonblank, n, floor, True)), None)
    card.title = None if title is None else stripped[nonblank[title]]
    card.abstract = _unread_text(stripped, nonblank, start if title is None else title + 1, len(nonblank))
    return card


def _wrapped_who_above(stripped: list[str], nonblank: list[int], n: int, floor: int, who: str) -> bool:
    """The line right above the date line at n is the first half of a long organization name
    a tool wrapped ("Acme - Natural Language Processing Group at the" / "University of
    Nowhere · Published on Nov 1"): a short line of its own paragraph, with the card's text
    above it."""
    if n - 2 < floor or nonblank[n - 1] != nonblank[n] - 1 or nonblank[n - 2] == nonblank[n - 1] - 1:
        return False
    above = stripped[nonblank[n - 1]]
    return (len(above) + len(who) < _MAX_WHO and not abstract_like(above) and not _upvote_label(above)
            and LINK_LABELS_RE.fullmatch(above) is None and upvote_shown(above) is None
            and any(_may_be_title(stripped, nonblank, k, floor, True) for k in range(floor, n - 1)))


def _paragraph_start(nonblank: list[int], n: int, floor: int, stripped: list[str]) -> int:
    """The first line of the run of lines ending at n without a blank line or a card's
    landmark ("Upvote" and its count, link labels, "Submitted by" and its name) between them."""
    while n - 1 >= floor and nonblank[n - 1] == nonblank[n] - 1 and not _landmark(stripped, nonblank, n - 1):
        n -= 1
    return n


def _landmark(stripped: list[str], nonblank: list[int], n: int) -> bool:
    """The line at n ends a card or starts one before its title: a paragraph ends after it."""
    s = stripped[nonblank[n]]
    before = stripped[nonblank[n - 1]] if n else ""
    return (_upvote_label(s) or LINK_LABELS_RE.fullmatch(s) is not None or s.lower() == _SUBMITTED
            or before.lower() == _SUBMITTED or (_upvote_label(before) and upvote_shown(s) is not None))


def _bounded(stripped: list[str], nonblank: list[int], n: int) -> bool:
    """A blank line or a card's landmark stands right above the line at n."""
    return n == 0 or nonblank[n] - 1 > nonblank[n - 1] or _landmark(stripped, nonblank, n - 1)


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
    if ((abstract_like(s) and not above_abstract) or len(s) > _MAX_TITLE or _author_count(s)
            or s.lower() in NAV_LINES or s.lower() in _PAGE_LINES or HEADER_DATE_RE.fullmatch(s)
            or LINK_LABELS_RE.fullmatch(s) or _upvote_label(s) or s.lower() == _SUBMITTED):
        return False
    return not (n - 1 >= floor and stripped[nonblank[n - 1]].lower() == _SUBMITTED)


_PICKER_WORDS_RE = re.compile(r"^Previous\s+|\s+Next$")


def read_cards(text: str) -> tuple[str | None, list[Card]]:
    """(the header date line, the cards in page order) of a select-all copy."""
    lines = _WRAPPED_DATE_RE.sub("Published on ", _WRAPPED_DATE_LINE_RE.sub("· ", text)).split("\n")
    stripped = [line.strip() for line in lines]
    nonblank = [i for i, s in enumerate(stripped) if s]
    anchors = [n for n, i in enumerate(nonblank) if "·" in stripped[i] or "Published" in stripped[i]
               if _date_line(stripped[i])]
    cards: list[Card] = []
    floor = 0  # index into nonblank: where the current card may start
    header = None
    dated = [_date_line(stripped[nonblank[n]]) for n in anchors]
    counted = any(comments is not None for _, _, comments in dated)   # the rendering shows comments
    wrapped = wrapped_lines(stripped)
    for k, n in enumerate(anchors):
        who, date_text, comments = dated[k]
        after_last = floor   # the first line after the card before (index into nonblank)
        card = Card(raw_text="", date_text=date_text, comments=comments, shows_comments=counted)
        top = n  # the card's first line (index into nonblank)
        if who and (m := AUTHORS_RE.fullmatch(who)):
            card.n_authors = m["n"]
        elif who:
            card.organization_name = who
            if _wrapped_who_above(stripped, nonblank, n, floor, who):
                card.organization_name, top = f"{stripped[nonblank[n - 1]]} {who}", n - 1
            if (m := ALT_ORG_LINE_RE.fullmatch(card.organization_name)) is not None:
                card.organization = None if logo_stand_in(m["handle"]) else m["handle"]
                card.organization_name = m["name"]
        elif n - 1 >= floor and (m := _author_count(stripped[nonblank[n - 1]])):
            card.n_authors, top = m["n"], n - 1
            while top - 1 >= floor and not WORD_RE.search(stripped[nonblank[top - 1]].replace("[x]", "")):
                top -= 1   # the avatar list's bullets without their images ("*", w3m's "• [x]")
        top = _skip_repeats(stripped, nonblank, top, floor)
        if wrapped or _wrapped_paragraph(stripped, nonblank, top, floor):
            top = _wrapped_title_abstract(card, stripped, nonblank, top, floor)
        else:
            if top - 1 >= floor and (abstract_like(stripped[nonblank[top - 1]]) or (
                    reads_as_prose(stripped[nonblank[top - 1]]) and top - 2 >= floor
                    and _may_be_title(stripped, nonblank, top - 2, floor, True))):
                card.abstract, top = stripped[nonblank[top - 1]], top - 1
                top = _skip_repeats(stripped, nonblank, top, floor)
            if (top - 1 >= floor and _may_be_title(stripped, nonblank, top - 1, floor, card.abstract is not None)
                    and not _inside_prose(stripped, nonblank, top - 1, floor)):
                card.title, top = stripped[nonblank[top - 1]], top - 1
        if card.title is not None:
            if (top - 2 >= floor and _upvote_label(stripped[nonblank[top - 2]])
                    and (shown := upvote_shown(stripped[nonblank[top - 1]]))):
                card.upvotes, top = shown, top - 2   # "Upvote" / "95" above the title
        if top - 2 >= floor and stripped[nonblank[top - 2]].lower() == _SUBMITTED:
            name = stripped[nonblank[top - 1]]
            # (no title: the line may be the title itself, its name line lost; none is taken)
            if card.title is not None and len(name) <= _MAX_NAME:
                card.submitted_by_name = name
            top -= 2
        elif top - 1 >= floor and stripped[nonblank[top - 1]].lower() == _SUBMITTED:
            top -= 1
        if k == 0:
            for m, i in enumerate(nonblank[:top]):
                if HEADER_DATE_RE.fullmatch(stripped[i]):
                    header, after_last = stripped[i], m + 1
                elif HEADER_DATE_RE.fullmatch(_PICKER_WORDS_RE.sub("", stripped[i])):
                    after_last = m + 1   # "Previous Nov 11 Next": the header's end
        end = n
        limit = anchors[k + 1] if k + 1 < len(anchors) else len(nonblank)
        if card.upvotes is not None and card.comments is None and end + 1 < limit:
            # the vote above the title: a count on the line under the date is the comments'
            # when the card's link labels, the next vote or nothing follows it
            shown, after = stripped[nonblank[end + 1]], stripped[nonblank[end + 2]] if end + 2 < limit else ""
            if shown.isdecimal() and (not after or LINK_LABELS_RE.fullmatch(after) or _upvote_label(after)):
                card.comments, end = shown, end + 1
        if card.upvotes is None and end + 1 < limit and _upvote_label(stripped[nonblank[end + 1]]):
            end += 1
            if end + 1 < limit and (shown := upvote_shown(stripped[nonblank[end + 1]])):
                card.upvotes, end = shown, end + 1
        if end + 1 < limit and LINK_LABELS_RE.fullmatch(stripped[nonblank[end + 1]]):
            end += 1
        floor = end + 1
        card.raw_text = "\n".join(lines[nonblank[top]:nonblank[end] + 1])
        if (k > 0 or (after_last > 0 and any(   # before the first card: the page's header,
                _upvote_label(stripped[i]) or LINK_LABELS_RE.fullmatch(stripped[i])   # or a card's
                for i in nonblank[after_last:top]))) and (left := _unread_text(stripped, nonblank, after_last, top)):
            # a card's text with no date line this reader knows: kept, without a title (so in
            # quarantine), rather than dropped without a word
            cards.append(Card(raw_text="\n".join(lines[nonblank[after_last]:nonblank[top - 1] + 1]), abstract=left))
        cards.append(card)
    if anchors and (cut := _cut_card(lines, stripped, nonblank, floor)) is not None:
        cards.append(cut)
    if any(card.comments is not None for card in cards):   # the rendering shows comment counts:
        for card in cards:                                  # a card without one has none
            card.shows_comments = True
    return header, cards

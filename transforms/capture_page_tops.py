"""Where a copy of the papers page starts, and whether a text shows one day's listing.

`pages_in(text)` finds each copy of the page's header (its byline, then the date picker's day)
so that a file holding several pages can be refused. `shows_a_days_listing(text)` and
`day_headings(text)` judge text that was not written as a capture of the page (an HTML page
without the site's cards, read as the text it shows): only text that shows the page's own
header with its day, or states a day's address, is read as a day's listing.
"""

from __future__ import annotations

import re

from transforms.capture_dates import HEADER_DATE_RE, MONTH_PATTERN

_BYLINE = "research community"
_SEARCH_BOX = "Search any paper with AI"   # the page's search box, under the picker's day
# the page's byline under its "Daily Papers" heading, as the tools write it ("by AK and the
# research community", "byAK ...", lynx's "by [13]AK ...", Markdown's "by [AK](...) ...")
_BYLINE_RE = re.compile(r"[ \t>#*_]*by\s*(?:\[\d+\])?\[?AK\]?(?:\([^)\s]*\))?\s+and the research community\W*")


_PICKED_DAY_RE = re.compile(rf"\b{MONTH_PATTERN}\s+(?P<day>\d{{1,2}})\b")


def pages_in(text: str) -> list[str | None]:
    """The day each copy of the page's header in the text shows ("May 14", from the date picker
    after its byline; None when none follows within a few lines), in text order. A copy that
    starts at the picker's day has no byline: there the day above the page's search box
    ("Jul 6" / "Search any paper with AI") marks the page's top."""
    tops, at = [], text.find(_BYLINE)
    while at >= 0:
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        end = len(text) if end < 0 else end
        if _BYLINE_RE.fullmatch(text, start, end) is not None:
            picked = _PICKED_DAY_RE.search(text, end, end + 400)
            tops.append((end, f"{picked['month'][:3]} {int(picked['day'])}" if picked else None))
        at = text.find(_BYLINE, end)
    at = text.find(_SEARCH_BOX)
    while at >= 0:
        above = text[max(0, at - 40):at].rstrip().rsplit("\n", 1)[-1].strip()
        if (m := HEADER_DATE_RE.fullmatch(above)) and not any(0 <= at - end <= 400 for end, _ in tops):
            tops.append((at, f"{m['month'][:3]} {int(m['day'])}"))
        at = text.find(_SEARCH_BOX, at + 1)
    return [day for _, day in sorted(tops)]


# the page's own heading: "Daily Papers" alone on its line (as Markdown writes it too)
_DAILY_PAPERS_RE = re.compile(r"(?im)^[ \t#*_]*daily papers[ \t*_]*$")
_AFTER_DOT_RE = re.compile(r"·[ \t]*$")


def shows_a_days_listing(text: str, stated: bool) -> bool:
    """Whether text shows the papers page of one day: its byline followed by a day (pages_in),
    its "Daily Papers" heading with a day alone on a line within the next three lines, or
    (`stated`) the page states a day's address as its own (not a link on it: a paper's page
    links to its day's list)."""
    if stated or any(pages_in(text)):
        return True
    for heading in _DAILY_PAPERS_RE.finditer(text):
        following = [line for line in text[heading.end():heading.end() + 400].split("\n") if line.strip()][:3]
        if any(HEADER_DATE_RE.fullmatch(line.strip(" \t#*_")) for line in following):
            return True
    return False


def day_headings(text: str) -> list[str]:
    """The different days that stand alone on a line of their own ("Nov 5"), not as a card's
    date after its "·": a day's page shows one (its picker), a digest of several days one each."""
    lines = text.split("\n")
    days, previous = [], ""
    for line in lines:
        shown = line.strip(" \t#*_")
        if not shown:
            continue
        if HEADER_DATE_RE.fullmatch(shown) and not _AFTER_DOT_RE.search(previous):
            day = " ".join(shown.split())
            if day not in days:
                days.append(day)
        previous = shown
    return days

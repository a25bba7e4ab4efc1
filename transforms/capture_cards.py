"""One paper card as a tool rendered it, and the one rule that makes a card an observation.

The readers of tool captures (Markdown exports, text-browser dumps, select-all copies, saved
HTML: transforms/capture_markdown.py, capture_textbrowser.py, capture_selectall.py,
capture_html.py) each cut their text into `Card`s, the parts of one card of the papers page as
they found them (strings, not yet values). `card_entry` turns a card into an entry dict
(transforms/observations.py) with the same rules for every format:

* Evidence: a card is a paper entry only with a title plus at least one of: a paper URL or
  arXiv id, a who (author count or organization) and date block, an upvote count shown the way
  the listing shows it. A card without is kept out of the observations: its entry carries the
  reason in `invalid`, so validation sends it to raw.quarantine with its text, and no mart
  counts it.
* Dates: "Oct 3, 2023", or "Aug 26" read as the latest such day on or before the snapshot date.
* Values are never corrected; a value that cannot be read is a reason in `invalid`. A field
  the card does not show (no "Submitted by", no comment count) stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from transforms.capture_blocks import DATE_RE, PAPER_ID_RE, parse_int
from transforms.capture_dates import calendar_date, month_number, resolve_month_day
from transforms.capture_org_lines import logo_stand_in
from transforms.observations import empty_entry, mark_repeats

AUTHORS_RE = re.compile(r"(?<![\w.])(?P<n>\d{1,6})\s+authors?\b", re.IGNORECASE)
_LEADING_DATE_RE = re.compile(
    r"(?:·\s*)?(?:Published on\s+)?(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\.?\s+\d{1,2}(?:,\s*\d{1,9})?)")
# huggingface.co/<handle>: an organization (or user) page, not one of the site's own sections.
_PROFILE_RE = re.compile(r"(?:https?://(?:www\.)?huggingface\.co)?/(?P<handle>[A-Za-z0-9][\w.-]*)/?")
SITE_SECTIONS = frozenset(
    "papers models datasets spaces docs pricing login join settings blog learn posts "
    "collections enterprise new search chat api avatars front tasks".split())


@dataclass
class Card:
    """The parts of one card, as text (None where the capture does not show them)."""
    raw_text: str
    title: str | None = None
    abstract: str | None = None
    urls: list[str] = field(default_factory=list)   # every link target of the card
    n_authors: str | None = None                    # "8"
    organization: str | None = None                 # handle
    organization_name: str | None = None
    date_text: str | None = None                    # "Nov 4", "Oct 3, 2023"
    comments: str | None = None                     # "3"
    upvotes: str | None = None                      # "107", "-" (0), or what stood there
    shows_comments: bool = True                     # False: the layout has no comment count
    submitted_by: str | None = None                 # the submitter's user name (a profile link)
    submitted_by_name: str | None = None            # the submitter's name as the card shows it


def fold(text: str | None) -> str | None:
    """Whitespace runs as single spaces; None (or nothing left) as None."""
    return " ".join(text.split()) or None if text is not None else None


def profile_handle(url: str) -> str | None:
    """The handle of a huggingface.co/<handle> link (an organization chip), else None."""
    # the whole URL: an avatar image's (huggingface.co/avatars/x.svg) last part is no handle
    m = _PROFILE_RE.fullmatch(url.split("?")[0].split("#")[0].strip("<> ")) if "/papers/" not in url else None
    if m is None or m["handle"].lower() in SITE_SECTIONS or logo_stand_in(m["handle"]):
        return None
    if url.startswith("http") and "huggingface.co/" not in url:
        return None
    return m["handle"]


def leading_date(line: str) -> tuple[str, str] | None:
    """("Nov 4", rest of the line) when the line starts with a page date (after "·" or
    "Published on"); None otherwise."""
    m = _LEADING_DATE_RE.match(line.strip())
    if m is None or DATE_RE.fullmatch(m["date"]) is None:
        return None
    return m["date"], line.strip()[m.end():]


def _published_on(text: str, snapshot_date: date, invalid: list[str]) -> date | None:
    m = DATE_RE.fullmatch(text.strip())
    if m is None:
        invalid.append(f"date {text[:40]!r} cannot be read")
        return None
    month, day, year = month_number(m["month"]), int(m["day"]), m["year"]
    found = (calendar_date(int(year), month, day) if year
             else resolve_month_day(month, day, snapshot_date))
    if found is None:
        invalid.append(f"date {text[:40]!r} is not a calendar day")
    return found


def _count(text: str | None, name: str, invalid: list[str]) -> int | None:
    if text is None:
        return None
    shown = text.strip()
    if shown == "-":
        return 0
    value = parse_int(shown) if shown.isdecimal() else None
    if value is None:
        invalid.append(f"{name} {shown[:40]!r} cannot be read")
    return value


def missing_evidence(card: Card) -> str | None:
    """Why the card is not a paper entry, or None when it is (see the module docstring)."""
    title = fold(card.title)
    if not title:
        return "not a paper entry: no title"
    has_id = any(PAPER_ID_RE.search(url) for url in card.urls)
    has_block = (card.n_authors is not None or card.organization_name is not None
                 or card.organization is not None) and card.date_text is not None
    if has_id or has_block or card.upvotes is not None:
        return None
    return ("not a paper entry: a title without a paper link, an authors/organization and"
            " date block, or an upvote count")


def card_entry(card: Card, snapshot_date: date) -> dict:
    """The entry of one card; cards without evidence get their reason in `invalid`."""
    entry = empty_entry(0, "\n".join(line.rstrip() for line in card.raw_text.split("\n")))
    invalid, problems = entry["invalid"], entry["problems"]
    entry["title"] = fold(card.title)
    entry["abstract"] = fold(card.abstract)
    ids = list(dict.fromkeys(m[1] for url in card.urls if (m := PAPER_ID_RE.search(url))))
    if ids:
        entry["arxiv_id"] = ids[0]
        if len(ids) > 1:
            problems.append(f"several arXiv ids: {', '.join(ids)}"[:200])
    if card.n_authors is not None:
        entry["n_authors"] = _count(card.n_authors, "author count", invalid)
    entry["organization"] = card.organization
    entry["organization_name"] = fold(card.organization_name)
    entry["submitted_by"] = card.submitted_by
    entry["submitted_by_name"] = fold(card.submitted_by_name)
    if card.date_text is not None:
        entry["published_on"] = _published_on(card.date_text, snapshot_date, invalid)
        # the page hides a zero count: a date without one means no comments
        entry["comments"] = (_count(card.comments, "comment count", invalid) if card.comments
                             else 0 if card.shows_comments else None)
    entry["upvotes"] = _count(card.upvotes, "upvote count", invalid)
    has_who = entry["n_authors"] is not None or entry["organization_name"] is not None
    if not has_who:
        problems.append("no authors/organization")
    if card.date_text is None:
        problems.append("no date")
    entry["complete"] = entry["title"] is not None and has_who and card.date_text is not None
    reason = missing_evidence(card)
    if reason:
        invalid.append(reason)
    return entry


def entries_of(cards: list[Card], snapshot_date: date) -> list[dict]:
    """Entries of the cards, positions 1.. in page order."""
    entries = [card_entry(card, snapshot_date) for card in cards]
    for position, entry in enumerate(entries, 1):
        entry["position"] = position
    return mark_repeats(entries)



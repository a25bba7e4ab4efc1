"""Whether a page capture is mostly not a papers listing: its snapshot is then `suspect`.

A capture of huggingface.co/papers shows every paper as a *listing card*: a title with an
authors/organization + date block, or with an upvote count. A file in a layout papertrends
does not know (a blog post or newsletter that links papers, a README, a list of links, prose)
can still yield entries: headings with a paper link, text the plain reader took for a title.
Each of those may even be a real paper, but the file is no Daily Papers list, and counting its
entries would put papers into the trends on a day they were never listed.

Rule: a capture is suspect when more than half of its entries are not listing cards and at
least SUSPECT_MIN_ENTRIES of them are not, or when none of its entries is one. (A real day
lists tens of papers; a capture of a few cards with one or two damaged ones is damage, not a
foreign layout, and its damaged cards are quarantined either way; a capture without a single
card is no listing, whatever it holds.) A suspect snapshot keeps its rows in raw.paper_observations and
raw.quarantine, but the dbt staging model leaves its observations out, so no mart counts
them; raw.snapshots has status 'suspect' and the reason.

A capture is also suspect when nothing in it is the site's: no page header or link naming
Hugging Face, Daily Papers or arXiv, no "Upvote", and no entry with an arXiv id, an author count
or an upvote count. A blog's archive, an inbox or a recipe site copied as text ("title, a
sentence, Alice Smith, ·, Nov 4") reads like cards whose who line is an organization; every
real rendering of the page shows some of those signs (its header, its links, the author counts
of the papers without an organization).

API JSON is never suspect: every item of the API is a paper of the listing.
"""

from __future__ import annotations

import re

SUSPECT_MIN_ENTRIES = 3
_SITE_SIGNS_RE = re.compile(r"(?i)hugging\s?face|daily\s+papers|arxiv|upvote")


def is_listing_card(entry: dict) -> bool:
    """The entry has a title and a who/date block or an upvote count (see the module docstring)."""
    if entry.get("title") is None:
        return False
    has_who = (entry.get("n_authors") is not None or entry.get("organization") is not None
               or entry.get("organization_name") is not None)
    has_block = has_who and entry.get("published_on") is not None
    return has_block or entry.get("upvotes") is not None


def suspect_reason(entries: list[dict]) -> str | None:
    """Why a capture with these entries is suspect, for people; None when it is not."""
    others = sum(not is_listing_card(entry) for entry in entries)
    if others * 2 <= len(entries) or (others < SUSPECT_MIN_ENTRIES and others < len(entries)):
        return None
    return (f"{others} of {len(entries)} entries are not cards of a papers listing (no title, or"
            " no authors/organization and date, and no upvote count): not a layout papertrends"
            " reads as a Daily Papers page; its entries are kept in raw but counted in no mart")


def foreign_reason(text: str, entries: list[dict]) -> str | None:
    """Why a capture whose entries show no sign of huggingface.co/papers is suspect (see the
    module docstring); None when some sign is there."""
    if not entries or any(entry.get("arxiv_id") is not None or entry.get("n_authors") is not None
                          or entry.get("upvotes") is not None for entry in entries):
        return None
    if _SITE_SIGNS_RE.search(text) is not None:
        return None
    return ("nothing in it shows huggingface.co/papers (no page header or link naming Hugging Face,"
            f" Daily Papers or arXiv, and none of its {len(entries)} entries has an author or upvote"
            " count): not recognisably a Daily Papers page; its entries are kept in raw but counted in"
            " no mart")

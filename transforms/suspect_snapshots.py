"""Whether a page capture is mostly not a papers listing: its snapshot is then `suspect`.

A capture of huggingface.co/papers shows every paper as a *listing card*: a title with an
authors/organization + date block, or with an upvote count. A file in a layout papertrends
does not know (a blog post or newsletter that links papers, a README, a list of links, prose)
can still yield entries: headings with a paper link, text the plain reader took for a title.
Each of those may even be a real paper, but the file is no Daily Papers list, and counting its
entries would put papers into the trends on a day they were never listed.

Rule: a capture is suspect when more than half of its entries are not listing cards and at
least SUSPECT_MIN_ENTRIES of them are not. (A real day lists tens of papers; a capture of a
few cards with one or two damaged ones is damage, not a foreign layout, and its damaged cards
are quarantined either way.) A suspect snapshot keeps its rows in raw.paper_observations and
raw.quarantine, but the dbt staging model leaves its observations out, so no mart counts
them; raw.snapshots has status 'suspect' and the reason.

API JSON is never suspect: every item of the API is a paper of the listing.
"""

from __future__ import annotations

SUSPECT_MIN_ENTRIES = 3


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
    if others < SUSPECT_MIN_ENTRIES or others * 2 <= len(entries):
        return None
    return (f"{others} of {len(entries)} entries are not cards of a papers listing (no title, or"
            " no authors/organization and date, and no upvote count): not a layout papertrends"
            " reads as a Daily Papers page; its entries are kept in raw but counted in no mart")

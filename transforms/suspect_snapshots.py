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

A capture is also suspect when its cards do not read as research: the page's header, its card
layout and its author counts around text of another kind (recipes, local news, a shop's
listings, a to-do list laid out as cards). Of the first words of a real abstract, a third or
more are words that papers use (the words of transforms/word_shares.tsv, used by the papers of
May 2023 to April 2025, and the words nearly every paper uses, paper_vectors.RESEARCH_WORDS; a
plural counts as its singular). Up to RESEARCH_SAMPLE abstracts (of 20 words or more) spread over
the capture, its first and last among them, are read, three at least: a median share below
RESEARCH_SHARE among their first RESEARCH_FIRST_WORDS words is no research. On `../shared/data`
(6,667 abstracts, 510 days) every three neighbouring abstracts have a median of 0.35 or more and
every day's sample 0.5 or more; recipes have 0.16, local news 0.24-0.28. A capture with fewer such
abstracts is read by its titles: the median share of the words of up to RESEARCH_SAMPLE titles
spread over it, four at least, below TITLE_SHARE is no research (every four neighbouring real
titles: 0.325 or more; "Buy milk", "Lemon Drizzle Cake": 0). Fewer cannot tell: three real titles
side by side can score 0 ("Mixtral of Experts", "Imagen 3"), and a page whose abstracts are cut
to a sentence can hold one that scores 0.14. The sample, not the first cards alone, means that
papers at the top of a page of something else do not carry it. Text about machine learning that
is no paper (AI news, job ads, a course syllabus) uses the words papers use: this rule does not
tell it apart. The rule reads a few hundred characters of a few cards: about 0.04 ms, where
reading the capture takes about 1.1 ms.

API JSON is read by the same rule on its items' abstracts (or titles): a file in the API's shape
around text of another kind is suspect. The other rules are for captures only: every item of
the API is a card of the listing.
"""

from __future__ import annotations

import re
from functools import cache
from statistics import median

import polars as pl

from transforms.paper_vectors import RESEARCH_WORDS, idf, singular

SUSPECT_MIN_ENTRIES = 3
_SITE_SIGNS_RE = re.compile(r"(?i)hugging\s?face|daily\s+papers|arxiv|upvote")
RESEARCH_SAMPLE = 5     # abstracts (or titles) read, spread over the capture
RESEARCH_FIRST_WORDS = 40   # ... an abstract's first words
RESEARCH_SHARE = 0.25   # a median share of research words of abstracts below it: not research
TITLE_SHARE = 0.2       # ... of titles
MIN_TITLES = 4          # titles needed to tell
_MIN_ABSTRACT_WORDS = 20
_MIN_ABSTRACT_CHARS = 100    # (shorter: fewer than 20 words)
_FIRST_CHARS = 8 * RESEARCH_FIRST_WORDS   # read no further (words of 3+ letters average ~7 with a space)
_WORD_RE = re.compile(r"[a-z]{3,}")


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


def unlike_research_reason(entries: list[dict], what: str = "cards") -> str | None:
    """Why a capture whose cards (an API file whose items: `what`) do not read as research is
    suspect (see the module docstring); None when they do, or when neither three of its
    abstracts nor four of its titles can tell."""
    shares = []
    for abstract in spread([a for e in entries if (a := e.get("abstract")) and len(a) >= _MIN_ABSTRACT_CHARS]):
        words = _WORD_RE.findall(abstract[:_FIRST_CHARS].lower())[:RESEARCH_FIRST_WORDS]
        if len(words) >= _MIN_ABSTRACT_WORDS:
            shares.append(research_share(words))
    if len(shares) >= SUSPECT_MIN_ENTRIES:
        if (share := median(shares)) >= RESEARCH_SHARE:
            return None
        return (f"its {what}' abstracts do not read as research: {share:.0%} of their first words are words"
                " papers use, where any three real abstracts of 2023-2025 side by side have 35% or more:"
                " not recognisably a list of papers; its entries are kept in raw but counted in no mart")
    titles = [words for e in spread([e for e in entries if e.get("title")])
              if (words := _WORD_RE.findall(e["title"].lower()))]
    if len(titles) < MIN_TITLES or (share := median(map(research_share, titles))) >= TITLE_SHARE:
        return None
    return (f"its {what} have too few abstracts to tell and their titles do not read as research: {share:.0%}"
            " of their words are words papers use, where any four real titles of 2023-2025 side by side"
            " have 32% or more: not recognisably a list of papers; its entries are kept in raw but"
            " counted in no mart")


def research_share(words: list[str]) -> float:
    """The share of the words that papers use (a plural counted as its singular)."""
    known = _research_words()
    return sum(word in known or singular(word) in known for word in words) / len(words)


def spread(items: list) -> list:
    """Up to RESEARCH_SAMPLE of the items, evenly spread from the first to the last."""
    if len(items) <= RESEARCH_SAMPLE:
        return items
    last = len(items) - 1
    return [items[round(k * last / (RESEARCH_SAMPLE - 1))] for k in range(RESEARCH_SAMPLE)]


@cache
def _research_words() -> frozenset[str]:
    return frozenset(idf()) | RESEARCH_WORDS


# One entry read alone (transforms/validation.py's reads_as_research): its title and the first
# ENTRY_ABSTRACT_CHARS characters of its abstract, ENTRY_MIN_WORDS words at least.
ENTRY_RESEARCH_SHARE = 0.18
ENTRY_MIN_WORDS = 20
ENTRY_ABSTRACT_CHARS = 320


@cache
def research_forms() -> pl.Series:
    """The words research_share counts, with the plurals it counts through singular(): a word
    counts when it is in this list (what polars' is_in takes)."""
    known = _research_words()
    plurals = {word + "s" for word in known if len(word) >= 4 and not word.endswith(("s", "u", "i"))}
    return pl.Series(sorted(known | plurals), dtype=pl.String)


def entry_research_share() -> pl.Expr:
    """Per row, the share of research words among the words (three letters or more) of its
    title and its abstract's start, and how many words that is: a struct (share, words)."""
    text = pl.concat_str([pl.col("title"), pl.col("abstract").str.slice(0, ENTRY_ABSTRACT_CHARS)],
                         separator=" ", ignore_nulls=True).str.to_lowercase()
    words = text.str.extract_all(_WORD_RE.pattern)
    return pl.struct(share=words.list.eval(pl.element().is_in(research_forms().implode())).list.mean(),
                     words=words.list.len())

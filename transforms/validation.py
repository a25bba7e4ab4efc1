"""Pandera (polars) schema for observations, and the split into valid rows and quarantine.

The frame is validated eagerly (a collected DataFrame, `lazy=True` so every failure is
collected); rows named by a failure go to quarantine with readable reasons, the rest load.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from transforms.suspect_snapshots import ENTRY_MIN_WORDS, ENTRY_RESEARCH_SHARE, entry_research_share

# An arXiv identifier (info.arxiv.org/help/arxiv_identifier.html) in ASCII digits, with a real
# month: YYMM.NNNN (2007-2014), YYMM.NNNNN (from 2015), archive(.SC)/YYMMNNN (before April 2007).
# ("２５１０.２７４９２" or "2599.99999" would each count a paper of their own.)
ARXIV_ID = (r"(?:0[7-9]|1[0-4])(?:0[1-9]|1[0-2])\.[0-9]{4}|(?:1[5-9]|[2-9][0-9])(?:0[1-9]|1[0-2])\.[0-9]{5}"
            r"|[a-z-]+(?:\.[A-Z]{2})?/[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{3}")
ARXIV_ID_PATTERN = rf"^(?:{ARXIV_ID})$"
EARLIEST_PAPER = date(1990, 1, 1)
MAX_AUTHORS = 5000
MAX_COUNT = 10_000_000
NAME_LENGTH = {"min_value": 1, "max_value": 200}


MARKUP_TITLE = "title holds a link or a Markdown heading: site text, not a paper's title"
CARD_TEXT_TITLE = "title is a card's own text (author count, date, link labels): not a paper's title"
PROSE_TITLE = "title reads as an abstract (several sentences, or too long): not a paper's title"
CUT_TITLE = ("the capture's first title starts with a word in lower case ('for ...'): the end of a "
             "title cut where the copy starts, not a paper's whole title")
LONE_TITLE = ("a line alone: no abstract, upvotes, authors, date or arXiv id beside it: not "
              "recognisably a paper")
NOT_RESEARCH = ("its title and abstract do not read as research: few of their words are words papers "
                "use (a recipe, a note, a post laid out as a card): not recognisably a paper")
THIN_CARD = ("only a title, a name and a date: no abstract, upvote count, author count or arXiv "
             "id beside them: not recognisably a paper")
# No paper title of the real history (6,665) runs past 202 characters or holds a sentence break
# ("... on bar. We show"), and all but 2 of its 6,667 abstracts do (those 2 run to 165 and 1,458
# characters): a "title" that is either is an abstract read where a card's title was lost. The
# break is capture_blocks.reads_as_prose's, without its look-behinds ("vs. X", "et al. X").
TITLE_MAX_CHARS = 300
_SENTENCE_BREAK = r"(?:[a-z0-9)\]][a-km-rt-z0-9)\]]|[a-uw-z0-9)\]]s|[b-z0-9)\]]l)\.\s+[A-Z]"
# What a card shows besides its paper's title (its avatars as their images' file names too, as
# a terminal's Markdown viewer shows images: "🌆 a.svg"; no real title holds one); a "title" that
# is only this, or that holds a card's "· <date>", is a card's text read where a title was lost
# (a tool's rendering that puts a card's parts on one line, or splits them unlike the page).
_CARD_PARTS = (r"(?i)\d+\s+authors?\b|\[\s*x?\s*\]|\bgithub(?:\s+[\d.,]+k?)?|\barxiv\s+page\b"
               r"|\bproject\s+page\b|\(button\)|[\w.-]+\.(?:svg|png|jpe?g|gif|webp|avif|ico)\b")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# "· Nov 10" anywhere, or a card's date line at the end ("Fudan University Nov 3 1", a who line
# and its date run together where the "·" between them was lost)
_CARD_DATE = (rf"·\s*(?:Published on\s+)?{_MONTH}\s+\d"
              rf"|\b{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?(?:\s+\d+)?\s*$")


def _no_title_or_a_cards_own_parts() -> list[pl.Expr]:
    """No title (other checks judge that), or a part only a paper's card shows beside its
    title: an abstract, an upvote count, an author count or an arXiv id."""
    return [pl.col("title").is_null(), pl.col("abstract").is_not_null(), pl.col("upvotes").is_not_null(),
            pl.col("n_authors").is_not_null(), pl.col("arxiv_id").is_not_null()]


class ObservationSchema(pa.DataFrameModel):
    """What a paper observation must satisfy to be loaded into raw.paper_observations."""

    snapshot_id: str = pa.Field(nullable=False)
    snapshot_date: date = pa.Field(nullable=False)
    source_kind: str = pa.Field(isin=["capture", "api"])
    position: pl.Int32 = pa.Field(ge=1)
    arxiv_id: str = pa.Field(nullable=True, str_matches=ARXIV_ID_PATTERN)
    title: str = pa.Field(nullable=False, str_length={"min_value": 1, "max_value": 1000})
    n_authors: pl.Int32 = pa.Field(nullable=True, ge=1, le=MAX_AUTHORS)
    upvotes: int = pa.Field(nullable=True, ge=0, le=MAX_COUNT)
    comments: int = pa.Field(nullable=True, ge=0, le=MAX_COUNT)
    published_on: date = pa.Field(nullable=True, ge=EARLIEST_PAPER)
    # who submitted the paper to Daily Papers, where the snapshot shows it; not required: a frame
    # parsed by a version before these columns existed (a run's work files) lacks them, and loads
    # them as null (orchestration/storage/warehouse.py)
    submitted_by: str = pa.Field(nullable=True, required=False, str_length=NAME_LENGTH)
    submitted_by_name: str = pa.Field(nullable=True, required=False, str_length=NAME_LENGTH)

    @pa.dataframe_check(error="published after the snapshot was taken")
    def published_not_in_future(cls, data: pa.PolarsData) -> pl.LazyFrame:
        limit = pl.col("snapshot_date") + timedelta(days=2)
        return data.lazyframe.select(pl.col("published_on").is_null() | (pl.col("published_on") <= limit))

    @pa.dataframe_check(error="title has no letters")
    def title_has_letters(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # a number alone (an upvote count where a title was lost) or punctuation is no title
        return data.lazyframe.select(pl.col("title").is_null() | pl.col("title").str.contains(r"\p{L}"))

    @pa.dataframe_check(error=CUT_TITLE)
    def title_starts_whole(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # the first card of a capture: a copy selected from inside its title starts with the
        # title's end ("for OOD Generalization"). 49 of the 6,665 real titles start in lower case,
        # each with a name ("mPLUG-Owl2:", "s1:", "gsplat:", "o3-mini"), none with a plain
        # lower-case word and a space; API items and later cards are whole (a title may start
        # "de novo ...")
        return data.lazyframe.select(
            pl.col("title").is_null() | (pl.col("source_kind") != "capture") | (pl.col("position") != 1)
            | ~pl.col("title").str.contains(r"^[a-z]+\s"))

    @pa.dataframe_check(error=MARKUP_TITLE)
    def title_is_no_markup(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # site text read where a title was lost (a Markdown export's logo link, front matter,
        # byline or page heading, reStructuredText's "|image5|", ".. container::" and "`Docs`__",
        # a text browser's link number "[17]Title" in a dump cut before its reference list):
        # no paper title of the real history (6,667) holds a URL (also without its scheme, as
        # the tail of an abstract's link a text browser wrapped: "ngface.co/org/model}."), Markdown or reStructuredText
        # link syntax, starts with a heading marker or a directive, or is "|name|"s alone, or
        # bracketed tokens alone (a text browser's image placeholders, "• [a]", "[logo]"), or
        # opens a bracket it never closes (a link's text, "[Title ...", cut where its last line
        # was lost: none of the real titles starts with "[")
        return data.lazyframe.select(
            pl.col("title").is_null()
            | ~pl.col("title").str.contains(
                r"(?i)https?://|www\.|\b[\w-]+\.(?:com|co|org|io|ai|net|edu)/"
                r"|\]\(|^#{1,6}\s|^(?:[-*]?\s*\|[\w.-]+\|\s*)+$|^\.\.\s+[\w-]+::|`__|^\[\d+\]"
                r"|^[•*+\-\s]*(?:\[[^\]\n]{0,40}\]\s*)+$|^\s*\[[^\]]*$"))

    @pa.dataframe_check(error=CARD_TEXT_TITLE)
    def title_is_no_card_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # no paper title of the real history (6,665) holds "· <month> <day>", or has fewer than
        # two letters once the card's own words are taken out
        title = pl.col("title")
        rest = title.str.replace_all(_CARD_PARTS, "")
        return data.lazyframe.select(title.is_null() | (
            ~title.str.contains(_CARD_DATE) & ((rest == title) | (rest.str.count_matches(r"\p{L}") >= 2))))

    @pa.dataframe_check(error=PROSE_TITLE)
    def title_is_no_abstract(cls, data: pa.PolarsData) -> pl.LazyFrame:
        title = pl.col("title")
        return data.lazyframe.select(title.is_null() | (
            (title.str.len_chars() <= TITLE_MAX_CHARS) & ~title.str.contains(_SENTENCE_BREAK)))

    @pa.dataframe_check(error=LONE_TITLE)
    def title_has_a_card(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # a line of text with nothing of a paper's card beside it (no abstract, upvote count,
        # authors or organization, date or arXiv id): a line where a card lost its block
        # (an organization's name read as a title) is no paper to count
        return data.lazyframe.select(pl.any_horizontal(
            *_no_title_or_a_cards_own_parts(),
            pl.col("organization_name").is_not_null(), pl.col("published_on").is_not_null()))

    @pa.dataframe_check(error=THIN_CARD)
    def card_is_more_than_a_name_and_date(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # a listing card shows its upvote count and its abstract, and an author count or an
        # organization; a heading with "name · date" under it and nothing else (a comment of a
        # discussion page, a post's byline) is no paper to count. (A title with neither name nor
        # date is title_has_a_card's.)
        return data.lazyframe.select(pl.any_horizontal(
            *_no_title_or_a_cards_own_parts(),
            pl.col("organization_name").is_null() & pl.col("published_on").is_null()))

    @pa.dataframe_check(error=NOT_RESEARCH)
    def reads_as_research(cls, data: pa.PolarsData) -> pl.LazyFrame:
        # Of the words (three letters or more) of a real paper's title and its abstract's first
        # 320 characters, at least 0.22 are words papers use (transforms/word_shares.tsv and
        # paper_vectors.RESEARCH_WORDS; 6,665 papers of 2023-2025: 0.22 the lowest, 0.27 the
        # next; with the abstract cut to its first sentence, 0.21), where a recipe has 0.14 and a
        # note to buy milk 0.04. An entry of fewer than ENTRY_MIN_WORDS words, or without an
        # abstract, is not judged: a title alone can score 0 ("Mixtral of Experts"). Text of
        # another kind that shares more of its words with papers (local news, sport: 0.23-0.28)
        # passes; a capture of three or more such cards is suspect as a whole
        # (suspect_snapshots.unlike_research_reason).
        found = entry_research_share()
        return data.lazyframe.select(
            pl.col("abstract").is_null() | (found.struct.field("words") < ENTRY_MIN_WORDS)
            | (found.struct.field("share") >= ENTRY_RESEARCH_SHARE))

    @pa.dataframe_check(error="parse error")
    def no_parse_errors(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("invalid").list.len().fill_null(0) == 0)

    class Config:
        strict = False  # other columns (authors, problems, ...) pass through unchecked
        coerce = False


_READABLE = {
    "published_not_in_future": "published after the snapshot was taken",
    "no_parse_errors": "parse error",
    "title_has_letters": "title has no letters",
    "title_starts_whole": CUT_TITLE,
    "title_is_no_markup": MARKUP_TITLE,
    "title_is_no_card_text": CARD_TEXT_TITLE,
    "title_is_no_abstract": PROSE_TITLE,
    "title_has_a_card": LONE_TITLE,
    "card_is_more_than_a_name_and_date": THIN_CARD,
    "reads_as_research": NOT_RESEARCH,
}


# Rows validated at a time. Every check is row by row, so parts give the same answers as the
# whole; Pandera keeps several objects for every failing row until validate returns (~14 KB a
# row: a file of 400,000 repeated cards took 5.6 GB at once), and a part bounds that.
VALIDATE_ROWS = 50_000


def split_valid(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """-> (valid observations, quarantined rows with a `reasons` list column)."""
    reasons: dict[int, list[str]] = {}
    for start in range(0, max(frame.height, 1), VALIDATE_ROWS):
        part = frame.slice(start, VALIDATE_ROWS)
        try:
            ObservationSchema.validate(part, lazy=True)
        except SchemaErrors as exc:
            for row in exc.failure_cases.iter_rows(named=True):
                index = row.get("index")
                if index is None:  # schema-level (a column missing or mistyped): every row fails
                    for i in range(start, start + part.height):
                        reasons.setdefault(i, []).append(_describe(row))
                else:
                    reasons.setdefault(start + int(index), []).append(_describe(row))
    # rows the parser found invalid (few): not a Python loop over every row
    flagged = frame.select(pl.int_range(pl.len()).alias("i"), "invalid").filter(
        pl.col("invalid").list.len() > 0)
    for i, invalid in flagged.iter_rows():
        reasons.setdefault(i, []).extend(invalid)
    bad = sorted(reasons)
    mask = pl.Series("bad", [False] * frame.height, dtype=pl.Boolean)
    if bad:
        mask = mask.scatter(bad, True)
    quarantined = frame.filter(mask).with_columns(
        pl.Series("reasons", [_dedupe(reasons[i]) for i in bad], dtype=pl.List(pl.String))
    )
    return frame.filter(~mask), quarantined


_CHECK_WORDS = [
    (re.compile(r"greater_than_or_equal_to\((.*)\)"), r"must be >= \1"),
    (re.compile(r"less_than_or_equal_to\((.*)\)"), r"must be <= \1"),
    (re.compile(r"str_matches\(.*\)"), "has an unexpected form"),
    (re.compile(r"str_length\(.*\)"), "is empty or too long"),
    (re.compile(r"isin\((.*)\)"), r"must be one of \1"),
    (re.compile(r"not_nullable"), "is missing"),
]


def _describe(case: dict) -> str:
    check = str(case.get("check"))
    column = case.get("column")
    value = case.get("failure_case")
    if check in _READABLE or check in _READABLE.values():
        return _READABLE.get(check, check)
    for pattern, words in _CHECK_WORDS:
        if pattern.fullmatch(check):
            check = pattern.sub(words, check)
            break
    where = f"{column} " if column and column != check else ""
    shown = str(value) if len(str(value)) <= 60 else str(value)[:57] + "..."
    got = f" (got {shown})" if value is not None and check != "is missing" else ""
    return f"{where}{check}{got}"


def _dedupe(items: list[str]) -> list[str]:
    return [r for r in dict.fromkeys(items) if r != "parse error"] or ["parse error"]

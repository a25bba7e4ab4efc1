"""topic_match_counts and topic_match_count (polars' regex engine, used by paper_topics for
abstracts) count exactly what DuckDB's RE2 counts with len(regexp_extract_all(text, pattern)), for
every topic regex of the taxonomy, on the real papers of the `seeded` warehouse, on text where the two
engines' own classes differ (non-ASCII letters next to words), and on patterns whose alternatives
anchored at the start of the text are matched apart."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from orchestration.defs.dbt.functions import Plugin
from transforms.topic_matching import (
    count_matches,
    count_matches_each,
    re2_replacement_to_rust,
    re2_to_rust,
    split_at_text_start,
)

UNICODE_EDGES = [
    "é-bench and über-eval", "naïve benchmark", "αβ-bench", "the 3d-é scene", "東京-bench dataset",
    "we introduce ÉvalSet, a new benchmark", "agentic\u00a0workflows", "multi-agent\tsystems\nbench",
    "llms-bench", "x\u2009dataset", "",
]


@pytest.fixture(scope="module")
def con(seeded):
    connection = duckdb.connect(str(seeded.warehouse), read_only=True)
    Plugin("dbt_functions", {}).configure_connection(connection)
    yield connection
    connection.close()


def topic_regexes(con) -> list[tuple[str, str]]:
    return con.execute("""select topic, '(?:' || string_agg(pattern, ')|(?:' order by pattern) || ')'
                          from reference.topic_taxonomy group by topic order by topic""").fetchall()


def test_every_topic_counts_the_same_as_re2_on_real_and_unicode_text(con):
    con.execute("""create temp table texts as
                   select lower(coalesce(abstract, '')) as text from marts.papers
                   union all select lower(title) from marts.papers
                   union all select unnest(?::varchar[])""", [UNICODE_EDGES])
    n_texts = con.execute("select count(*) from texts").fetchone()[0]
    assert n_texts > 500
    regexes = topic_regexes(con)
    assert len(regexes) == 22
    con.execute("create temp table all_counts as select text, topic_match_counts(text, ?) as counts from texts",
                [[regex for _, regex in regexes]])
    matched_topics = 0
    for i, (topic, regex) in enumerate(regexes, start=1):
        differ, differ_in_list, matches = con.execute(
            """select count(*) filter (where topic_match_count(text, $rx) <> len(regexp_extract_all(text, $rx))),
                      count(*) filter (where counts[$i] is distinct from len(regexp_extract_all(text, $rx))),
                      sum(len(regexp_extract_all(text, $rx)))
               from all_counts""", {"rx": regex, "i": i}).fetchone()
        assert (differ, differ_in_list) == (0, 0), topic
        matched_topics += matches > 0
    assert matched_topics == 22   # every topic is exercised by real text
    # the taxonomy has an anchored alternative, so the split below is exercised by real text
    assert any(split_at_text_start(regex)[1] for _, regex in regexes)


ANCHORED = [
    r"(?:\bnew data\b)|(?:^[^.\n]{0,20}?\bdata\b)|(?:data\w*)",   # anchored in the middle
    r"(?:^data)|(?:\bdata\b)",                                  # anchored first
    r"(?:^[^.]{0,9}?data)|(?:(?:^the)|(?:^a))",                  # only anchored alternatives
    r"(?:^a|data)|(?:^the\b)",                                  # a group that is not all anchored
    r"(?m)(?:^data)|(?:data)",                                   # (?m): ^ starts every line
]
ANCHORED_TEXTS = ["data new data", "new data first", "x. data", "", "the data, new data set",
                  "nothing here", "datasets and data", "a data", "line\ndata", None]


@pytest.mark.parametrize("pattern", ANCHORED)
def test_alternatives_anchored_at_the_start_count_as_the_whole_pattern(con, pattern):
    got = con.execute("""select topic_match_count(t, $p), topic_match_counts(t, [$p, 'data'])[1],
                                len(regexp_extract_all(t, $p))
                         from unnest($texts::varchar[]) as texts(t)""",
                      {"p": pattern, "texts": ANCHORED_TEXTS}).fetchall()
    assert [row[0] for row in got] == [row[1] for row in got] == [row[2] for row in got]
    assert sum(row[2] or 0 for row in got) > 0


def test_only_alternatives_that_cannot_match_after_the_start_are_split():
    assert split_at_text_start(ANCHORED[0])[1:] == (r"(?:^[^.\n]{0,20}?(?-u:\b)data(?-u:\b))",
                                                    r"(?:(?-u:\b)new data(?-u:\b))|(?:data[0-9A-Za-z_]*)")
    assert split_at_text_start(ANCHORED[2])[1:] == (ANCHORED[2], None)
    assert split_at_text_start(ANCHORED[3])[1:] == ("(?:^the(?-u:\\b))", "(?:^a|data)")
    assert split_at_text_start(ANCHORED[4])[1:] == (None, None)


def test_ascii_classes_keep_re2_meaning_next_to_non_ascii_letters(con):
    # RE2's \w is ASCII: "é-bench" has no word character before "-bench"; Rust's \w would match é.
    for pattern, text, expected in [(r"\w+-?bench\b", "é-bench", 0), (r"\w+-?bench\b", "e-bench", 1),
                                    (r"\bdata\b", "ädata", 1), (r"\bdata\b", "adata", 0),
                                    (r"[^\w\n]+bench", "é bench", 1), (r"\s+", "a\u00a0b", 0)]:
        assert con.execute("select topic_match_count(?, ?)", [text, pattern]).fetchone()[0] == expected
        assert con.execute("select len(regexp_extract_all(?, ?))", [text, pattern]).fetchone()[0] == expected


def test_escaped_angle_brackets_stay_literal(con):
    # RE2 reads \< as "<"; Rust would read it as a word boundary and match "a" (1, not 0).
    for text, expected in [("a", 0), ("<a", 1)]:
        assert con.execute("select topic_match_count(?, '\\<a')", [text]).fetchone()[0] == expected
        assert con.execute("select len(regexp_extract_all(?, '\\<a'))", [text]).fetchone()[0] == expected


@pytest.mark.parametrize("pattern", [r"\pL+", r"\Bx", r"[\S]", r"\Qa.b\E", r"[]a]",
                                     r"[a&&b]", r"[a~~b]", r"[a--b]", r"[[]x"])
def test_escapes_it_cannot_translate_exactly_are_refused(pattern):
    with pytest.raises(ValueError):
        re2_to_rust(pattern)


def test_a_pattern_that_changes_between_rows_is_refused():
    with pytest.raises(ValueError, match="one constant pattern"):
        count_matches(pa.array(["a bench", "a dataset"]), pa.array([r"bench", r"dataset"]))
    with pytest.raises(ValueError, match="one constant pattern"):
        count_matches_each(pa.array(["a bench", "b", "a dataset"]),
                           pa.array([["bench", "x"], ["bench", "x"], ["dataset", "x"]]))
    for patterns in (["bench", "dataset", "bench", "bench"], ["bench", None, "bench", "bench"]):
        with pytest.raises(ValueError, match="one constant pattern"):   # only one row differs
            count_matches(pa.array(["a bench"] * 4), pa.array(patterns))
    assert count_matches(pa.array(["a bench", "bench bench"]), pa.array(["bench"] * 2)).to_pylist() == [1, 2]


MODALITY = (r"\b(multi-?modal|vision|visual|video|audio|speech|omni-?modal|omni)[ -](?:large )?"
            r"(?:language models?|llms?)\b")
WHITESPACE = ["multimodal  large\tlanguage models and video llms", "vision\nlanguage model", "a\u00a0\u00a0b  c",
              "  lead and trail\r\n", "omni-modal llm\x0c ok", "audio-language models ($1 \\1)", None]


def test_rewritten_counts_are_the_sql_fold_and_rewrite_then_the_counts(con):
    """paper_topics hands the abstracts to topic_match_counts_rewritten, which folds and rewrites
    in polars what the SQL did with fold_whitespace and regexp_replace: same counts."""
    regexes = [regex for _, regex in topic_regexes(con)] + [r"\bmultimodal-llm\b|\bvision-llm\b", r"  ", r"\$1"]
    differ = con.execute(r"""
        with texts as (
            select lower(abstract) as text from marts.papers
            union all select lower(t) from unnest($extra::varchar[]) as extra(t)
        ),
        counted as (
            select
                text,
                topic_match_counts_rewritten(text, $regexes, $rewrite, '\1-llm') as got,
                regexp_replace(case when regexp_matches(text, '\s\s|[^\S ]')
                                    then regexp_replace(text, '\s+', ' ', 'g') else text end,
                               $rewrite, '\1-llm', 'g') as sql_text
            from texts
        )
        select count(*) filter (where got is distinct from
                                 case when sql_text is not null then
                                 list_transform($regexes, lambda rx: len(regexp_extract_all(sql_text, rx))) end),
               count(*) filter (where sql_text like '%-llm%'), count(*)
        from counted""", {"regexes": regexes, "rewrite": MODALITY, "extra": WHITESPACE}).fetchone()
    assert differ[0] == 0
    assert differ[1] > 5 and differ[2] > 150   # the rewrite fires on real abstracts


def test_re2_replacements_read_as_rust_replacements():
    assert re2_replacement_to_rust(r"\1-llm") == "${1}-llm"
    assert re2_replacement_to_rust(r"$\\\0") == "$$\\${0}"
    with pytest.raises(ValueError):
        re2_replacement_to_rust(r"\n")

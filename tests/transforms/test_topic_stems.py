"""The stems' part of the topic tagger (transforms/topic_stems.py, model int_paper_topic_stems):
the same stems as DuckDB's RE2 and the training's Python `re` find, and weights summed per topic."""

from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest

from tests.shared_data import api_day_files
from tests.topic_model_training import stems as training_stems
from transforms.topic_stems import StemWeights, field_stems, stem_logits

TRICKY = [
    "Chain-of-Thought reasoning in 7B LLMs_v2 (GPT-4o, o1-mini)",
    "café naïve Ünïcödé straße — ﬁne-tuning ＧＰＴ ２０２５ 𝐀𝐈 model",
    "x_y _under 123456789 abcdefghij a1b2c3d4 3d-gaussian",
    "",
    "tabs\tand\nnew\u2028lines\u00a0nbsp",
]


def duckdb_stems(texts: list[str]) -> list[set[str]]:
    rows = duckdb.sql("select list_distinct(regexp_extract_all(t, '\\b[a-z0-9]{1,6}')) "
                      "from (select unnest($texts) as t, generate_subscripts($texts, 1) as i) order by i",
                      params={"texts": texts}).fetchall()
    return [set(r[0]) for r in rows]


def python_stems(texts: list[str]) -> list[set[str]]:
    by_row = {row: set() for row in range(len(texts))}
    for row, stem in field_stems(pl.Series(texts, dtype=pl.String)).iter_rows():
        by_row[row].add(stem)
    return [by_row[row] for row in range(len(texts))]


def test_tricky_text_gives_the_stems_duckdb_and_the_training_find():
    texts = [t.lower() for t in TRICKY]
    assert python_stems(texts) == duckdb_stems(texts) == [training_stems(t) for t in texts]
    # a word stops at "_" (no [a-z0-9]) but "_" is a word character: no stem starts at "v2"
    assert python_stems(["chain-of-thought 7b llms_v2"]) == [{"chain", "of", "though", "7b", "llms"}]


@pytest.mark.needs_shared_data
def test_real_abstracts_give_the_stems_duckdb_finds():
    texts = []
    for day in api_day_files()[:4]:
        texts += [(item["paper"].get("title", "") + "\n" + item["paper"].get("summary", "")).lower()
                  for item in json.loads(day.read_text())]
    assert len(texts) > 40
    assert python_stems(texts) == duckdb_stems(texts)


def test_logits_are_the_sums_of_the_weights_of_each_field_and_strong_stems_are_named():
    weights = StemWeights.of(pl.DataFrame({
        "topic": ["rl", "rl", "rl", "rl", "video", "video", "rl"],
        "feature": ["title:reinfo", "abstract:reinfo", "abstract:reward", "abstract:video",
                    "abstract:video", "title:video", "bias"],
        "weight": [1.5, 0.75, 0.125, -0.5, 2.0, 3.0, -4.0],
    }))
    papers = pl.DataFrame({
        "paper_id": ["a", "b", "c"],
        # a: reinfo in the title (1.5) and twice in the abstract (0.75 once), reward (0.125)
        "title_text": ["reinforcement learning\nreward models", "video", None],
        "abstract_text": ["reinforced by rewards. reinforcement again.", "a video of a video", "nothing here"],
    })
    got = {(r["paper_id"], r["topic"]): r for r in stem_logits(papers, weights).iter_rows(named=True)}
    assert set(got) == {(p, t) for p in "abc" for t in ("rl", "video")}   # bias is not a stem
    assert got["a", "rl"]["stem_logit"] == pytest.approx(1.5 + 0.75 + 0.125)
    assert got["a", "video"]["stem_logit"] == 0
    assert got["b", "rl"]["stem_logit"] == pytest.approx(-0.5)
    assert got["b", "video"]["stem_logit"] == pytest.approx(2.0 + 3.0)
    assert got["c", "rl"]["stem_logit"] == 0 and got["c", "rl"]["strong_stems"] is None
    assert sorted(got["a", "rl"]["strong_stems"], key=lambda s: s["feature"]) == [
        {"adds": 0.75, "feature": "abstract:reinfo"}, {"adds": 1.5, "feature": "title:reinfo"}]
    assert sorted(s["feature"] for s in got["b", "video"]["strong_stems"]) == ["abstract:video", "title:video"]


def test_only_the_four_stems_adding_most_are_named_largest_first():
    """model_terms names the four features adding most, so no more strong stems are kept;
    equal weights are ordered by name, from the end, as paper_topics orders them."""
    names = ["alpha", "beta", "gamma", "delta", "epsil"]
    weights = StemWeights.of(pl.DataFrame({
        "topic": ["t"] * 5, "feature": [f"abstract:{n}" for n in names],
        "weight": [0.5, 2.0, 0.5, 1.0, 0.3]}))
    papers = pl.DataFrame({"paper_id": ["p"], "title_text": [""], "abstract_text": [" ".join(names)]})
    [row] = stem_logits(papers, weights).to_dicts()
    assert row["stem_logit"] == pytest.approx(4.3)
    assert row["strong_stems"] == [{"adds": 2.0, "feature": "abstract:beta"},
                                   {"adds": 1.0, "feature": "abstract:delta"},
                                   {"adds": 0.5, "feature": "abstract:gamma"},
                                   {"adds": 0.5, "feature": "abstract:alpha"}]

"""The tagger scored against people's labels: 1,248 real papers of May 2023 to November 2025
(tests/data/topic_labels.csv: ids and labels, no text), each read by two readers, tagged by the
real pipeline in a warehouse of those papers only (tests/labelled_papers.py).

The learned weights are fitted on the 936 dev papers (tests/topic_model_training.py), so their
scores on dev say nothing about new papers. What is checked:
- marts.paper_topics holds exactly the tags and probabilities that the training code computes
  from the committed weights, on every labelled paper: the SQL runs the model that was fitted
  and cross-validated;
- the model's 5-fold cross-validation on dev (one seed) stays above floors a little under its
  measured numbers (docs/topic-tagging.md), so a change to the taxonomy, the features or the fit
  that makes tags clearly worse fails here;
- the test split (312 papers of a third draw, never read by the training) stays above floors a
  little under its measured numbers."""

from __future__ import annotations

import csv

import duckdb
import numpy as np
import pytest

from tests.labelled_papers import build
from tests.shared_data import require_shared_data
from tests.tagger_eval import NAMED_TOPICS, evaluate, format_table, read_labels
from tests.topic_model_cv import THRESHOLD, VETO, cross_validate, decide, rule_evidence_of
from tests.topic_model_training import (
    WEIGHTS,
    features,
    labelled_papers,
    probabilities,
    taxonomy_regexes,
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    require_shared_data()
    data = build(tmp_path_factory.mktemp("labelled"))
    connection = duckdb.connect(str(data.warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def papers(con):
    return labelled_papers(con)   # the dev split


@pytest.fixture(scope="module")
def all_papers(con):
    return labelled_papers(con, splits=("dev", "test"))


def test_the_warehouse_tags_as_the_fitted_model_does(con, all_papers):
    papers = all_papers
    with open(WEIGHTS, newline="", encoding="utf-8") as f:
        weights = [(r["topic"], r["feature"], float(r["weight"])) for r in csv.DictReader(f)]
    rows = [features(p, taxonomy_regexes()) for p in papers]
    probs = probabilities(weights, rows)
    vetoable = {t: np.full(len(papers), w > 0) for t, f, w in weights if f == "rule_vetoable"}
    tags = decide(probs, vetoable, rule_evidence_of(rows), THRESHOLD, VETO)
    stored: dict[str, dict[str, float]] = {}
    for paper_id, topic, probability in con.execute(
            "select paper_id, topic, probability from marts.paper_topics").fetchall():
        stored.setdefault(paper_id, {})[topic] = probability
    for i, paper in enumerate(papers):
        in_sql = stored[paper["paper_id"]]
        expected = {t for t in NAMED_TOPICS if tags[t][i]}
        assert {t for t in in_sql if t in NAMED_TOPICS} == expected, paper["paper_id"]
        for topic in expected:
            assert in_sql[topic] == pytest.approx(probs[topic][i], abs=1e-6), (paper["paper_id"], topic)


# 5-fold cross-validation on dev with seed 0 measured 0.868 / 0.801 (docs/topic-tagging.md).
def test_cross_validated_precision_and_recall(papers):
    result = cross_validate(papers, taxonomy_regexes(), ("model",), folds=5, seeds=[0])
    precision, recall = result["model"]["micro"]
    assert precision >= 0.85 and recall >= 0.78, (precision, recall)


# test: the held-out split (the third draw, never read by the training or the cross-validation):
# a little under its one scoring, 0.90 / 0.80 (the target, 0.90 / 0.85, is not reached in recall).
def test_tagger_precision_and_recall_on_the_test_split(con):
    result = evaluate(con, split="test")
    print(format_table(result))
    assert result["micro"]["precision"] >= 0.88, format_table(result)
    assert result["micro"]["recall"] >= 0.78, format_table(result)


def test_every_labelled_paper_is_in_the_warehouse(con, all_papers):
    result = evaluate(con, split=None)
    assert not result.get("missing"), result.get("missing")
    assert result["n_papers"] == len(read_labels()) == len(all_papers) >= 1200

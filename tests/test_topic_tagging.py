"""The tagger scored against people's labels: 1,248 real papers of May 2023 to November 2025
(tests/data/topic_labels.csv: ids and labels, no text), each read by two readers, tagged by the
real pipeline in a warehouse of those papers only (tests/labelled_papers.py).

The floors sit a little under the measured numbers (docs/topic-tagging.md): a change to the
taxonomy, the rule or the learned weights that makes tags clearly worse fails here.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.labelled_papers import build
from tests.shared_data import require_shared_data
from tests.tagger_eval import evaluate, format_table, read_labels


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    require_shared_data()
    data = build(tmp_path_factory.mktemp("labelled"))
    connection = duckdb.connect(str(data.warehouse), read_only=True)
    yield connection
    connection.close()


# test: just under the scoring of the frozen tagger on the third draw (0.88 / 0.80; the target
# 0.90 / 0.85 is not reached). dev: just under the model's 5-fold cross-validated numbers
# (0.85 / 0.81); the learned weights are fitted on dev, so most of dev scores near 1.00.
@pytest.mark.parametrize("split, precision, recall", [("dev", 0.83, 0.79), ("test", 0.86, 0.78)])
def test_tagger_precision_and_recall_on_human_labels(con, split, precision, recall):
    result = evaluate(con, split=split)
    print(format_table(result))
    assert result["micro"]["precision"] >= precision, format_table(result)
    assert result["micro"]["recall"] >= recall, format_table(result)


def test_every_labelled_paper_is_in_the_warehouse(con):
    result = evaluate(con, split=None)
    assert not result.get("missing"), result.get("missing")
    assert result["n_papers"] == len(read_labels()) >= 900

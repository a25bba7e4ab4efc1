"""The tagger scored against people's labels: 936 real papers of May 2023 to November 2025
(tests/data/topic_labels.csv: ids and labels, no text), each read by two readers, tagged by the
real pipeline in a warehouse of those papers only (tests/labelled_papers.py).

The floors sit a little under the measured numbers (docs/topic-tagging.md): a change to the
taxonomy or the rule that makes tags clearly worse fails here.
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


@pytest.mark.parametrize("split, precision, recall", [("dev", 0.80, 0.68), ("test", 0.78, 0.66)])
def test_tagger_precision_and_recall_on_human_labels(con, split, precision, recall):
    result = evaluate(con, split=split)
    print(format_table(result))
    assert result["micro"]["precision"] >= precision, format_table(result)
    assert result["micro"]["recall"] >= recall, format_table(result)


def test_every_labelled_paper_is_in_the_warehouse(con):
    result = evaluate(con, split=None)
    assert not result.get("missing"), result.get("missing")
    assert result["n_papers"] == len(read_labels()) >= 900

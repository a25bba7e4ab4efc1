"""The tagger on the real November 2025 papers (../shared/data) and the bundled capture, scored
against human labels (tests/data/topic_labels.csv: ids and labels, no titles).

The floors sit a little under the measured numbers (docs/topic-tagging.md): a change to the
taxonomy or the rule that makes tags clearly worse fails here.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.tagger_eval import evaluate, format_table


@pytest.fixture(scope="module")
def con(seeded):
    connection = duckdb.connect(str(seeded.warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("split, floor", [("dev", 0.82), ("test", 0.80)])
def test_tagger_precision_and_recall_on_human_labels(con, split, floor):
    result = evaluate(con, split=split)
    print(format_table(result))
    assert result["micro"]["precision"] >= floor, format_table(result)
    assert result["micro"]["recall"] >= floor, format_table(result)


def test_every_labelled_paper_is_in_the_warehouse(con):
    result = evaluate(con, split=None)
    assert not result.get("missing"), result.get("missing")

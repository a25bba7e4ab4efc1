"""The tagger's static embedding: the DuckDB function paper_topics calls gives the vectors the
learned weights were fitted on (tests/topic_model_training.py embeds in Python)."""

from __future__ import annotations

import duckdb
import numpy as np

from orchestration.defs.dbt.functions import FUNCTIONS
from transforms.paper_embedding import DIMENSIONS, embed, paper_text


def test_duckdb_function_gives_the_python_embedding():
    con = duckdb.connect()
    function, parameters, returns = FUNCTIONS["paper_embedding"]
    con.create_function("paper_embedding", function, parameters, returns, type="arrow")
    papers = [("Protein Folding", ["protein structure"], "We predict structures."),
              ("Video Agents", [], None)]
    rows = con.execute(
        "select paper_embedding(coalesce(t, '') || '. ' || array_to_string(k, '; ') || '. '"
        " || coalesce(a, '')) from (values (?, ?::varchar[], ?), (?, ?::varchar[], ?)) v(t, k, a)",
        [value for paper in papers for value in paper]).fetchall()
    in_sql = np.array([row[0] for row in rows], dtype=np.float32)
    in_python = embed([paper_text(*paper) for paper in papers])
    assert in_sql.shape == (2, DIMENSIONS)
    np.testing.assert_allclose(in_sql, in_python, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(in_sql, axis=1), 1.0, rtol=1e-5)
    assert float(in_sql[0] @ in_sql[1]) < 0.99   # different papers, different vectors

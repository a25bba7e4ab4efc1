"""A vector per paper for similar_papers (transforms/paper_vectors.py: a bag of words under a
fixed random projection, the same on every machine). Incremental on paper_id: a run embeds only
the papers whose text (title, abstract, ai_keywords; text_hash) is new or changed."""

import pyarrow as pa

from transforms.paper_vectors import DIMENSIONS, embed, paper_text


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="paper_id")
    papers = dbt.ref("papers")
    hashed = papers.project(
        "paper_id, title, abstract, ai_keywords, "
        "md5(concat_ws(chr(10), title, abstract, array_to_string(ai_keywords, chr(10)))) as text_hash")
    if dbt.is_incremental:
        session.register("hashed_papers", hashed)
        todo = session.sql(f"""
            select * from hashed_papers
            anti join {dbt.this} as stored using (paper_id, text_hash)
        """)
    else:
        todo = hashed
    rows = todo.order("paper_id").fetchall()
    vectors = embed(paper_text(title, abstract, keywords) for _, title, abstract, keywords, _ in rows)
    return pa.table({
        "paper_id": pa.array([row[0] for row in rows], pa.string()),
        "text_hash": pa.array([row[4] for row in rows], pa.string()),
        "vector": pa.FixedSizeListArray.from_arrays(
            pa.array(vectors.reshape(-1), pa.float32()), DIMENSIONS),
    })

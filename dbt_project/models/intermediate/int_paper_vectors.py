"""A vector per paper for similar_papers (transforms/paper_vectors.py: a bag of words under a
fixed random projection, the same on every machine). Incremental on paper_id: a run embeds only
the papers whose text (title, abstract, ai_keywords; text_hash) is new or changed, and numbers
them with the run's `batch` (one more than the highest stored), so int_paper_neighbours knows
which vectors are new since it last ran. The text of each paper (paper_vectors.paper_text) is
put together in DuckDB and read as Arrow, a batch of papers at a time, and each batch's vectors
are written as they are made (a RecordBatchReader, dbt-duckdb's batched writes)."""

import pyarrow as pa

from transforms.paper_vectors import DIMENSIONS, embed

BATCH = 4096  # papers embedded at a time
SCHEMA = pa.schema([("paper_id", pa.string()), ("text_hash", pa.string()),
                    ("vector", pa.list_(pa.float32(), DIMENSIONS)), ("batch", pa.int64())])


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="paper_id", on_schema_change="append_new_columns")
    papers = dbt.ref("papers")
    # paper_text(title, abstract, keywords): the title twice, the keywords, the abstract
    hashed = papers.project(
        "paper_id, "
        "md5(concat_ws(chr(10), title, abstract, array_to_string(ai_keywords, chr(10)))) as text_hash, "
        "concat_ws(' ', coalesce(title, ''), coalesce(title, ''), "
        "array_to_string(coalesce(ai_keywords, []), ' '), coalesce(abstract, '')) as text")
    session.register("hashed_papers", hashed)
    batch = 1
    stored = ""
    if dbt.is_incremental:
        stored = f"anti join {dbt.this} as stored using (paper_id, text_hash)"
        columns = session.sql(f"select * from {dbt.this} limit 0").columns
        if "batch" in columns:  # (a table from before batches: its vectors count as batch 0)
            batch = session.sql(f"select coalesce(max(batch), 0) + 1 from {dbt.this}").fetchall()[0][0]
    todo = session.sql(f"select paper_id, text_hash, text from hashed_papers {stored}")
    # dbt-duckdb writes the returned reader through a cursor of its own while this one reads: a
    # batch of papers is read, embedded and written at a time, never all of them at once
    return pa.RecordBatchReader.from_batches(SCHEMA, embedded(todo.to_arrow_reader(BATCH), batch))


def embedded(parts, batch):
    for part in parts:
        vectors = embed(part.column("text").to_pylist())
        yield pa.record_batch({
            # copied out: a column of DuckDB's batch keeps the whole batch, texts too, alive
            "paper_id": pa.array(part.column("paper_id").to_pylist(), pa.string()),
            "text_hash": pa.array(part.column("text_hash").to_pylist(), pa.string()),
            "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1), pa.float32()), DIMENSIONS),
            "batch": pa.array([batch] * part.num_rows, pa.int64()),
        }, schema=SCHEMA)

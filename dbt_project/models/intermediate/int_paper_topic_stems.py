"""The word-stem part of the topic tagger's model for every (paper, modelled topic):
stem_logit, the sum of the weights (seed topic_term_weights) of the stems of the paper's title
and ai_keywords and of its abstract, and strong_stems, the four adding most of those adding 0.25
or more (transforms/topic_stems.py). paper_topics adds stem_logit to the rule's part of the model.

Papers are read, scored and written a batch at a time (the model returns a RecordBatchReader,
dbt-duckdb's batched writes), so the memory it takes does not grow with the number of papers.
Incremental on paper_id: a run scores only the papers whose input_hash (their title, abstract
and ai_keywords, and the weights) is new or changed; a change to the weights rescores every
paper. Rows of papers gone from marts.papers are deleted (post_hook). It runs beside
int_paper_vectors: most of the work of both is in polars and numpy, which leave the
interpreter to the other while they run."""

import polars as pl
import pyarrow as pa

from transforms.topic_stems import StemWeights, stem_logits

BATCH = 4096  # papers scored at a time
SCHEMA = pa.schema([("paper_id", pa.string()), ("topic", pa.string()), ("stem_logit", pa.float64()),
                    ("strong_stems", pa.list_(pa.struct([("adds", pa.float64()), ("feature", pa.string())]))),
                    ("input_hash", pa.uint64())])


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="paper_id", on_schema_change="append_new_columns")
    weights = dbt.ref("topic_term_weights")
    session.register("stem_weights", weights.project("topic, feature, weight"))
    # the weights' fingerprint as macros/topic_regexes.sql topic_weights_fingerprint() computes
    # it for paper_topics (a Python model cannot call a macro)
    [(fingerprint,)] = session.sql(
        "select coalesce(md5(string_agg(topic || ' ' || feature || ' ' || weight::varchar, ';'"
        " order by topic, feature)), '') from stem_weights").fetchall()
    session.register("stem_papers", dbt.ref("papers").project(
        "paper_id, "
        f"hash('{fingerprint}', coalesce(title, ''), coalesce(abstract, ''),"
        " array_to_string(coalesce(ai_keywords, []), chr(10))) as input_hash, "
        "lower(coalesce(title, '')) || chr(10)"
        " || lower(array_to_string(coalesce(ai_keywords, []), chr(10))) as title_text, "
        "lower(coalesce(abstract, '')) as abstract_text"))
    stored = (f"anti join (select distinct paper_id, input_hash from {dbt.this}) as stored"
              " using (paper_id, input_hash)") if dbt.is_incremental else ""
    model_weights = StemWeights.of(session.sql("select * from stem_weights").pl())
    todo = session.sql(f"select * from stem_papers {stored}")
    # written a batch at a time as scored (dbt-duckdb's batched writes: see int_paper_vectors)
    return pa.RecordBatchReader.from_batches(SCHEMA, scored(todo.to_arrow_reader(BATCH), model_weights))


def scored(batches, model_weights):
    for batch in batches:
        papers = pl.from_arrow(batch)
        logits = (stem_logits(papers.select("paper_id", "title_text", "abstract_text"), model_weights)
                  .with_columns(input_hash=papers["input_hash"].repeat_by(len(model_weights.topics)).explode()))
        yield from logits.to_arrow().cast(SCHEMA).to_batches()

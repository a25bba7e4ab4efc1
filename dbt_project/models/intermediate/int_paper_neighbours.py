"""The nearest papers of each paper by cosine similarity of their vectors (int_paper_vectors):
K (10) rows per paper, every list exact (all papers compared; transforms/neighbour_search.py).

Which lists a run makes, incremental on paper_id:
- the lists of the papers whose vector is new or changed since the last run (a vector's
  `batch` above the highest `vectors_batch` stored here), and the stale lists: of a paper whose
  text changed, naming a paper that changed or is gone, or made before lists were exact (no
  vectors_batch);
- the new papers enter the other stored lists they now belong in (a list changes only when a
  new paper scores above its last entry);
- at most pairs_per_run / (number of papers) lists a run (dbt var similar_pairs_per_run,
  100 million comparisons of two vectors, about 2 s of one core; 0: no limit), stale lists
  first, then newest papers first. A run that loads more papers than that (a backfill over
  years) leaves the older ones without a list: `papertrends similar` answers them by the same
  exact search when asked, and `dbt build --select int_paper_neighbours+ --vars
  '{similar_catch_up: true, similar_pairs_per_run: 0}'` makes every missing list (with
  similar_catch_up, a run makes missing lists of papers that are not new too). A stale list
  that does not fit is deleted rather than kept wrong (a row without neighbour_id, which the
  post_hook removes).
The incremental result is what a full build gives when both fit in the limit
(tests/end_to_end/test_new_directions_runs.py). Rows of removed papers go (post_hook)."""

import numpy as np
import polars as pl
import pyarrow as pa

from transforms.neighbour_search import nearest, pair_scores

K = 10  # neighbours kept per paper
READ_BATCH = 8192  # vectors read at a time
QUERY_BATCH = 4096  # papers whose lists are searched at a time
SCHEMA = pa.schema([("paper_id", pa.string()), ("text_hash", pa.string()), ("neighbour_id", pa.string()),
                    ("score", pa.float32()), ("vectors_batch", pa.int64())])


def _read(relation):
    table = relation.arrow()
    return table.read_all() if hasattr(table, "read_all") else table


def lists_table(ids, hashes, paper_rows, rows, scores, batch):
    """Rows (paper_id, text_hash, neighbour_id, score, vectors_batch) for the papers at
    paper_rows (one line of rows and scores each); padding (no neighbour) left out."""
    paper = np.repeat(np.asarray(paper_rows, dtype=np.int64), rows.shape[1])
    flat_rows, flat_scores = rows.reshape(-1), scores.reshape(-1)
    keep = np.isfinite(flat_scores) & (flat_rows >= 0)
    return pa.table({
        "paper_id": pa.array(ids[paper[keep]], pa.string()),
        "text_hash": pa.array(hashes[paper[keep]], pa.string()),
        "neighbour_id": pa.array(ids[flat_rows[keep]], pa.string()),
        "score": pa.array(flat_scores[keep], pa.float32()),
        "vectors_batch": pa.array(np.full(int(keep.sum()), batch), pa.int64()),
    }, schema=SCHEMA)


def tombstones(ids, hashes, paper_rows, batch):
    """One row without a neighbour per paper whose stored list must go (the post_hook deletes it)."""
    paper_rows = np.asarray(paper_rows, dtype=np.int64)
    return pa.table({"paper_id": pa.array(ids[paper_rows], pa.string()),
                     "text_hash": pa.array(hashes[paper_rows], pa.string()),
                     "neighbour_id": pa.nulls(len(paper_rows), pa.string()),
                     "score": pa.nulls(len(paper_rows), pa.float32()),
                     "vectors_batch": pa.array(np.full(len(paper_rows), batch), pa.int64())}, schema=SCHEMA)


def entering(corpus, ids, hashes, read_lists, other_rows, floors, fresh_rows, batch, chunk=512):
    """The stored lists (of the papers at other_rows, whose last scores are `floors`) that
    papers at fresh_rows now enter, merged: best K of the old entries and the entering ones.
    read_lists(paper_ids) gives the stored rows (paper_id, neighbour_id, score) of those lists."""
    found = []
    for start in range(0, len(fresh_rows), chunk):
        block = fresh_rows[start:start + chunk]
        cross = (corpus @ corpus[block].T)[other_rows]  # no copy of the corpus
        at, column = np.nonzero(cross > floors[:, None])
        exact = pair_scores(corpus[other_rows[at]], corpus, block[column][:, None])[:, 0]
        found.append(pl.DataFrame({"row": other_rows[at], "neighbour_row": block[column], "score": exact},
                                  schema={"row": pl.Int64, "neighbour_row": pl.Int64, "score": pl.Float32}))
    new = pl.concat(found)
    if new.height == 0:
        return None
    row_of = pl.DataFrame({"paper_id": ids.tolist(), "row": np.arange(len(ids))},
                          schema={"paper_id": pl.String, "row": pl.Int64})
    touched = new.select("row").unique().join(row_of, on="row")
    old = (read_lists(touched.select("paper_id"))
           .join(row_of, on="paper_id")
           .join(row_of.rename({"paper_id": "neighbour_id", "row": "neighbour_row"}), on="neighbour_id")
           .select("row", "neighbour_row", pl.col("score").cast(pl.Float32)))
    best = (pl.concat([old, new]).sort(["row", "score", "neighbour_row"], descending=[False, True, False])
            .group_by("row", maintain_order=True).head(K))
    paper = best["row"].to_numpy()
    return pa.table({
        "paper_id": pa.array(ids[paper], pa.string()),
        "text_hash": pa.array(hashes[paper], pa.string()),
        "neighbour_id": pa.array(ids[best["neighbour_row"].to_numpy()], pa.string()),
        "score": pa.array(best["score"].to_numpy(), pa.float32()),
        "vectors_batch": pa.array(np.full(len(paper), batch), pa.int64()),
    }, schema=SCHEMA)


def _corpus(session):
    """(vectors, papers): every vector as one float32 matrix and each row's paper_id,
    text_hash, batch and since (listed_on, else first_seen), rows by paper_id: the same order
    every run (ties between neighbours go to the lower row). The papers are read and ordered
    first; the vectors then a batch at a time, each put in its row: ordering or joining the
    vectors in DuckDB would hold them twice more."""
    papers = (pl.from_arrow(_read(session.sql("""
        select vectors.paper_id, vectors.text_hash, coalesce(vectors.batch, 0) as batch,
            coalesce(papers.listed_on, papers.first_seen) as since
        from vectors_now as vectors left join papers_now as papers using (paper_id)""")))
              .sort("paper_id").with_row_index("row").with_columns(pl.col("row").cast(pl.Int64)))
    row_of = dict(zip(papers["paper_id"].to_list(), range(papers.height)))
    corpus = None
    for part in session.sql("select paper_id, vector from vectors_now").to_arrow_reader(READ_BATCH):
        values = part.column("vector").flatten().to_numpy(zero_copy_only=False).reshape(part.num_rows, -1)
        if corpus is None:
            corpus = np.empty((papers.height, values.shape[1]), dtype=np.float32)
        corpus[[row_of[paper] for paper in part.column("paper_id").to_pylist()]] = values
    return corpus, papers


def _nearest_of(corpus, done):
    """nearest() for the rows `done`, QUERY_BATCH queries at a time (no copy of them all)."""
    found = [nearest(corpus[done[start:start + QUERY_BATCH]], corpus, K,
                     query_rows=done[start:start + QUERY_BATCH])
             for start in range(0, len(done), QUERY_BATCH)]
    if not found:
        return nearest(corpus[done], corpus, K, query_rows=done)
    return np.concatenate([rows for rows, _ in found]), np.concatenate([scores for _, scores in found])


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="paper_id", on_schema_change="append_new_columns")
    pairs_per_run = dbt.config.get("pairs_per_run")
    catch_up = dbt.config.get("catch_up")
    budget = int(pairs_per_run or 0)
    catch_up = str(catch_up).strip().lower() in ("true", "1", "yes")
    session.register("vectors_now", dbt.ref("int_paper_vectors"))
    session.register("papers_now", dbt.ref("papers"))
    corpus, papers = _corpus(session)
    n = papers.height
    if n == 0:   # no papers yet (a new data dir): no neighbours, and nothing stored to keep
        return SCHEMA.empty_table()
    ids = np.array(papers["paper_id"].to_list(), dtype=object)
    hashes = np.array(papers["text_hash"].to_list(), dtype=object)
    batch = int(papers["batch"].max())
    newest_first = ["since", "paper_id"]

    if dbt.is_incremental:
        has_batch = "vectors_batch" in session.sql(f"select * from {dbt.this} limit 0").columns
        seen = session.sql(f"select coalesce(max(vectors_batch), 0) from {dbt.this}").fetchall()[0][0] \
            if has_batch else 0
        fresh = papers.filter(pl.col("batch") > seen)
        session.register("fresh_papers", fresh.select("paper_id").to_arrow())
        stored_lists = pl.from_arrow(_read(session.sql(f"""
            select paper_id, any_value(text_hash) as stored_hash, min(score) as floor, count(*) as n,
                {"bool_or(vectors_batch is null)" if has_batch else "true"} as made_before_batches,
                bool_or(neighbour_id in (select paper_id from fresh_papers)
                        or neighbour_id not in (select paper_id from vectors_now)) as names_changed
            from {dbt.this} group by paper_id""")))
        with_list = papers.join(stored_lists, on="paper_id")
        stale = with_list.filter((pl.col("stored_hash") != pl.col("text_hash")) | pl.col("made_before_batches")
                                 | pl.col("names_changed"))
        missing = papers.join(stored_lists, on="paper_id", how="anti")
        if not catch_up:
            missing = missing.join(fresh, on="paper_id", how="semi")
        todo = pl.concat([stale.sort(newest_first, descending=True, nulls_last=True).select("row"),
                          missing.sort(newest_first, descending=True, nulls_last=True).select("row")])
    else:
        seen, fresh, stale, with_list = 0, papers.clear(), papers.clear(), papers.clear()
        todo = papers.sort(newest_first, descending=True, nulls_last=True).select("row")

    fits = todo.height if budget <= 0 else max(1, budget // n)
    done = np.sort(todo["row"][:fits].to_numpy())
    rows, scores = _nearest_of(corpus, done)
    tables = [lists_table(ids, hashes, done, rows, scores, batch)]
    dropped = np.setdiff1d(stale["row"].to_numpy(), done)
    if len(dropped):
        tables.append(tombstones(ids, hashes, dropped, batch))

    fresh_rows = np.sort(fresh["row"].to_numpy())
    others = with_list.filter(~pl.col("row").is_in(done) & ~pl.col("row").is_in(dropped)).sort("row")
    if len(fresh_rows) and others.height:
        floors = np.where(others["n"].to_numpy() >= K, others["floor"].to_numpy(), -np.inf)
        def read_lists(paper_ids: pl.DataFrame) -> pl.DataFrame:
            session.register("entered_papers", paper_ids.to_arrow())
            return pl.from_arrow(_read(session.sql(
                f"select paper_id, neighbour_id, score from {dbt.this} "
                "semi join entered_papers using (paper_id)")))

        merged = entering(corpus, ids, hashes, read_lists, others["row"].to_numpy(), floors, fresh_rows, batch)
        if merged is not None:
            tables.append(merged)
    return pa.concat_tables(tables)

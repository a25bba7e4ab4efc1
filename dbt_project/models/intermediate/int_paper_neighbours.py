"""The nearest papers of each paper by cosine similarity of their vectors (int_paper_vectors):
K (10) rows per paper (transforms/neighbour_search.py). Incremental on paper_id: a run finds
the neighbours of the papers whose vector is new or changed among all papers (exactly), redoes
those of the papers whose list held a changed or removed paper, and puts the new papers into the
other lists they now belong in (a list changes only when a new paper scores above its last
entry). A full build is exact up to neighbour_search.EXACT_LIMIT papers, approximate above.
Rows of removed papers go (post_hook)."""

import numpy as np
import polars as pl
import pyarrow as pa

from transforms.neighbour_search import all_nearest, nearest

K = 10  # neighbours kept per paper


def neighbour_table(ids, hashes, paper_rows, rows, scores):
    """(paper_id, text_hash, neighbour_id, score) for the papers at paper_rows (one line of
    rows and scores each); padding (no neighbour) left out."""
    paper = np.repeat(np.asarray(paper_rows, dtype=np.int64), rows.shape[1])
    flat_rows, flat_scores = rows.reshape(-1), scores.reshape(-1)
    keep = np.isfinite(flat_scores) & (flat_rows >= 0)
    return pa.table({
        "paper_id": pa.array(ids[paper[keep]], pa.string()),
        "text_hash": pa.array(hashes[paper[keep]], pa.string()),
        "neighbour_id": pa.array(ids[flat_rows[keep]], pa.string()),
        "score": pa.array(flat_scores[keep], pa.float32()),
    })


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="paper_id")
    # rows by paper_id: the same order every run
    vectors = dbt.ref("int_paper_vectors").order("paper_id").arrow()
    vectors = vectors.read_all() if hasattr(vectors, "read_all") else vectors
    ids = np.array(vectors["paper_id"].to_pylist(), dtype=object)
    hashes = np.array(vectors["text_hash"].to_pylist(), dtype=object)
    n = len(ids)
    if n == 0:   # no papers yet (a new data dir): no neighbours, and nothing stored to keep
        return neighbour_table(ids, hashes, [], np.zeros((0, K), np.int64), np.zeros((0, K), np.float32))
    corpus = (vectors["vector"].combine_chunks().values.to_numpy(zero_copy_only=False)
              .reshape(n, -1).astype(np.float32, copy=False))
    del vectors
    if not dbt.is_incremental:
        rows, scores = all_nearest(corpus, K)
        return neighbour_table(ids, hashes, np.arange(n), rows, scores)

    current = pl.DataFrame({"paper_id": ids.tolist(), "text_hash": hashes.tolist(),
                            "row": np.arange(n)}, schema={"paper_id": pl.String,
                                                          "text_hash": pl.String, "row": pl.Int64})
    stored = pl.from_arrow(session.sql(
        f"select paper_id, text_hash, neighbour_id, score from {dbt.this}").arrow().read_all())
    kept = stored.select("paper_id", "text_hash").unique()
    changed = current.join(kept, on=["paper_id", "text_hash"], how="anti")
    unchanged_ids = current.join(kept, on=["paper_id", "text_hash"], how="semi")["paper_id"]
    # lists naming a paper that changed or is gone are redone in full
    stale = stored.filter(~pl.col("neighbour_id").is_in(unchanged_ids))["paper_id"].unique()
    redo = current.filter(pl.col("paper_id").is_in(changed["paper_id"]) | pl.col("paper_id").is_in(stale))
    redo_rows = redo["row"].sort().to_numpy()
    rows, scores = nearest(corpus[redo_rows], corpus, K, query_rows=redo_rows)
    tables = [neighbour_table(ids, hashes, redo_rows, rows, scores)]

    new_rows = changed["row"].sort().to_numpy()
    others = (current.filter(~pl.col("paper_id").is_in(redo["paper_id"]))
              .join(stored.group_by("paper_id").agg(pl.col("score").min().alias("floor"),
                                                    pl.len().alias("n")), on="paper_id", how="left")
              .sort("row"))
    if len(new_rows) and others.height:
        other_rows = others["row"].to_numpy()
        floors = np.where(others["n"].fill_null(0).to_numpy() >= K,
                          others["floor"].fill_null(-np.inf).to_numpy(), -np.inf)
        cross = (corpus @ corpus[new_rows].T)[other_rows]  # no copy of the corpus
        entering = np.nonzero((cross > floors[:, None]).any(axis=1))[0]
        if len(entering):
            old = stored.filter(pl.col("paper_id").is_in(ids[other_rows[entering]].tolist()))
            row_of = dict(zip(ids.tolist(), range(n)))
            lists: dict[int, list] = {}
            for paper_id, neighbour_id, score in old.select("paper_id", "neighbour_id", "score").iter_rows():
                lists.setdefault(row_of[paper_id], []).append((-float(np.float32(score)), row_of[neighbour_id]))
            best_rows = np.full((len(entering), K), -1, dtype=np.int64)
            best_scores = np.full((len(entering), K), -np.inf, dtype=np.float32)
            for i, at in enumerate(entering):
                row = int(other_rows[at])
                merged = lists.get(row, []) + [(-float(cross[at, j]), int(new_rows[j]))
                                               for j in range(len(new_rows))]
                merged = sorted(merged)[:K]
                best_rows[i, :len(merged)] = [r for _, r in merged]
                best_scores[i, :len(merged)] = [-s for s, _ in merged]
            tables.append(neighbour_table(ids, hashes, other_rows[entering], best_rows, best_scores))
    return pa.concat_tables(tables)

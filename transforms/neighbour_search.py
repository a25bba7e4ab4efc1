"""Nearest vectors by dot product (cosine for the unit vectors of transforms/paper_vectors.py).

`nearest` is exact: every query against every corpus row, in blocks of queries, best first,
ties ranked by row. Each block's best columns are found from the width-th best value of each
row (a partition of the scores alone, then the columns at or above it), which reads the block
about half as often as ranking column numbers would; the rows found are then scored again in
float64 (pair_scores), so a pair's score does not depend on the block it was computed in.
"""

from __future__ import annotations

import numpy as np


def nearest(queries: np.ndarray, corpus: np.ndarray, k: int,
            query_rows: np.ndarray | None = None, chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """The k corpus rows most similar to each query, best first (ties: lower row first):
    (rows, scores) of shape (len(queries), k'), k' = min(k, rows available). query_rows gives
    each query's own row in the corpus, left out of its answer (-1: none)."""
    n = corpus.shape[0]
    own = np.full(len(queries), -1) if query_rows is None else np.asarray(query_rows)
    width = max(min(k, n - int((own >= 0).any())), 0)
    rows = np.zeros((len(queries), width), dtype=np.int64)
    scores = np.zeros((len(queries), width), dtype=np.float32)
    if width == 0:
        return rows, scores
    for start in range(0, len(queries), chunk):
        block = queries[start:start + chunk] @ corpus.T
        mine = own[start:start + chunk]
        has_own = np.nonzero(mine >= 0)[0]
        block[has_own, mine[has_own]] = -np.inf
        found, _ = top(block, width)
        rows[start:start + chunk], scores[start:start + chunk] = ranked(queries[start:start + chunk], corpus, found)
    return rows, scores


def pair_scores(queries: np.ndarray, corpus: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The dot product of each query with each of its corpus rows (rows: one line per query),
    summed in float64: the same number for a pair whichever other queries share its block (a
    float32 matrix product may differ in the last bit from one block shape to another)."""
    return np.einsum("qd,qkd->qk", queries.astype(np.float64), corpus[rows].astype(np.float64)).astype(np.float32)


def ranked(queries: np.ndarray, corpus: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each query's rows scored by pair_scores, best first, ties by row."""
    scores = pair_scores(queries, corpus, rows)
    order = np.lexsort((rows, -scores), axis=1)
    return np.take_along_axis(rows, order, axis=1), np.take_along_axis(scores, order, axis=1)


def top(block: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The width best columns of each row of block (width <= columns), best first, ties by
    column number: (columns, scores). The columns above each row's width-th best value, then as
    many of those equal to it as the row still needs, lowest first (papers with the same words
    tie: a row may hold hundreds of equal scores)."""
    n_rows, n_columns = block.shape
    kth = np.partition(block, n_columns - width, axis=1)[:, n_columns - width][:, None]
    above_row, above_column = np.nonzero(block > kth)
    equal_row, equal_column = np.nonzero(block == kth)     # row by row, columns ascending
    needed = width - np.bincount(above_row, minlength=n_rows)
    equal_rank = np.arange(len(equal_row)) - np.searchsorted(equal_row, np.arange(n_rows))[equal_row]
    taken = equal_rank < needed[equal_row]
    row = np.concatenate([above_row, equal_row[taken]])
    column = np.concatenate([above_column, equal_column[taken]])
    value = block[row, column]
    order = np.lexsort((column, -value, row))
    row, column, value = row[order], column[order], value[order]
    rank = np.arange(len(row)) - np.searchsorted(row, np.arange(n_rows))[row]
    columns = np.zeros((n_rows, width), dtype=np.int64)
    scores = np.zeros((n_rows, width), dtype=block.dtype)
    columns[row, rank] = column
    scores[row, rank] = value
    return columns, scores

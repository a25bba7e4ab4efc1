"""Nearest vectors by dot product (cosine for the unit vectors of transforms/paper_vectors.py).

`nearest` is exact: every query against every corpus row, in blocks. `all_nearest` gives every
row of a corpus its neighbours: exactly up to EXACT_LIMIT rows; above it (a full build over
years of papers: 76k papers would be 5.8 billion pairs) by an inverted-file search: the rows are
grouped around CLUSTERS centres (k-means on up to FIT_ROWS evenly spaced rows, started from
evenly spaced rows, a fixed number of rounds: the same corpus gives the same groups), and the
rows of each group are compared exactly with the rows of the PROBES groups whose centres are
nearest to the group's own. Rows that would be neighbours but fell into groups far apart are
missed: the answer is approximate there, and the daily updates (new papers against every
paper) are exact.
"""

from __future__ import annotations

import numpy as np

EXACT_LIMIT = 12_000
CLUSTERS = 256
PROBES = 8
ROUNDS = 6
FIT_ROWS = 20_000


def nearest(queries: np.ndarray, corpus: np.ndarray, k: int,
            query_rows: np.ndarray | None = None, chunk: int = 512) -> tuple[np.ndarray, np.ndarray]:
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
        rows[start:start + chunk], scores[start:start + chunk] = _top(block, width)
    return rows, scores


def _top(block: np.ndarray, width: int, columns: np.ndarray | None = None):
    """The width best columns of each row of block, best first, ties by column number."""
    take = min(width, block.shape[1] - 1)
    top = np.argpartition(block, block.shape[1] - 1 - take, axis=1)[:, -(take + 1):]
    top_scores = np.take_along_axis(block, top, axis=1)
    names = top if columns is None else columns[top]
    order = np.lexsort((names, -top_scores), axis=1)[:, :width]
    return np.take_along_axis(names, order, axis=1), np.take_along_axis(top_scores, order, axis=1)


def _groups(corpus: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k-means centres and each row's group. The centres are fitted on up to FIT_ROWS evenly
    spaced rows (a fixed choice: the same corpus gives the same groups), then every row joins
    the group of its nearest centre."""
    n = corpus.shape[0]
    sample = corpus[np.linspace(0, n - 1, min(n, FIT_ROWS)).astype(np.int64)]
    centres = sample[np.linspace(0, len(sample) - 1, CLUSTERS).astype(np.int64)].copy()
    for _ in range(ROUNDS):
        group = np.argmax(sample @ centres.T, axis=1)
        order = np.argsort(group, kind="stable")
        present, starts = np.unique(group[order], return_index=True)
        sums = np.zeros_like(centres)
        sums[present] = np.add.reduceat(sample[order], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centres = np.where(norms > 0, sums / np.where(norms > 0, norms, 1), centres)
    return centres, np.argmax(corpus @ centres.T, axis=1)


def all_nearest(corpus: np.ndarray, k: int,
                exact_limit: int = EXACT_LIMIT) -> tuple[np.ndarray, np.ndarray]:
    """Every row's k nearest other rows (rows, scores), exact up to exact_limit rows."""
    n = corpus.shape[0]
    if n <= max(exact_limit, CLUSTERS):
        return nearest(corpus, corpus, k, query_rows=np.arange(n))
    width = min(k, n - 1)
    rows = np.zeros((n, width), dtype=np.int64)
    scores = np.full((n, width), -np.inf, dtype=np.float32)
    centres, group = _groups(corpus)
    near_groups = np.argsort(-(centres @ centres.T), axis=1, kind="stable")[:, :PROBES]
    for g in range(CLUSTERS):
        members = np.nonzero(group == g)[0]
        if len(members) == 0:
            continue
        candidates = np.nonzero(np.isin(group, near_groups[g]))[0]
        block = corpus[members] @ corpus[candidates].T
        block[members[:, None] == candidates[None, :]] = -np.inf
        if len(candidates) <= width:
            block = np.pad(block, ((0, 0), (0, width + 1 - len(candidates))), constant_values=-np.inf)
            candidates = np.concatenate([candidates, np.full(width + 1 - len(candidates), -1)])
        rows[members], scores[members] = _top(block, width, candidates)
    return rows, scores

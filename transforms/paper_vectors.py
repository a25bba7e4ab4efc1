"""Paper vectors for "papers like this one": offline, reproducible, one paper at a time.

A paper's text (its title twice, its ai_keywords and its abstract) becomes a bag of words: lower
case, words of 3+ letters, a crude singular ("models" -> "model"), English function words and
words every paper uses ("propose", "method", "results") dropped, each word weighted
(1 + log(count)) x idf, where idf = log(1 / share) / log(1 / 0.005) for the words of
word_shares.tsv (share: the fraction of papers of May 2023 to April 2025 that use the word; a fixed
table, written by `python -m bench.word_shares`), and 1 for rarer words: TF-IDF with an IDF that
does not move with the corpus. The bag is projected to DIMENSIONS numbers by a fixed sparse random
projection: each word adds its weight at 2 positions with signs, both taken from the word's BLAKE2b hash, so a word's
direction depends on the word alone, never on the corpus or on other papers. Vectors are
normalised to length 1, and cosine similarity is their dot product. A paper's vector never
changes unless its text does, which lets a daily run embed only the new papers, and gives the
same vectors on every machine.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import numpy as np

DIMENSIONS = 512
WORD_SHARES = Path(__file__).with_name("word_shares.tsv")
_RARE = 0.005  # shares at or below it weigh 1
_HITS = 2  # positions per word
_CHUNK = 8192  # texts embedded at a time
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")

FUNCTION_WORDS = frozenset("""
about above across after again against all almost along already also although always among and
another any are around based because been before being below between both but can cannot could
did does doing done down during each either else enough especially even ever every few for from
further had has have having her here hers herself him himself his how however into its itself
just least less let like made make makes making many may might more most much must near neither
never new nor not now off often once one only onto other others our ours ourselves out over own
per rather same several she should since some such than that the their theirs them themselves
then there therefore these they this those though three through thus too two under until upon
use used uses using very via was way ways well were what when where whether which while who whom
whose why will with within without would yet you your yours
""".split())
# words nearly every paper uses: no help in telling papers apart, but a sign that text is research
RESEARCH_WORDS = frozenset("""
paper papers propose proposed proposes present presents introduce introduces introduced show
shows shown demonstrate demonstrates achieve achieves achieved result results approach approaches
method methods model models framework frameworks task tasks work works novel existing prior
study studies performance perform performs improve improves improved improvement improvements
experiment experiments experimental extensive state art sota outperform outperforms
significantly significant code available github https com www http data dataset datasets
benchmark benchmarks evaluation evaluate evaluated further provide provides large various
different specific key first however able well high higher low lower better best new recent
recently respectively including include includes across given leverage leverages leveraging
""".split())
STOP_WORDS = FUNCTION_WORDS | RESEARCH_WORDS


def words(text: str) -> list[str]:
    """The text's words as the vectors see them (lower case, singular, no stop words)."""
    found = []
    for word in map(singular, _WORD.findall(text.lower())):
        if word not in STOP_WORDS:
            found.append(word)
    return found


@cache
def idf() -> dict[str, float]:
    """The idf of the common words (word_shares.tsv); other words weigh 1."""
    weights = {}
    if WORD_SHARES.exists():
        for line in WORD_SHARES.read_text(encoding="utf-8").splitlines():
            word, share = line.split("\t")
            weights[word] = math.log(1 / max(float(share), _RARE)) / math.log(1 / _RARE)
    return weights


_SKETCHES: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _sketch(word: str) -> tuple[np.ndarray, np.ndarray]:
    """The word's positions and signs, from its hash (cached: a corpus repeats its words)."""
    known = _SKETCHES.get(word)
    if known is None:
        digest = hashlib.blake2b(word.encode(), digest_size=2 * _HITS + 1).digest()
        positions = np.array([int.from_bytes(digest[2 * i:2 * i + 2], "little") % DIMENSIONS
                              for i in range(_HITS)], dtype=np.int64)
        signs = np.array([1.0 if digest[-1] >> i & 1 else -1.0 for i in range(_HITS)])
        known = _SKETCHES[word] = (positions, signs)
    return known


def paper_text(title: str | None, abstract: str | None, keywords: Sequence[str] | None) -> str:
    """What a paper's vector is made of: the title counts twice."""
    title = title or ""
    return " ".join([title, title, " ".join(keywords or ()), abstract or ""])


def embed_one(text: str) -> np.ndarray:
    """embed([text])[0], word by word (no polars: `papertrends similar --text` starts faster)."""
    vector = np.zeros(DIMENSIONS)
    weights = idf()
    for word, count in Counter(words(text)).items():
        positions, signs = _sketch(word)
        np.add.at(vector, positions, signs * (1.0 + math.log(count)) * weights.get(word, 1.0))
    norm = np.linalg.norm(vector)
    return (vector / norm if norm else vector).astype(np.float32)


def singular(word: str) -> str:
    """A crude singular: "models" -> "model" ("loss", "focus", "analysis" stay)."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def embed(texts: Iterable[str]) -> np.ndarray:
    """One unit vector (float32, DIMENSIONS) per text; all zeros for a text without words.
    The same as embed_one of each text. polars finds the words and gives each distinct word a
    number; the singular, stop words, weights and hash positions are worked out once per
    distinct word, (text, word) pairs are counted as numbers, not strings, and each text's
    numbers are summed by one bincount over (text, position) cells."""
    texts = list(texts)
    if len(texts) > _CHUNK:  # bounded memory: a vector depends on its own text only
        return np.concatenate([embed(texts[start:start + _CHUNK])
                               for start in range(0, len(texts), _CHUNK)])
    import polars as pl

    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String})
    n = frame.height
    vectors = np.zeros((n, DIMENSIONS), dtype=np.float32)
    if n == 0:
        return vectors
    found = (frame.select(pl.col("text").str.to_lowercase().str.extract_all(_WORD.pattern).alias("word"))
             .with_row_index("doc").explode("word").drop_nulls("word")
             .with_columns(pl.col("word").cast(pl.Categorical)))
    if found.height == 0:
        return vectors
    distinct = found.get_column("word").unique()
    codes = distinct.to_physical().to_numpy().astype(np.int64)
    normal = [singular(word) for word in distinct.cast(pl.String).to_list()]
    vocabulary = sorted({word for word in normal if word not in STOP_WORDS})
    number = {word: i for i, word in enumerate(vocabulary)}
    word_of_code = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    word_of_code[codes] = [number.get(word, -1) for word in normal]
    word_ids = word_of_code[found.get_column("word").to_physical().to_numpy()]
    docs = found.get_column("doc").to_numpy().astype(np.int64)
    kept = word_ids >= 0
    if not kept.any():
        return vectors
    size = len(vocabulary)
    pair, count = np.unique(docs[kept] * size + word_ids[kept], return_counts=True)
    doc, word = pair // size, pair % size
    weights_of_word = np.array([idf().get(w, 1.0) for w in vocabulary])
    sketches = [_sketch(w) for w in vocabulary]
    positions = np.array([p for p, _ in sketches], dtype=np.int64).reshape(-1, _HITS)
    signs = np.array([s for _, s in sketches]).reshape(-1, _HITS)
    weights = (1.0 + np.log(count.astype(np.float64))) * weights_of_word[word]
    # every (text, position) cell summed at once, in float64 like embed_one
    cells = (doc[:, None] * DIMENSIONS + positions[word]).reshape(-1)
    sums = np.bincount(cells, weights=(signs[word] * weights[:, None]).reshape(-1), minlength=n * DIMENSIONS)
    vectors = sums.reshape(n, DIMENSIONS)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors.astype(np.float32)

"""Static embeddings of papers for the topic tagger (a DuckDB function, paper_embedding(text)).

The embeddings come from `wordllama` (model l2_supercat, 256 dimensions), whose weights ship
inside the PyPI wheel: nothing is downloaded, and the same text always gives the same vector.
The wheel's loader looks for the tokenizer config under a folder name the wheel does not use
and would then try to download it, so the config is copied into a cache folder of our own
first, and the model is loaded with downloads disabled.

paper_topics embeds `paper_text(title, keywords, abstract)`; tests/topic_model_training.py
embeds the labelled papers with the same function, so the learned weights fit the vectors the
pipeline computes.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa

DIMENSIONS = 256
_CONFIG = "l2_supercat_tokenizer_config.json"


@lru_cache(maxsize=1)
def _model():
    from wordllama import WordLlama

    cache = Path(tempfile.gettempdir()) / "papertrends-wordllama"
    target = cache / "tokenizers" / _CONFIG
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        source = resources.files("wordllama") / "tokenizers" / _CONFIG
        with resources.as_file(source) as path:
            shutil.copyfile(path, target)
    return WordLlama.load(dim=DIMENSIONS, cache_dir=cache, disable_download=True)


def paper_text(title: str | None, keywords: list[str] | None, abstract: str | None) -> str:
    """What a paper's embedding is computed from: title, keywords and abstract."""
    return f"{title or ''}. {'; '.join(keywords or [])}. {abstract or ''}"


def embed(texts: list[str]) -> np.ndarray:
    """One unit-length float32 row of DIMENSIONS per text."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.asarray(_model().embed(texts, norm=True), dtype=np.float32)


def embed_arrow(texts: pa.Array) -> pa.Array:
    """Arrow function for DuckDB, paper_embedding(text) -> FLOAT[]: the text's embedding."""
    values = [text or "" for text in texts.to_pylist()]
    vectors = embed(values)
    return pa.array(list(vectors), type=pa.list_(pa.float32()))

"""The word-stem part of the topic tagger's model, a batch of papers at a time.

The tagger (dbt_project/models/marts/paper_topics.sql) scores a (paper, topic) pair with a
per-topic logistic model over the rule's evidence and the stems of the paper's words (the
weights: seed topic_term_weights, fitted by tests/topic_model_training.py). A stem is the first
six letters or digits of a word (RE2's `\\b[a-z0-9]{1,6}` with its ASCII word boundary, the
training's STEM_PATTERN), taken from the lower-cased title and ai_keywords (feature
`title:STEM`) and, apart, from the abstract (`abstract:STEM`); a stem counts once per field.

For each paper and each topic that has stem weights, `stem_logits` gives the sum of the weights
of the paper's stems (`stem_logit`, 0 when none has a weight) and the stems adding STRONG or
more (`strong_stems`, for the tag's explanation: the SHOWN that add most, largest first; null
when none). A batch costs memory in
proportion to its papers only: the sum is one sparse product (stems x topic weights), never a
row per (paper, stem, topic), and a stem is looked up in its field's weights as found, never
rewritten as a feature name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

STEM = r"(?-u:\b)[a-z0-9]{1,6}"   # RE2's ASCII \b in polars' (Rust) engine
STRONG = 0.25                     # a stem adding this much or more is named in model_terms,
SHOWN = 4                         # which names the four features adding most: no more are kept
FIELDS = {"title_text": "title:", "abstract_text": "abstract:"}


@dataclass(frozen=True)
class StemWeights:
    """The model's stem weights as a (topic x feature) matrix."""

    topics: list[str]
    features: dict[str, pl.DataFrame]   # per column of FIELDS: stem, f (its column in by_topic)
    by_topic: np.ndarray                 # float64, (topic x feature): row t holds topic t's weights
    strong: pl.DataFrame                 # f, t (the topic's place), weight, feature: weights >= STRONG

    @classmethod
    def of(cls, weights: pl.DataFrame) -> StemWeights:
        """From rows (topic, feature, weight); features other than title:/abstract: stems
        (the rule's evidence, the bias) are left to the SQL."""
        stems = weights.filter(pl.col("feature").str.starts_with("title:")
                               | pl.col("feature").str.starts_with("abstract:"))
        topics = sorted(weights["topic"].unique().to_list())
        features = (stems.select(pl.col("feature").unique().sort())
                    .with_row_index("f").with_columns(pl.col("f").cast(pl.Int64)))
        rows = stems.join(features, on="feature").join(
            pl.DataFrame({"topic": topics, "t": range(len(topics))}, schema_overrides={"t": pl.Int64}), on="topic")
        by_topic = np.zeros((len(topics), features.height))
        np.add.at(by_topic, (rows["t"].to_numpy(), rows["f"].to_numpy()), rows["weight"].to_numpy())
        strong = rows.filter(pl.col("weight") >= STRONG).select("f", "t", "weight", "feature")
        by_field = {field: features.filter(pl.col("feature").str.starts_with(prefix))
                    .select(stem=pl.col("feature").str.strip_prefix(prefix), f="f")
                    for field, prefix in FIELDS.items()}
        return cls(topics, by_field, by_topic, strong)


def field_stems(texts: pl.Series) -> pl.DataFrame:
    """(row, stem): each distinct stem of each text (lower case), `row` its place in `texts`."""
    return (texts.fill_null("").str.extract_all(STEM).list.unique(maintain_order=True).alias("stem").to_frame()
            .with_row_index("row").explode("stem").drop_nulls("stem"))


def stem_logits(papers: pl.DataFrame, weights: StemWeights) -> pl.DataFrame:
    """One row per (paper, topic): paper_id, topic, stem_logit, strong_stems (a list of at most
    SHOWN {adds, feature}, largest first, or null). `papers`: paper_id, title_text, abstract_text."""
    n, k = papers.height, len(weights.topics)
    # each field's stems in text order, looked up in order: the same sums, in the same order, every run
    found = pl.concat([field_stems(papers[field]).join(weights.features[field], on="stem", maintain_order="left")
                       .select("row", "f") for field in FIELDS])
    rows, features = found["row"].to_numpy(), found["f"].to_numpy()
    logits = np.empty((n, k))
    for t in range(k):   # the sparse product, a topic at a time: (stems of the papers) x weights
        logits[:, t] = np.bincount(rows, weights=weights.by_topic[t][features], minlength=n)
    strong = (found.join(weights.strong, on="f")
              .select(key=pl.col("row").cast(pl.Int64) * k + pl.col("t"), adds="weight", feature="feature")
              .sort("key", "adds", "feature", descending=[False, True, True])
              .group_by("key", maintain_order=True)
              .agg(strong_stems=pl.struct("adds", "feature").head(SHOWN)))
    return (pl.DataFrame({
        "key": np.arange(n * k, dtype=np.int64),
        "paper_id": np.repeat(papers["paper_id"].to_numpy(), k),
        "topic": np.tile(np.array(weights.topics, dtype=object), n),
        "stem_logit": logits.reshape(-1),
    }, schema_overrides={"paper_id": pl.String, "topic": pl.String})
        .join(strong, on="key", how="left", maintain_order="left")
        .drop("key"))

"""Cross-validate the tagger's learned model on the dev split (tests/topic_model_training.py).

The dev papers are split into 5 folds, 3 times with different seeds; each fold is tagged by a
model fitted on the other four, exactly as the committed weights are fitted (word pruning,
embedding, the rule's veto flag), and decided as paper_topics.sql decides. The scores are the
micro precision and recall over the named topics, averaged over the seeds, beside the rule
alone. Only dev labels are read.

    python -m tests.topic_model_cv [--threshold 0.3] [--veto 0.1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

from tests.tagger_eval import NAMED_TOPICS
from tests.topic_model_training import (
    RULE_FEATURES,
    dev_papers,
    embeddings,
    fit,
    rule_evidence,
    taxonomy_regexes,
    terms,
)

THRESHOLD, VETO = 0.3, 0.2   # paper_topics' dbt vars topic_model_threshold, topic_rule_veto


def tag(weights, papers, vectors, regexes, threshold=THRESHOLD, veto=VETO) -> list[set[str]]:
    """The named topics each paper gets from these weights, as paper_topics.sql decides."""
    by_topic: dict[str, dict[str, float]] = {}
    for topic, feature, weight in weights:
        by_topic.setdefault(topic, {})[feature] = weight
    tags: list[set[str]] = [set() for _ in papers]
    for topic, w in by_topic.items():
        emb = np.array([w[f"emb:{i}"] for i in range(vectors.shape[1])])
        emb_logits = vectors @ emb
        for i, p in enumerate(papers):
            rule = rule_evidence(p["title"], p["keywords"], p["abstract"], regexes[topic])
            logit = w["bias"] + emb_logits[i] + sum(w[n] * x for n, x in zip(RULE_FEATURES, rule))
            logit += sum(w.get(t, 0.0) for t in terms(p["title"], p["keywords"], p["abstract"]))
            probability = 1 / (1 + np.exp(-logit))
            vetoed = w["rule:vetoable"] > 0 and probability < veto
            if probability >= threshold or (rule[3] and not vetoed):
                tags[i].add(topic)
    return tags


def micro(predicted: list[set[str]], papers: list[dict]) -> tuple[float, float]:
    tp = fp = fn = 0
    for tags, p in zip(predicted, papers):
        truth = p["topics"] & NAMED_TOPICS
        tp += len(tags & truth)
        fp += len(tags - truth)
        fn += len(truth - tags)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def cross_validate(papers, vectors, regexes, folds=5, seeds=(0, 1, 2), **decision) -> dict:
    """Mean micro (precision, recall) of the model and of the rule alone over folds x seeds."""
    model, rule = [], []
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(len(papers))
        predicted: list[set[str]] = [set() for _ in papers]
        for k in range(folds):
            held = order[k::folds]
            train = np.setdiff1d(order, held)
            weights = fit([papers[i] for i in train], regexes, vectors[train])
            for i, tags in zip(held, tag(weights, [papers[i] for i in held], vectors[held],
                                         regexes, **decision)):
                predicted[i] = tags
        model.append(micro(predicted, papers))
        rule.append(micro([{t for t in NAMED_TOPICS if rule_evidence(
            p["title"], p["keywords"], p["abstract"], regexes[t])[3]} for p in papers], papers))
    return {"model": tuple(np.mean(model, axis=0)), "rule": tuple(np.mean(rule, axis=0)),
            "per_seed": model}


def main() -> int:
    import duckdb

    from tests.labelled_papers import build

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--veto", type=float, default=VETO)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = build(Path(tmp))
        with duckdb.connect(str(data.warehouse), read_only=True) as con:
            papers = dev_papers(con)
    result = cross_validate(papers, embeddings(papers), taxonomy_regexes(),
                            threshold=args.threshold, veto=args.veto)
    for name in ("rule", "model"):
        precision, recall = result[name]
        print(f"{name:5s} precision {precision:.3f} recall {recall:.3f}")
    print("per seed:", ", ".join(f"{p:.3f}/{r:.3f}" for p, r in result["per_seed"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Cross-validate the tagger's learned model on the dev papers (tests/topic_model_training.py).

The dev split of the labelled papers (tests/data/topic_labels.csv) is split into FOLDS
folds, again for each of SEEDS; each fold is tagged by a model fitted on the others exactly as
the committed weights are fitted (stem vocabulary, pruning, the rule's veto flag, all from the
training folds only) and decided as paper_topics.sql decides. The scores are micro precision and
recall over the named topics, averaged over the seeds, beside the rule alone; per topic, the
counts of all seeds pooled. The test split is never read.

    python -m tests.topic_model_cv [--threshold 0.3] [--veto 0.2] [--seeds 5] [--folds 5]
                                   [--top-terms 1000] [--variants model,own-rule,...] [--sweep]

Variants: `model` (the committed tagger), `own-rule` (only
the modelled topic's own rule evidence), `title-words` (no abstract stems), `model-only` (tag by
the probability alone, no rule tag), `ungated` (the model may also tag a topic the rule
found no mention of), `rule` (the rule alone).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from tests.tagger_eval import NAMED_TOPICS
from tests.topic_model_training import (
    TOP_TERMS,
    C,
    features,
    fit,
    load_labelled_papers,
    probabilities,
    taxonomy_regexes,
)

THRESHOLD, VETO = 0.3, 0.2   # paper_topics' dbt vars topic_model_threshold, topic_rule_veto
VARIANTS = ("rule", "model", "own-rule", "title-words", "ungated", "model-only")


def rule_evidence_of(rows: list[dict[str, float]]) -> dict[str, dict[str, np.ndarray]]:
    """{'tags': topic -> the rule tags it (score >= 4), 'seen': topic -> the rule found at least
    one mention of it (score >= 1)} per paper."""
    return {
        "tags": {t: np.array([row.get(f"rule:{t}:score4", 0) > 0 for row in rows])
                 for t in NAMED_TOPICS},
        "seen": {t: np.array([any(row.get(f"rule:{t}:{name}", 0) > 0 for name in
                                  ("title_hit", "keyword_hits", "abstract_hits")) for row in rows])
                 for t in NAMED_TOPICS},
    }


def decide(probs: dict[str, np.ndarray], vetoable: dict[str, np.ndarray], rule: dict,
           threshold: float = THRESHOLD, veto: float = VETO,
           mode: str = "model") -> dict[str, np.ndarray]:
    """topic -> tagged (bool per paper), as paper_topics.sql decides (mode 'model'): the
    probability reaches the threshold and the rule found the topic at least once, or the rule
    tags the topic and the model does not overrule it (it may only where the topic's rule is
    vetoable, below `veto`). Mode 'ungated' drops the first condition's "found at least once",
    mode 'model-only' tags by the probability alone."""
    out = {}
    for topic in NAMED_TOPICS:
        p = probs[topic]
        if mode == "model-only":
            out[topic] = p >= threshold
            continue
        seen = rule["seen"][topic] if mode == "model" else True
        kept = np.where(vetoable[topic], p >= veto, True)
        out[topic] = ((p >= threshold) & seen) | (rule["tags"][topic] & kept)
    return out


def counts(tags: dict[str, np.ndarray], papers: list[dict]) -> dict[str, np.ndarray]:
    """topic -> [tp, fp, fn]."""
    out = {}
    for topic in NAMED_TOPICS:
        y = np.array([topic in p["topics"] for p in papers])
        t = tags[topic]
        out[topic] = np.array([(t & y).sum(), (t & ~y).sum(), (~t & y).sum()])
    return out


def micro(c: dict[str, np.ndarray]) -> tuple[float, float]:
    tp, fp, fn = sum(c.values())
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def restrict(rows: list[dict[str, float]], variant: str) -> list[dict[str, float]]:
    """The features a variant sees."""
    if variant == "title-words":
        return [{k: v for k, v in row.items() if not k.startswith("abstract:")} for row in rows]
    return rows


def out_of_fold(papers, rows, regexes, folds, seed, variant, top_terms=TOP_TERMS, c=C, **options):
    """Per topic each paper's probability from the model fitted without its fold, and the
    rule_vetoable flag of each fold's model (topic -> per paper)."""
    order = np.random.default_rng(seed).permutation(len(papers))
    probs = {t: np.zeros(len(papers)) for t in NAMED_TOPICS}
    vetoable = {t: np.zeros(len(papers), dtype=bool) for t in NAMED_TOPICS}
    for k in range(folds):
        held = np.sort(order[k::folds])
        train = np.setdiff1d(order, held)
        weights = fit([papers[i] for i in train], regexes, rows=[rows[i] for i in train],
                      top_terms=top_terms, c=c,
                      own_rule_only=variant == "own-rule", **options)
        p = probabilities(weights, [rows[i] for i in held])
        flags = {t: w > 0 for t, f, w in weights if f == "rule_vetoable"}
        for t in NAMED_TOPICS:
            probs[t][held] = p[t]
            vetoable[t][held] = flags[t]
    return probs, vetoable


def mode_of(variant: str) -> str:
    return variant if variant in ("ungated", "model-only") else "model"


def cross_validate(papers, regexes, variants=("rule", "model"), folds=5, seeds=range(5),
                   threshold=THRESHOLD, veto=VETO, top_terms=TOP_TERMS, c=C) -> dict:
    """variant -> {'micro': (p, r) mean over seeds, 'per_seed': [(p, r)], 'topics': pooled
    counts, 'oof': [(probs, vetoable)] per seed}."""
    rows = [features(p, regexes) for p in papers]
    rule = rule_evidence_of(rows)
    results = {}
    for variant in variants:
        per_seed, pooled, oof = [], {t: np.zeros(3, dtype=int) for t in NAMED_TOPICS}, []
        for seed in seeds:
            if variant == "rule":
                tags = rule["tags"]
            else:
                probs, vetoable = out_of_fold(papers, restrict(rows, variant), regexes, folds, seed,
                                              variant, top_terms, c)
                oof.append((probs, vetoable))
                tags = decide(probs, vetoable, rule, threshold, veto, mode_of(variant))
            c_seed = counts(tags, papers)
            per_seed.append(micro(c_seed))
            for t in NAMED_TOPICS:
                pooled[t] += c_seed[t]
            if variant == "rule":
                break
        results[variant] = {"micro": tuple(np.mean(per_seed, axis=0)), "per_seed": per_seed,
                            "topics": pooled, "oof": oof}
    results["_rule"] = rule
    return results


def format_topics(pooled: dict[str, np.ndarray], papers: list[dict], seeds: int) -> str:
    lines = ["| topic | precision | recall | support |", "| --- | ---: | ---: | ---: |"]
    for topic in sorted(NAMED_TOPICS):
        tp, fp, fn = pooled[topic]
        support = sum(topic in p["topics"] for p in papers)
        lines.append(f"| {topic} | {tp / max(tp + fp, 1):.2f} | {tp / max(tp + fn, 1):.2f} | {support} |")
    p, r = micro(pooled)
    lines.append(f"| **micro, 17 named topics** | **{p:.2f}** | **{r:.2f}** | "
                 f"{sum(len(p_['topics'] & NAMED_TOPICS) for p_ in papers)} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--veto", type=float, default=VETO)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--top-terms", type=int, default=TOP_TERMS)
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--variants", default="rule,model",
                        help=f"comma-separated, of {', '.join(VARIANTS)}")
    parser.add_argument("--sweep", action="store_true",
                        help="also print each variant's precision/recall at other thresholds")
    args = parser.parse_args()
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if unknown := set(variants) - set(VARIANTS):
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    papers = load_labelled_papers()
    result = cross_validate(papers, taxonomy_regexes(), variants, args.folds, range(args.seeds),
                            args.threshold, args.veto, args.top_terms, args.c)
    print(f"{len(papers)} labelled papers, {args.folds} folds x {args.seeds} seeds, "
          f"threshold {args.threshold}, veto {args.veto}, top terms {args.top_terms}, C {args.c}")
    for variant in variants:
        precision, recall = result[variant]["micro"]
        seeds = ", ".join(f"{p:.3f}/{r:.3f}" for p, r in result[variant]["per_seed"])
        print(f"{variant:12s} precision {precision:.3f} recall {recall:.3f}   per seed: {seeds}")
        if args.sweep and result[variant]["oof"]:
            points = []
            for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
                per_seed = []
                for probs, vetoable in result[variant]["oof"]:
                    tags = decide(probs, vetoable, result["_rule"], threshold,
                                  min(args.veto, threshold), mode_of(variant))
                    per_seed.append(micro(counts(tags, papers)))
                p, r = np.mean(per_seed, axis=0)
                points.append(f"{threshold}: {p:.3f}/{r:.3f}")
            print("    thresholds " + ", ".join(points))
    chosen = "model" if "model" in variants else variants[0]
    print(f"\nper topic ({chosen}, {args.seeds} seeds pooled):\n")
    print(format_topics(result[chosen]["topics"], papers, args.seeds))
    return 0


if __name__ == "__main__":
    sys.exit(main())

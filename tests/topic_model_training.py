"""Learn the per-topic weights of the tagger (dbt_project/seeds/topic_term_weights.csv).

The tagger combines the taxonomy's regex evidence with a logistic model per named topic
(docs/topic-tagging.md). This fits those models on the dev split of the labelled papers
(tests/data/topic_labels.csv); the test split is never read here: it is scored only by
tests/labelled_papers.py, so its numbers are on papers the model was not fitted or tuned on. The papers' text
comes from a warehouse of the labelled papers built by the real pipeline
(tests/labelled_papers.py), so it needs ../shared/data; the tagger itself needs only the
committed weights.

Features of a paper, the same that paper_topics.sql computes (value 1 unless said):
    rule:TOPIC:title_hit        the taxonomy regex of TOPIC matches the title
    rule:TOPIC:keyword_hits     how many ai_keywords it matches (the count)
    rule:TOPIC:abstract_hits    its matches in the abstract, capped at 4 (the count)
    rule:TOPIC:score4           the rule alone tags TOPIC (3 x title + keywords + abstract >= 4)
    title:STEM                  a word of the title or an ai_keyword starts with STEM
    abstract:STEM               a word of the abstract starts with STEM
for every topic of the taxonomy (not only the modelled one: multimodal evidence speaks against
llm). A STEM is the first 6 letters or digits of a word (`\\b[a-z0-9]{1,6}` on the lower-cased
text, STEM_PATTERN), so "quantization", "quantized" and "quantizing" are one feature.
Stems seen in fewer than MIN_DOCS papers are left out. Per topic an L2 logistic regression
(liblinear, C) is fitted on all of them; the TOP_TERMS stems of largest weight are kept and the
model is refitted on those and the rule features, so the committed weights are the model the
tagger runs. 'rule_vetoable' (1 or 0) says whether the model may overrule the rule's own tag of
the topic (its precision on the training papers is below VETO_BELOW_PRECISION, and the topic has
at least VETO_MIN_EXAMPLES training papers).

    python -m tests.topic_model_training [--out dbt_project/seeds/topic_term_weights.csv]
    python -m tests.topic_model_cv      # the same fit, cross-validated
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

from tests.tagger_eval import DEFAULT_LABELS, NAMED_TOPICS, read_labels

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = ROOT / "dbt_project" / "seeds" / "topic_taxonomy.csv"
WEIGHTS = ROOT / "dbt_project" / "seeds" / "topic_term_weights.csv"
# The same pattern as paper_topics.sql's `stem_pattern`: RE2's \b is ASCII, as re.ASCII's.
STEM_PATTERN = re.compile(r"\b[a-z0-9]{1,6}", re.ASCII)
MIN_DOCS, TOP_TERMS, C = 3, 1000, 1.0
# Stems in more than MAX_SHARE of the papers ("the", "we", "model") are left out.
MAX_SHARE = 1.0
# The rule features enter the regression multiplied by RULE_SCALE, so that the L2 penalty
# weighs them less than a word; the committed weights have the scale folded in.
RULE_SCALE = 1.0
# The model may overrule a rule tag only for topics whose rule has a training precision below
# this: where the rule is reliable and the topic has few examples the model does not veto it.
VETO_BELOW_PRECISION = 0.88
# ... and only for topics with at least this many training papers: a model fitted on a few dozen
# examples of a topic must not take the rule's tags away (a protein-structure paper keeps
# science-health).
VETO_MIN_EXAMPLES = 30
EVIDENCE = ("title_hit", "keyword_hits", "abstract_hits", "score4")
# paper_topics.sql's modality rewrite: "vision-language model" -> "vision-llm" before matching.
MODALITY_LM = re.compile(r"\b(multi-?modal|vision|visual|video|audio|speech|omni-?modal|omni)"
                         r"[ -](?:large )?(?:language models?|llms?)\b")


def _rewrite(text: str) -> str:
    return MODALITY_LM.sub(lambda m: m.group(1) + "-llm", re.sub(r"\s+", " ", text.lower()))


def taxonomy_regexes(path: Path = TAXONOMY) -> dict[str, re.Pattern]:
    """topic -> its patterns OR-ed in one regex, as topic_regexes() builds it for the SQL."""
    patterns: dict[str, list[str]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            patterns.setdefault(row["topic"], []).append(row["pattern"])
    return {topic: re.compile("|".join(f"(?:{p})" for p in sorted(ps)))
            for topic, ps in patterns.items()}


def rule_evidence(title: str, keywords: list[str], abstract: str, regex: re.Pattern) -> tuple:
    """(title_hit, keyword_hits, abstract_hits capped at 4, score >= 4), as paper_topics.sql."""
    title_hit = int(bool(regex.search(_rewrite(title))))
    keyword_hits = sum(1 for k in keywords if regex.search(_rewrite(k)))
    abstract_hits = min(len(regex.findall(_rewrite(abstract))), 4)
    return title_hit, keyword_hits, abstract_hits, int(3 * title_hit + keyword_hits + abstract_hits >= 4)


def stems(text: str) -> set[str]:
    """The distinct word stems of a text (STEM_PATTERN on the lower-cased text)."""
    return set(STEM_PATTERN.findall(text.lower()))


def features(paper: dict, regexes: dict[str, re.Pattern]) -> dict[str, float]:
    """A paper's non-zero features (see the module's docstring) with their values."""
    out: dict[str, float] = {}
    for topic, regex in regexes.items():
        for name, value in zip(EVIDENCE, rule_evidence(
                paper["title"], paper["keywords"], paper["abstract"], regex)):
            if value:
                out[f"rule:{topic}:{name}"] = float(value)
    out.update(dict.fromkeys(
        ("title:" + s for s in stems("\n".join([paper["title"], *paper["keywords"]]))), 1.0))
    out.update(dict.fromkeys(("abstract:" + s for s in stems(paper["abstract"])), 1.0))
    return out


def labelled_papers(con, labels_path: Path = DEFAULT_LABELS,
                    splits: tuple[str, ...] = ("dev",)) -> list[dict]:
    """The labelled papers of these splits with their text, from a warehouse of marts.papers,
    in paper_id order."""
    labels = {row["key"]: row["topics"] for row in read_labels(labels_path)
              if row["split"] in splits}
    papers = []
    for paper_id, title, abstract, keywords in con.execute(
            "select paper_id, title, abstract, ai_keywords from marts.papers order by paper_id").fetchall():
        key = paper_id if paper_id in labels else "title:" + re.sub(r"\s+", " ", title or "").strip().lower()
        if key in labels:
            papers.append({"paper_id": paper_id, "title": title or "", "abstract": abstract or "",
                           "keywords": list(keywords or []), "topics": labels[key]})
    return papers


def design(rows: list[dict[str, float]], columns: list[str]):
    """Papers x columns, a sparse matrix of the papers' feature values."""
    from scipy import sparse

    index = {name: j for j, name in enumerate(columns)}
    cells = [(i, index[name], value) for i, row in enumerate(rows)
             for name, value in row.items() if name in index]
    i, j, v = zip(*cells) if cells else ((), (), ())
    return sparse.csr_matrix((v, (i, j)), shape=(len(rows), len(columns)))


def fit(papers: list[dict], regexes: dict[str, re.Pattern], rows: list[dict[str, float]] | None = None,
        top_terms: int | None = TOP_TERMS, c: float = C, own_rule_only: bool = False, rule_scale: float | None = None,
        max_share: float | None = None) -> list[tuple[str, str, float]]:
    """(topic, feature, weight) rows per named topic: 'bias', 'rule_vetoable', the rule features
    of every taxonomy topic and the kept stems. `rows` are the papers' features (computed when
    not given). For the CV's variants: `own_rule_only` leaves out the other topics' rule
    features."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    rows = rows if rows is not None else [features(p, regexes) for p in papers]
    rules = [f"rule:{topic}:{name}" for topic in sorted(regexes) for name in EVIDENCE]
    counts: dict[str, int] = {}
    for row in rows:
        for name in row:
            if not name.startswith("rule:"):
                counts[name] = counts.get(name, 0) + 1
    rule_scale = RULE_SCALE if rule_scale is None else rule_scale
    max_share = MAX_SHARE if max_share is None else max_share
    vocab = sorted(name for name, n in counts.items()
                   if n >= MIN_DOCS and n <= max_share * len(rows))
    words, rule_matrix = design(rows, vocab), design(rows, rules) * rule_scale

    def logistic(word_columns, rule_columns, y):
        x = sparse.hstack([words[:, word_columns], rule_matrix[:, rule_columns]]).tocsr()
        return LogisticRegression(C=c, max_iter=5000).fit(x, y)

    weights = []
    for topic in sorted(NAMED_TOPICS):
        y = np.array([topic in p["topics"] for p in papers])
        used = [j for j, name in enumerate(rules)
                if not own_rule_only or name.startswith(f"rule:{topic}:")]
        keep = np.arange(len(vocab))
        if top_terms is not None and top_terms < len(vocab):
            full = logistic(keep, used, y).coef_[0][:len(vocab)]
            keep = np.sort(np.argsort(-np.abs(full), kind="stable")[:top_terms])
        model = logistic(keep, used, y)
        names = [vocab[j] for j in keep] + [rules[j] for j in used]
        coef = model.coef_[0].copy()
        coef[len(keep):len(keep) + len(used)] *= rule_scale
        own = rule_matrix[:, rules.index(f"rule:{topic}:score4")].toarray().ravel() > 0
        rule_precision = (own & y).sum() / max(own.sum(), 1)
        weights.append((topic, "bias", float(model.intercept_[0])))
        vetoable = rule_precision < VETO_BELOW_PRECISION and y.sum() >= VETO_MIN_EXAMPLES
        weights.append((topic, "rule_vetoable", float(vetoable)))
        weights += [(topic, name, float(w)) for name, w in zip(names, coef) if abs(w) >= 1e-4]
    return weights


def probabilities(weights: list[tuple[str, str, float]],
                  rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
    """topic -> each paper's probability under these weights, as paper_topics.sql computes it."""
    by_topic: dict[str, dict[str, float]] = {}
    for topic, feature, weight in weights:
        by_topic.setdefault(topic, {})[feature] = weight
    out = {}
    for topic, w in by_topic.items():
        logits = np.array([w["bias"] + sum(w.get(name, 0.0) * value for name, value in row.items())
                           for row in rows])
        out[topic] = 1 / (1 + np.exp(-logits))
    return out


def write_weights(weights: list[tuple[str, str, float]], out: Path = WEIGHTS) -> None:
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["topic", "feature", "weight"])
        for topic, feature, weight in weights:
            writer.writerow([topic, feature, f"{weight:.5g}"])


def load_labelled_papers() -> list[dict]:
    """Build the labelled papers' warehouse in a temporary folder and read them back."""
    import duckdb

    from tests.labelled_papers import build

    with tempfile.TemporaryDirectory() as tmp:
        data = build(Path(tmp))
        with duckdb.connect(str(data.warehouse), read_only=True) as con:
            return labelled_papers(con)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()
    papers = load_labelled_papers()
    weights = fit(papers, taxonomy_regexes())
    write_weights(weights, args.out)
    print(f"{len(papers)} labelled papers, {len(weights)} weights -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

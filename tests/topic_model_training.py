"""Learn the per-topic term weights of the tagger (dbt_project/seeds/topic_term_weights.csv).

The tagger combines the taxonomy's regex evidence with a logistic model per named topic
(docs/topic-tagging.md). This fits those models on the **dev** split of the labelled papers
only (tests/data/topic_labels.csv); the test split is never read here. The papers' text comes
from a warehouse of the labelled papers built by the real pipeline (tests/labelled_papers.py),
so it needs ../shared/data; the tagger itself needs only the committed weights.

Features of a (paper, topic), all 0/1 or small counts, the same that paper_topics.sql computes:
    rule:title_hit, rule:keyword_hits, rule:abstract_hits   the taxonomy's evidence for the topic
    rule:score4                                              1 when the rule alone tags the topic
    title:WORD      WORD occurs in the title or an ai_keyword (lower-cased)
    abstract:WORD   WORD occurs in the abstract
    emb:I           dimension I of the paper's static embedding (transforms/paper_embedding.py)
Words are TERM_PATTERN matches (single words, hyphenated compounds kept whole) seen in at
least MIN_DOCS dev papers. Per topic an L2 logistic regression is fitted on all words, the
embedding and the rule features; the TOP_TERMS words of largest weight are kept, and the model
is refitted on those, the embedding and the rule features, so the committed weights are the
model the tagger runs (no pruning after the fit). 'rule:vetoable' (1 or 0) says whether the
model may overrule the rule's tag of the topic (VETO_BELOW_PRECISION).

    python -m tests.topic_model_training [--out dbt_project/seeds/topic_term_weights.csv]
    python -m tests.topic_model_cv      # the same fit, cross-validated on the dev split
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
# The same pattern as paper_topics.sql's `term_pattern` (RE2 and Python agree on it).
TERM_PATTERN = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
MIN_DOCS, TOP_TERMS, C = 3, 300, 1.0
# The embedding enters the regression multiplied by EMB_SCALE (its unit-length coordinates are
# ~0.06, too small for the shared L2 penalty); the committed weights have the scale folded in.
EMB_SCALE = 5.0
# The model may overrule a rule tag only for topics whose rule has a dev precision below this:
# where the rule is reliable and the topic has few examples the model does not veto it.
VETO_BELOW_PRECISION = 0.88
RULE_FEATURES = ("rule:title_hit", "rule:keyword_hits", "rule:abstract_hits", "rule:score4")
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


def terms(title: str, keywords: list[str], abstract: str) -> set[str]:
    """The word features of a paper: title:WORD (title and keywords) and abstract:WORD."""
    short = set(re.findall(TERM_PATTERN, "\n".join([title, *keywords]).lower()))
    return {"title:" + w for w in short} | {"abstract:" + w for w in re.findall(TERM_PATTERN, abstract.lower())}


def dev_papers(con, labels_path: Path = DEFAULT_LABELS) -> list[dict]:
    """The dev-split labelled papers with their text, from a warehouse of marts.papers."""
    dev = {row["key"]: row["topics"] for row in read_labels(labels_path) if row["split"] == "dev"}
    papers = []
    for paper_id, title, abstract, keywords in con.execute(
            "select paper_id, title, abstract, ai_keywords from marts.papers order by paper_id").fetchall():
        key = paper_id if paper_id in dev else "title:" + re.sub(r"\s+", " ", title or "").strip().lower()
        if key in dev:
            papers.append({"title": title or "", "abstract": abstract or "",
                           "keywords": list(keywords or []), "topics": dev[key]})
    return papers


def word_matrix(docs: list[set[str]], vocab: list[str]):
    """Papers x vocab, 1 where the paper has the word feature."""
    from scipy import sparse

    index = {t: j for j, t in enumerate(vocab)}
    rows, cols = [], []
    for i, doc in enumerate(docs):
        for term in doc:
            if term in index:
                rows.append(i)
                cols.append(index[term])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(docs), len(vocab)))


def embeddings(papers: list[dict]) -> np.ndarray:
    """The papers' embeddings, as paper_topics computes them (paper_embedding)."""
    from transforms.paper_embedding import embed, paper_text

    return embed([paper_text(p["title"], p["keywords"], p["abstract"]) for p in papers])


def fit(papers: list[dict], regexes: dict[str, re.Pattern],
        vectors: np.ndarray) -> list[tuple[str, str, float]]:
    """(topic, feature, weight) rows per topic: 'bias', the rule features, 'rule:vetoable',
    the kept words and 'emb:I' for each embedding dimension."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    docs = [terms(p["title"], p["keywords"], p["abstract"]) for p in papers]
    counts: dict[str, int] = {}
    for doc in docs:
        for term in doc:
            counts[term] = counts.get(term, 0) + 1
    vocab = sorted(t for t, n in counts.items() if n >= MIN_DOCS)
    words = word_matrix(docs, vocab)
    dense = sparse.csr_matrix(vectors * EMB_SCALE)

    weights = []
    for topic in sorted(NAMED_TOPICS):
        rule = np.array([rule_evidence(p["title"], p["keywords"], p["abstract"], regexes[topic])
                         for p in papers], dtype=float)
        y = np.array([topic in p["topics"] for p in papers])
        full = LogisticRegression(C=C, max_iter=5000).fit(
            sparse.hstack([words, dense, rule]).tocsr(), y)
        keep = np.sort(np.argsort(-np.abs(full.coef_[0][:len(vocab)]), kind="stable")[:TOP_TERMS])
        model = LogisticRegression(C=C, max_iter=5000).fit(
            sparse.hstack([words[:, keep], dense, rule]).tocsr(), y)
        coef = model.coef_[0]
        word_coef, emb_coef = coef[:len(keep)], coef[len(keep):len(keep) + vectors.shape[1]]
        rule_tags = rule[:, 3] > 0
        rule_precision = (rule_tags & y).sum() / max(rule_tags.sum(), 1)
        weights.append((topic, "bias", float(model.intercept_[0])))
        weights += [(topic, name, float(w)) for name, w in zip(RULE_FEATURES, coef[-len(RULE_FEATURES):])]
        weights.append((topic, "rule:vetoable", float(rule_precision < VETO_BELOW_PRECISION)))
        weights += [(topic, vocab[j], float(w)) for j, w in zip(keep, word_coef) if abs(w) >= 1e-4]
        weights += [(topic, f"emb:{i}", float(w) * EMB_SCALE) for i, w in enumerate(emb_coef)]
    return weights


def write_weights(weights: list[tuple[str, str, float]], out: Path = WEIGHTS) -> None:
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["topic", "feature", "weight"])
        for topic, feature, weight in weights:
            writer.writerow([topic, feature, f"{weight:.5g}"])


def main() -> int:
    import duckdb

    from tests.labelled_papers import build

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = build(Path(tmp))
        with duckdb.connect(str(data.warehouse), read_only=True) as con:
            papers = dev_papers(con)
    weights = fit(papers, taxonomy_regexes(), embeddings(papers))
    write_weights(weights, args.out)
    print(f"{len(papers)} dev papers, {len(weights)} weights -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

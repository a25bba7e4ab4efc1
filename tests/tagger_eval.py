"""Measure the topic tagger (marts.paper_topics) against human-judged labels.

The labels file (tests/data/topic_labels.csv) has columns
    arxiv_id_or_title_key, month, topics, split, draw, settled
where the key is an arXiv id, or 'title:' + the lower-cased whitespace-folded title for papers
whose snapshot shows no arXiv id (papers of the bundled capture only); topics is ';'-separated
('other' when no topic fits), split is 'dev' or 'test', draw is the sample the paper came
from ('sample': the first 624 and 'holdout': the next 312, both dev; 'fresh': the third
draw of 312, the test split), and settled
says whether the two readers agreed or how their disagreement was settled
(tests/data/topic_readings*.csv hold both readings). The file holds no titles or
abstracts: the papers' text is read from the warehouse, built from ../shared/data.

    evaluate(con, labels_path, split="test") -> dict
    format_table(result) -> str

`con` is an open DuckDB connection with marts.paper_topics (paper_id, topic) and
marts.papers (paper_id, title). Labelled papers absent from marts.papers are reported under
"missing" and left out of the scores.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

DEFAULT_LABELS = Path(__file__).parent / "data" / "topic_labels.csv"
# The topics precision and recall are reported over (docs/topic-definitions.md); the micro
# average leaves out the later topics and `other`, which are still listed per topic.
NAMED_TOPICS = frozenset({
    "llm", "reasoning", "reinforcement-learning", "agents", "multimodal", "image-generation",
    "video", "3d-vision", "speech-audio", "code", "efficiency", "alignment-safety",
    "retrieval-rag", "robotics-embodied", "datasets-benchmarks", "theory-generalization",
    "science-health",
})


def _fold_title(title: str) -> str:
    return re.sub(r"\s+", " ", title or "").strip().lower()


def read_labels(labels_path: str | Path = DEFAULT_LABELS) -> list[dict]:
    """The labels file as dicts: key, topics (a set), split."""
    with open(labels_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    labels = []
    for row in rows:
        key = row["arxiv_id_or_title_key"].strip()
        if key.startswith("title:"):
            key = "title:" + _fold_title(key[len("title:"):])
        topics = {t.strip() for t in row["topics"].split(";") if t.strip()}
        labels.append({"key": key, "topics": topics, "split": row["split"].strip()})
    return labels


def _predicted_topics(con) -> dict[str, set[str]]:
    """Label key -> predicted topics, for every paper in marts.papers."""
    rows = con.execute(
        """
        select p.paper_id, p.title, t.topic
        from marts.papers as p
        left join marts.paper_topics as t using (paper_id)
        """
    ).fetchall()
    predicted: dict[str, set[str]] = {}
    for paper_id, title, topic in rows:
        for key in (paper_id, "title:" + _fold_title(title)):
            predicted.setdefault(key, set())
            if topic is not None:
                predicted[key].add(topic)
    return predicted


def evaluate(con, labels_path: str | Path = DEFAULT_LABELS, split: str | None = "test") -> dict:
    """Per-topic precision/recall/support and micro averages on one split (None: all rows).

    A (paper, topic) pair counts once. Every topic, 'other' included, is scored on its own; the
    micro average is over the named topics (NAMED_TOPICS). Precision is None for a topic never
    predicted on the split, recall is None for a topic with no support.
    """
    labels = [r for r in read_labels(labels_path) if split is None or r["split"] == split]
    predicted = _predicted_topics(con)

    counts: dict[str, dict[str, int]] = {}
    missing = []
    n_papers = 0
    for row in labels:
        pred = predicted.get(row["key"])
        if pred is None:
            missing.append(row["key"])
            continue
        n_papers += 1
        gold = row["topics"]
        for topic in gold | pred:
            c = counts.setdefault(topic, {"tp": 0, "fp": 0, "fn": 0})
            if topic in gold and topic in pred:
                c["tp"] += 1
            elif topic in pred:
                c["fp"] += 1
            else:
                c["fn"] += 1

    def ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    per_topic = {}
    for topic in sorted(counts):
        c = counts[topic]
        per_topic[topic] = {
            "precision": ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": ratio(c["tp"], c["tp"] + c["fn"]),
            "support": c["tp"] + c["fn"],
            "predicted": c["tp"] + c["fp"],
            **c,
        }
    named = [c for topic, c in counts.items() if topic in NAMED_TOPICS]
    tp = sum(c["tp"] for c in named)
    fp = sum(c["fp"] for c in named)
    fn = sum(c["fn"] for c in named)
    return {
        "split": split or "all",
        "n_papers": n_papers,
        "missing": missing,
        "micro": {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn),
                  "tp": tp, "fp": fp, "fn": fn},
        "per_topic": per_topic,
    }


def format_table(result: dict) -> str:
    """A Markdown table of the per-topic scores, with the micro average as the last row."""

    def cell(value) -> str:
        return "-" if value is None else f"{value:.2f}"

    lines = [
        f"split: {result['split']}, papers: {result['n_papers']}"
        + (f", missing: {len(result['missing'])}" if result["missing"] else ""),
        "",
        "| topic | precision | recall | support | predicted |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for topic, m in result["per_topic"].items():
        lines.append(f"| {topic} | {cell(m['precision'])} | {cell(m['recall'])} "
                     f"| {m['support']} | {m['predicted']} |")
    micro = result["micro"]
    lines.append(f"| **micro, named topics** | **{cell(micro['precision'])}** | **{cell(micro['recall'])}** "
                 f"| {micro['tp'] + micro['fn']} | {micro['tp'] + micro['fp']} |")
    return "\n".join(lines)

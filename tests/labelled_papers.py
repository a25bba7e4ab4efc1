"""A warehouse of the labelled papers only, built by the real pipeline, to measure the tagger.

The label set (tests/data/topic_labels.csv) spans May 2023 to November 2025. Ingesting the
whole real history for it would take ten times longer than needed, so this writes, for every
listing day of ../shared/data that lists a labelled paper, a JSON file holding the labelled
papers of that day (their items as the API gave them), into a temporary folder, and ingests
those with the pipeline. The papers' text never enters the repository.

    python -m tests.labelled_papers [--split test|dev|all]

builds the warehouse in a temporary data dir and prints the scores (tests/tagger_eval.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

from orchestration.storage.settings import DataDir, export_environment
from tests.data.label_sample import listing_files
from tests.tagger_eval import DEFAULT_LABELS, read_labels


def write_labelled_days(out: Path, labels_path: Path = DEFAULT_LABELS) -> list[Path]:
    """One JSON file per listing day with its labelled papers; each paper on its first day."""
    wanted = {row["key"] for row in read_labels(labels_path)}
    out.mkdir(parents=True, exist_ok=True)
    written, seen = [], set()
    for paths in listing_files().values():
        for path in paths:
            items = [item for item in json.loads(path.read_bytes())
                     if item["paper"]["id"] in wanted and item["paper"]["id"] not in seen]
            if items:
                seen.update(item["paper"]["id"] for item in items)
                target = out / path.name
                target.write_text(json.dumps(items), encoding="utf-8")
                written.append(target)
    return written


def build(root: Path, labels_path: Path = DEFAULT_LABELS) -> DataDir:
    """A data dir under root whose warehouse holds the labelled papers, tagged by dbt."""
    from orchestration.runs.runner import run_pipeline
    from orchestration.storage.landing import land_files

    days = write_labelled_days(root / "labelled-days", labels_path)
    data = DataDir(root / "data").ensure()
    export_environment(data)
    land_files([root / "labelled-days"], data)
    first, last = min(p.stem for p in days), max(p.stem for p in days)
    result = run_pipeline(data, date.fromisoformat(first), date.fromisoformat(last))
    if not result.success:
        raise RuntimeError("the pipeline run over the labelled papers failed")
    return data


def main() -> int:
    import duckdb

    from tests.tagger_eval import evaluate, format_table

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["test", "dev", "all"], default="test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = build(Path(tmp))
        with duckdb.connect(str(data.warehouse), read_only=True) as con:
            print(format_table(evaluate(con, split=None if args.split == "all" else args.split)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

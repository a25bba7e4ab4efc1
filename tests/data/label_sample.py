"""The papers of the topic-label set: which real papers people read and labelled, and the split.

The set is drawn once, reproducibly, from the real listings in ../shared/data (not in the
repository: the papers' text is not ours to redistribute): 26 papers from each of the 24 months
there (May 2023 to April 2025 without March 2025, and November 2025), 624 in all. A paper's split
is decided by its id alone (sha256), so it never moves: about 40% are `test`, kept untouched
while the tagger is tuned, the rest `dev`.

    python -m tests.data.label_sample OUT_DIR [--packets 4] [--draw sample|holdout|fresh]

writes reading packets (id, title, abstract, keywords) for the readers into OUT_DIR, outside the
repository; `topic_labels.csv` keeps only ids, months, labels and splits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from tests.shared_data import SHARED_DATA as SHARED

PER_MONTH = 26
SEED = 20261202
# A second, later draw of papers the first sample does not hold: the held-out set on which the
# tagger is scored after it was tuned on every paper of the first sample.
HOLDOUT_PER_MONTH = 13
HOLDOUT_SEED = 20261203
# A third draw, of papers neither earlier draw holds: the held-out set after the tagger was tuned
# on the first two (whose scores had then been seen while tuning).
FRESH_PER_MONTH = 13
FRESH_SEED = 20261204


def split_of(paper_id: str) -> str:
    return "test" if int(hashlib.sha256(paper_id.encode()).hexdigest(), 16) % 5 < 2 else "dev"


def listing_files(shared: Path = SHARED) -> dict[str, list[Path]]:
    """month (YYYY-MM) -> its listing-day files, for every month of the real data."""
    files = sorted(shared.glob("hf_api_history/*/*.json")) + sorted(shared.glob("hf_api_daily/*.json"))
    months: dict[str, list[Path]] = {}
    for path in files:
        months.setdefault(path.stem[:7], []).append(path)
    return months


def papers_by_month(shared: Path = SHARED) -> dict[str, dict[str, dict]]:
    """month -> {arxiv id: paper object}, each paper in the month it was first listed."""
    seen: set[str] = set()
    out: dict[str, dict[str, dict]] = {}
    for month, paths in sorted(listing_files(shared).items()):
        for path in paths:
            for item in json.loads(path.read_bytes()):
                paper = item["paper"]
                if paper["id"] not in seen:
                    seen.add(paper["id"])
                    out.setdefault(month, {})[paper["id"]] = paper
    return out


def sample(shared: Path = SHARED) -> list[tuple[str, str]]:
    """[(month, arxiv id)] of the label set, in reading order."""
    rng = random.Random(SEED)
    chosen = []
    for month, papers in sorted(papers_by_month(shared).items()):
        chosen += [(month, pid) for pid in rng.sample(sorted(papers), PER_MONTH)]
    rng.shuffle(chosen)
    return chosen


def draw_other_papers(taken: set[str], per_month: int, seed: int,
                      shared: Path = SHARED) -> list[tuple[str, str]]:
    """[(month, arxiv id)]: per_month papers of every month that are not in `taken`."""
    rng = random.Random(seed)
    chosen = []
    for month, papers in sorted(papers_by_month(shared).items()):
        chosen += [(month, pid) for pid in rng.sample(sorted(set(papers) - taken), per_month)]
    rng.shuffle(chosen)
    return chosen


def holdout(shared: Path = SHARED) -> list[tuple[str, str]]:
    """[(month, arxiv id)] of the held-out draw: other papers than sample(), same months."""
    taken = {pid for _, pid in sample(shared)}
    return draw_other_papers(taken, HOLDOUT_PER_MONTH, HOLDOUT_SEED, shared)


def fresh(shared: Path = SHARED) -> list[tuple[str, str]]:
    """[(month, arxiv id)] of the third draw: papers neither sample() nor holdout() holds."""
    taken = {pid for _, pid in sample(shared) + holdout(shared)}
    return draw_other_papers(taken, FRESH_PER_MONTH, FRESH_SEED, shared)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--packets", type=int, default=4)
    parser.add_argument("--draw", choices=["sample", "holdout", "fresh"], default="sample",
                        help="which draw: the first sample, the held-out draw, or the third draw")
    args = parser.parse_args()
    papers = {pid: p for month in papers_by_month().values() for pid, p in month.items()}
    chosen = {"sample": sample, "holdout": holdout, "fresh": fresh}[args.draw]()
    args.out.mkdir(parents=True, exist_ok=True)
    size = -(-len(chosen) // args.packets)
    for k in range(args.packets):
        with open(args.out / f"packet-{k + 1}.md", "w") as out:
            for _month, pid in chosen[k * size:(k + 1) * size]:
                p = papers[pid]
                keywords = ", ".join(p.get("ai_keywords") or []) or "(none)"
                out.write(f"## {pid}\n\nTitle: {' '.join(p['title'].split())}\n\n"
                          f"Keywords: {keywords}\n\nAbstract: {' '.join((p.get('summary') or '').split())}\n\n")
    print(f"{len(chosen)} papers in {args.packets} packets under {args.out}")


if __name__ == "__main__":
    main()

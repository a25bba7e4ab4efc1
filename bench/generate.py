"""Deterministic Daily Papers snapshots at scale, resampled from real papers in ../shared/data.

For N consecutive listing days ending on `end` (default 2025-11-28), each day lists 20-40
papers. About 30% of a day's papers are carried over from the day before (same arXiv id, same
title, upvotes and comments moved up); the rest are new papers resampled from the 412 real ones
in ../shared/data/hf_api_daily/ (their authors, organization, abstract and keywords; the
folder is not in the repository, see tests/shared_data.py) under a new arXiv id `YYMM.DDNNN`
(month and day of the listing day, NNN the paper's number that day) and a unique title (the
real title plus " (bench YYYYMMDD-NN)"). publishedAt is 1-3 days before the day the paper was
first listed, submittedOnDailyAt that first listing day. The listing is ordered by upvotes, as
the page orders it.

Written either as page captures (`YYYY-MM-DD_bench.txt`, rendered by
tests/capture_render.render_capture, style "upvotes" by default or "plain") or as API JSON
(`YYYY-MM-DD.json`, the shape of /api/daily_papers). Same arguments, same bytes.

    python -m bench.generate --years 10 --kind capture --out DIR
    python -m bench.generate --days 1 --end 2025-11-29 --kind capture --out DIR
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.capture_render import render_capture
from tests.shared_data import MISSING, api_day_files

END = date(2025, 11, 28)
CARRY_SHARE = 0.30
KINDS = ("capture", "json")
STYLES = ("upvotes", "plain")


def load_base() -> list[dict]:
    """The real API items of November 2025, one per arXiv id, in a fixed order."""
    paths = api_day_files()
    if not paths:
        raise SystemExit(f"bench: {MISSING} (the benchmarks resample its papers)")
    items: dict[str, dict] = {}
    for path in paths:
        for item in json.loads(path.read_text(encoding="utf-8")):
            items.setdefault(item["paper"]["id"], item)
    return [items[key] for key in sorted(items)]


def listing_days(n_days: int, end: date = END) -> list[date]:
    return [end - timedelta(days=n_days - 1 - i) for i in range(n_days)]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _new_item(base: dict, day: date, number: int, rng: random.Random) -> dict:
    item = copy.deepcopy(base)
    paper = item["paper"]
    arxiv_id = f"{day:%y%m}.{day.day:02d}{number:03d}"
    title = f"{' '.join(paper['title'].split())} (bench {day:%Y%m%d}-{number:02d})"
    published = datetime.combine(day - timedelta(days=rng.randint(1, 3)), datetime.min.time())
    published += timedelta(seconds=rng.randint(0, 86_399))
    upvotes = max(0, int(round(paper["upvotes"] * rng.uniform(0.2, 1.2))))
    comments = rng.randint(0, max(1, item["numComments"]))
    paper.update(id=arxiv_id, title=title, upvotes=upvotes, publishedAt=_iso(published),
                 submittedOnDailyAt=_iso(datetime.combine(day, datetime.min.time())))
    item.update(title=title, publishedAt=paper["publishedAt"], numComments=comments)
    return item


def _carried(item: dict, rng: random.Random) -> dict:
    moved = copy.deepcopy(item)
    moved["paper"]["upvotes"] += rng.randint(1, 25)
    moved["numComments"] += rng.randint(1, 3)
    return moved


def daily_listings(n_days: int, end: date = END, seed: int = 0):
    """Yield (day, items) for n_days consecutive days ending on `end`; deterministic."""
    base = load_base()
    previous: list[dict] = []
    for day in listing_days(n_days, end):
        rng = random.Random(f"{seed}:{day.isoformat()}")
        n_papers = rng.randint(20, 40)
        n_carried = min(len(previous), round(CARRY_SHARE * n_papers))
        items = [_carried(item, rng) for item in rng.sample(previous, n_carried)]
        items += [_new_item(rng.choice(base), day, number, rng)
                  for number in range(n_papers - n_carried)]
        items.sort(key=lambda item: (-item["paper"]["upvotes"], item["paper"]["id"]))
        yield day, items
        previous = items


def render(day: date, items: list[dict], kind: str, style: str = "upvotes") -> tuple[str, bytes]:
    """(file name, bytes) of one day's snapshot."""
    if kind == "capture":
        return f"{day.isoformat()}_bench.txt", render_capture(items, day, style).encode("utf-8")
    if kind == "json":
        return f"{day.isoformat()}.json", json.dumps(items, ensure_ascii=False).encode("utf-8")
    raise ValueError(f"kind must be one of {KINDS} (got {kind!r})")


def generate(out: Path, n_days: int, kind: str = "capture", style: str = "upvotes",
             end: date = END, seed: int = 0, only_last: int | None = None) -> list[Path]:
    """Write n_days snapshots ending on `end` into out; with only_last=k write only the last k
    days (the history before them is still simulated, so carry-overs match a full run)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    first_written = n_days - (only_last if only_last is not None else n_days)
    for index, (day, items) in enumerate(daily_listings(n_days, end, seed)):
        if index < first_written:
            continue
        name, data = render(day, items, kind, style)
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def in_memory(n_days: int, kind: str, style: str = "upvotes", end: date = END,
              seed: int = 0) -> list[tuple[date, str, bytes]]:
    """[(day, file name, bytes)] without touching the disk (for the parser benchmark)."""
    return [(day, *render(day, items, kind, style)) for day, items in daily_listings(n_days, end, seed)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=float, help="365 days a year")
    parser.add_argument("--days", type=int, help="number of days (instead of --years)")
    parser.add_argument("--end", type=date.fromisoformat, default=END, help="last listing day")
    parser.add_argument("--kind", choices=KINDS, default="capture")
    parser.add_argument("--style", choices=STYLES, default="upvotes", help="capture style")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if (args.years is None) == (args.days is None):
        parser.error("give --years or --days")
    n_days = args.days if args.days is not None else round(365 * args.years)
    started = time.perf_counter()
    paths = generate(args.out, n_days, args.kind, args.style, args.end, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"generated {len(paths)} {args.kind} file(s), {size / 1e6:.1f} MB, "
          f"{paths[0].name} .. {paths[-1].name} in {args.out} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Daily run: the cost of ingesting one new day on top of N years of history.

For N = 1, 3, 10: copy the data dir that bench/backfill.py left (<work>/data-<N>y) and ingest
the next day's capture (2025-11-29, generated with the same history so its carried-over papers
match) into the copy, timed like the backfill. The same one-day ingest into an empty data dir
is the reference. The run re-materializes the whole month of the new day (monthly partitions:
it re-parses and reloads the 28 days of November 2025 before it) and then runs `dbt build`, whose
incremental models rebuild from 2025-11-01 (paper_trajectories, papers) or re-tag only new or changed
papers (paper_topics).

    python -m bench.daily_run [--years 1 3 10] [--repeats 2]

Target: on ten years < 20 s wall and within 1.3x of the same run on an empty warehouse.
Runs bench/backfill.py first for any N whose data dir is missing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from datetime import timedelta
from pathlib import Path

from bench.backfill import (
    DEFAULT_WORK, backfill, data_dir, measure_ingest, print_breakdown, warm_up, warehouse_facts,
)
from bench.common import (
    PYCACHE, ingest_cmd, run_measured, wait_for_low_load, write_result,
)
from bench.run_inspection import dbt_timings, latest_run_id, run_breakdown
from bench.generate import END, generate

NEXT_DAY = END + timedelta(days=1)
TARGET_WALL_S = 20.0
TARGET_RATIO = 1.3


def next_day_file(work: Path, years: int) -> Path:
    """The capture of the day after the N-year history, continuing its carry-overs."""
    folder = work / f"next-day-{years}y"
    shutil.rmtree(folder, ignore_errors=True)
    [path] = generate(folder, 365 * years + 1, "capture", end=NEXT_DAY, only_last=1)
    return path


def _summary(label: str, runs: list[dict]) -> dict:
    walls = [r["wall_s"] for r in runs]
    best = min(runs, key=lambda r: r["wall_s"])
    return {
        "label": label, "wall_s_runs": walls, "wall_s_min": min(walls),
        "wall_s_median": round(statistics.median(walls), 2),
        "max_rss_mb": max(r["max_rss_mb"] for r in runs),
        "tree_peak_rss_mb": max(r["tree_peak_rss_mb"] for r in runs),
        "exit_codes": [r["exit_code"] for r in runs],
        "steps_s_fastest": best["steps_s"], "phases_s_fastest": best["phases_s"],
        "dbt_fastest": best["dbt"], "breakdown_fastest": best.get("breakdown"),
        "peak_rss_by_process_fastest": best.get("peak_rss_by_process"), "loads_at_start": [r["load_at_start"] for r in runs],
        "runs": runs,
    }


def _print(row: dict) -> None:
    dbt = row["dbt_fastest"] or {}
    print(f"daily run {row['label']:<22} {row['wall_s_min']:6.1f} s (min of {row['wall_s_runs']}), "
          f"peak {row['max_rss_mb']:.0f} MB / tree {row['tree_peak_rss_mb']:.0f} MB, "
          f"exit {row['exit_codes']}, load {[l[0] for l in row['loads_at_start']]}")
    print(f"    steps (s): " + ", ".join(f"{k} {v}" for k, v in row["steps_s_fastest"].items())
          + f"; phases (s): {row['phases_s_fastest']}; dbt elapsed {dbt.get('elapsed_s')} s, top: "
          + ", ".join(f"{n['node']} {n['s']}" for n in dbt.get("top", [])[:3]))
    print_breakdown({"breakdown": row["breakdown_fastest"],
                     "peak_rss_by_process": row["peak_rss_by_process_fastest"]})


def on_history(work: Path, years: int, repeats: int, log_dir: Path) -> dict:
    source = data_dir(work, years)
    day_file = next_day_file(work, years)
    runs = []
    for attempt in range(repeats):
        root = work / f"data-{years}y-daily"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(source, root, symlinks=True)
        load = wait_for_low_load()
        result = measure_ingest([day_file], root, f"daily-{years}y-{attempt + 1}", log_dir)
        result.update(load)
        runs.append(result)
    row = _summary(f"on {years} y of history", runs)
    row.update(years=years, file=str(day_file), **warehouse_facts(root))
    _print(row)
    return row


def on_empty(work: Path, years: int, repeats: int, log_dir: Path, bytecode: bool = True) -> dict:
    day_file = next_day_file(work, years)
    runs = []
    for attempt in range(repeats):
        root = work / "data-empty-daily"
        shutil.rmtree(root, ignore_errors=True)
        load = wait_for_low_load()
        label = f"daily-empty-{attempt + 1}" + ("" if bytecode else "-no-bytecode")
        result = run_measured(ingest_cmd(day_file), env={"PAPERTRENDS_DATA_DIR": str(root)},
                              log=log_dir / f"{label}.log", bytecode=bytecode)
        run_id = latest_run_id(root)
        result["dbt"] = dbt_timings(root, run_id)
        result["breakdown"] = run_breakdown(root, run_id)
        result.update(load)
        runs.append(result)
    row = _summary("empty warehouse" + ("" if bytecode else ", no .pyc"), runs)
    row.update(years=0, file=str(day_file), bytecode_cache=bytecode)
    _print(row)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.daily_run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--no-bytecode-run", action="store_true",
                        help="skip the extra empty-warehouse run without a bytecode cache")
    args = parser.parse_args(argv)
    log_dir = Path(__file__).resolve().parent / "results" / "logs"
    if not PYCACHE.is_dir():
        warm_up(args.work, log_dir)
    for years in args.years:
        if not (data_dir(args.work, years) / "warehouse.duckdb").exists():
            print(f"no {years}-year backfill in {args.work}: running it first", file=sys.stderr)
            backfill(args.work, years, log_dir)
    empty = on_empty(args.work, max(args.years), args.repeats, log_dir)
    rows = [on_history(args.work, years, args.repeats, log_dir) for years in sorted(args.years)]
    extra = [] if args.no_bytecode_run else [on_empty(args.work, max(args.years), 1, log_dir, bytecode=False)]
    ten = next((r for r in rows if r["years"] == 10), None)
    targets = None
    if ten:
        ratio = ten["wall_s_min"] / empty["wall_s_min"]
        targets = {"wall_s": ten["wall_s_min"], "wall_target_s": TARGET_WALL_S,
                   "wall_met": ten["wall_s_min"] < TARGET_WALL_S,
                   "ratio_to_empty": round(ratio, 2), "ratio_target": TARGET_RATIO,
                   "ratio_met": ratio <= TARGET_RATIO}
        print(f"daily run on 10 y: {ten['wall_s_min']:.1f} s (target < {TARGET_WALL_S:.0f} s: "
              f"{'met' if targets['wall_met'] else 'MISSED'}), {ratio:.2f}x the empty warehouse's "
              f"{empty['wall_s_min']:.1f} s (target <= {TARGET_RATIO}x: "
              f"{'met' if targets['ratio_met'] else 'MISSED'})")
    path = write_result("daily_run", {"next_day": NEXT_DAY, "repeats": args.repeats,
                                      "empty": empty, "on_history": rows,
                                      "empty_without_bytecode_cache": extra, "targets": targets})
    print(f"  -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

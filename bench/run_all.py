"""Run every benchmark in order, then write bench/results/summary.md (and print it).

    python -m bench.run_all            # or: make bench
    python -m bench.run_all --quick    # 1 and 3 years only, one repeat (a smoke run)

Order: parser throughput, backfill of 1/3/10 years (each right after its bare parse-and-insert
floor, bench/floor.py; plus one cProfile'd 10-year backfill),
daily run on top of each backfill and on an empty warehouse, the ten-year backfill and daily run
with Dagster's storage on SQLite and on Postgres, query latency on ten years.
Scratch data goes to $PAPERTRENDS_BENCH_WORK (default /tmp/papertrends-bench, a few GB for ten
years); results to bench/results/ (git-ignored). Takes about 20 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from bench.common import RESULTS_DIR, machine, now, read_result
from bench.dagster_storage import table
from bench.daily_run import adjacent_ratios
from bench.process_tree import loadavg


def _run(module: str, *args: str) -> int:
    print(f"\n=== python -m {module} {' '.join(args)}  (load {loadavg()[0]:.2f})", flush=True)
    started = time.perf_counter()
    code = subprocess.call([sys.executable, "-m", module, *args])
    print(f"=== {module}: exit {code} in {time.perf_counter() - started:.0f} s", flush=True)
    return code


def _yes(flag) -> str:
    return "n/a" if flag is None else ("**met**" if flag else "**missed**")


def summary() -> str:
    info = machine()
    parser, backfill = read_result("parser_throughput"), read_result("backfill")
    daily, queries = read_result("daily_run"), read_result("query_latency")
    lines = [f"# Benchmark summary ({now()})", "",
             f"{info['nproc']} cores, {info['cpu']}; commit {info['git'].get('commit')}; "
             + ", ".join(f"{k} {v}" for k, v in info["versions"].items()), "",
             "| measure | 1 y | 3 y | 10 y | target | |", "| --- | --- | --- | --- | --- | --- |"]
    if backfill:
        runs = {r["years"]: r for r in backfill["runs"]}
        cell = lambda y, f: f(runs[y]) if y in runs else "-"  # noqa: E731
        t = backfill.get("targets") or {}
        lines.append("| backfill wall (s) | " + " | ".join(cell(y, lambda r: f"{r['wall_s']:.1f}") for y in (1, 3, 10))
                     + f" | < 30 | {_yes(t.get('wall_met'))} |")
        lines.append("| backfill peak RSS, largest process / process tree (MB) | "
                     + " | ".join(cell(y, lambda r: f"{r['max_rss_mb']:.0f} / {r['tree_peak_rss_mb']:.0f}")
                                  for y in (1, 3, 10))
                     + f" | < 1536 | {_yes(t.get('peak_met'))} |")
        lines.append("| parse-and-insert floor of the same run, wall (s) / CPU user+sys (s) / peak RSS, "
                     "process tree (MB) | " + " | ".join(cell(y, lambda r: (
                         f"{r['floor']['wall_s']:.1f} / {r['floor']['user_s'] + r['floor']['sys_s']:.1f}"
                         f" / {r['floor']['tree_peak_rss_mb']:.0f}") if r.get("floor") else "-")
                         for y in (1, 3, 10)) + " | | |")
        lines.append("| backfill wall / floor wall | " + " | ".join(cell(y, lambda r: (
            f"{r['ratio_to_floor']:.2f}x" if r.get("ratio_to_floor") is not None else "-"))
            for y in (1, 3, 10)) + f" | <= 1.5x | {_yes(t.get('ratio_met'))} |")
        lines.append("| backfill dbt build step (s) | " + " | ".join(
            cell(y, lambda r: str(r["steps_s"].get("dbt build (models and tests)", "-")))
            for y in (1, 3, 10)) + " | | |")
        lines.append("| load average at start | " + " | ".join(
            cell(y, lambda r: f"{r['load_at_start'][0]:.2f}") for y in (1, 3, 10)) + " | | |")
    if daily:
        rows = {r["years"]: r for r in daily["on_history"]}
        t = daily.get("targets") or {}
        lines.append("| daily run on history (s, min) | " + " | ".join(
            f"{rows[y]['wall_s_min']:.1f}" if y in rows else "-" for y in (1, 3, 10))
            + f" | < 20 | {_yes(t.get('wall_met'))} |")
        empty = daily["empty"]

        def adjacent(row: dict) -> str:   # each run against the empty-warehouse run before it
            return f"{statistics.median(adjacent_ratios(empty, row)):.2f}x"

        lines.append(f"| daily run / the empty-warehouse run next to it (median; fastest empty "
                     f"{empty['wall_s_min']:.1f} s) | " + " | ".join(
                         adjacent(rows[y]) if y in rows else "-" for y in (1, 3, 10))
                     + f" | <= 1.3x | {_yes(t.get('ratio_met'))} |")
    if parser:
        cases = {c["case"]: c for c in parser["cases"]}
        for name, c in cases.items():
            target = " | >= 50 MB/s | " + _yes(parser["target_met"]) if name == "read_snapshot, captures" else " | | "
            where = "" if "10 y" in name else " (1 y in memory)"
            lines.append(f"| parser: {name}{where} | | | {c['best_mb_per_s']} MB/s best (median "
                         f"{c['mb_per_s']}), {c['entries_per_s']} entries/s{target} |")
    if queries:
        for q in queries["queries"]:
            value = f"{q['median_ms']} ms" if "median_ms" in q else "failed"
            target = " | | " if q["query"].startswith("(") else f" | < 100 ms | {_yes(q.get('met'))} "
            lines.append(f"| query {q['query']} (median of {queries['runs']}) | | | {value}{target}|")
    storage = read_result("dagster_storage")
    if storage and storage.get("summary"):
        lines += ["", f"Dagster's storage, SQLite against Postgres ({storage['years']} y, "
                  f"{storage['repeats']} repeat(s), bench/dagster_storage.py):", "",
                  table(storage["summary"], storage["years"]).rstrip("\n")]
    elif storage:
        lines += ["", f"Dagster's storage, SQLite against Postgres: {storage.get('skipped')}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    years = ["1", "3"] if args.quick else ["1", "3", "10"]
    repeats = "1" if args.quick else "2"
    failures = 0
    failures += _run("bench.parser_throughput", *(["--days", "60"] if args.quick else [])) != 0
    failures += _run("bench.backfill", "--years", *years,
                     *([] if args.quick else ["--profile-years", "10"])) != 0
    failures += _run("bench.daily_run", "--years", *years, "--repeats", repeats) != 0
    failures += _run("bench.dagster_storage", "--years", years[-1], "--repeats", repeats) != 0
    if not args.quick:
        failures += _run("bench.query_latency") != 0
    text = summary()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "summary.md").write_text(text)
    print("\n" + text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

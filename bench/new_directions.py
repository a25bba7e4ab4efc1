"""What terms, rising terms, suggestions and similar papers cost on N years of papers.

Ingests the N-year generated API JSON (bench/backfill.py's json-<N>y, made if missing) into
a fresh data dir, then the next day on top of it, and reads dbt's own timing of every model
this part adds (run_results.json) in both runs; then times `papertrends similar ARXIV_ID` and
`papertrends similar --text "..."` as a person runs them (a new process each, best of 3).

    python -m bench.new_directions --years 10

Targets: `papertrends similar` under 1 s on ten years; the backfill and the daily run within
bench/backfill.py's and bench/daily_run.py's targets (their own benchmarks measure those).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import duckdb

from bench.backfill import DEFAULT_WORK, captures_dir
from bench.common import ingest_cmd, run_measured, write_result
from bench.daily_run import NEXT_DAY
from bench.generate import generate
from bench.run_inspection import dbt_timings, latest_run_id

MODELS = ("int_term_mentions", "paper_terms", "term_counts", "int_term_weeks", "rising_terms",
          "rising_terms_by_month", "topic_suggestions", "int_paper_vectors", "int_paper_neighbours",
          "similar_papers")
TARGET_SIMILAR_S = 1.0
TEXT = "Kolmogorov-Arnold networks with learnable activation functions on edges"


def next_day_file(work: Path, years: int, kind: str) -> Path:
    """The day after the N-year history (bench/daily_run.py's, in either kind)."""
    folder = work / f"next-day-{years}y-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    [path] = generate(folder, 365 * years + 1, kind, end=NEXT_DAY, only_last=1)
    return path


def model_seconds(data: Path) -> dict:
    timings = dbt_timings(data, latest_run_id(data), top=1000) or {}
    found = {entry["node"].split(".")[-1]: entry["s"] for entry in timings.get("top", [])
             if entry["kind"] == "model"}
    return {"dbt_elapsed_s": timings.get("elapsed_s"),
            "models_s": {name: found.get(name) for name in MODELS},
            "sum_s": round(sum(found.get(name) or 0 for name in MODELS), 2)}


def timed_ingest(data: Path, *paths: Path) -> dict:
    run = run_measured(ingest_cmd(*paths), env={"PAPERTRENDS_DATA_DIR": str(data)})
    return {"wall_s": round(run["wall_s"], 2), "cpu_s": round(run["user_s"] + run["sys_s"], 2),
            "exit_code": run["exit_code"], "peak_mb": max(run["max_rss_mb"], run["tree_peak_rss_mb"]),
            "load_at_start": run["load_at_start"], "load_at_end": run["load_at_end"], **model_seconds(data)}


def similar_seconds(data: Path, *args: str) -> dict:
    cmd = [sys.executable, "-m", "orchestration.cli.main", "similar", *args]
    runs = [run_measured(cmd, env={"PAPERTRENDS_DATA_DIR": str(data)}) for _ in range(3)]
    return {"wall_s_runs": [round(r["wall_s"], 3) for r in runs],
            "wall_s_min": round(min(r["wall_s"] for r in runs), 3),
            "exit_codes": [r["exit_code"] for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--kind", choices=["json", "capture"], default="json",
                        help="json (default: API JSON carries the ai_keywords terms come from; "
                             "page captures carry none)")
    args = parser.parse_args()
    captures = captures_dir(args.work, args.years, args.kind)
    data = args.work / f"data-{args.years}y-{args.kind}-new-directions"
    shutil.rmtree(data, ignore_errors=True)
    backfill = timed_ingest(data, captures)
    print(f"backfill: {backfill}", flush=True)
    daily = timed_ingest(data, next_day_file(args.work, args.years, args.kind))
    print(f"daily run: {daily}", flush=True)
    con = duckdb.connect(str(data / "warehouse-readonly.duckdb"), read_only=True)
    try:
        # a paper with a stored list (the newest) and one a backfill leaves without (the oldest)
        with_list, without_list = (con.execute(
            "select coalesce(arxiv_id, paper_id) from marts.papers "
            f"where paper_id {'' if stored else 'not'} in (select paper_id from marts.similar_papers) "
            f"order by coalesce(listed_on, first_seen) {'desc' if stored else 'asc'}, paper_id limit 1").fetchall()
            for stored in (True, False))
        sizes = dict(con.execute("""
            select 'papers', count(*) from marts.papers union all
            select 'paper_terms', count(*) from marts.paper_terms union all
            select 'rising_terms', count(*) from marts.rising_terms union all
            select 'similar_papers', count(*) from marts.similar_papers
        """).fetchall())
    finally:
        con.close()
    similar = {"paper": similar_seconds(data, with_list[0][0]), "text": similar_seconds(data, "--text", TEXT)}
    if without_list:
        similar["paper without a stored list"] = similar_seconds(data, without_list[0][0])
    payload = {"years": args.years, "rows": sizes, "backfill": backfill, "daily": daily,
               "similar": similar, "target_similar_s": TARGET_SIMILAR_S}
    path = write_result(f"new_directions-{args.years}y-{args.kind}", payload)
    for label, run in (("backfill", backfill), ("daily run", daily)):
        print(f"{label}: {run['wall_s']} s wall, {run['cpu_s']} s CPU (user+sys), peak {run['peak_mb']} MB, "
              f"load {run['load_at_start'][0]}-{run['load_at_end'][0]}, dbt {run['dbt_elapsed_s']} s, these models "
              f"{run['sum_s']} s: " + ", ".join(f"{k} {v}" for k, v in run["models_s"].items()))
    for label, run in similar.items():
        verdict = "met" if run["wall_s_min"] < TARGET_SIMILAR_S else "MISSED"
        print(f"papertrends similar ({label}): {run['wall_s_min']} s (runs {run['wall_s_runs']}), "
              f"target < {TARGET_SIMILAR_S} s: {verdict}")
    print(f"rows: {sizes}; results in {path}")


if __name__ == "__main__":
    main()

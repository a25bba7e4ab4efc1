"""What re-tagging every paper costs: `dbt run --select paper_topics --full-refresh` on N years.

Ingests the N-year generated API JSON (bench/backfill.py's json-<N>y, made if missing) into a
data dir of its own once (kept between runs: only paper_topics is rebuilt), then times a full
refresh of marts.paper_topics REPEATS times in a new `dbt` process each, as after a change to the
taxonomy, the weights or the model's SQL (a daily run tags only the new papers). Each run
records dbt's own time for the model (run_results.json), the process's wall and CPU time and
peak memory, and the load average and reference loop before it (bench/common.py).

    python -m bench.tagger_cost --years 1 10 [--repeats 2]

Results: bench/results/tagger_cost.json. docs/topic-tagging.md ("Cost") has the numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.backfill import DEFAULT_WORK, captures_dir
from bench.common import (
    PROJECT_ROOT,
    ingest_cmd,
    run_measured,
    wait_for_low_load,
    write_result,
)

DBT = Path(sys.executable).with_name("dbt")
DBT_PROJECT = PROJECT_ROOT / "dbt_project"


def data_dir(work: Path, years: int) -> Path:
    """A data dir holding the N-year JSON corpus, ingested once."""
    data = work / f"data-{years}y-json-tagger"
    if not (data / "warehouse.duckdb").exists():
        run = run_measured(ingest_cmd(captures_dir(work, years, "json")),
                           env={"PAPERTRENDS_DATA_DIR": str(data)})
        if run["exit_code"] != 0:
            raise SystemExit(f"ingest of {years} years failed:\n" + "\n".join(run["output_tail"]))
    return data


def full_refresh(data: Path, target: Path) -> dict:
    """One `dbt run --select paper_topics --full-refresh` on the data dir's warehouse."""
    conditions = wait_for_low_load()
    cmd = [str(DBT), "run", "--select", "paper_topics", "--full-refresh",
           "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
           "--target-path", str(target), "--log-path", str(target / "logs")]
    run = run_measured(cmd, env={"PAPERTRENDS_WAREHOUSE": str(data / "warehouse.duckdb")})
    if run["exit_code"] != 0:
        raise SystemExit("dbt run failed:\n" + "\n".join(run["output_tail"]))
    [node] = json.loads((target / "run_results.json").read_text())["results"]
    return {"paper_topics_s": round(node["execution_time"], 2), "dbt_wall_s": run["wall_s"],
            "dbt_cpu_s": round(run["user_s"] + run["sys_s"], 2), "peak_rss_mb": run["max_rss_mb"],
            "load_at_start": run["load_at_start"], "load_at_end": run["load_at_end"], **conditions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = parser.parse_args()
    results = {}
    for years in args.years:
        data = data_dir(args.work, years)
        runs = [full_refresh(data, args.work / f"dbt-target-tagger-{years}y")
                for _ in range(args.repeats)]
        results[f"{years}y"] = {"runs": runs, "best_s": min(r["paper_topics_s"] for r in runs)}
        print(f"{years} years: paper_topics " + ", ".join(
            f"{r['paper_topics_s']} s (dbt process {r['dbt_wall_s']} s wall, {r['dbt_cpu_s']} s CPU, "
            f"peak {r['peak_rss_mb']:.0f} MB, load {r['load_at_start'][0]:.2f})" for r in runs), flush=True)
    path = write_result("tagger_cost", results)
    print(f"results in {path}")


if __name__ == "__main__":
    main()

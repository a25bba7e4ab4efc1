"""Query latency: every saved query (queries/*.sql) against the ten-year warehouse.

Each query runs on one read-only DuckDB connection (external access off, as `papertrends sql`
opens it), fetched in full; the first run is reported apart and the median of the next 5 is
the number. paper_trajectory.sql names a bundled paper (2511.07419) that the generated history
does not hold (and page captures show no arXiv ids: their papers are keyed by title), so it
also runs with `papers.paper_id = <the most-sighted generated paper>` in place of that filter. Queries
slower than the target get an EXPLAIN ANALYZE, kept in the results.

    python -m bench.query_latency [--db <work>/data-10y/warehouse.duckdb] [--runs 5]

Target: each saved query < 100 ms on ten years.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb

from bench.backfill import DEFAULT_WORK, data_dir
from bench.common import PROJECT_ROOT, mb, wait_for_low_load, write_result
from bench.process_tree import loadavg

TARGET_MS = 100.0
QUERIES = PROJECT_ROOT / "queries"


def _timed(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, int]:
    started = time.perf_counter()
    rows = con.sql(sql).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def _explain(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).strip().rstrip(";")
    try:
        return "\n".join(row[1] for row in con.execute(f"explain analyze {body}").fetchall())
    except duckdb.Error as exc:
        return f"(explain analyze failed: {exc})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.query_latency", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=data_dir(DEFAULT_WORK, 10) / "warehouse.duckdb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--name", default="query_latency", help="results file name (bench/results/<name>.json)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"no warehouse at {args.db}: run python -m bench.backfill --years 10 first", file=sys.stderr)
        return 1
    load = wait_for_low_load()
    started = time.perf_counter()
    con = duckdb.connect(str(args.db), read_only=True)
    con.execute("set enable_external_access = false")
    connect_ms = (time.perf_counter() - started) * 1000
    facts = {"papers": con.sql("select count(*) from marts.papers").fetchall()[0][0],
             "observations": con.sql("select count(*) from raw.paper_observations").fetchall()[0][0],
             "snapshots": con.sql("select count(*) from raw.snapshots").fetchall()[0][0]}
    sighted = con.sql("select paper_id from marts.paper_trajectories "
                      "group by 1 order by count(*) desc, 1 limit 1").fetchall()[0][0]
    cases = [(path.stem, path.read_text()) for path in sorted(QUERIES.glob("*.sql"))]
    for name, sql in list(cases):
        if name == "paper_trajectory" and "'2511.07419'" in sql:
            quoted = sighted.replace("'", "''")
            cases.append(("paper_trajectory[most-sighted paper]",
                          sql.replace("papers.arxiv_id = '2511.07419'", f"papers.paper_id = '{quoted}'")))
    rows = [{"query": "(connect, read-only)", "median_ms": round(connect_ms, 1), "met": True}]
    for name, sql in cases:
        try:
            first_ms, n_rows = _timed(con, sql)
            runs = [_timed(con, sql)[0] for _ in range(args.runs)]
        except duckdb.Error as exc:
            print(f"query {name:<38} FAILED: {exc}")
            rows.append({"query": name, "error": str(exc)})
            continue
        median = statistics.median(runs)
        row = {"query": name, "rows": n_rows, "first_ms": round(first_ms, 1),
               "runs_ms": [round(r, 1) for r in runs], "median_ms": round(median, 1),
               "met": median < TARGET_MS}
        if median >= TARGET_MS:
            row["explain_analyze"] = _explain(con, sql)
        rows.append(row)
        print(f"query {name:<38} {median:7.1f} ms median of {args.runs} (first {first_ms:.1f} ms), "
              f"{n_rows} rows{'' if row['met'] else '  SLOWER THAN TARGET'}")
    con.close()
    timed = [r for r in rows[1:] if "median_ms" in r]
    worst = max(timed, key=lambda r: r["median_ms"]) if timed else None
    met = bool(timed) and len(timed) == len(rows) - 1 and all(r["met"] for r in timed)
    print(f"queries: slowest {worst['query']} {worst['median_ms']} ms; connect {connect_ms:.1f} ms "
          f"(target each < {TARGET_MS:.0f} ms: {'met' if met else 'MISSED'})" if worst else "queries: none ran")
    path = write_result(args.name, {
        "db": str(args.db), "db_mb": round(mb(args.db), 1), **facts, **load, "load_after": loadavg(),
        "connect_ms": round(connect_ms, 1), "most_sighted_paper": sighted, "runs": args.runs, "queries": rows,
        "target_ms": TARGET_MS, "target_met": met,
    })
    print(f"  -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

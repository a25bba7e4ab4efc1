"""Dagster's storage, SQLite (the default) against Postgres (PAPERTRENDS_DAGSTER_PG_URL): the
ten-year backfill and one new day on those ten years, the same runs of the same corpus on each.

The bench starts a throwaway PostgreSQL cluster (tests/postgres_server.py: Debian's package, a
new cluster in a temp folder on a free port, with PostgreSQL's default durability, fsync and
synchronous commits on, as a deployment runs it) and stops it at the end. Each repeat runs the
backfill (`papertrends ingest` of the N-year captures into an empty data dir and, for Postgres,
a new database) on both storages, one right after the other, then the daily run (the next day's
capture) on both, each into a copy of its own backfill: the data dir copied, the database cloned
from the backfill's. The order of the two storages alternates from one repeat to the next, so
neither always runs first; the ratio of a repeat compares two runs minutes apart.

Each run reports: wall time; CPU time, user + system of the ingest's process tree and, for
Postgres, of the server (its processes are not in that tree); the peak memory of the tree (and
the server's); Dagster's bookkeeping: the events the run stored, the time before its first step
(start-up, creating the run), the run's time outside its steps, the size of the storage; and the
load: the load average before and during the run, and how many cores other processes kept busy.

    python -m bench.dagster_storage [--years 10] [--repeats 2]

Results: bench/results/dagster_storage.json and dagster_storage.md (the table of BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

from bench.backfill import DEFAULT_WORK, captures_dir, measure_ingest, warm_up
from bench.common import RESULTS_DIR, wait_for_low_load, write_result
from bench.daily_run import next_day_file
from bench.process_tree import TreeSampler, tree_cpu_s
from tests.postgres_server import PostgresServer, PostgresUnavailable, find_postgres

STORAGES = ("sqlite", "postgres")
RUNS = ("backfill", "daily")
EMPTY = "empty"   # a database that stays empty: the size every database starts from


def database_bytes(pg: PostgresServer, database: str) -> int:
    return int(pg.query(database, "select pg_database_size(current_database())"))


def storage_mb(root: Path, pg: PostgresServer | None, database: str | None) -> float:
    """The size of Dagster's storage: its database in Postgres, less what an empty database
    takes, or its SQLite files under the data dir's dagster/ (compute logs are files under
    dagster/storage/ in both: not counted)."""
    if pg is not None:
        return round((database_bytes(pg, database) - database_bytes(pg, EMPTY)) / 1e6, 1)
    files = [p for p in (root / "dagster").rglob("*") if p.is_file()
             and p.name.endswith((".db", ".db-wal", ".db-shm", ".db-journal"))]
    return round(sum(p.stat().st_size for p in files) / 1e6, 1)


def measure(run: str, storage: str, paths: list[Path], root: Path, repeat: int, log_dir: Path,
            pg: PostgresServer | None, database: str | None) -> dict:
    """One timed ingest into data dir root on the storage, with the server's share for Postgres."""
    load = wait_for_low_load()
    url = pg.database_url(database) if pg else None
    server = TreeSampler(pg.pid) if pg else None
    server_cpu = tree_cpu_s(pg.pid) if pg else 0.0
    if server:
        server.start()
    result = measure_ingest(paths, root, f"storage-{run}-{storage}-{repeat + 1}", log_dir, pg_url=url)
    if server:
        server_cpu = tree_cpu_s(pg.pid) - server_cpu
        server.stopped.set()
        server.join()
    result.update(load)
    cpu = result["user_s"] + result["sys_s"]
    split = result.get("breakdown") or {}
    ended = result["started_at_epoch"] + result["wall_s"]
    result.update(
        run=run, storage=storage, repeat=repeat + 1, database=database,
        cpu_s=round(cpu, 2), server_cpu_s=round(server_cpu, 2), cpu_total_s=round(cpu + server_cpu, 2),
        server_peak_rss_mb=round(server.peak / 2**20, 1) if server else None,
        others_cores=round(max(0.0, result["machine_busy_s"] - cpu - server_cpu) / result["wall_s"], 2),
        storage_mb=storage_mb(root, pg, database),
        before_run_s=(round(split["first_event_epoch"] - result["started_at_epoch"], 2)
                      if split.get("first_event_epoch") else None),
        after_run_s=round(ended - split["last_event_epoch"], 2) if split.get("last_event_epoch") else None,
    )
    print(line(result), flush=True)
    return result


def line(r: dict) -> str:
    split = r.get("breakdown") or {}
    server = (f" + server {r['server_cpu_s']:.1f}" if r["storage"] == "postgres" else "")
    return (f"{r['run']:<8} {r['storage']:<8} #{r['repeat']}: {r['wall_s']:6.1f} s wall, CPU "
            f"{r['cpu_s']:.1f}{server} s, peak {r['tree_peak_rss_mb']:.0f} MB, "
            f"{split.get('events')} events, {r['before_run_s']} s before the run, "
            f"{split.get('run_outside_steps_s')} s of the run outside its steps, storage "
            f"{r['storage_mb']} MB, exit {r['exit_code']}, load {r['load_at_start'][0]:.1f} "
            f"(during {r['load_during']}), others kept {r['others_cores']} cores busy")


def run_dir(work: Path, run: str, storage: str) -> Path:
    return work / f"storage-{run}-{storage}"


def summarise(results: list[dict]) -> dict:
    """Per run and storage: the median and each repeat of every figure; per run: Postgres over
    SQLite for each repeat's adjacent pair, and the median of those ratios."""
    out = {}
    for run in RUNS:
        rows = {s: [r for r in results if r["run"] == run and r["storage"] == s] for s in STORAGES}
        figures = {}
        for storage, runs in rows.items():
            if not runs:
                continue

            def med(key, of=runs):
                values = [r[key] for r in of if r.get(key) is not None]
                return round(statistics.median(values), 2) if values else None

            split = [r.get("breakdown") or {} for r in runs]
            figures[storage] = {
                "wall_s": [r["wall_s"] for r in runs], "wall_s_median": med("wall_s"),
                "cpu_s_median": med("cpu_s"), "server_cpu_s_median": med("server_cpu_s"),
                "cpu_total_s_median": med("cpu_total_s"),
                "tree_peak_rss_mb_max": max(r["tree_peak_rss_mb"] for r in runs),
                "server_peak_rss_mb_max": max((r["server_peak_rss_mb"] or 0) for r in runs) or None,
                "events": sorted({s.get("events") for s in split}),
                "before_run_s_median": med("before_run_s"),
                "run_outside_steps_s_median": round(statistics.median(
                    [s["run_outside_steps_s"] for s in split if s.get("run_outside_steps_s") is not None]
                    or [0]), 2),
                "storage_mb": [r["storage_mb"] for r in runs],
                "load_at_start": [r["load_at_start"][0] for r in runs],
                "load_during": [r["load_during"] for r in runs],
                "others_cores": [r["others_cores"] for r in runs],
                "exit_codes": [r["exit_code"] for r in runs],
            }
        pairs = list(zip(rows["sqlite"], rows["postgres"]))
        if pairs:
            def ratios(key, pairs=pairs):
                return [round(p[key] / s[key], 2) for s, p in pairs if s.get(key)]

            figures["postgres_over_sqlite"] = {
                "wall": ratios("wall_s"), "wall_median": round(statistics.median(ratios("wall_s")), 2),
                "cpu_total": ratios("cpu_total_s"),
                "cpu_total_median": round(statistics.median(ratios("cpu_total_s")), 2),
            }
        out[run] = figures
    return out


def table(summary: dict, years: int) -> str:
    """The markdown table of BENCHMARKS.md."""
    names = {"backfill": f"backfill, {years} y ({365 * years:,} captures)",
             "daily": f"one new day on {years} y"}
    lines = ["| run | storage | wall s (each repeat) | CPU s: ingest tree + Postgres server (median) "
             "| peak MB: tree / server | events stored | s before the run | s of the run outside its steps "
             "| storage MB | load at start (during) | other processes' cores |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for run in RUNS:
        for storage in STORAGES:
            f = summary.get(run, {}).get(storage)
            if not f:
                continue
            cpu = (f"{f['cpu_s_median']:.1f} + {f['server_cpu_s_median']:.1f} = {f['cpu_total_s_median']:.1f}"
                   if storage == "postgres" else f"{f['cpu_s_median']:.1f}")
            peak = f"{f['tree_peak_rss_mb_max']:.0f}" + (
                f" / {f['server_peak_rss_mb_max']:.0f}" if f["server_peak_rss_mb_max"] else "")
            loads = ", ".join(f"{a:.1f} ({d[0]:.0f}-{d[1]:.0f})" if d else f"{a:.1f}"
                              for a, d in zip(f["load_at_start"], f["load_during"]))
            lines.append(
                f"| {names[run]} | {storage} | {', '.join(f'{w:.1f}' for w in f['wall_s'])} | {cpu} | {peak} "
                f"| {', '.join(map(str, f['events']))} | {f['before_run_s_median']} "
                f"| {f['run_outside_steps_s_median']} | {', '.join(map(str, f['storage_mb']))} | {loads} "
                f"| {', '.join(f'{c:.1f}' for c in f['others_cores'])} |")
        ratio = summary.get(run, {}).get("postgres_over_sqlite")
        if ratio:
            lines.append(f"| {names[run]} | Postgres / SQLite, each repeat's pair | "
                         f"{', '.join(f'{x:.2f}x' for x in ratio['wall'])} (median {ratio['wall_median']:.2f}x) "
                         f"| {', '.join(f'{x:.2f}x' for x in ratio['cpu_total'])} (median "
                         f"{ratio['cpu_total_median']:.2f}x) | | | | | | | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dagster_storage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    log_dir = RESULTS_DIR / "logs"
    try:
        pg_bin = find_postgres()
    except PostgresUnavailable as exc:
        print(f"bench.dagster_storage: skipped, {exc}", file=sys.stderr)
        write_result("dagster_storage", {"skipped": str(exc)})
        return 0
    source = captures_dir(args.work, args.years)
    day_file = next_day_file(args.work, args.years)
    results: list[dict] = []
    with PostgresServer(pg_bin, durable=True) as pg:
        settings = {name: pg.query("postgres", f"show {name}")
                    for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers")}
        print(f"PostgreSQL {settings['server_version']} on port {pg.port} ({pg.cluster}): "
              f"fsync {settings['fsync']}, synchronous_commit {settings['synchronous_commit']}, "
              f"shared_buffers {settings['shared_buffers']}", flush=True)
        pg.create_database(EMPTY)
        warm = [warm_up(args.work, log_dir),
                warm_up(args.work, log_dir, pg.create_database("warmup"))]
        for repeat in range(args.repeats):
            order = STORAGES if repeat % 2 == 0 else STORAGES[::-1]
            for storage in order:   # the backfills, one right after the other
                root = run_dir(args.work, "backfill", storage)
                shutil.rmtree(root, ignore_errors=True)
                database = f"backfill_{repeat + 1}" if storage == "postgres" else None
                if database:
                    pg.create_database(database)
                results.append(measure("backfill", storage, [source], root, repeat, log_dir,
                                       pg if database else None, database))
            for storage in order:   # then one day on each backfill, in the same order
                root = run_dir(args.work, "daily", storage)
                shutil.rmtree(root, ignore_errors=True)
                shutil.copytree(run_dir(args.work, "backfill", storage), root, symlinks=True)
                database = f"daily_{repeat + 1}" if storage == "postgres" else None
                if database:
                    pg.create_database(database, template=f"backfill_{repeat + 1}")
                results.append(measure("daily", storage, [day_file], root, repeat, log_dir,
                                       pg if database else None, database))
    summary = summarise(results)
    text = table(summary, args.years)
    print("\n" + text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "dagster_storage.md").write_text(text)
    path = write_result("dagster_storage", {
        "years": args.years, "repeats": args.repeats, "work": str(args.work), "postgres": settings,
        "warm_up": warm, "summary": summary, "runs": results})
    print(f"  -> {path}", file=sys.stderr)
    return 1 if any(r["exit_code"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

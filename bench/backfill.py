"""Backfill: `papertrends ingest <dir>` of N years of daily captures into an empty data dir.

For each N (default 1, 3 and 10 years = 365*N files), generate the captures (bench/generate.py)
into <work>/captures-<N>y, then time `papertrends ingest <that dir>` as a child process with a
fresh PAPERTRENDS_DATA_DIR=<work>/data-<N>y: wall time, peak memory (ru_maxrss of the largest
process via /usr/bin/time -v, and the sampled peak of the whole process tree, the ingest process
plus its parsing workers, as PSS: see bench/common.py), Dagster step times, dbt's own timings
(run_results.json), and the load average. The data dirs are kept for bench/daily_run.py and bench/query_latency.py.

Right before each backfill, the floor of the same folder (bench/floor.py: the pipeline's parser
on one worker process per core and one insert into the raw tables of a fresh DuckDB file, no
Dagster, Pandera or dbt) is timed the same way, after the same wait for a low load; each run
reports backfill wall / floor wall beside it.

    python -m bench.backfill --years 10            # just ten years
    python -m bench.backfill --years 1 3 10 --profile-years 10

Target: ten years (3,650 captures) end to end < 30 s wall, <= 1.5x the floor measured in the
same run, and < 1.5 GB peak memory.
With --profile-years N, one more ingest of N years runs under cProfile (not timed for the
target) and its top functions are kept in the results.
"""

from __future__ import annotations

import argparse
import pstats
import shutil
import sys
from pathlib import Path

import duckdb

from bench.common import (
    BENCH_WORK,
    PROJECT_ROOT,
    ingest_cmd,
    mb,
    run_measured,
    wait_for_low_load,
    write_result,
)
from bench.floor import describe as describe_floor
from bench.floor import measure_floor
from bench.generate import generate
from bench.run_inspection import PG_URL_ENV, dbt_timings, latest_run_id, run_breakdown

TARGET_WALL_S = 30.0
TARGET_PEAK_MB = 1536.0
TARGET_FLOOR_RATIO = 1.5
DEFAULT_WORK = BENCH_WORK


PATTERN = {"capture": "*_bench.txt", "json": "*.json"}


def captures_dir(work: Path, years: int, kind: str = "capture") -> Path:
    """<work>/captures-<N>y (or json-<N>y) with 365*N generated files (made once, deterministic)."""
    folder = work / f"{'captures' if kind == 'capture' else 'json'}-{years}y"
    n_days = 365 * years
    if not folder.is_dir() or len(list(folder.glob(PATTERN[kind]))) != n_days:
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, n_days, kind)
    return folder


def data_dir(work: Path, years: int, kind: str = "capture") -> Path:
    return work / (f"data-{years}y" if kind == "capture" else f"data-{years}y-{kind}")


def warehouse_facts(root: Path) -> dict:
    warehouse = root / "warehouse.duckdb"
    facts = {"warehouse_mb": round(mb(warehouse), 1) if warehouse.exists() else None,
             "data_dir_mb": round(sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6, 1)}
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            for table in ("raw.snapshots", "raw.paper_observations", "raw.quarantine", "marts.papers"):
                try:
                    facts[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
                except duckdb.Error:
                    facts[table] = None
    return facts


def measure_ingest(paths: list[Path], root: Path, label: str, log_dir: Path,
                   bytecode: bool = True, pg_url: str | None = None) -> dict:
    """One timed `papertrends ingest` of paths into data dir root, with the dbt timings; with
    pg_url, Dagster's storage in that Postgres database (PAPERTRENDS_DAGSTER_PG_URL)."""
    env = {"PAPERTRENDS_DATA_DIR": str(root), **({PG_URL_ENV: pg_url} if pg_url else {})}
    result = run_measured(ingest_cmd(*paths), env=env, log=log_dir / f"{label}.log", bytecode=bytecode)
    run_id = latest_run_id(root, pg_url)
    result["dagster_run_id"] = run_id
    result["dbt"] = dbt_timings(root, run_id)
    result["breakdown"] = run_breakdown(root, run_id, pg_url)
    return result


def warm_up(work: Path, log_dir: Path, pg_url: str | None = None) -> dict:
    """An unmeasured ingest of three days into a throwaway data dir: fills the bytecode cache of
    the child processes (bench.common.child_env) and makes dbt's manifest and partial parse, so
    the measured runs pay neither. With pg_url, on Dagster's Postgres storage (its modules
    cached too)."""
    source = work / "captures-warmup"
    shutil.rmtree(source, ignore_errors=True)
    generate(source, 3, "capture")
    root = work / "data-warmup"
    shutil.rmtree(root, ignore_errors=True)
    env = {"PAPERTRENDS_DATA_DIR": str(root), **({PG_URL_ENV: pg_url} if pg_url else {})}
    label = "warm-up" + ("-postgres" if pg_url else "")
    result = run_measured(ingest_cmd(source), env=env, log=log_dir / f"{label}.log")
    shutil.rmtree(root, ignore_errors=True)
    print(f"{label} ingest (not measured): {result['wall_s']:.1f} s, exit {result['exit_code']}",
          file=sys.stderr)
    return {"wall_s": result["wall_s"], "exit_code": result["exit_code"]}


def print_breakdown(result: dict) -> None:
    split = result.get("breakdown") or {}
    peaks = ", ".join(f"{p['command'].split(' --')[0]} {p['peak_rss_mb']} MB during {p['during']}"
                      for p in result.get("peak_rss_by_process", [])[:2])
    print(f"    Dagster: {split.get('events')} events "
          f"({split.get('events_by_type', {}).get('ASSET_MATERIALIZATION_PLANNED')} planned materializations), "
          f"{split.get('run_creation_to_start_s')} s creating the run; dbt step split (s): "
          f"{split.get('dbt_step_s')}; memory peaks: {peaks}")


BUILT_BY = "bench-dbt-project.txt"   # in a backfill's data dir: the dbt project that built it


def dbt_project_fingerprint() -> str:
    """A hash of the dbt project's files: marts built by another version of them are re-made by
    the next run (a changed model re-tags or re-counts every paper), which is not a daily run."""
    import hashlib

    from orchestration.defs.dbt.manifest import project_files

    digest = hashlib.sha256()
    for path in project_files():
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def backfill_is_current(root: Path) -> bool:
    """The backfill in `root` exists and was made by the dbt project as it is now."""
    mark = root / BUILT_BY
    return ((root / "warehouse.duckdb").exists() and mark.exists()
            and mark.read_text() == dbt_project_fingerprint())


def backfill(work: Path, years: int, log_dir: Path, kind: str = "capture") -> dict:
    source = captures_dir(work, years, kind)
    files = sorted(source.glob(PATTERN[kind]))
    root = data_dir(work, years, kind)
    shutil.rmtree(root, ignore_errors=True)
    suffix = "" if kind == "capture" else f"-{kind}"
    load = wait_for_low_load()
    floor = measure_floor(source, work / f"floor-{years}y{suffix}", f"floor-{years}y{suffix}", log_dir)
    floor.update(load)
    load = wait_for_low_load()
    result = measure_ingest([source], root, f"backfill-{years}y{suffix}", log_dir)
    result.update(load)
    result["floor"] = floor
    result["ratio_to_floor"] = (round(result["wall_s"] / floor["wall_s"], 2)
                                if floor["exit_code"] == 0 and floor["wall_s"] else None)
    result.update(years=years, kind=kind, files=len(files), input_mb=round(mb(files), 1), data_dir=str(root),
                  **warehouse_facts(root))
    (root / BUILT_BY).write_text(dbt_project_fingerprint())
    steps = ", ".join(f"{k} {v:.1f}" for k, v in result["steps_s"].items())
    dbt = result["dbt"] or {}
    files_kind = "captures" if kind == "capture" else "API JSON files"
    print(f"backfill {years:>2} y: {len(files)} {files_kind} ({result['input_mb']} MB) in "
          f"{result['wall_s']:.1f} s wall, CPU user+sys {result['user_s'] + result['sys_s']:.1f} s, "
          f"peak RSS {result['max_rss_mb']:.0f} MB (largest process), "
          f"{result['tree_peak_pss_mb']:.0f} MB (process tree, PSS; RSS summed "
          f"{result['tree_peak_rss_mb']:.0f} MB), exit {result['exit_code']}, "
          f"load {result['load_at_start'][0]:.2f}, reference loop {result['reference_loop_s']} s")
    print(f"    steps (s): {steps}; phases (s): {result['phases_s']}; "
          f"dbt elapsed {dbt.get('elapsed_s')} s, top: "
          + ", ".join(f"{n['node']} {n['s']}" for n in dbt.get("top", [])[:3]))
    print_breakdown(result)
    print(f"    {describe_floor(floor)}, load {floor['load_at_start'][0]:.2f}, reference loop "
          f"{floor['reference_loop_s']} s; backfill / floor = {result['ratio_to_floor']}x "
          f"(target <= {TARGET_FLOOR_RATIO}x at ten years)")
    return result


def profile_ingest(work: Path, years: int, log_dir: Path, top: int = 25) -> dict:
    """The ingest of `years` under cProfile (a separate data dir), top functions by cumulative
    and own time. cProfile sees the main thread only: dbt's threads and the parsing worker
    processes show as waiting on them."""
    source = captures_dir(work, years)
    root = work / f"data-{years}y-profile"
    shutil.rmtree(root, ignore_errors=True)
    prof = log_dir / f"backfill-{years}y.prof"
    # main(), not `-m cProfile -m orchestration.cli.main`: the command leaves by os._exit (no
    # teardown), which would leave before cProfile writes its file.
    code = ("import cProfile, sys; from orchestration.cli.main import main; "
            "cProfile.run('main(sys.argv[2:])', sys.argv[1])")
    cmd = [sys.executable, "-c", code, str(prof), "ingest", str(source)]
    wait_for_low_load()
    result = run_measured(cmd, env={"PAPERTRENDS_DATA_DIR": str(root)}, log=log_dir / f"backfill-{years}y-profile.log")
    shutil.rmtree(root, ignore_errors=True)
    stats = pstats.Stats(str(prof))
    total = max(stats.total_tt, 1e-9)

    def rows(key: int) -> list[dict]:
        found = []
        for (filename, line, func), (_cc, ncalls, tottime, cumtime, _c) in stats.stats.items():
            short = filename.split("/site-packages/")[-1].replace(str(PROJECT_ROOT) + "/", "")
            found.append({"function": f"{short}:{line}({func})", "ncalls": ncalls,
                          "tottime_s": round(tottime, 2), "cumtime_s": round(cumtime, 2)})
        found.sort(key=lambda r: r["cumtime_s" if key else "tottime_s"], reverse=True)
        return found[:top]

    print(f"profiled backfill {years} y: {result['wall_s']:.1f} s under cProfile -> {prof}")
    return {"years": years, "wall_s_under_profile": result["wall_s"], "profile_total_s": round(total, 2),
            "steps_s": result["steps_s"], "top_cumulative": rows(1), "top_own_time": rows(0),
            "prof_file": str(prof)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backfill", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help=f"where captures and data dirs go (default {DEFAULT_WORK})")
    parser.add_argument("--profile-years", type=int, nargs="*", default=[],
                        help="also run these backfills under cProfile")
    parser.add_argument("--kind", choices=["capture", "json"], default="capture",
                        help="page captures (the default, and the targets) or API JSON "
                             "(results in backfill_json.json, data dirs data-<N>y-json)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    log_dir = Path(__file__).resolve().parent / "results" / "logs"
    warm = warm_up(args.work, log_dir)
    runs = [backfill(args.work, years, log_dir, args.kind) for years in sorted(args.years)]
    ten = next((r for r in runs if r["years"] == 10 and args.kind == "capture"), None)
    targets = None
    if ten:
        # the largest process (ru_maxrss, not sampled) or the tree's sampled PSS, whichever is
        # larger; the RSS sum, an upper bound, is printed beside it
        peak = max(ten["max_rss_mb"], ten["tree_peak_pss_mb"])
        targets = {"wall_s": ten["wall_s"], "wall_target_s": TARGET_WALL_S,
                   "wall_met": ten["wall_s"] < TARGET_WALL_S and ten["exit_code"] == 0,
                   "peak_mb": peak, "peak_target_mb": TARGET_PEAK_MB, "peak_met": peak < TARGET_PEAK_MB,
                   "floor_wall_s": ten["floor"]["wall_s"], "ratio_to_floor": ten["ratio_to_floor"],
                   "ratio_target": TARGET_FLOOR_RATIO,
                   "ratio_met": (ten["ratio_to_floor"] is not None and ten["exit_code"] == 0
                                 and ten["ratio_to_floor"] <= TARGET_FLOOR_RATIO)}
        print(f"backfill 10 y: {ten['wall_s']:.1f} s (target < {TARGET_WALL_S:.0f} s: "
              f"{'met' if targets['wall_met'] else 'MISSED'}), {ten['ratio_to_floor']}x the floor of "
              f"{ten['floor']['wall_s']:.1f} s (target <= {TARGET_FLOOR_RATIO}x: "
              f"{'met' if targets['ratio_met'] else 'MISSED'}), peak {peak:.0f} MB "
              f"(target < {TARGET_PEAK_MB:.0f} MB: {'met' if targets['peak_met'] else 'MISSED'})")
    profiles = [profile_ingest(args.work, years, log_dir) for years in args.profile_years]
    previous = {}
    from bench.common import read_result
    name = "backfill" if args.kind == "capture" else f"backfill_{args.kind}"
    old = read_result(name)
    if old:  # keep runs of other years measured earlier
        previous = {r["years"]: r for r in old.get("runs", [])}
    previous.update({r["years"]: r for r in runs})
    path = write_result(name, {
        "work": str(args.work), "warm_up": warm, "runs": [previous[y] for y in sorted(previous)],
        "targets": targets or (old or {}).get("targets"),
        "profiles": profiles or (old or {}).get("profiles", []),
    })
    print(f"  -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared pieces of the benchmarks: machine facts, waiting for a low load, timed child processes
(sampled by bench/process_tree.py), results."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.process_tree import TIME_BIN, TreeSampler, loadavg, machine_cpu_s

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
DBT_TARGET = PROJECT_ROOT / "dbt_project" / "target"
BENCH_WORK = Path(os.environ.get("PAPERTRENDS_BENCH_WORK") or "/tmp/papertrends-bench")
PYCACHE = BENCH_WORK / "pycache"
STEP_RE = re.compile(r"^\s*(done|FAILED) (.+) \(([\d.]+) s\)\s*$")
# The generated corpus runs back from bench.generate.END (2025-11-28): ten years start in
# December 2015, before the May 2023 papertrends tracks by default, so every benchmark process
# tracks from January 2015 (up to ~10.9 years; a longer --years needs an earlier day).
FIRST_DAY = "2015-01-01"
os.environ.setdefault("PAPERTRENDS_FIRST_DAY", FIRST_DAY)


def reference_loop_s(iterations: int = 5_000_000) -> float:
    """Seconds this machine takes for a fixed pure-Python loop, best of 3: how fast the machine
    is at the moment of a measurement. On the 2-core VM it swung from 0.7 to 1.5 s within minutes
    with nothing else running (no steal time shown), so results record it beside their numbers."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for n in range(iterations):
            total += n
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


MAX_LOAD = float(os.environ.get("PAPERTRENDS_BENCH_MAX_LOAD", "1.0"))
MAX_WAIT_S = float(os.environ.get("PAPERTRENDS_BENCH_MAX_WAIT", "180"))


def wait_for_low_load(threshold: float = MAX_LOAD, max_wait: float = MAX_WAIT_S, quiet: bool = False) -> dict:
    """Wait (up to max_wait s) until the 1-minute load average drops below threshold.

    Other processes (test suites) share this 2-core machine; a measurement taken while they run
    is slower. Returns what was waited, the load when the measurement starts, and how fast the
    machine is at that moment (reference_loop_s)."""
    started = time.monotonic()
    while loadavg()[0] >= threshold and time.monotonic() - started < max_wait:
        time.sleep(5)
    waited = time.monotonic() - started
    load = loadavg()
    if not quiet and waited >= 5:
        print(f"  (waited {waited:.0f} s for load < {threshold}; load now {load[0]:.2f})",
              file=sys.stderr)
    return {"load_before": load, "waited_for_load_s": round(waited, 1),
            "low_load": load[0] < threshold, "reference_loop_s": reference_loop_s()}


def versions() -> dict:
    found = {"python": platform.python_version()}
    for name in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "polars",
                 "pandera", "pyarrow"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout if shutil.which("free") else ""
    return {"nproc": os.cpu_count(), "cpu": cpu, "free_h": free.strip(),
            "kernel": platform.release(), "versions": versions(), "git": git_state()}


def git_state() -> dict:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""
    if not git("rev-parse", "HEAD"):  # an exported tree (git archive): the commit it came from
        marker = PROJECT_ROOT / ".bench-commit"
        commit = marker.read_text().strip()[:7] if marker.exists() else None
        return {"commit": commit, "exported_tree": str(PROJECT_ROOT), "dirty_files_outside_bench": []}
    dirty = [line for line in git("status", "--porcelain").splitlines()
             if not line[3:].startswith(("bench/", "BENCHMARKS.md", "Makefile"))]
    return {"commit": git("rev-parse", "--short", "HEAD") or None, "dirty_files_outside_bench": dirty}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_result(name: str, payload: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    payload = {"benchmark": name, "finished_at": now(), "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path


def read_result(name: str) -> dict | None:
    path = RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


# --- child processes ---------------------------------------------------------------------------

# Variables that would send a measured run's state outside its data dir (docs/deployment.md):
# a benchmark's child gets them only when the benchmark passes them itself.
ELSEWHERE = ("DAGSTER_HOME", "PAPERTRENDS_DERIVED_DAGSTER_HOME", "PAPERTRENDS_WAREHOUSE",
             "PAPERTRENDS_DERIVED_WAREHOUSE", "PAPERTRENDS_LANDING_DIR", "PAPERTRENDS_ARCHIVE_DIR",
             "PAPERTRENDS_DAGSTER_PG_URL")


def child_env(extra: dict | None = None, bytecode: bool = True) -> dict:
    """The environment of a measured child process: this one's, less ELSEWHERE, plus extra.

    This sandbox's shell sets PYTHONDONTWRITEBYTECODE=1 and the venv holds no .pyc files, so
    every process would compile its ~4,000 modules (dagster, dbt, polars...) from source, ~9 s
    per process. People's machines keep bytecode, so by default the children write and reuse it
    under PYTHONPYCACHEPREFIX=<bench work dir>/pycache (the venv itself is left untouched); a
    warm-up run fills that cache before anything is measured. bytecode=False keeps the
    sandbox's behaviour (measured once, to show what it costs)."""
    env = {name: value for name, value in os.environ.items() if name not in ELSEWHERE}
    env.update({"PYTHONUNBUFFERED": "1", "PAPERTRENDS_FIRST_DAY": FIRST_DAY, **(extra or {})})
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.setdefault("PYTHONPYCACHEPREFIX", str(PYCACHE))
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def run_measured(cmd: list[str], env: dict | None = None, cwd: Path = PROJECT_ROOT,
                 log: Path | None = None, bytecode: bool = True) -> dict:
    """Run cmd; return wall seconds, CPU seconds, exit code, peak RSS and the lines it printed.

    CPU: `user_s` + `sys_s` are os.wait4's rusage of the child, which holds every descendant
    it reaped (the ingest reaps its parsing workers and dbt); `cpu_s_sampled` adds up each
    process's own CPU time as last sampled, a check on that. `machine_busy_s` is how long all
    cores were busy meanwhile, every process of the machine counted (others' load included).

    Peak memory three ways: `max_rss_mb` is the largest resident set of any single process of
    the tree (/usr/bin/time -v when present, else os.wait4's rusage; both are ru_maxrss);
    `tree_peak_rss_mb` the largest sum of RSS over the live process tree, sampled every 0.1 s
    (an upper bound: a page two processes share counts twice, as a child just forked shares
    all of its parent's); `tree_peak_pss_mb` the largest sum of PSS, sampled with it (each
    shared page split between its processes: what the tree holds)."""
    full_env = child_env(env, bytecode)
    use_time = os.access(TIME_BIN, os.X_OK)
    time_file = None
    argv = cmd
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    if use_time:
        time_file = (log.with_suffix(".time") if log else Path(f"/tmp/bench-time-{os.getpid()}.txt"))
        argv = [TIME_BIN, "-v", "-o", str(time_file), *cmd]
    load = loadavg()
    machine_before = machine_cpu_s()
    started_at = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=full_env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    lines: list[tuple[float, str]] = []
    for line in proc.stdout:
        lines.append((time.perf_counter() - started, line.rstrip("\n")))
    output = "\n".join(line for _, line in lines)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    machine_after = machine_cpu_s()
    sampler.stopped.set()
    sampler.join()
    max_rss_kb = usage.ru_maxrss
    time_report = {}
    if time_file and time_file.exists():
        time_report = _parse_time_v(time_file.read_text())
        max_rss_kb = time_report.get("Maximum resident set size (kbytes)", max_rss_kb)
        if log is None:
            time_file.unlink()
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(f"[{t:7.2f}] {line}\n" for t, line in lines))
    return {
        "cmd": cmd, "exit_code": proc.returncode, "wall_s": round(wall, 2),
        "started_at_epoch": started_at,
        "user_s": round(usage.ru_utime, 2), "sys_s": round(usage.ru_stime, 2),
        # the same from /proc every 0.1 s: a process that ends unreaped would be missing above
        "cpu_s_sampled": round(sum(sampler.cpu.values()), 2),
        "machine_busy_s": round(machine_after["busy"] - machine_before["busy"], 2),
        "machine_steal_s": round(machine_after["steal"] - machine_before["steal"], 2),
        "load_during": [round(x, 2) for x in sampler.load] if sampler.load[1] else None,
        "max_rss_mb": round(int(max_rss_kb) / 1024, 1),
        "tree_peak_rss_mb": round(sampler.peak / 2**20, 1),
        "tree_peak_pss_mb": round(sampler.peak_pss / 2**20, 1),
        "peak_rss_by_process": _with_step(sampler.peaks(), lines),
        "rss_source": "/usr/bin/time -v" if time_report else "os.wait4 ru_maxrss",
        "load_at_start": load, "load_at_end": loadavg(),
        "steps_s": step_times(output), "phases_s": phases(lines, wall),
        "output_tail": output.splitlines()[-30:],
    }


def _with_step(peaks: list[dict], lines: list[tuple[float, str]]) -> list[dict]:
    """Name the step (from the progress lines) that was running when each process peaked."""
    for row in peaks:
        running = "before the first step"
        for t, line in lines:
            if t > row["peak_at_s"]:
                break
            if line.lstrip().startswith("... "):
                running = line.strip()[4:]
            elif STEP_RE.match(line):
                running = f"after {STEP_RE.match(line).group(2)}"
        row["during"] = running
    return peaks


def phases(lines: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Where the wall time of a `papertrends ingest` went, from when its lines appeared:
    before 'Ingesting' (start-up + landing), up to the first step (imports, dbt manifest, run
    start), the steps themselves, Dagster between steps, and after the last step (run end and
    the summary)."""
    marks = {"ingesting": None, "first_step": None, "last_step": None}
    in_steps = between = 0.0
    last_done = None
    for t, line in lines:
        if marks["ingesting"] is None and line.startswith("Ingesting "):
            marks["ingesting"] = t
        if line.lstrip().startswith("... "):
            if marks["first_step"] is None:
                marks["first_step"] = t
            elif last_done is not None:
                between += t - last_done
        match = STEP_RE.match(line)
        if match:
            in_steps += float(match.group(3))
            last_done = marks["last_step"] = t
    if None in marks.values():
        return {}
    return {
        "startup_and_landing": round(marks["ingesting"], 2),
        "until_first_step": round(marks["first_step"] - marks["ingesting"], 2),
        "steps": round(in_steps, 2),
        "between_steps": round(between, 2),
        "after_last_step": round(wall - marks["last_step"], 2),
    }


def _parse_time_v(text: str) -> dict:
    found = {}
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        if key and value.strip().isdigit():
            found[key] = int(value)
    return found


def step_times(output: str) -> dict[str, float]:
    """'  done parse snapshots (1.2 s)' lines of orchestration/defs/progress.py -> {label: s}."""
    steps = {}
    for line in output.splitlines():
        match = STEP_RE.match(line)
        if match:
            steps[match.group(2)] = float(match.group(3))
    return steps


def ingest_cmd(*paths: Path) -> list[str]:
    """`papertrends ingest PATH...` with this interpreter (the project's venv)."""
    return [sys.executable, "-m", "orchestration.cli.main", "ingest", *map(str, paths)]


def mb(path_or_paths) -> float:
    paths = [path_or_paths] if isinstance(path_or_paths, Path) else path_or_paths
    return sum(p.stat().st_size for p in paths) / 1e6


# --- where a run's time went: Dagster's event log and dbt's own log -------------------------------

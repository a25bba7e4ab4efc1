"""What one benchmarked run did inside: its Dagster run id, dbt's per-node timings, and the
time between Dagster events (read through the data dir's Dagster instance, whichever storage it
has, and from dbt's run_results.json)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bench.common import DBT_TARGET

PG_URL_ENV = "PAPERTRENDS_DAGSTER_PG_URL"   # as orchestration/storage/dagster_storage.py names it


@contextlib.contextmanager
def instance_of(data_root: Path, pg_url: str | None = None) -> Iterator:
    """The Dagster instance of a data dir (its dagster.yaml), with PAPERTRENDS_DAGSTER_PG_URL set
    to pg_url while it is open (the file names the variable, not the URL); None when the data
    dir has no Dagster home."""
    home = data_root / "dagster"
    if not (home / "dagster.yaml").exists():
        yield None
        return
    import dagster as dg

    from orchestration.storage.dagster_storage import with_driver

    saved = {name: os.environ.get(name) for name in ("DAGSTER_HOME", PG_URL_ENV)}
    os.environ["DAGSTER_HOME"] = str(home)
    if pg_url:
        os.environ[PG_URL_ENV] = with_driver(pg_url)
    else:
        os.environ.pop(PG_URL_ENV, None)
    try:
        with dg.DagsterInstance.get() as instance:
            yield instance
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def latest_run_id(data_root: Path, pg_url: str | None = None) -> str | None:
    with instance_of(data_root, pg_url) as instance:
        if instance is None:
            return None
        records = instance.get_run_records(limit=1)
        return records[0].dagster_run.run_id if records else None


def dbt_run_files(data_root: Path, run_id: str | None) -> tuple[Path | None, Path | None]:
    """(run_results.json, dbt.log) of a Dagster run's `dbt build`: in <data dir>/work/dbt-target
    (one target folder per data dir) or dbt_project/target/dbt_models-<run id[:7]>-* (a folder
    per run, as dagster-dbt does by default)."""
    shared = data_root / "work" / "dbt-target"
    if (shared / "run_results.json").exists():
        logs = [p for p in (shared / "dbt.log", data_root / "work" / "dbt-logs" / "dbt.log") if p.exists()]
        return shared / "run_results.json", (logs[0] if logs else None)
    if run_id:
        found = sorted(DBT_TARGET.glob(f"dbt_models-{run_id[:7]}-*/run_results.json"))
        if found:
            log = found[-1].parent / "dbt.log"
            return found[-1], (log if log.exists() else None)
    return None, None


def dbt_timings(data_root: Path, run_id: str | None, top: int = 10) -> dict | None:
    """dbt's own timings of the `dbt build` of a Dagster run (its run_results.json)."""
    results_path, _ = dbt_run_files(data_root, run_id)
    if not results_path:
        return None
    results = json.loads(results_path.read_text())
    nodes = sorted(((r["execution_time"], r["unique_id"]) for r in results["results"]), reverse=True)
    by_type: dict[str, float] = {}
    for seconds, unique_id in nodes:
        kind = unique_id.split(".")[0]
        by_type[kind] = round(by_type.get(kind, 0.0) + seconds, 2)
    return {
        "elapsed_s": round(results["elapsed_time"], 2),
        "invocation_id": results.get("metadata", {}).get("invocation_id"),
        "nodes": len(nodes),
        "sum_by_type_s": by_type,
        "top": [{"node": u.split(".", 2)[-1], "kind": u.split(".")[0], "s": round(s, 2)} for s, u in nodes[:top]],
        "run_results": str(results_path),
    }


def _utc(text: str) -> float:
    """'2026-11-27 11:24:41.478146' (Dagster, UTC) or '2026-11-27T11:24:48.530421Z' (dbt) -> epoch s."""
    return datetime.fromisoformat(text.replace("Z", "").replace("T", " ")).replace(tzinfo=UTC).timestamp()


def run_events(data_root: Path, run_id: str, pg_url: str | None = None) -> list[tuple[str | None, str | None, float]]:
    """(event type, step key, epoch seconds) of each event a run stored, in order."""
    with instance_of(data_root, pg_url) as instance:
        if instance is None:
            return []
        return [(entry.dagster_event_type.value if entry.dagster_event_type else None,
                 entry.step_key, entry.timestamp) for entry in instance.all_logs(run_id)]


def run_breakdown(data_root: Path, run_id: str | None, pg_url: str | None = None) -> dict | None:
    """From the run's Dagster event log and its dbt.log: how many events the run stored, how long
    it spent before its first step (creating the run: ASSET_MATERIALIZATION_PLANNED events), in
    its steps and outside them, and how the dbt_models step splits into dagster-dbt + dbt
    start-up, dbt's own start-up (manifest), the dbt nodes, and dagster-dbt handling dbt's
    events afterwards."""

    if not run_id:
        return None
    events = run_events(data_root, run_id, pg_url)
    if not events:
        return None
    counts: dict[str, int] = {}
    for kind, _, _ in events:
        counts[kind or "log"] = counts.get(kind or "log", 0) + 1
    first = events[0][2]
    start = next((t for k, _, t in events if k == "PIPELINE_START"), None)
    finish = next((t for k, _, t in events if k in ("PIPELINE_SUCCESS", "PIPELINE_FAILURE")), None)
    steps = {}
    for kind, step, stamp in events:
        if step and kind in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
            steps.setdefault(step, {})[kind] = stamp
    in_steps = sum((s.get("STEP_SUCCESS") or s.get("STEP_FAILURE")) - s["STEP_START"]
                   for s in steps.values() if "STEP_START" in s and len(s) > 1)
    out = {"events": len(events), "events_by_type": dict(sorted(counts.items(), key=lambda kv: -kv[1])),
           "first_event_epoch": first, "last_event_epoch": events[-1][2],
           "run_creation_to_start_s": round(start - first, 2) if start else None,
           "run_start_to_end_s": round(finish - start, 2) if start and finish else None,
           "in_steps_s": round(in_steps, 2),
           # the in-process executor runs one step at a time: the rest of the run is Dagster's
           "run_outside_steps_s": round(finish - start - in_steps, 2) if start and finish else None}
    dbt_step = steps.get("dbt_models", {})
    results_path, log = dbt_run_files(data_root, run_id)
    invocation = json.loads(results_path.read_text()).get("metadata", {}).get("invocation_id") if results_path else None
    if "STEP_START" in dbt_step and log:
        marks = {}
        for line in log.read_text().splitlines():
            if not line.startswith("{"):
                continue
            info = json.loads(line)["info"]
            if invocation and info.get("invocation_id") != invocation:
                continue  # an earlier invocation's lines in a shared dbt.log
            name = info["name"]
            if name == "MainReportVersion":
                marks.setdefault("dbt_first_line", _utc(info["ts"]))
            elif name == "NodeStart":
                marks.setdefault("first_node", _utc(info["ts"]))
            elif name == "NodeFinished":
                marks["last_node"] = _utc(info["ts"])
            elif name == "CommandCompleted":
                marks["dbt_done"] = _utc(info["ts"])
        end = dbt_step.get("STEP_SUCCESS") or dbt_step.get("STEP_FAILURE")
        if len(marks) == 4 and end:
            begin = dbt_step["STEP_START"]
            out["dbt_step_s"] = {
                "total": round(end - begin, 2),
                "dagster_dbt_setup_and_dbt_import": round(marks["dbt_first_line"] - begin, 2),
                "dbt_startup_manifest": round(marks["first_node"] - marks["dbt_first_line"], 2),
                "dbt_nodes": round(marks["last_node"] - marks["first_node"], 2),
                "after_dbt_events_to_dagster": round(end - marks["last_node"], 2),
            }
    return out

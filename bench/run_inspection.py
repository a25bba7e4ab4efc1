"""What one benchmarked run did inside: its Dagster run id, dbt's per-node timings, and the
time between Dagster events (read from the data dir's event log and dbt's run_results.json)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bench.common import DBT_TARGET


def latest_run_id(data_root: Path) -> str | None:
    storage = data_root / "dagster" / "storage"
    if not storage.is_dir():
        return None
    runs = sorted(storage.iterdir(), key=lambda p: p.stat().st_mtime)
    return runs[-1].name if runs else None


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


def run_breakdown(data_root: Path, run_id: str | None) -> dict | None:
    """From the run's Dagster event log (sqlite) and its dbt.log: how long the run spent before
    its first step (creating the run: one ASSET_MATERIALIZATION_PLANNED event per asset and
    partition), and how the dbt_models step splits into dagster-dbt + dbt start-up, dbt's own
    start-up (manifest), the dbt nodes, and dagster-dbt handling dbt's events afterwards."""

    if not run_id:
        return None
    db = data_root / "dagster" / "history" / "runs" / f"{run_id}.db"
    if not db.exists():
        return None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        events = con.execute("select dagster_event_type, step_key, timestamp from event_logs order by id").fetchall()
    finally:
        con.close()
    counts: dict[str, int] = {}
    for kind, _, _ in events:
        counts[kind or "log"] = counts.get(kind or "log", 0) + 1
    first = _utc(events[0][2])
    start = next((_utc(t) for k, _, t in events if k == "PIPELINE_START"), None)
    steps = {}
    for kind, step, stamp in events:
        if step and kind in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
            steps.setdefault(step, {})[kind] = _utc(stamp)
    out = {"events": len(events), "events_by_type": dict(sorted(counts.items(), key=lambda kv: -kv[1])),
           "run_creation_to_start_s": round(start - first, 2) if start else None}
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

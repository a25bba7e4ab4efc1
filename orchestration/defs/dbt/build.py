"""`dbt build` inside the Dagster step's own process, its results turned into Dagster events.

dbt runs through its programmatic entry point, `dbtRunner` (dbt-core's supported Python API),
in the step's process: dagster-dbt's `DbtCliResource.cli()` starts `dbt` as a subprocess that
imports dbt and reads the project again, ~15 s of every run whatever the data (BENCHMARKS.md).
The project is parsed first, without the build's `--vars` (`reload_from` changes from one run
to the next, and dbt re-parses the whole project when the vars of its saved partial parse
differ), so dbt's partial parse in the data dir's target folder serves every run; the parsed
project is then handed to the build (`dbtRunner(manifest=...)`, dbt's documented way to reuse
a parse). Each node result becomes an `Output` (a model, seed or snapshot) or an
`AssetCheckResult` (a dbt test) of the `@dbt_assets` definition (orchestration/defs/dbt/assets.py),
keyed by the same translator that made its specs.

Unit tests (dbt `unit_tests:`) are not part of the daily build: they test the SQL, not the data,
so `make test` runs them (tests/defs/dbt/test_pipeline.py) and the daily run does not pay for them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator

from orchestration.defs.dbt.seeds import current_seeds, record_seeds
from orchestration.defs.interrupts import interrupts_seen
from orchestration.storage.settings import DBT_PROJECT_DIR

DAILY_EXCLUDE = "resource_type:unit_test"
FAILED = ("error", "fail", "runtime error")
BUILT = ("model", "seed", "snapshot")   # the dbt resources that are assets


@dataclass
class NodeResult:
    unique_id: str
    name: str
    resource_type: str
    status: str
    message: str
    seconds: float
    failures: int | None = None


@dataclass
class BuildOutcome:
    success: bool
    results: list[NodeResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class DbtProjectError(RuntimeError):
    """The dbt project does not parse: a problem in dbt_project/, not in the data."""


def project_args(target: Path, logs: Path | None = None) -> list[str]:
    return ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target), "--log-path", str(logs or target.parent / "dbt-logs")]


# What the profile's warehouse path reads as while dbt parses. dbt keeps a partial parse only
# for the connection settings it was made with, and parsing opens nothing, so every parse uses
# this one value: the partial parse `make setup` saves as dbt_project/target/SHARED_PARTIAL_PARSE
# then serves the first run of any data dir (a full parse is ~2 s of every new data dir's first
# run otherwise). It is a copy under a name of its own: dbt run by hand in dbt_project/, or
# sqlfluff's dbt templater, write their own partial_parse.msgpack there, for their own settings.
PARSE_WAREHOUSE = "/papertrends-parse/warehouse.duckdb"
PARTIAL_PARSE = "partial_parse.msgpack"   # dbt's name for it, in a target folder
SHARED_PARTIAL_PARSE = DBT_PROJECT_DIR / "target" / "papertrends-partial-parse.msgpack"


def parse_project(target: Path, logs: Path | None = None, write_json: bool = True) -> Any:
    """`dbt parse` in this process: dbt's parsed project, also written to `target` as
    manifest.json when `write_json`. A partial parse from `target` when it holds one, else
    from SHARED_PARTIAL_PARSE (`--partial-parse-file-path`); dbt parses in full when the project
    changed since, and saves the result in `target`."""
    start_from = (["--partial-parse-file-path", str(SHARED_PARTIAL_PARSE)]
                  if not (target / PARTIAL_PARSE).exists() and SHARED_PARTIAL_PARSE.exists() else [])
    json_flag = [] if write_json else ["--no-write-json"]
    saved = os.environ.get("PAPERTRENDS_WAREHOUSE")
    os.environ["PAPERTRENDS_WAREHOUSE"] = PARSE_WAREHOUSE
    try:
        with interrupts_seen() as seen:
            from dbt.cli.main import dbtRunner

            result = dbtRunner().invoke(["parse", "--quiet", *json_flag, *start_from,
                                         *project_args(target, logs)])
    finally:
        if saved is None:
            del os.environ["PAPERTRENDS_WAREHOUSE"]
        else:
            os.environ["PAPERTRENDS_WAREHOUSE"] = saved
    stop_if_interrupted(result.exception, seen())
    if not result.success:
        raise DbtProjectError(
            f"dbt could not parse the project in {DBT_PROJECT_DIR}: {result.exception}. Run "
            "`uv run dbt parse --project-dir dbt_project --profiles-dir dbt_project` to see why.")
    return result.result


def run_dbt(args: list[str], target: Path, manifest: Any = None) -> BuildOutcome:
    """Run a dbt command in this process (on `manifest`, dbt's parse of the project, when given);
    keep each node's result."""
    from dbt.cli.main import dbtRunner

    manifest = manifest if manifest is not None else parse_project(target, write_json=False)
    try:
        with interrupts_seen() as seen:
            # No manifest.json at the end (~0.5 s for a file nobody reads here); run_results.json,
            # which people and bench/ read, is written below.
            result = dbtRunner(manifest=manifest).invoke([*args, "--no-write-json", *project_args(target)])
    finally:
        release_warehouse()
    if hasattr(result.result, "write"):
        target.mkdir(parents=True, exist_ok=True)
        result.result.write(str(target / "run_results.json"))
    stop_if_interrupted(result.exception, seen())
    outcome = BuildOutcome(bool(result.success))
    if result.exception is not None:
        outcome.problems.append(str(result.exception))
    for node in getattr(result.result, "results", None) or []:
        status = str(node.status)
        outcome.results.append(NodeResult(
            node.node.unique_id, node.node.name, str(node.node.resource_type), status,
            (node.message or "").strip(), float(node.execution_time or 0.0), node.failures))
        if status in FAILED:
            outcome.problems.append(f"{node.node.name}: {status}: {(node.message or '').strip()[:300]}")
    return outcome


def stop_if_interrupted(exception: BaseException | None, signalled: bool = False) -> None:
    """Ctrl-C or SIGTERM during dbt's parse or build goes on as the interrupt it is (in a step,
    step_failure fails the step as interrupted): dbt's runner returns it as its result, or it
    was lost inside dbt (orchestration/defs/interrupts.py) and only the signal was seen."""
    if signalled or interrupted(exception):
        raise KeyboardInterrupt from exception


def interrupted(exception: BaseException | None) -> bool:
    """Whether the build ended on Ctrl-C or SIGTERM (Dagster turns both into an interrupt of the
    step): the exception dbt's runner returns is the interrupt itself, or an error raised while
    dbt was closing its connections on it (DuckDB's "connection is busy" when one node's query
    was still running), which carries the interrupt as its context."""
    seen: set[int] = set()
    pending = [exception]
    while pending:
        exc = pending.pop()
        if exc is None or id(exc) in seen:
            continue
        if not isinstance(exc, Exception):
            return True
        seen.add(id(exc))
        pending += [exc.__cause__, exc.__context__]
    return False


def release_warehouse() -> None:
    """Let go of the DuckDB database dbt-duckdb keeps for the next command of this process
    (the profile's in-memory database, with the warehouse attached), so that the warehouse file
    is free for the next step and other processes at once."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    DuckDBConnectionManager.close_all_connections()


def selection_args(context: dg.AssetExecutionContext, manifest: Mapping[str, Any],
                   translator: DagsterDbtTranslator) -> list[str]:
    """The dbt selection for the assets and checks this step materializes: everything but unit
    tests, or, for a subset picked in the UI, its models and tests by name."""
    if not context.is_subset:
        return ["--exclude", DAILY_EXCLUDE]
    keys, checks = context.selected_asset_keys, {key.name for key in context.selected_asset_check_keys}
    names = [node["name"] for node in manifest["nodes"].values()
             if (node["resource_type"] in BUILT and translator.get_asset_key(node) in keys)
             or (node["resource_type"] == "test" and node["name"] in checks)]
    return ["--select", *sorted(names), "--indirect-selection", "empty", "--exclude", DAILY_EXCLUDE]


def node_events(context: dg.AssetExecutionContext, outcome: BuildOutcome,
                manifest: Mapping[str, Any], translator: DagsterDbtTranslator) -> Iterator:
    """An Output for each model (seed, snapshot) dbt built (downstream steps wait for it), an AssetCheckResult
    for each test of the step's checks."""
    checks = {key.name: key for key in context.selected_asset_check_keys}
    for node in outcome.results:
        metadata = {"unique_id": node.unique_id, "status": node.status,
                    "Execution Duration": round(node.seconds, 3)}
        if node.resource_type in BUILT and node.status not in FAILED and node.status != "skipped":
            key = translator.get_asset_key(manifest["nodes"][node.unique_id])
            if key in context.selected_asset_keys:
                yield dg.Output(None, context.assets_def.get_output_name_for_asset_key(key),
                                metadata=metadata)
        elif node.resource_type == "test" and node.name in checks and node.status != "skipped":
            if node.failures is not None:
                metadata["dagster_dbt/failed_row_count"] = node.failures
            yield dg.AssetCheckResult(
                asset_key=checks[node.name].asset_key, check_name=node.name,
                passed=node.status == "pass",
                severity=dg.AssetCheckSeverity.WARN if node.status == "warn" else dg.AssetCheckSeverity.ERROR,
                metadata=metadata)


def build_events(context: dg.AssetExecutionContext, manifest_path: Path, translator: DagsterDbtTranslator,
                 extra_args: list[str], target: Path, warehouse: Path) -> Iterator:
    """`dbt build` of this step's selection (a seed only when it changed: seeds.py); yields an
    event for every node result, then fails the step with the failing nodes named when dbt did
    not succeed."""
    manifest = json.loads(manifest_path.read_text())
    selection = selection_args(context, manifest, translator)
    parsed = parse_project(target, write_json=False)   # the project as it is now
    seeds = [node.to_dict() for node in parsed.nodes.values() if node.resource_type == "seed"]
    current = [] if context.is_subset or "--full-refresh" in extra_args else current_seeds(seeds, warehouse)
    if current:
        selection = ["--exclude", DAILY_EXCLUDE, *current]
        context.log.info(f"seeds as loaded before, not loaded again: {', '.join(current)}")
    args = ["build", *selection, *extra_args]
    context.log.info(f"dbt {' '.join(args)}")
    outcome = run_dbt(args, target, parsed)
    record_seeds(seeds, warehouse, outcome.results)
    yield from node_events(context, outcome, manifest, translator)
    if not outcome.success:
        listed = "\n".join(f"  - {p}" for p in outcome.problems[:20]) or "  (no details)"
        raise dg.Failure(
            description=f"dbt build failed:\n{listed}\nSee {target.parent / 'dbt-logs' / 'dbt.log'}.",
        )

"""`dbt build` inside the Dagster step's own process, its results turned into Dagster events.

Why not dagster-dbt's `DbtCliResource.cli()`: it runs `dbt --version` in one subprocess, loads
dbt's adapter and macros in this process, then starts `dbt build` in another subprocess that
imports dbt and reads the whole project again: ~15 s of every run whatever the data
(BENCHMARKS.md). Here dbt is imported once, and the parsed project (a `Manifest`) is parsed once
per change of the dbt project and kept, pickled, next to dbt's other artifacts. The events are
the same ones dagster-dbt makes: its own `DbtCoreCliEventMessage` converts each node result.

Unit tests (dbt `unit_tests:`) are not part of the daily build: they test the SQL, not the data,
so `make test` runs them (tests/test_pipeline.py) and the daily run does not pay for them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import dagster as dg

from orchestration import dbt_schemas
from orchestration.dbt_manifest import project_files
from orchestration.settings import DBT_PROJECT_DIR

RESULT_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult"}
DAILY_EXCLUDE = "resource_type:unit_test"
MANIFEST_CACHE_DIR = DBT_PROJECT_DIR / "target"


@dataclass
class BuildOutcome:
    success: bool
    raw_events: list[dict]
    problems: list[str]


def project_args(target: Path, logs: Path | None = None) -> list[str]:
    return ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target), "--log-path", str(logs or target.parent / "dbt-logs")]


def _project_fingerprint() -> str:
    """Changes when a file of the dbt project or dbt changes. (Relations are in the database
    `warehouse` whatever the file is called: profiles.yml attaches it under that name.)"""
    from dbt.version import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in project_files():
        stat = path.stat()
        digest.update(f"{path.relative_to(DBT_PROJECT_DIR)}|{stat.st_mtime_ns}|{stat.st_size}".encode())
    return digest.hexdigest()[:16]


class DbtProjectError(RuntimeError):
    """The dbt project does not parse: a problem in dbt_project/, not in the data."""


def parsed_manifest(target: Path) -> Any:
    """dbt's parsed project: unpickled when the project has not changed, else parsed.

    The pickle is a cache of the project's code, like __pycache__, not of any data: it lives in
    dbt_project/target/ (git-ignored) and serves every data dir."""
    cache = _cache_path()
    if cache.exists():
        try:
            return _manifest_from_fields(pickle.loads(cache.read_bytes()))
        except Exception:  # a pickle from another dbt: parse again
            cache.unlink(missing_ok=True)
    return parse_project(target)


def parse_project(target: Path, write_json: bool = False, logs: Path | None = None) -> Any:
    """`dbt parse` in this process (partial parsing from `target`); pickle the result."""
    from dbt.cli.main import dbtRunner

    dbt_schemas.install()
    json_flag = [] if write_json else ["--no-write-json"]
    # The profile names the warehouse by an env var; parsing opens nothing, so any path will do.
    unset = "PAPERTRENDS_WAREHOUSE" not in os.environ
    if unset:
        os.environ["PAPERTRENDS_WAREHOUSE"] = str(target / "warehouse.duckdb")
    try:
        result = dbtRunner().invoke(["parse", "--quiet", *json_flag, *project_args(target, logs)])
    finally:
        if unset:
            del os.environ["PAPERTRENDS_WAREHOUSE"]
    if not result.success:
        raise DbtProjectError(
            f"dbt could not parse the project in {DBT_PROJECT_DIR}: {result.exception}. Run "
            "`uv run dbt parse --project-dir dbt_project --profiles-dir dbt_project` to see why.")
    cache = _cache_path()
    cache.parent.mkdir(parents=True, exist_ok=True)
    for stale in cache.parent.glob("papertrends-manifest-*.pickle"):
        stale.unlink(missing_ok=True)
    values = _manifest_fields(result.result)
    partial = cache.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(pickle.dumps(values))
    partial.replace(cache)
    return _manifest_from_fields(values)


def _cache_path() -> Path:
    return MANIFEST_CACHE_DIR / f"papertrends-manifest-{_project_fingerprint()}.pickle"


def _manifest_fields(manifest: Any) -> dict:
    """The Manifest's data fields, without its lazily built lookups. (Pickling a Manifest itself
    is broken in dbt-core 1.11: its __reduce_ex__ leaves out `fixtures`, so every lookup after it
    lands in the wrong field and ref() fails with "RefableLookup.find() missing ... 'manifest'".)"""
    from dataclasses import fields

    return {f.name: getattr(manifest, f.name) for f in fields(manifest) if not f.name.startswith("_")}


def _manifest_from_fields(values: dict) -> Any:
    from dbt.contracts.graph.manifest import Manifest

    return Manifest(**values)


def run_dbt(args: list[str], target: Path) -> BuildOutcome:
    """Run a dbt command in this process; keep the node results as dbt's structured events."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    raw_events: list[dict] = []

    def keep_results(event) -> None:
        if event.info.name in RESULT_EVENTS:
            raw_events.append(msg_to_dict(event))

    dbt_schemas.install()
    runner = dbtRunner(manifest=parsed_manifest(target), callbacks=[keep_results])
    try:
        # No manifest.json at the end (~0.5 s for a file nobody reads here); run_results.json,
        # which people and bench/ read, is written below.
        result = runner.invoke([*args, "--no-write-json", *project_args(target)])
    finally:
        release_warehouse()
    if hasattr(result.result, "write"):
        target.mkdir(parents=True, exist_ok=True)
        result.result.write(str(target / "run_results.json"))
    problems = []
    if result.exception is not None:
        problems.append(str(result.exception))
    for node in getattr(result.result, "results", None) or []:
        if str(node.status) in ("error", "fail", "runtime error"):
            problems.append(f"{node.node.name}: {node.status}: {(node.message or '').strip()[:300]}")
    return BuildOutcome(bool(result.success), raw_events, problems)


def release_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a command, so that
    the warehouse file is free for the next step (and other processes) at once."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def selection_args(context: dg.AssetExecutionContext, manifest: Mapping[str, Any], translator) -> list[str]:
    """The dbt selection for the assets and checks this step materializes (all, or a subset
    picked in the UI), without unit tests."""
    from dagster_dbt.asset_utils import get_subset_selection_for_context

    selection, indirect = get_subset_selection_for_context(
        context, manifest, select=None, exclude=DAILY_EXCLUDE, selector=None,
        dagster_dbt_translator=translator,
        current_dbt_indirect_selection_env=os.environ.get("DBT_INDIRECT_SELECTION"),
    )
    if indirect:
        selection += ["--indirect-selection", indirect]
    if "--exclude" not in selection:
        selection += ["--exclude", DAILY_EXCLUDE]
    return selection


def build_events(context: dg.AssetExecutionContext, extra_args: list[str], target: Path) -> Iterator:
    """`dbt build` of this step's selection; yields dagster-dbt's events for every node result,
    then fails the step with the failing nodes named when dbt did not succeed."""
    from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

    manifest, translator, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    args = ["build", *selection_args(context, manifest, translator), *extra_args]
    context.log.info(f"dbt {' '.join(args)}")
    outcome = run_dbt(args, target)
    for raw in outcome.raw_events:
        message = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
        yield from message.to_default_asset_events(
            manifest=manifest, dagster_dbt_translator=translator, context=context, target_path=target)
    if not outcome.success:
        listed = "\n".join(f"  - {p}" for p in outcome.problems[:20]) or "  (no details)"
        raise dg.Failure(
            description=f"dbt build failed:\n{listed}\nSee {target.parent / 'dbt-logs' / 'dbt.log'}.",
        )

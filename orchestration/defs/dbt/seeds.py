"""dbt seeds (dbt_project/seeds/*.csv) are loaded into the warehouse again only when they change.

`dbt build` reloads every seed and runs every test on it, each run: five tables dropped and
filled again from the same files, and their tests' Dagster events, ~1 s of every daily run.
A run whose seeds are current leaves them out (`--exclude resource_type:seed`; dbt leaves out
their tests with them). Seeds count as current when the last build that loaded them, into this
warehouse, loaded the same files with the same configuration (the checksums and configs in
dbt's manifest), and every seed's table is still there. Editing a seed (adding a topic to the
taxonomy) loads it again on the next run; so does a full refresh or a new warehouse.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestration.storage.settings import is_service
from orchestration.storage.warehouse import connect

STATE_FILE = "papertrends-seeds.json"   # in the data dir's dbt target folder
EXCLUDE_SEEDS = "resource_type:seed"


def seed_nodes(manifest: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return sorted((node for node in manifest["nodes"].values() if node["resource_type"] == "seed"),
                  key=lambda node: node["unique_id"])


def fingerprint(manifest: Mapping[str, Any]) -> str:
    """One hash of every seed's file checksum and configuration."""
    parts = [[node["unique_id"], node["checksum"]["checksum"], node.get("config", {})]
             for node in seed_nodes(manifest)]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def seeds_current(manifest: Mapping[str, Any], warehouse: Path, target: Path) -> bool:
    """Whether the warehouse holds every seed as the project's files are now."""
    try:
        state = json.loads((target / STATE_FILE).read_text())
    except (OSError, ValueError):
        return False
    if state != {"warehouse": str(warehouse), "fingerprint": fingerprint(manifest)}:
        return False
    wanted = {(node["schema"], node["alias"] or node["name"]) for node in seed_nodes(manifest)}
    if not is_service(warehouse) and not Path(warehouse).exists():
        return False
    with connect(warehouse, read_only=True) as con:
        present = set(con.execute("select table_schema, table_name from information_schema.tables "
                                  "where table_type = 'BASE TABLE'").fetchall())
    return wanted <= present


def record_seeds(manifest: Mapping[str, Any], warehouse: Path, target: Path,
                 results: list) -> None:
    """After a build: remember the seeds it loaded when every one of them loaded; forget them
    when any failed (the next run loads them all again)."""
    seeds = {node["unique_id"] for node in seed_nodes(manifest)}
    outcomes = {result.unique_id: result.status for result in results if result.unique_id in seeds}
    state = target / STATE_FILE
    if not outcomes:
        return
    if set(outcomes) == seeds and all(status == "success" for status in outcomes.values()):
        target.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps({"warehouse": str(warehouse), "fingerprint": fingerprint(manifest)}))
    else:
        state.unlink(missing_ok=True)

"""dbt seeds (dbt_project/seeds/*.csv) are loaded into the warehouse again only when they change.

`dbt build` reloads every seed and runs every test on it, each run: five tables dropped and
filled again from the same files, and their tests' Dagster events (~0.75 s of a daily run).
After a build loads a seed, its table's comment records what was loaded: the file's checksum and
the seed's loading configuration, from dbt's parse of the project just before the build (not
manifest.json, which a running `make ui` may have read before the file was edited). A later run
leaves out every seed whose table says it holds the project's file as it is now (`--exclude
NAME`; dbt leaves out the seed's tests with it). Editing a seed (adding a topic to the taxonomy)
loads it again on the next run, and so do a missing table, a table loaded by hand (`dbt seed`
leaves no such comment), and a full refresh. The record travels with the warehouse: a copied or
restored warehouse says what it holds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from orchestration.storage.settings import is_service
from orchestration.storage.warehouse import connect

# The parts of a seed's configuration that change what its table holds.
LOADING_CONFIG = ("column_types", "delimiter", "quote_columns")


def seed_nodes(nodes: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The seeds among dbt's nodes (as manifest.json writes them), by unique id."""
    return sorted((node for node in nodes if node["resource_type"] == "seed"),
                  key=lambda node: node["unique_id"])


def loaded_comment(node: Mapping[str, Any]) -> str:
    """The comment on a seed's table once a build has loaded it from the project's file."""
    config = json.dumps({key: node.get("config", {}).get(key) for key in LOADING_CONFIG},
                        sort_keys=True, default=str)
    return (f"dbt seed {node['name']} loaded by papertrends: file sha256 "
            f"{node['checksum']['checksum']}, config {hashlib.sha256(config.encode()).hexdigest()[:16]}")


def relation(node: Mapping[str, Any]) -> tuple[str, str]:
    return node["schema"], node.get("alias") or node["name"]


def current_seeds(nodes: Iterable[Mapping[str, Any]], warehouse: Path) -> list[str]:
    """The seeds whose tables hold the project's files as they are now, by name."""
    if not is_service(warehouse) and not Path(warehouse).exists():
        return []
    with connect(warehouse, read_only=True) as con:
        comments = {(schema, table): comment for schema, table, comment in con.execute(
            "select schema_name, table_name, comment from duckdb_tables()").fetchall()}
    return [node["name"] for node in seed_nodes(nodes)
            if comments.get(relation(node)) == loaded_comment(node)]


def record_seeds(nodes: Iterable[Mapping[str, Any]], warehouse: Path, results: list) -> None:
    """After a build: note on each seed's table that it holds the project's file as loaded now."""
    loaded = {result.unique_id for result in results if result.status == "success"}
    seeds = [node for node in seed_nodes(nodes) if node["unique_id"] in loaded]
    if not seeds:
        return
    with connect(warehouse) as con:
        for node in seeds:
            schema, table = relation(node)
            con.execute(f"comment on table \"{schema}\".\"{table}\" is '{loaded_comment(node)}'")

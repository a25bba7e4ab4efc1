"""docs/data-dictionary.md, generated from the dbt YAML (via the manifest): every model a user
can query, its description and its columns. `uv run python -m orchestration.defs.dbt.data_dictionary`."""

from __future__ import annotations

import functools
import json
import sys

from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.storage.settings import PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "docs" / "data-dictionary.md"
SCHEMAS = ("reporting", "marts", "reference")


def render() -> str:
    manifest = json.loads(ensure_manifest().read_text())
    nodes = [n for n in manifest["nodes"].values()
             if n["resource_type"] in ("model", "seed") and n["schema"] in SCHEMAS]
    nodes.sort(key=lambda n: (SCHEMAS.index(n["schema"]), n["name"]))
    sources = [s for s in manifest["sources"].values()]
    lines = ["# Data dictionary", "",
             "Generated from the dbt YAML by `uv run python -m orchestration.defs.dbt.data_dictionary`; "
             "do not edit by hand. Query these in the published copy "
             "(`papertrends sql`, or `uv run duckdb -readonly <data dir>/warehouse-readonly.duckdb`).", ""]
    for source in sorted(sources, key=lambda s: s["name"]):
        lines += [f"## raw.{source['name']}", "", " ".join((source.get("description") or "").split()), ""]
        lines += _columns(source)
    for node in nodes:
        lines += [f"## {node['schema']}.{node['name']}", "", " ".join(node["description"].split()), ""]
        lines += _columns(node)
    return "\n".join(lines).rstrip() + "\n"


def column_descriptions() -> dict[str, dict[str, str]]:
    """"schema.table" -> {column: description} for every dbt source (raw.*) and model, from the
    dbt YAML (the same text as docs/data-dictionary.md); the Dagster UI's column schemas use it."""
    return {name: columns for name, (_, columns) in descriptions().items()}


@functools.cache
def descriptions() -> dict[str, tuple[str, dict[str, str]]]:
    """"schema.table" -> (its description, {column: description}) for every dbt source (raw.*),
    model and seed, whitespace folded; columns without a description are left out."""
    manifest = json.loads(ensure_manifest().read_text())
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for node in [*manifest["nodes"].values(), *manifest["sources"].values()]:
        if node["resource_type"] not in ("model", "seed", "source"):
            continue
        columns = {c: " ".join((d.get("description") or "").split())
                   for c, d in (node.get("columns") or {}).items()}
        found[f"{node['schema']}.{node['name']}"] = (" ".join((node.get("description") or "").split()),
                                                     {c: d for c, d in columns.items() if d})
    return found


def _columns(node: dict) -> list[str]:
    columns = node.get("columns") or {}
    if not columns:
        return []
    return ["| column | description |", "| --- | --- |",
            *[f"| {name} | {' '.join((c.get('description') or '').split())} |"
              for name, c in columns.items()], ""]


def main() -> int:
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(render())
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

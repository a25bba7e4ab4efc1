"""The dbt models as Dagster assets: staging, intermediate and marts, built by one `dbt build`."""

import json
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_manifest import MANIFEST

class Translator(DagsterDbtTranslator):
    """Models are keyed by [schema, name] (marts/papers); dbt tests become asset checks."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "marts" if dbt_resource_props.get("schema") == "marts" else "transform"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:papertrends"]

def build_args(run_tags: Mapping[str, str]) -> list[str]:
    """`dbt build`, telling incremental models the first day the run reloaded (its months)."""
    start = run_tags.get("dagster/asset_partition_range_start") or run_tags.get("dagster/partition")
    if not start:
        return ["build"]
    return ["build", "--vars", json.dumps({"reload_from": start})]


@dbt_assets(manifest=MANIFEST, dagster_dbt_translator=Translator(), pool="duckdb")
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(build_args(context.run.tags), context=context).stream()

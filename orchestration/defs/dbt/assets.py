"""The dbt models as Dagster assets: staging, intermediate, marts and reporting, built by one
`dbt build`; each materialization carries row count, column schema and a preview."""

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, dbt_assets

from orchestration.defs.dbt.build import build_events
from orchestration.defs.dbt.manifest import MANIFEST
from orchestration.defs.partitions import range_start
from orchestration.defs.reporting.term_previews import mart_metadata
from orchestration.defs.resources import DataDirResource
from orchestration.defs.warehouse.table_metadata import table_metadata, topic_chart_markdown
from orchestration.storage.resource_errors import failing_in_words
from orchestration.storage.warehouse import connect

GROUPS = {"marts": "marts", "reporting": "reporting"}


class Translator(DagsterDbtTranslator):
    """Models are keyed by [schema, name] (marts/papers); dbt tests become asset checks."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """By schema (marts, reporting, else transform), unless the model's meta names a group
        (`dagster_group`, set in dbt_project.yml for the marts of new directions)."""
        meta = dbt_resource_props.get("meta") or {}
        return meta.get("dagster_group") or GROUPS.get(dbt_resource_props.get("schema"), "transform")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:papertrends"]

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The model's own description (dbt YAML), without the raw SQL dagster-dbt appends."""
        text = (dbt_resource_props.get("description") or "").strip()
        kind = dbt_resource_props["resource_type"]
        return text or f"dbt {kind} {dbt_resource_props['name']}"

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any],
                             unique_id: str, project) -> dg.AssetCheckSpec | None:
        """dbt tests as asset checks, each described: the test's own `description` in the
        YAML, else what the generic test checks (dagster-dbt reads only meta.description)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return dg.AssetCheckSpec(name=spec.name, asset=spec.asset_key,
                                 description=describe_test(manifest["nodes"][unique_id]),
                                 additional_deps=spec.additional_deps, metadata=spec.metadata,
                                 blocking=spec.blocking)


GENERIC_TESTS = {
    "unique": "{column} is unique",
    "not_null": "{column} is never null",
    "accepted_values": "{column} is one of {values}",
    "relationships": "every {column} is a {field} of {to}",
    "unique_combination": "each ({columns}) occurs once",
    "primary_key": "({columns}) identifies each row: never null, never repeated",
}


def describe_test(test: Mapping[str, Any]) -> str:
    """A dbt data test's description, for the UI's Checks tab."""
    own = " ".join((test.get("description") or "").split())
    if own:
        return own
    meta = test.get("test_metadata") or {}
    kwargs = meta.get("kwargs") or {}
    column = kwargs.get("column_name") or test.get("column_name") or "the row"
    template = GENERIC_TESTS.get(meta.get("name", ""))
    if template:
        values = ", ".join(map(str, kwargs.get("values") or []))
        to = str(kwargs.get("to", "")).replace("ref('", "").replace("source('", "").rstrip("')")
        return template.format(column=column, values=values, field=kwargs.get("field", ""), to=to,
                               columns=", ".join(map(str, kwargs.get("columns") or [column])))
    if meta.get("name"):
        args = ", ".join(f"{k}={v}" for k, v in kwargs.items() if k not in ("model", "column_name"))
        return f"{meta.get('namespace') + '.' if meta.get('namespace') else ''}{meta['name']}" \
               f" on {column}" + (f" ({args})" if args else "")
    return f"the singular test {test['name']} (dbt_project/tests) returns no rows"


# The models that rebuild from var('reload_from'); a run whose dbt step failed leaves raw rows
# they have not seen, which the next run must include even when it is for a later month.
RELOADING_MODELS = [dg.AssetKey(["intermediate", "int_paper_observations"]),
                    dg.AssetKey(["marts", "papers"]), dg.AssetKey(["marts", "paper_trajectories"])]


def reload_from(instance: dg.DagsterInstance, run_tags: Mapping[str, str], warehouse: Path) -> date | None:
    """The first day incremental models rebuild from: the start of the run's partitions, or the
    earliest snapshot date loaded into raw since the oldest last build of those models."""
    start = range_start(run_tags)
    built = [instance.get_latest_materialization_event(key) for key in RELOADING_MODELS]
    if start is None or any(event is None for event in built) or not warehouse.exists():
        return start
    since = datetime.fromtimestamp(min(event.timestamp for event in built), UTC)
    with connect(warehouse, read_only=True) as con:
        [(earliest,)] = con.execute("select min(snapshot_date) from raw.snapshots where ingested_at > ?",
                                    [since.replace(tzinfo=None)]).fetchall()
    return min(start, earliest) if earliest else start


def build_vars(start: date | None) -> list[str]:
    """Tell incremental models the first day to rebuild from."""
    return ["--vars", json.dumps({"reload_from": start.isoformat()})] if start else []


def upgrade_args(warehouse: Path) -> list[str]:
    """`--full-refresh` for a warehouse built by an earlier version, whose
    int_paper_observations was a view (the incremental marts it left, papers and
    paper_trajectories, were keyed without the re-keying of older rows) or a table that still
    copies each observation's abstract, or whose marts.papers has no observation_set_hash (its
    incremental runs missed papers that a reload took rows from or moved rows to, and so did
    paper_trajectories'), or whose int_paper_observations or marts.papers has no submitted_by
    (an incremental build fails on a table whose columns differ): every model is rebuilt once
    from all observations."""
    if not warehouse.exists():
        return []
    with connect(warehouse, read_only=True) as con:
        found = dict(con.execute("""
            select t.table_schema || '.' || t.table_name,
                   {'type': any_value(t.table_type), 'columns': list(c.column_name)}
            from information_schema.tables t
            left join information_schema.columns c
              on c.table_schema = t.table_schema and c.table_name = t.table_name
            where (t.table_schema, t.table_name) in (('intermediate', 'int_paper_observations'),
                                                     ('marts', 'papers'))
            group by all""").fetchall())
    observations = found.get("intermediate.int_paper_observations")
    papers = found.get("marts.papers")
    old = ((observations and (observations["type"] == "VIEW" or "abstract" in observations["columns"]
                              or "submitted_by" not in observations["columns"]))
           or (papers and not {"observation_set_hash", "submitted_by"} <= set(papers["columns"])))
    return ["--full-refresh"] if old else []


def with_table_metadata(events: list, keys: Mapping[str, dg.AssetKey], warehouse: Path) -> Iterator:
    """Add table metadata to each model's output (`keys`: asset key by output name), once dbt
    has finished and freed the file."""
    with connect(warehouse, read_only=True) as con:
        for event in events:
            if isinstance(event, dg.Output) and len(keys[event.output_name].path) == 2:
                schema, table = keys[event.output_name].path
                extra = table_metadata(con, schema, table)
                if (schema, table) == ("marts", "topic_counts"):
                    chart = topic_chart_markdown(con)
                    extra.update({"top_topics_chart": chart} if chart else {})
                extra.update({name: dg.MetadataValue.md(text)
                              for name, text in mart_metadata(con, schema, table).items()})
                event = dg.Output(event.value, event.output_name, metadata={**event.metadata, **extra})
            yield event


TRANSLATOR = Translator()


@dbt_assets(manifest=MANIFEST, dagster_dbt_translator=TRANSLATOR, pool="duckdb",
            retry_policy=dg.RetryPolicy(max_retries=2, delay=5))
@failing_in_words("dbt build (models and tests)")
def dbt_models(context: dg.AssetExecutionContext, data_dir: DataDirResource):
    data = data_dir.for_writing(context)
    # One target folder per data dir: dbt reuses its partial parse (seconds a run) and the
    # project folder does not fill up with a folder per run.
    target = data.work / "dbt-target"
    start = reload_from(context.instance, context.run.tags, data.warehouse)
    if start and start < range_start(context.run.tags):
        context.log.info(f"raw rows loaded since the last dbt build go back to {start}: "
                         "the incremental models rebuild from there")
    args = build_vars(start) + upgrade_args(data.warehouse)
    if "--full-refresh" in args:
        context.log.info("first run of this version on this warehouse: rebuilding every model once")
    events = list(build_events(context, MANIFEST, TRANSLATOR, args, target, data.warehouse))
    yield from with_table_metadata(events, context.assets_def.keys_by_output_name, data.warehouse)


# What steps after dbt wait for: every model, not the seeds. A run loads a seed only when it
# changed (seeds.py), and Dagster skips a step when an asset it depends on was not materialized.
MODEL_KEYS = sorted((spec.key for spec in dbt_models.specs
                     if not str(spec.metadata["dagster_dbt/unique_id"]).startswith("seed.")),
                    key=lambda key: key.to_user_string())

"""The papertrends Dagster code location: `defs`."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import dbt_models
from orchestration.assets.feed import atom_feed
from orchestration.assets.freshness import listing_is_current
from orchestration.assets.ingest import (
    api_listing,
    archived_snapshots,
    parsed_observations,
    validated_observations,
)
from orchestration.assets.published import published_warehouse
from orchestration.assets.raw_tables import raw_tables
from orchestration.assets.report import trend_report
from orchestration.jobs import daily_pipeline, daily_schedule, landing_sensor
from orchestration.progress import step_progress
from orchestration.resources import DataDirResource, WarehouseResource

defs = dg.Definitions(
    assets=[api_listing, archived_snapshots, parsed_observations, validated_observations, raw_tables,
            dbt_models, published_warehouse, trend_report, atom_feed],
    asset_checks=[listing_is_current],
    jobs=[daily_pipeline],
    schedules=[daily_schedule],
    sensors=[landing_sensor],
    loggers={"console": dg.colored_console_logger, "step_progress": step_progress},
    resources={
        "data_dir": DataDirResource(),
        "duckdb": WarehouseResource(database=dg.EnvVar("PAPERTRENDS_WAREHOUSE")),
        # Files `papertrends ingest` parsed while landing them: its run passes them in
        # (orchestration/runs/runner.py); other runs parse every file in the step.
        "parsed_ahead": dg.ResourceDefinition.none_resource(),
    },
)

"""The papertrends Dagster code location: `defs`."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.dbt.assets import dbt_models
from orchestration.defs.ingest.assets import (
    api_listing,
    archived_snapshots,
    parsed_observations,
    validated_observations,
)
from orchestration.defs.jobs import daily_pipeline, daily_schedule, landing_sensor
from orchestration.defs.progress import step_progress
from orchestration.defs.reporting.atom_feed import atom_feed
from orchestration.defs.reporting.trend_report import trend_report
from orchestration.defs.resources import DataDirResource, WarehouseResource
from orchestration.defs.warehouse.freshness import listing_is_current
from orchestration.defs.warehouse.published import published_warehouse
from orchestration.defs.warehouse.raw_tables import raw_tables

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

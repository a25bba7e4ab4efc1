"""A run of some of the dbt assets (as picked in the Dagster UI) builds those models and runs
their tests only, and records their materializations and check results in Dagster."""

from __future__ import annotations

from datetime import date

import dagster as dg
import pytest

from bench.generate import generate
from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.runs.runner import run_pipeline
from orchestration.storage.settings import DataDir

ensure_manifest()
from orchestration.definitions import defs  # noqa: E402

pytestmark = pytest.mark.needs_shared_data

PICKED = dg.AssetKey(["marts", "topic_counts"])


def test_a_subset_of_the_dbt_assets_builds_those_and_checks_those(tmp_path):
    data = DataDir(tmp_path).ensure()
    generate(data.landing, 2, kind="json", end=date(2026, 1, 2))
    assert run_pipeline(data, date(2026, 1, 1), date(2026, 1, 2)).success
    job = defs.resolve_job_def("daily_pipeline")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, asset_selection=[PICKED],
                                        resources={"parsed_ahead": dg.ResourceDefinition.none_resource()})
        assert result.success
        built = {event.asset_key for event in result.get_asset_materialization_events()}
        checks = {evaluation.asset_check_key for evaluation in result.get_asset_check_evaluations()}
    assert built == {PICKED}
    expected = {key for key in defs.resolve_asset_graph().asset_check_keys if key.asset_key == PICKED}
    assert len(expected) >= 3 and checks == expected

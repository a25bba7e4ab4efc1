"""A run of some of the dbt assets (as picked in the Dagster UI) builds those models and runs
their tests only, and records their materializations and check results in Dagster."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.defs.dbt.manifest import ensure_manifest
from tests.conftest import exported_environment

ensure_manifest()
from orchestration.definitions import defs  # noqa: E402

pytestmark = pytest.mark.needs_shared_data

PICKED = dg.AssetKey(["marts", "topic_counts"])


def test_a_subset_of_the_dbt_assets_builds_those_and_checks_those(seeded_copy):
    # (a copy of a data dir the whole pipeline ran in, as before a person picks assets in the UI)
    job = defs.resolve_job_def("daily_pipeline")
    with exported_environment(seeded_copy), dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, asset_selection=[PICKED])
        assert result.success
        built = {event.asset_key for event in result.get_asset_materialization_events()}
        checks = {evaluation.asset_check_key for evaluation in result.get_asset_check_evaluations()}
    assert built == {PICKED}
    expected = {key for key in defs.resolve_asset_graph().asset_check_keys if key.asset_key == PICKED}
    assert len(expected) >= 3 and checks == expected

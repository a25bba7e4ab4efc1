"""The asset graph, jobs and schedule as a reviewer should see them change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import dagster as dg
import pytest

from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.storage.settings import DataDir
from tests.conftest import exported_environment

ensure_manifest()
from orchestration.definitions import defs  # noqa: E402  (needs the manifest)

EXPECTED_ASSETS = {
    "api_listing", "published_warehouse",
    "raw/snapshots", "raw/paper_observations", "raw/quarantine",
    "staging/stg_raw__snapshots", "staging/stg_raw__paper_observations",
    "intermediate/int_paper_observations", "intermediate/int_listed_paper_dates",
    "intermediate/int_authorships", "intermediate/int_paper_team_sizes",
    "reference/team_size_buckets",
    "reference/topic_taxonomy",
    "reference/topic_term_weights",
    "marts/papers", "marts/paper_topics", "marts/topic_counts", "marts/author_counts",
    "marts/org_counts", "marts/team_sizes", "marts/paper_trajectories",
    "intermediate/int_listed_weeks", "intermediate/int_topic_weeks", "marts/rising_topics",
    "marts/author_monthly_counts",
    "marts/org_monthly_counts", "reporting/topic_trends", "reporting/rising_topics_now",
    "reporting/top_authors_by_month", "reporting/top_organizations_by_month",
    "reporting/paper_history", "trend_report",
    "reference/term_synonyms", "reference/term_stop_phrases", "marts/paper_terms",
    "intermediate/int_term_mentions", "marts/term_counts", "intermediate/int_term_weeks",
    "marts/rising_terms", "marts/rising_terms_by_month",
    "marts/topic_suggestions", "intermediate/int_paper_vectors", "intermediate/int_paper_topic_stems",
    "intermediate/int_paper_neighbours", "marts/similar_papers", "atom_feed",
}


def _keys():
    graph = defs.resolve_asset_graph()
    return {key.to_user_string() for key in graph.get_all_asset_keys()}


def test_asset_graph_snapshot():
    assert _keys() == EXPECTED_ASSETS


def test_dbt_sources_are_the_raw_assets():
    graph = defs.resolve_asset_graph()
    parents = graph.get(dg.AssetKey(["staging", "stg_raw__paper_observations"])).parent_keys
    assert dg.AssetKey(["raw", "paper_observations"]) in parents


def test_every_asset_has_a_description_owner_and_group():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, key
        assert node.owners, key
        assert node.group_name, key


def test_checks_include_nothing_lost_and_dbt_tests():
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {"entries_accounted_for", "quarantine_share", "taxonomy_coverage", "listing_is_current"} <= checks
    assert any(name.startswith("primary_key_papers_paper_id") for name in checks)


@pytest.fixture
def empty_data_dir(tmp_path):
    """A data dir of the test's own, nothing fetched into it yet: the schedule reads the data dir
    of the environment, which a test run before on the same worker may have left elsewhere."""
    with exported_environment(DataDir(tmp_path / "data").ensure()) as data:
        yield data


def _tick(day: datetime) -> list[dg.RunRequest]:
    schedule = defs.resolve_schedule_def("daily_schedule")
    with dg.instance_for_test() as instance:   # (persistent: the schedule asks it about runs)
        context = dg.build_schedule_context(instance=instance, scheduled_execution_time=day,
                                            repository_def=defs.get_repository_def())
        return schedule.evaluate_tick(context).run_requests


def _months(request: dg.RunRequest) -> tuple[str, str]:
    return (request.tags["dagster/asset_partition_range_start"],
            request.tags["dagster/asset_partition_range_end"])


def test_daily_schedule_fetches_the_missing_days_up_to_the_tick(empty_data_dir):
    assert defs.resolve_schedule_def("daily_schedule").cron_schedule == "0 6 * * *"
    # nothing fetched yet: the last 30 days, so October and November
    request, = _tick(datetime(2025, 11, 17, 6, tzinfo=UTC))
    assert _months(request) == ("2025-10-01", "2025-11-01")
    assert request.run_config["ops"]["api_listing"]["config"] == {"fetch": True, "today": "2025-11-17"}


def test_daily_schedule_after_a_fetched_day_and_without_fetching(empty_data_dir, monkeypatch):
    from orchestration.storage.fetch_log import FetchLog
    from orchestration.storage.settings import data_dir

    log = FetchLog(data_dir())
    for day in range(1, 17):   # November fetched up to the 16th; October missing
        log.record(date(2025, 11, day), "ok", 12)
    request, = _tick(datetime(2025, 11, 17, 6, tzinfo=UTC))
    assert _months(request) == ("2025-10-01", "2025-11-01")   # the last 30 days' missing ones
    for day in range(18, 32):
        log.record(date(2025, 10, day), "ok", 12)
    request, = _tick(datetime(2025, 11, 17, 6, tzinfo=UTC))
    assert _months(request) == ("2025-11-01", "2025-11-01")
    monkeypatch.setenv("PAPERTRENDS_FETCH", "0")
    request, = _tick(datetime(2025, 12, 1, 6, tzinfo=UTC))
    assert _months(request) == ("2025-12-01", "2025-12-01")
    assert request.run_config["ops"]["api_listing"]["config"]["fetch"] is False


def test_the_committed_data_dictionary_is_current():
    from orchestration.defs.dbt.data_dictionary import OUTPUT, render

    assert OUTPUT.read_text() == render(), "run: uv run python -m orchestration.defs.dbt.data_dictionary"


def test_every_mart_enforces_its_contract_and_documents_every_column():
    import json

    from orchestration.defs.dbt.manifest import MANIFEST

    nodes = json.loads(MANIFEST.read_text())["nodes"].values()
    marts = [n for n in nodes if n["resource_type"] == "model" and n["schema"] == "marts"]
    assert len(marts) >= 10
    for node in marts:
        assert node["config"]["contract"]["enforced"], node["name"]
        for name, column in node["columns"].items():
            assert column.get("data_type") and column.get("description"), (node["name"], name)

"""Seeds are loaded again only when they change (orchestration/defs/dbt/seeds.py): real runs of
the pipeline on a copy of the session's `seeded` data dir, whose one run loaded every seed."""

from __future__ import annotations

import copy
import csv
import json
from datetime import date

import duckdb
import pytest

from bench.generate import generate
from orchestration.defs.dbt.manifest import MANIFEST, ensure_manifest
from orchestration.defs.dbt.seeds import current_seeds
from orchestration.runs.runner import run_pipeline
from orchestration.storage.settings import DBT_PROJECT_DIR
from tests.conftest import exported_environment

SEEDS = sorted(path.stem for path in (DBT_PROJECT_DIR / "seeds").glob("*.csv"))


def built_nodes(data) -> set[str]:
    results = json.loads((data.work / "dbt-target" / "run_results.json").read_text())["results"]
    return {result["unique_id"] for result in results}


def run_one_new_day(data, day: date) -> set[str]:
    """Ingest one generated day; the dbt nodes the run's build ran."""
    generate(data.landing, 1, kind="json", end=day)
    with exported_environment(data):
        result = run_pipeline(data, day, day)
    assert result.success
    # every step ran (Dagster skips a step whose upstream asset was not materialized)
    assert [event.step_key for event in result.all_events if event.event_type_value == "STEP_SKIPPED"] == []
    assert {"published_warehouse", "atom_feed", "trend_report"} <= {
        event.step_key for event in result.get_step_success_events()}
    return built_nodes(data)


def seed_rows(data) -> dict[str, int]:
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        return {name: con.execute(f"select count(*) from reference.{name}").fetchone()[0] for name in SEEDS}


def file_rows() -> dict[str, int]:
    return {name: sum(1 for _ in csv.DictReader((DBT_PROJECT_DIR / "seeds" / f"{name}.csv").open(newline="")))
            for name in SEEDS}


@pytest.mark.needs_shared_data
def test_unchanged_seeds_are_not_loaded_again_and_a_missing_one_is(seeded_copy):
    data = seeded_copy
    nodes = list(json.loads(ensure_manifest().read_text())["nodes"].values())
    # the copy's warehouse says what it holds: every seed as the project's files are now
    assert sorted(current_seeds(nodes, data.warehouse)) == SEEDS

    built = run_one_new_day(data, date(2026, 1, 2))
    assert any(uid.startswith("model.") for uid in built)
    assert not any(uid.startswith("seed.") for uid in built), sorted(built)
    # their tests stay out with them; the tests of models still run
    assert not any(uid.startswith("test.") and "topic_taxonomy" in uid for uid in built)
    assert any(uid.startswith("test.") and "_papers_" in uid for uid in built)
    assert seed_rows(data) == file_rows()

    # one seed's table gone: the next run loads that seed, and only that one
    with duckdb.connect(str(data.warehouse)) as con:
        con.execute("drop table reference.term_synonyms")
    assert "term_synonyms" not in current_seeds(nodes, data.warehouse)
    built = run_one_new_day(data, date(2026, 1, 3))
    assert {uid for uid in built if uid.startswith("seed.")} == {"seed.papertrends.term_synonyms"}
    assert seed_rows(data) == file_rows()
    assert sorted(current_seeds(nodes, data.warehouse)) == SEEDS


@pytest.mark.needs_shared_data
def test_an_edited_seed_or_one_loaded_by_hand_is_not_current(seeded, tmp_path):
    nodes = list(json.loads(MANIFEST.read_text())["nodes"].values())
    assert sorted(current_seeds(nodes, seeded.warehouse)) == SEEDS
    edited = copy.deepcopy(nodes)
    taxonomy = next(node for node in edited if node["name"] == "topic_taxonomy")
    taxonomy["checksum"]["checksum"] = "0" * 64   # the file's contents changed
    weights = next(node for node in edited if node["name"] == "topic_term_weights")
    weights["config"]["column_types"] = {"weight": "float"}   # its configuration changed
    assert sorted(current_seeds(edited, seeded.warehouse)) == sorted(
        set(SEEDS) - {"topic_taxonomy", "topic_term_weights"})

    # a table made by hand (as `dbt seed` makes it) carries no such comment
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema reference")
        con.execute("create table reference.term_synonyms as select 1 as x")
    assert current_seeds(nodes, warehouse) == []

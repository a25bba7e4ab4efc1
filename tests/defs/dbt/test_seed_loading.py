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
from orchestration.defs.dbt.seeds import seeds_current
from orchestration.runs.runner import run_pipeline
from orchestration.storage.settings import DBT_PROJECT_DIR
from tests.conftest import exported_environment

SEED_FILES = sorted((DBT_PROJECT_DIR / "seeds").glob("*.csv"))


def built_nodes(data) -> set[str]:
    results = json.loads((data.work / "dbt-target" / "run_results.json").read_text())["results"]
    return {result["unique_id"] for result in results}


def seed_rows(data) -> dict[str, int]:
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        return {path.stem: con.execute(f"select count(*) from reference.{path.stem}").fetchone()[0]
                for path in SEED_FILES}


def file_rows() -> dict[str, int]:
    return {path.stem: sum(1 for _ in csv.DictReader(path.open(newline=""))) for path in SEED_FILES}


def run_one_new_day(data, day: date) -> set[str]:
    """Ingest one generated day; the dbt nodes the run's build ran."""
    generate(data.landing, 1, kind="json", end=day)
    with exported_environment(data):
        assert run_pipeline(data, day, day).success
    return built_nodes(data)


@pytest.mark.needs_shared_data
def test_unchanged_seeds_are_not_loaded_again_and_a_missing_one_is(seeded_copy):
    data = seeded_copy
    manifest = json.loads(ensure_manifest().read_text())
    target = data.work / "dbt-target"
    seeds = {f"seed.papertrends.{path.stem}" for path in SEED_FILES}
    # a copy of a data dir is another warehouse: its first run loads the seeds into it
    assert not seeds_current(manifest, data.warehouse, target)
    assert seeds <= run_one_new_day(data, date(2026, 1, 2))
    assert seeds_current(manifest, data.warehouse, target)

    built = run_one_new_day(data, date(2026, 1, 3))
    assert any(uid.startswith("model.") for uid in built)
    assert not any(uid.startswith("seed.") for uid in built), sorted(built)
    # their tests stay out with them; the tests of models still run
    assert not any(uid.startswith("test.") and "topic_taxonomy" in uid for uid in built)
    assert any(uid.startswith("test.") and "_papers_" in uid for uid in built)
    assert seed_rows(data) == file_rows()

    # a seed's table gone from the warehouse: the seeds are not current any more
    with duckdb.connect(str(data.warehouse)) as con:
        con.execute("drop table reference.term_synonyms")
    assert not seeds_current(manifest, data.warehouse, target)


@pytest.mark.needs_shared_data
def test_an_edited_seed_or_another_warehouse_is_not_current(seeded):
    manifest = json.loads(MANIFEST.read_text())
    target = seeded.work / "dbt-target"
    assert seeds_current(manifest, seeded.warehouse, target)
    edited = copy.deepcopy(manifest)
    taxonomy = next(node for node in edited["nodes"].values() if node["name"] == "topic_taxonomy")
    taxonomy["checksum"]["checksum"] = "0" * 64   # the file's contents changed
    assert not seeds_current(edited, seeded.warehouse, target)
    retyped = copy.deepcopy(manifest)
    weights = next(node for node in retyped["nodes"].values() if node["name"] == "topic_term_weights")
    weights["config"]["column_types"] = {"weight": "float"}   # its configuration changed
    assert not seeds_current(retyped, seeded.warehouse, target)
    assert not seeds_current(manifest, seeded.warehouse.with_name("other.duckdb"), target)

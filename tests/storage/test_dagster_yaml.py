"""A data dir's dagster/dagster.yaml: written by papertrends when missing, and left as a person
wrote it, except for the lines earlier versions added to name an event log class of their own,
which papertrends no longer has (Dagster's own SQLite storage keeps every run)."""

from __future__ import annotations

import dagster as dg

from orchestration.storage.settings import DAGSTER_YAML, DataDir

# What a version with its own event log class wrote, and a person then edited.
BEFORE = """\
# Written by papertrends; edit freely, it is not overwritten once it exists.
telemetry:
  enabled: false
nux:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
  pools:
    default_limit: 1
"""
WITH_EVENT_LOG = BEFORE + """\
# Dagster's SQLite event log, keeping its database connections open (orchestration/dagster_event_log.py):
# remove these four lines to go back to Dagster's own class; the files are the same.
event_log_storage:
  module: orchestration.dagster_event_log
  class: PooledSqliteEventLogStorage
  config: {}
"""


def _config(data: DataDir):
    return data.dagster_home / "dagster.yaml"


def test_a_new_data_dir_gets_the_current_file(tmp_path):
    data = DataDir(tmp_path).ensure()
    assert _config(data).read_text() == DAGSTER_YAML
    assert "event_log_storage" not in DAGSTER_YAML   # Dagster's own storage
    assert "freshness" not in DAGSTER_YAML   # freshness is an asset check on the data


def test_the_old_event_log_class_is_dropped_and_a_persons_settings_kept(tmp_path, monkeypatch):
    data = DataDir(tmp_path)
    data.dagster_home.mkdir(parents=True)
    retention = "retention:\n  schedule:\n    purge_after_days: 30\n"
    edited = WITH_EVENT_LOG.replace("max_concurrent_runs: 1", "max_concurrent_runs: 2") + retention
    _config(data).write_text(edited)
    data.ensure()
    text = _config(data).read_text()
    assert text == BEFORE.replace("max_concurrent_runs: 1", "max_concurrent_runs: 2") + retention
    monkeypatch.setenv("DAGSTER_HOME", str(data.dagster_home))
    with dg.DagsterInstance.get() as instance:   # Dagster reads the file, with its own storage
        assert type(instance.event_log_storage).__module__.startswith("dagster.")
        assert instance.run_coordinator is not None


def test_an_edited_file_is_kept(tmp_path):
    data = DataDir(tmp_path)
    data.dagster_home.mkdir(parents=True)
    edited = BEFORE.replace("max_concurrent_runs: 1", "max_concurrent_runs: 2")
    _config(data).write_text(edited)
    data.ensure()
    assert _config(data).read_text() == edited

"""A data dir's dagster/dagster.yaml: written by papertrends when missing, brought up to date when
it is still exactly what an earlier version wrote, and left alone once a person edited it."""

from __future__ import annotations

from orchestration.settings import DAGSTER_YAML, DataDir

# What the versions before the event log class wrote (orchestration/settings.py at 0a28eb1 and
# at e18d8a1, copied from git history).
BEFORE_EVENT_LOG = """\
# Written by papertrends; edit freely, it is not overwritten once it exists.
telemetry:
  enabled: false
nux:
  enabled: false
freshness:
  enabled: true
concurrency:
  runs:
    max_concurrent_runs: 1
  pools:
    default_limit: 1
"""
FIRST = BEFORE_EVENT_LOG.replace("freshness:\n  enabled: true\n", "")
# What the versions with the event log class and Dagster's freshness policies wrote (3a5c87e).
WITH_FRESHNESS = BEFORE_EVENT_LOG + """\
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
    assert "PooledSqliteEventLogStorage" in DAGSTER_YAML
    assert "freshness" not in DAGSTER_YAML   # freshness is an asset check on the data


def test_an_unedited_file_of_an_earlier_version_is_brought_up_to_date(tmp_path):
    for n, old in enumerate((BEFORE_EVENT_LOG, FIRST, WITH_FRESHNESS)):
        data = DataDir(tmp_path / str(n))
        data.dagster_home.mkdir(parents=True)
        _config(data).write_text(old)
        data.ensure()
        assert _config(data).read_text() == DAGSTER_YAML


def test_an_edited_file_is_kept(tmp_path):
    data = DataDir(tmp_path)
    data.dagster_home.mkdir(parents=True)
    edited = BEFORE_EVENT_LOG.replace("max_concurrent_runs: 1", "max_concurrent_runs: 2")
    _config(data).write_text(edited)
    data.ensure()
    assert _config(data).read_text() == edited

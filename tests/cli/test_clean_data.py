"""`make clean-data` removes the data dir, and only a data dir: a PAPERTRENDS_DATA_DIR pointing at
another folder (a home directory, a typo) removes nothing; set but blank, it means data/."""

from __future__ import annotations

import os
import subprocess

from tests.shared_data import ROOT


def make_clean_data(data_dir: str, *flags: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": data_dir}
    return subprocess.run(["make", "-s", *flags, "clean-data"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_a_folder_that_is_no_data_dir_is_left_as_it_is(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = make_clean_data(str(tmp_path))
    assert result.returncode != 0
    assert f"{tmp_path} is not a papertrends data dir" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_data_dir_or_an_empty_folder_is_removed(tmp_path):
    for name in ("data", "empty"):
        folder = tmp_path / name
        folder.mkdir()
    for name in ("archive", "dagster", "work"):
        (tmp_path / "data" / name).mkdir()
    for name in ("warehouse.duckdb", "warehouse-readonly.duckdb", ".warehouse-readonly.duckdb.part.wal",
                 "fetch-log.tsv"):
        (tmp_path / "data" / name).write_bytes(b"")
    for name in ("data", "empty"):
        result = make_clean_data(str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert not (tmp_path / name).exists()


def test_a_blank_data_dir_variable_means_data():
    # (-n: the command is shown, not run, so the checkout's own data/ stays)
    result = make_clean_data("", "-n")
    assert result.returncode == 0, result.stderr
    assert f'dir="{ROOT}/data"' in result.stdout


def test_a_folder_holding_a_data_dir_name_beside_other_things_is_left_as_it_is(tmp_path):
    # a home directory with a work/ folder in it, say
    for name in ("work", "reports", "archive"):
        (tmp_path / name).mkdir()
    (tmp_path / "thesis.txt").write_text("mine")
    result = make_clean_data(str(tmp_path))
    assert result.returncode != 0 and "is not a papertrends data dir" in result.stderr
    assert (tmp_path / "thesis.txt").read_text() == "mine" and (tmp_path / "work").is_dir()

"""The command line explains itself and fails cleanly: help texts with examples and formats,
--version, unknown flags named, a closed pipe, a folder given to parse, and no folders made by
a command that cannot do its job. Real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CAPTURE

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")
COMMANDS = ("parse", "ingest", "fetch", "sql", "report", "similar")


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PAPERTRENDS, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def test_the_main_help_names_the_commands_dates_and_environment():
    result = run("--help")
    assert result.returncode == 0
    for word in (*COMMANDS, "YYYY-MM-DD", "PAPERTRENDS_DATA_DIR", "PAPERTRENDS_FIRST_DAY",
                 "examples:", "papertrends ingest seeds/"):
        assert word in result.stdout, word


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_description_examples_and_helped_arguments(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and f"papertrends {command}" in result.stdout
    assert result.stdout.split("\n\n")[1].strip()          # the description, after the usage
    for name, helped in _arguments(result.stdout):
        assert helped, (command, name)


def _arguments(text: str) -> list[tuple[str, bool]]:
    """(argument, has a help text) for each entry of the help's argument sections."""
    entries = []
    sections = [s for s in text.split("\n\n") if s.startswith(("positional arguments:", "options:"))]
    for line in "\n".join(sections).splitlines()[1:]:
        if line.startswith("  ") and not line.startswith("   "):   # an entry: "  --flag X  help"
            name, _, rest = line.strip().partition("  ")
            entries.append([name, bool(rest.strip())])
        elif line.startswith("   ") and entries:                    # its help on the next lines
            entries[-1][1] = True
    return [tuple(e) for e in entries]


def test_date_options_name_their_format():
    for command in ("fetch", "ingest", "parse"):
        assert "YYYY-MM-DD" in run(command, "--help").stdout, command


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("papertrends ") and result.stdout.split()[1][0].isdigit()


def test_an_unknown_flag_is_named_even_without_a_command():
    result = run("--bogus")
    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr, result.stderr


def test_no_command_asks_for_one():
    result = run()
    assert result.returncode == 2
    assert "choose a command" in result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    """The parse of the bundled capture prints ~90 kB, more than a pipe holds."""
    err = tmp_path / "stderr"
    shell = subprocess.run(f"'{PAPERTRENDS}' parse '{CAPTURE}' 2>'{err}' | head -1",
                           shell=True, capture_output=True, text=True, timeout=120)
    assert shell.stdout.startswith('{"snapshot_id"')
    assert "Traceback" not in err.read_text() and "BrokenPipe" not in err.read_text()


def test_parse_of_a_folder_says_it_takes_a_file(tmp_path):
    result = run("parse", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"papertrends: {tmp_path} is a folder; parse reads one file "
                                     "(papertrends ingest takes folders)")


@pytest.mark.parametrize("path, says", [("/dev/null", "not a regular file (a pipe, socket or device)"),
                                        ("no-such-file.txt", "no such file")])
def test_parse_of_a_device_or_a_missing_file_says_which(path, says):
    result = run("parse", path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"papertrends: {path}: {says}"


def test_parse_of_a_file_that_cannot_be_read_names_the_file_not_the_data_dir():
    # /proc/self/mem is a regular file whose first page cannot be read (an I/O error, EIO)
    result = run("parse", "/proc/self/mem", "--snapshot-date", "2025-11-04")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "papertrends: /proc/self/mem: the file cannot be read (Input/output error); check that it can be"
        " opened (its permissions, its disk or network share) and run parse again")


def test_report_on_a_fresh_data_dir_fails_without_making_folders(tmp_path):
    fresh = tmp_path / "fresh"
    result = run("report", env={"PAPERTRENDS_DATA_DIR": str(fresh)})
    assert result.returncode == 1
    assert result.stderr.startswith("papertrends: no warehouse at")
    assert not fresh.exists()


@pytest.mark.parametrize("args, says, status", [
    (("ingest", "no-such-folder"), "papertrends: no-such-folder: no such file or folder", 1),
    # (a request that cannot be met as given: a usage error)
    (("fetch", "--date", "2019-01-01"), "papertrends: snapshot date 2019-01-01 is before 2023-05-01", 2),
    (("fetch", "--from", "2030-01-01"), "papertrends: 2030-01-01 is after today", 2),
])
def test_a_refused_ingest_or_fetch_makes_no_folders(tmp_path, args, says, status):
    fresh = tmp_path / "fresh"
    result = run(*args, env={"PAPERTRENDS_DATA_DIR": str(fresh)})
    assert result.returncode == status
    assert result.stderr.startswith(says), result.stderr
    assert not fresh.exists()


def test_an_ingest_whose_files_are_all_refused_makes_no_folders(tmp_path):
    old = tmp_path / "2019-03-01_capture.txt"
    old.write_bytes(CAPTURE.read_bytes())
    fresh = tmp_path / "fresh"
    result = run("ingest", str(old), env={"PAPERTRENDS_DATA_DIR": str(fresh)})
    assert result.returncode == 1
    assert "snapshot date 2019-03-01 is before 2023-05-01" in result.stderr
    assert not fresh.exists()

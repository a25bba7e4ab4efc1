"""The README's commands work as written: every command of its `sh` blocks and every `uv run ...`
or `make ...` in its text is either run here, on a copy of the session's `seeded` data dir, or
named in NOT_RUN with the reason and the test that runs it instead. A command added to the README
fails this test until it is one or the other. The "Next:" lines of the ingest summary are run
the same way.

`uv run X` is run as the virtualenv's X (what `uv run` does in a synced checkout), `data/` (the
default data dir) as the copy, with a one-line query on standard input (what the DuckDB CLI reads
when no terminal is there; the other commands ignore it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli.summary import summary_text
from orchestration.storage.settings import DataDir
from tests.shared_data import ROOT

README = ROOT / "README.md"
BIN = Path(sys.executable).parent

NOT_RUN = {
    "make run": "tests/end_to_end/test_make_run.py runs it, offline and against a local API",
    "make test": "the whole suite; .ci/run runs it",
    "make lint": ".ci/run runs it",
    "make ui": "a long-running server (`dg dev`); tests/defs/test_layout.py starts it, "
               "tests/ui/ serve the same definitions",
    "make serve": "a long-running service; tests/runs/test_serve.py runs it",
    "make bench": "about 15 minutes; the benchmarks (BENCHMARKS.md)",
    "uv run papertrends fetch --from 2023-05-01": "the live API; tests/fetch/test_fetch_range.py "
                                                  "fetches ranges from a local one",
    "uvx harlequin -r data/warehouse-readonly.duckdb": "an interactive terminal program that "
                                                       "uvx downloads",
    "uv run duckdb -readonly -ui data/warehouse-readonly.duckdb": "downloads DuckDB's ui extension "
                                                                  "and serves a web page",
    "uv run pytest -q tests/transforms/test_capture_parser.py": "the test suite itself",
    "uv run python -m orchestration.defs.dbt.data_dictionary": "rewrites docs/data-dictionary.md; "
                                                      "tests/defs/test_definitions.py checks it is current",
    'uv run papertrends sql "..."': "a placeholder for any query; the README's real queries are run",
    "uv run papertrends COMMAND --help": "a placeholder; tests/cli/test_cli_help.py runs every command's",
}
LAST = "make clean-data"  # run after the others: it removes the data dir
STDIN = "select count(*) as papers from marts.papers;\n"


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        found += [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    found += [" ".join(span.split()) for span in re.findall(r"`((?:uv run|uvx|make)\s[^`]+)`", text)]
    return [command for command in dict.fromkeys(found) if command]


@pytest.fixture
def data(seeded_copy) -> DataDir:
    return seeded_copy   # the commands write: a copy of the shared data dir


def run(command: str, data: DataDir) -> subprocess.CompletedProcess:
    args = command.replace(" data/", f" {data.root}/")
    if args.startswith("uv run "):
        args = str(BIN / args.removeprefix("uv run "))
    # A fresh clone's shell: the virtualenv is not on the PATH (only `uv run` reaches it).
    path = [part for part in os.environ.get("PATH", "").split(os.pathsep) if Path(part) != BIN]
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data.root), "COLUMNS": "120",
           "PATH": os.pathsep.join(path)}
    for name in ("PAPERTRENDS_WAREHOUSE", "VIRTUAL_ENV"):
        env.pop(name, None)
    return subprocess.run(args, shell=True, cwd=ROOT, env=env, capture_output=True, text=True,
                          input=STDIN, timeout=300)


def check(command: str, result: subprocess.CompletedProcess) -> None:
    said = f"{command!r} exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, said
    assert "Traceback" not in result.stdout + result.stderr, said


def test_every_readme_command_is_run_or_has_a_reason():
    commands = readme_commands()
    assert "make run" in commands and LAST in commands
    stale = [command for command in NOT_RUN if command not in commands]
    assert not stale, f"NOT_RUN names commands the README no longer has: {stale}"


def test_the_readme_commands_work_as_written(data):
    commands = [c for c in readme_commands() if c not in NOT_RUN and c != LAST]
    assert len(commands) >= 6, commands
    for command in commands:
        result = run(command, data)
        check(command, result)
        assert result.stdout.strip(), f"{command!r} printed nothing"
    result = run(LAST, data)
    check(LAST, result)
    assert not data.root.exists(), f"{LAST} left {data.root}"


def test_the_summarys_next_commands_work_as_written(data):
    lines = summary_text(data).split("\nNext:\n", 1)[1].splitlines()
    commands = [re.split(r"\s{2,}", line.strip())[0] for line in lines if line.strip()]
    assert commands[0] == "make ui" and len(commands) == 4, commands
    for command in commands[1:]:
        result = run(command, data)
        check(command, result)
        assert result.stdout.strip(), f"{command!r} printed nothing"

"""`papertrends sql` as people use it: a real subprocess on a real published DuckDB file, a real
terminal (a pseudo-terminal) for the prompt, and real signals for Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.storage.publish import published_path
from orchestration.storage.settings import DataDir

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")
# Runs for hours: only an interrupt ends it.
ENDLESS = "select count(*) as n from range(10000000000000) t(i) where hash(i) % 7 = 3"
GUARD = 60    # seconds before a hung command is killed (and the test fails)


@pytest.fixture
def data(tmp_path) -> DataDir:
    """A data dir holding a published copy with one small table."""
    data = DataDir(tmp_path / "data").ensure()
    with duckdb.connect(str(published_path(data.warehouse))) as con:
        con.execute("create schema marts")
        con.execute("create table marts.papers as select range as paper_id from range(3)")
    return data


def papertrends(data: DataDir, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PAPERTRENDS, "sql", *args], capture_output=True, text=True,
                          input=stdin, env=_env(data), timeout=GUARD,
                          stdin=subprocess.DEVNULL if stdin is None else None)


def _as_in_a_terminal() -> None:
    """Ctrl-C delivered as in a foreground terminal: a test suite started as a background job
    (`pytest &` in a script) passes on an ignored SIGINT, which Python then never handles."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _env(data: DataDir) -> dict:
    return {**os.environ, "PAPERTRENDS_DATA_DIR": str(data.root)}


def test_a_sql_file_that_is_not_utf8_or_not_a_file_gets_a_message(data, tmp_path):
    latin1 = tmp_path / "query.sql"
    latin1.write_bytes("select 'café' as n".encode("latin-1"))
    for path, message in ((latin1, "not UTF-8 text; save the SQL as UTF-8"), (tmp_path, "not a file"),
                          (tmp_path / "none.sql", "no such file")):
        result = papertrends(data, "--file", str(path))
        assert result.returncode == 1, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr


def test_empty_and_comment_only_statements_do_nothing(data):
    for text in ("-- just a note", ";", "/* nothing */ ;  ;"):
        result = papertrends(data, text, "--format", "csv")
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), text
    result = papertrends(data, "select 7 as n; ; -- done", "--format", "csv")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.split() == ["n", "7"]


def test_statements_are_split_by_duckdb_not_at_every_semicolon(data):
    result = papertrends(data, "select 'a;b' as s; select count(*) as n from marts.papers",
                         "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["s", "a;b", "n", "3"]


def test_an_error_advises_no_setting_the_locked_prompt_refuses(data):
    """DuckDB's own advice ("Use SET max_expression_depth TO x") is refused by papertrends sql,
    whose settings are locked: the message says what works instead."""
    deep = "select " + "+".join(["1"] * 1500)
    result = papertrends(data, deep)
    assert result.returncode == 1, result.stderr
    assert "expression depth" in result.stderr and 'Use "SET' not in result.stderr, result.stderr
    assert "cannot be changed here" in result.stderr and "duckdb -readonly" in result.stderr
    refused = papertrends(data, "set max_expression_depth to 5000")
    assert refused.returncode == 1 and "locked" in refused.stderr, refused.stderr


def test_an_empty_query_argument_is_a_usage_error(data):
    for text in ("", "   "):
        result = papertrends(data, text)
        assert result.returncode == 2
        assert result.stderr.startswith("papertrends: the query is empty"), result.stderr
        assert "papertrends>" not in result.stdout


def test_a_query_and_a_file_both_is_a_usage_error(data, tmp_path):
    script = tmp_path / "q.sql"
    script.write_text("select 1 as from_file")
    result = papertrends(data, "--file", str(script), "select 2 as from_argument")
    assert result.returncode == 2 and result.stdout == ""   # neither runs: which one was meant?
    assert result.stderr.startswith("papertrends: give a query or --file, not both"), result.stderr


def test_piped_statements_run_past_empty_ones_and_a_failure_exits_non_zero(data):
    script = "select 1 as a;\n\n-- a comment;\n;\nselect missing_column;\nselect 2 as b\n"
    result = papertrends(data, "--format", "csv", stdin=script)
    assert result.returncode == 1
    assert result.stdout.split() == ["a", "1", "b", "2"]
    assert "Traceback" not in result.stderr
    assert result.stderr.count("papertrends: ") == 1 and "missing_column" in result.stderr

    ok = papertrends(data, "--format", "csv", stdin="select 1 as a;\n-- bye;\n")
    assert ok.returncode == 0, ok.stderr


def test_timeout_stops_a_long_statement_with_a_clear_message(data):
    result = papertrends(data, ENDLESS, "--timeout", "1")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("papertrends: the statement ran longer than 1 s")
    assert "Traceback" not in result.stderr
    refused = papertrends(data, "select 1", "--timeout", "0")
    assert refused.returncode == 2 and "--timeout" in refused.stderr


def test_ctrl_c_cancels_a_one_shot_query_and_exits_130(data):
    process = subprocess.Popen([PAPERTRENDS, "sql", ENDLESS], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=_env(data), preexec_fn=_as_in_a_terminal)
    try:
        _wait_until_open(process.pid, published_path(data.warehouse))
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=GUARD)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert err.strip() == "papertrends: query cancelled (Ctrl-C)"
    assert out == ""


def test_ctrl_c_at_the_prompt_cancels_the_query_and_the_prompt_goes_on(data):
    pid, fd = pty.fork()
    if pid == 0:   # the child: papertrends on the pseudo-terminal
        _as_in_a_terminal()
        os.execve(PAPERTRENDS, [PAPERTRENDS, "sql", "--format", "csv"], _env(data))
    terminal = Terminal(fd)
    try:
        terminal.expect("papertrends> ")
        terminal.type(ENDLESS + ";\n")
        _wait_until_open(pid, published_path(data.warehouse))
        terminal.type("\x03")   # Ctrl-C, as the terminal sends it
        assert "query cancelled (Ctrl-C)" in terminal.expect("papertrends> ")
        terminal.type("select 42 as answer;\n")
        assert "answer\r\n42" in terminal.expect("papertrends> ")
        terminal.type(".quit\n")
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.waitstatus_to_exitcode(status) == 0
        assert "Traceback" not in terminal.screen
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)


class Terminal:
    """The user's side of a pseudo-terminal: what it showed, and typing into it."""

    def __init__(self, fd: int):
        self.fd, self.screen, self.seen = fd, "", 0

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def expect(self, text: str) -> str:
        """What the terminal showed since the last expect, up to and including `text`."""
        deadline = time.monotonic() + GUARD
        while (found := self.screen.find(text, self.seen)) < 0:
            assert time.monotonic() < deadline, f"never showed {text!r}: {self.screen!r}"
            if select.select([self.fd], [], [], 1)[0]:
                self.screen += os.read(self.fd, 4096).decode(errors="replace")
        shown, self.seen = self.screen[self.seen:found + len(text)], found + len(text)
        return shown


def _wait_until_open(pid: int, database: Path) -> None:
    """Wait until the process has the database file open (its query starts right after)."""
    deadline = time.monotonic() + GUARD
    target = str(database)
    while True:
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except (FileNotFoundError, ProcessLookupError):
            links = []
        if target in links:
            return
        assert time.monotonic() < deadline, "the query never started"
        time.sleep(0.05)


def test_a_huge_result_shown_cut_holds_only_the_rows_shown(data):
    # 1.5 GB of rows: the 40 shown are read, the rest only counted. The command runs inside
    # a Python of its own so that the peak memory measured is the command's alone.
    query = "select range as n, repeat('x', 2000) as pad from range(750000)"
    probe = ("import resource, subprocess, sys; "
             "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
             "done.stdout.strip().splitlines()[-1])")
    result = subprocess.run([sys.executable, "-c", probe, PAPERTRENDS, "sql", query], capture_output=True,
                            text=True, env=_env(data), timeout=GUARD * 2)
    code, peak_kb, footer = result.stdout.split(" ", 2)
    assert (code, footer.strip()) == ("0", "(40 of 750000 rows shown; --max-rows 0 shows all, --format csv or "
                                           "--format json prints all without cutting)")
    assert int(peak_kb) < 1_000_000   # the whole result would take 1.5 GB


@pytest.mark.parametrize("stdin", ["", "select 1;\n"])
def test_piped_input_without_a_warehouse_fails_before_reading_it(tmp_path, stdin):
    data = DataDir(tmp_path / "none")
    result = papertrends(data, stdin=stdin)
    assert result.returncode == 1
    assert result.stderr.startswith(f"papertrends: no warehouse at {published_path(data.warehouse)}")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_values_polars_cannot_hold_are_shown_as_duckdb_writes_them(data, fmt):
    """An interval (alone or in a list), a union, a bit string, a blob and a uhugeint above
    2**127 print as DuckDB writes them, with no traceback; a uhugeint is never shown negative."""
    query = ("select interval 3 day as i, [interval 1 day] as l, union_value(k := 1) as u, "
             "'101'::bit as b, 'ab'::blob as bl, 340282366920938463463374607431768211455::uhugeint as big")
    result = papertrends(data, query, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    for shown in ("3 days", "[1 day]", "101", "ab", "340282366920938463463374607431768211455"):
        assert shown in result.stdout
    assert "-1" not in result.stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_dates_python_cannot_hold_are_shown_as_duckdb_writes_them(data, fmt):
    """An infinite date or timestamp (alone, in a list, in a struct) and a year past 9999 print
    as DuckDB writes them, with no panic; an ordinary date beside them keeps its value."""
    query = ("select 'infinity'::date as d, ['-infinity'::timestamp] as l, {'a': 'infinity'::timestamptz} as s, "
             "'12000-01-01'::date as far, date '2020-01-02' as ok")
    result = papertrends(data, query, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    for shown in ("infinity", "-infinity", "12000-01-01", "2020-01-02"):
        assert shown in result.stdout


def test_piped_sql_that_is_not_utf8_fails_that_statement_with_a_message(data):
    result = subprocess.run([PAPERTRENDS, "sql"], input=b"select 'caf\xe9';\nselect 2 as two;\n",
                            capture_output=True, env=_env(data), timeout=GUARD)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr and b"not UTF-8 text" in result.stderr
    assert b"| 2   |" in result.stdout   # the statements after it still run

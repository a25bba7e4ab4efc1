"""The `papertrends` command as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import API_DAYS, CAPTURE

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([PAPERTRENDS, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_parse_prints_one_json_line_per_entry_of_the_sample_capture():
    result = run("parse", str(CAPTURE))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 43
    first = json.loads(lines[0])
    assert first["title"] == "Benign Overfitting and Grokking in ReLU Networks for XOR Cluster Data"
    assert first["n_authors"] == 5 and first["published_on"] == "2023-10-03"
    assert first["snapshot_date"] == "2025-12-10" and first["source_kind"] == "capture"
    assert sum(not json.loads(line)["complete"] for line in lines) == 1
    assert "search listing" in result.stderr


@pytest.mark.needs_shared_data
def test_parse_of_an_api_day():
    result = run("parse", str(API_DAYS[0]))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 23


def test_parse_with_a_snapshot_date_after_the_header_day_reads_the_page(tmp_path):
    """The header ("Dec 10") is not an explicit date: the given one wins, and a note says which
    day's list the page shows."""
    result = run("parse", str(CAPTURE), "--snapshot-date", "2025-12-11")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 43
    assert "note: the page header shows the list of 2025-12-10, captured on the snapshot date 2025-12-11" \
        in result.stderr


def test_parse_says_which_entries_an_ingest_would_quarantine_and_why(tmp_path):
    listing = tmp_path / "2025-11-04_listing.json"
    paper = {"id": "2511.00001", "title": "A Made-Up Paper", "authors": [{"name": "A B"}],
             "publishedAt": "2025-11-03T00:00:00.000Z"}
    listing.write_text(json.dumps([{"paper": paper}, {"paper": paper}, {"title": "Buy milk"}]))
    result = run("parse", str(listing))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["quarantine_reasons"] for row in rows] == [
        None, ["a repeat of entry 1: the same paper shown twice"],
        ["a line alone: no abstract, upvotes, authors, date or arXiv id beside it: not recognisably a paper",
         "no paper id: an API item names the arXiv id of its paper (paper.id)"]]
    assert "3 entries (daily listing, snapshot date 2025-11-04); 2 would go to quarantine" in result.stderr


def test_parse_notes_a_snapshot_date_that_an_ingest_refuses(tmp_path):
    # parse shows what an ingest would give: a date in the future is read, with the refusal noted
    listing = tmp_path / "2099-01-01_listing.json"
    paper = {"id": "2511.00001", "title": "A Made-Up Paper", "authors": [{"name": "A B"}],
             "publishedAt": "2025-11-03T00:00:00.000Z"}
    listing.write_text(json.dumps([{"paper": paper}]))
    result = run("parse", str(listing))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert "note: snapshot date 2099-01-01 is in the future" in result.stderr
    assert "papertrends ingest would refuse this file" in result.stderr


def test_parse_of_a_dangling_link_names_its_target(tmp_path):
    link = tmp_path / "2025-11-04_saved.txt"
    link.symlink_to(tmp_path / "gone.txt")
    result = run("parse", str(link))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"papertrends: {link}: a symbolic link to {tmp_path / 'gone.txt'}, "
                                     "which does not exist")


def test_bad_input_gets_a_message_not_a_traceback(tmp_path):
    binary = tmp_path / "2025-11-03_bad.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    for args in (["parse", str(binary)], ["parse", str(tmp_path / "missing.txt")],
                 ["parse", str(CAPTURE), "--snapshot-date", "tomorrow"],
                 ["ingest", str(tmp_path / "missing")]):
        result = run(*args)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr, args
        assert result.stderr.strip(), args


def test_sql_answers_reads_and_refuses_writes_attach_and_file_reads(seeded):
    env_dir = str(seeded.root)
    ok = _run_in(env_dir, "sql", "select count(*) as n from raw.snapshots", "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["n", "21"]
    for statement in ("create table t (a int)", "attach '/tmp/other.duckdb' as o",
                      "select * from read_csv('/etc/passwd')"):
        refused = _run_in(env_dir, "sql", statement)
        assert refused.returncode == 1, statement
        assert "Traceback" not in refused.stderr
        assert refused.stderr.startswith("papertrends: "), refused.stderr


def _run_in(data_root: str, *args: str) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "PAPERTRENDS_DATA_DIR": data_root}
    return subprocess.run([PAPERTRENDS, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.needs_shared_data
def test_parse_of_rendered_captures_agrees_with_the_api_json(tmp_path):
    """`papertrends parse` on a capture of a real API day, in every rendering, gives the fields
    the JSON gives for the same papers."""
    from datetime import date

    from tests.capture_render import STYLES, fold, render_capture

    items = json.loads(API_DAYS[2].read_bytes())
    day = date.fromisoformat(API_DAYS[2].stem)
    for style in STYLES:
        path = tmp_path / f"{day}_{style}.txt"
        text = render_capture(items, day, style)
        path.write_bytes(text.encode("utf-8-sig" if style == "crlf_bom" else "utf-8"))
        result = run("parse", str(path))
        assert result.returncode == 0, (style, result.stderr)
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(rows) == len(items), style
        for row, item in zip(rows, items):
            paper = item["paper"]
            assert row["title"] == fold(paper["title"]), style
            assert row["published_on"] == paper["publishedAt"][:10], style
            assert row["comments"] == item["numComments"], style
            if paper.get("organization"):
                assert row["organization"] == paper["organization"]["name"], style
            else:
                assert row["n_authors"] == len(paper["authors"]), style
            if "upvotes" in style:
                assert row["upvotes"] == paper["upvotes"], style
            if "links" in style:
                assert row["arxiv_id"] == paper["id"], style


def catches_sigint(pid: int) -> bool:
    """Whether the process has its SIGINT handler installed (Python does so as it starts)."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGINT - 1)))


@pytest.mark.parametrize("after", [0.2, 0.5, 0.9])   # (Python reads its site packages first: ~10 ms)
def test_ctrl_c_while_the_command_loads_says_so_in_one_line(tmp_path, after):
    """Ctrl-C while Python imports the command (a second or more: Dagster, polars, Pandera)."""
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
    ingest = subprocess.Popen([PAPERTRENDS, "ingest", str(CAPTURE)], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not catches_sigint(ingest.pid) and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(after)
    ingest.send_signal(signal.SIGINT)
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 130, err
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in err, err
    assert err.splitlines()[-1].startswith("papertrends: interrupted (Ctrl-C)"), err


@pytest.mark.needs_shared_data
def test_ctrl_c_during_an_ingest_says_so_in_one_line_and_a_rerun_loads_everything(tmp_path):
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
    ingest = subprocess.Popen([PAPERTRENDS, "ingest", *map(str, API_DAYS[:3])], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for line in ingest.stderr:   # the run has started: interrupt it as a person would
        if line.startswith("Ingesting "):
            ingest.send_signal(signal.SIGINT)
            break
    out, err = ingest.communicate(timeout=300)
    assert ingest.returncode in (1, 130), err
    assert "Traceback" not in out + err and "interrupted (Ctrl-C" in err, err
    again = subprocess.run([PAPERTRENDS, "ingest", *map(str, API_DAYS[:3])], env=env, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.snapshots").fetchone()[0] == 3


@pytest.mark.needs_shared_data
def test_ctrl_c_in_a_terminal_during_dbt_prints_no_traceback(tmp_path):
    """A terminal's Ctrl-C signals the command's whole process group, children too."""
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
    ingest = subprocess.Popen([PAPERTRENDS, "ingest", *map(str, API_DAYS[:3])], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    for line in ingest.stderr:
        if "dbt build" in line:   # the dbt step has started
            time.sleep(1.0)
            os.killpg(ingest.pid, signal.SIGINT)
            break
    out, err = ingest.communicate(timeout=300)
    assert ingest.returncode in (1, 130), err
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in err, err
    assert "interrupted (Ctrl-C" in err, err


@pytest.mark.needs_shared_data
def test_sigterm_stops_an_ingest_as_ctrl_c_does(tmp_path):
    """A service manager's or `kill`'s SIGTERM: one line, no traceback, nothing lost."""
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
    ingest = subprocess.Popen([PAPERTRENDS, "ingest", *map(str, API_DAYS[:2])], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for line in ingest.stderr:
        if line.startswith("Ingesting "):
            ingest.send_signal(signal.SIGTERM)
            break
    out, err = ingest.communicate(timeout=300)
    assert "Traceback" not in out + err, err
    last = err.splitlines()[-1]
    # before the run starts the command stops at once; in it, Dagster stops the step in progress
    assert ((ingest.returncode, last[:36]) == (143, "papertrends: stopped (SIGTERM); noth")
            or (ingest.returncode == 1 and "interrupted (Ctrl-C or SIGTERM); the run stopped there" in last)), err
    again = subprocess.run([PAPERTRENDS, "ingest", *map(str, API_DAYS[:2])], env=env, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.snapshots").fetchone()[0] == 2


def test_an_empty_report_folder_is_a_usage_error(capsys):
    from orchestration.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["report", "--out", ""])
    assert stopped.value.code == 2
    assert "argument --out: an empty path; give a folder" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["20251104", "2025-W45-2", "2025-11-4", "2025-02-30"])
def test_a_date_option_takes_yyyy_mm_dd_only(text, capsys):
    from orchestration.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["fetch", "--date", text])
    assert stopped.value.code == 2
    assert f"not a date (YYYY-MM-DD): {text!r}" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["not a url", "huggingface.co", "ftp://mirror.example", "https://huggingface.co:abc",
                                 "http://[::1"])
def test_an_api_url_that_is_no_web_address_is_named_not_called_offline(url, tmp_path):
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data"), "PAPERTRENDS_API_URL": url}
    done = subprocess.run([PAPERTRENDS, "fetch", "--date", "2025-11-04"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"papertrends: PAPERTRENDS_API_URL is not a web address: {url!r}"), done.stderr
    assert "offline" not in done.stderr


def test_a_data_dir_that_is_a_file_is_named_as_one(tmp_path):
    (tmp_path / "data").write_text("not a folder")
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
    for command in (["sql", "select 1"], ["report"]):
        done = subprocess.run([PAPERTRENDS, *command], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip() == (f"papertrends: the data dir {tmp_path / 'data'} is a file, not a folder: "
                                       "point PAPERTRENDS_DATA_DIR at a folder (it is made when missing)")


def test_a_first_day_in_the_future_is_named_as_the_reason_nothing_is_ingested(tmp_path):
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data"), "PAPERTRENDS_FIRST_DAY": "2099-01-01"}
    done = subprocess.run([PAPERTRENDS, "ingest", str(CAPTURE)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    err = done.stderr
    assert ("PAPERTRENDS_FIRST_DAY is 2099-01-01, a day in the future" in err
            and "set PAPERTRENDS_FIRST_DAY to a past day" in err and "rename it" not in err), err

"""Files that are not a papers listing add no paper to any mart; the new capture formats load
exactly their papers. Through the real pipeline (landing, Dagster, Pandera, DuckDB, dbt).

One data dir holds: a real API day; one rendering per tool-capture format of five other real
days (tests/capture_render_tools.py); and files in layouts papertrends does not read, made
from the papers of a seventh day (tests/unknown_layouts.py).
"""

from __future__ import annotations

import json
from datetime import date

import dagster as dg
import duckdb
import pytest

from tests.capture_render import fold
from tests.capture_render_tools import render_tool_capture, shown_submitter
from tests.conftest import fresh_data_dir
from tests.shared_data import api_day_files
from tests.unknown_layouts import LAYOUTS, render_unknown
from transforms.suspect_snapshots import SUSPECT_MIN_ENTRIES

pytestmark = pytest.mark.needs_shared_data

DAYS = api_day_files()
FORMATS = ("markdown", "textbrowser", "selectall", "html", "html_cards")
SUSPECT = {"newsletter", "prose"}   # layouts whose blocks are read, but are no listing cards
EXT = {"markdown": "md", "textbrowser": "txt", "selectall": "txt", "html": "html", "html_cards": "html",
       "blog": "md", "newsletter": "md", "readme": "md", "links": "txt", "csv": "csv", "prose": "txt"}


def _items(k: int) -> list[dict]:
    return json.loads(DAYS[k].read_text(encoding="utf-8"))


def _day(k: int) -> date:
    return date.fromisoformat(DAYS[k].stem)


def _name(k: int, kind: str) -> str:
    return f"{_day(k)}_{kind}.{EXT[kind]}"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    from orchestration.runs.runner import run_pipeline
    from orchestration.storage.landing import land_files

    folder = tmp_path_factory.mktemp("drop")
    (folder / DAYS[0].name).write_bytes(DAYS[0].read_bytes())
    for k, fmt in enumerate(FORMATS, 1):
        (folder / _name(k, fmt)).write_text(render_tool_capture(_items(k), _day(k), fmt, variant=k))
    for layout in LAYOUTS:
        (folder / _name(6, layout)).write_text(render_unknown(_items(6)[:8], _day(6), layout))
    data = fresh_data_dir(tmp_path_factory.mktemp("suspect-data"))
    land_files([folder], data)
    result = run_pipeline(data, _day(0), _day(6))
    assert result.success
    con = duckdb.connect(str(data.warehouse), read_only=True)
    yield data, result, con
    con.close()


def _rows(con, sql: str, params=()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def test_unknown_layouts_add_no_paper_to_any_mart(ingested):
    data, _, con = ingested
    real = [_items(k) for k in range(6)]
    ids = [{i["paper"]["id"] for i in items} for items in real]
    unknown = _items(6)[:8]
    assert not {i["paper"]["id"] for i in unknown} & set().union(*ids), "pick disjoint days"
    unknown_titles = {fold(i["paper"]["title"]).lower() for i in unknown}
    papers = _rows(con, "select paper_id, arxiv_id, lower(title) as title, is_listed from marts.papers")
    assert not [p for p in papers if p["title"] in unknown_titles]
    assert not {p["arxiv_id"] for p in papers} & {i["paper"]["id"] for i in unknown}
    assert len(papers) == sum(len(items) for items in real)   # the real days' papers, no more
    listed = con.execute(
        "select distinct period_papers from marts.topic_counts where grain = 'month'"
        " and basis = 'listed' and period_start = date '2025-11-01'").fetchall()
    assert listed == [(len(papers),)]
    counted = con.execute("select count(*) from intermediate.int_paper_observations o join raw.snapshots s"
                          " using (snapshot_id) where s.status in ('suspect', 'failed')").fetchone()
    assert counted == (0,)


def test_unknown_layouts_leave_a_clear_record(ingested):
    _, _, con = ingested
    for layout in LAYOUTS:
        [row] = _rows(con, "select * from raw.snapshots where original_name = ?", [_name(6, layout)])
        assert row["reason"], layout
        assert row["n_entries"] == row["n_loaded"] + row["n_quarantined"]
        if layout in SUSPECT:
            assert row["status"] == "suspect", (layout, row["reason"])
            assert "not cards of a papers listing" in row["reason"]
            assert row["n_entries"] >= SUSPECT_MIN_ENTRIES
        else:
            assert row["status"] == "failed", (layout, row["status"])
            assert "no paper listing found" in row["reason"]
    [prose] = _rows(con, "select snapshot_id from raw.snapshots where original_name = ?", [_name(6, "prose")])
    held = _rows(con, "select raw_text, reasons from raw.quarantine where snapshot_id = ?", [prose["snapshot_id"]])
    assert len(held) == 8 and all(h["raw_text"] and h["reasons"] for h in held)


def test_an_asset_check_and_the_summary_name_the_suspect_files(ingested):
    from orchestration.cli.summary import summary_text

    data, result, _ = ingested
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "suspect_files"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    named = check.metadata["files"].value
    assert sorted(named) == sorted(_name(6, layout) for layout in SUSPECT)
    text = summary_text(data)
    assert "2 suspect" in text
    section = text.split("Suspect files", 1)[1]
    for layout in SUSPECT:
        assert f"{_name(6, layout)}: 8 of 8 entries are not cards of a papers listing" in section


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_loads_exactly_its_papers(ingested, fmt):
    _, _, con = ingested
    k = FORMATS.index(fmt) + 1
    [snap] = _rows(con, "select * from raw.snapshots where original_name = ?", [_name(k, fmt)])
    assert (snap["status"], snap["n_quarantined"]) == ("ok", 0), snap["reason"]
    observed = _rows(con, "select title, arxiv_id, submitted_by, submitted_by_name from raw.paper_observations"
                     " where snapshot_id = ? order by position", [snap["snapshot_id"]])
    items = _items(k)
    assert [fold(o["title"]) for o in observed] == [fold(i["paper"]["title"]) for i in items]
    if fmt != "selectall":   # a select-all copy keeps no links
        assert [o["arxiv_id"] for o in observed] == [i["paper"]["id"] for i in items]
    # who submitted each paper, where the format shows it (nothing made up where it does not)
    shown = [shown_submitter(item, fmt, n, variant=k) for n, item in enumerate(items)]
    assert [{f: o[f] for f in ("submitted_by", "submitted_by_name")} for o in observed] == shown
    assert any(s["submitted_by_name"] for s in shown) == (fmt in ("selectall", "html"))


def test_the_submitter_reaches_marts_papers_where_a_snapshot_shows_it(ingested):
    """The API day and the saved HTML (its embedded JSON) give user and display name; a
    select-all copy only the name it shows; the other formats no submitter: null."""
    _, _, con = ingested
    for k in range(len(FORMATS) + 1):
        fmt = FORMATS[k - 1] if k else "html"   # the API day shows what the HTML's JSON does
        for n, item in enumerate(_items(k)):
            [paper] = _rows(con, "select submitted_by, submitted_by_name from marts.papers"
                            " where lower(title) = ?", [fold(item["paper"]["title"]).lower()])
            assert paper == shown_submitter(item, fmt, n, variant=k), (fmt, item["paper"]["id"])

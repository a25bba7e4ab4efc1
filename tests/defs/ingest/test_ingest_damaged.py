"""`papertrends ingest FOLDER` of damaged files as a user runs it: a real subprocess, twice.

The folder (written at test time by tests/fixtures/make_damaged.py from the real November 2025
days in ../shared/data and the bundled capture) holds 38 snapshot files damaged the ways real
ones get damaged. Next to it the test lands three files of its own
from a temporary folder: one whose name has spaces, unicode, ';' and quotes, one whose name
cleans to the same safe name, and one capture without a date in its name whose modification
time is the day it was captured.

Two ingest runs in all (each ~45 s): the module fixture runs the first, the idempotence test the
second. Every expectation below was worked out by hand from the file contents and the rules in
docs/architecture.md ("Bad input"), transforms/ and orchestration/storage/landing.py; see EXPECTED.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from tests.damaged_batch import (  # noqa: F401
    COLLIDING_NAME,
    EXPECTED,
    FAILED_REASONS,
    N_FIXTURE_FILES,
    N_FIXTURE_SNAPSHOTS,
    NOV3,
    QUARANTINE_REASONS,
    SAFE_NAME,
    SAME_AS_CONTROL,
    UNDATED_NAME,
    UNSAFE_NAME,
    extra_files,
    fixture_files,
    read_state,
    rows,
    sha256,
)
from tests.fixtures.make_damaged import damaged_files
from tests.shared_data import API_DAY_DIR
from tests.warehouse_checks import run_ingest

pytestmark = pytest.mark.needs_shared_data


def nov3_items() -> list[dict]:
    return json.loads((API_DAY_DIR / "2025-11-03.json").read_bytes())


@pytest.fixture(scope="module")
def run(tmp_path_factory, damaged_dir):
    """The first ingest: the damaged folder plus the three extra files."""
    root = tmp_path_factory.mktemp("damaged-data")
    extra_dir = tmp_path_factory.mktemp("extra")
    extras = extra_files(extra_dir)
    result = run_ingest(root, damaged_dir, extra_dir)
    assert result.returncode == 1, result.stderr[-3000:]   # some files could not be read
    return {"root": root, "dir": damaged_dir, "extra_dir": extra_dir, "extras": extras,
            "result": result, "state": read_state(root)}


@pytest.fixture(scope="module")
def by_name(run) -> dict[str, dict]:
    snapshots = run["state"]["snapshots"]
    return {row["original_name"]: row for row in snapshots}


def entries_of(run, snapshot_id: str) -> tuple[list[dict], list[dict]]:
    state = run["state"]
    return ([o for o in state["observations"] if o["snapshot_id"] == snapshot_id],
            [q for q in state["quarantine"] if q["snapshot_id"] == snapshot_id])


# --- the run -----------------------------------------------------------------------------------

def test_the_damaged_folder_holds_the_batch_and_is_written_the_same_every_time(damaged_dir):
    files = fixture_files(damaged_dir)
    assert files == damaged_files()  # deterministic: a second generation gives the same bytes
    assert len(files) == N_FIXTURE_FILES
    assert set(files) == set(EXPECTED) | {SAME_AS_CONTROL}
    assert files[SAME_AS_CONTROL] == files["2025-11-05_control-fine-day.json"]


def test_ingest_says_how_many_files_could_not_be_read_and_exits_1_without_a_traceback(run):
    result = run["result"]
    assert result.returncode == 1
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    assert "Ingesting 41 file(s)" in result.stderr  # 38 fixtures + 3 extra files
    snapshots = run["state"]["snapshots"]
    read = {s["sha256"] for s in snapshots if s["status"] != "failed"}
    # (a file refused under one name whose bytes were read under another is no unreadable file)
    failed = sum(1 for s in snapshots if s["status"] == "failed" and s["sha256"] not in read)
    assert failed < sum(1 for s in snapshots if s["status"] == "failed")
    assert f"papertrends: {failed} of the 41 file(s) ingested could not be read" in result.stderr
    assert "Refused under one name, read under another" in result.stdout
    assert "Unreadable files (kept in the archive" in result.stdout


def test_every_landed_file_left_landing_for_the_archive(run):
    assert run["state"]["landing"] == []


def test_every_fixture_file_is_archived_byte_for_byte(run):
    archive = run["state"]["archive"]
    for name, data in fixture_files(run["dir"]).items():
        matches = [path for path, digest in archive.items() if path.endswith(f"__{name}") or path.endswith(f"~{name}")]
        assert len(matches) == 1, (name, matches)
        assert archive[matches[0]] == sha256(data), name
        assert (run["root"] / "archive" / matches[0]).read_bytes() == data, name


# --- one row per distinct content and date ---------------------------------------------------

def test_one_snapshot_row_per_distinct_file_content_and_date(run, by_name):
    files = fixture_files(run["dir"])
    fixture_shas = {sha256(data) for data in files.values()}
    fixture_rows = [s for s in run["state"]["snapshots"] if s["sha256"] in fixture_shas]
    assert len(fixture_rows) == N_FIXTURE_SNAPSHOTS
    assert len({s["snapshot_id"] for s in fixture_rows}) == N_FIXTURE_SNAPSHOTS
    # The second name of the control's bytes has no row: the control's row stands for both.
    assert SAME_AS_CONTROL not in by_name
    control = by_name["2025-11-05_control-fine-day.json"]
    assert control["sha256"] == sha256(files[SAME_AS_CONTROL])
    # The same bytes on two different days are two snapshots (control capture / header mismatch).
    six = by_name["2025-12-10_control-seed-capture-six-entries.txt"]
    early = by_name["2025-12-09_header-date-disagrees-with-name.txt"]
    assert six["sha256"] == early["sha256"] and six["snapshot_id"] != early["snapshot_id"]
    for name, data in files.items():
        if name == SAME_AS_CONTROL:
            continue
        row = by_name[name]
        assert row["sha256"] == sha256(data), name
        expected_day = EXPECTED[name][3]
        if expected_day is None:  # no date in the name: the day the file was last modified
            expected_day = datetime.fromtimestamp((run["dir"] / name).stat().st_mtime).date()
        assert row["snapshot_date"] == expected_day, name
        kind = "api" if name.endswith(".json") else "capture"
        assert row["source_kind"] == kind, name
        assert row["snapshot_id"] == f"{expected_day.isoformat()}-{kind}-{sha256(data)[:12]}", name


def test_each_file_has_the_outcome_worked_out_by_hand(by_name):
    wrong = []
    for name, (status, n_entries, n_quarantined, _) in EXPECTED.items():
        row = by_name[name]
        got = (row["status"], row["n_entries"], row["n_quarantined"])
        want = (status or row["status"], n_entries,
                row["n_quarantined"] if n_quarantined is None else n_quarantined)
        if got != want:
            wrong.append(f"{name}: expected {want}, got {got} ({row['reason'] or ''})")
    assert wrong == []


def test_statuses_and_reasons_of_failed_files(run, by_name):
    for row in run["state"]["snapshots"]:
        assert row["status"] in ("ok", "partial", "failed"), row
        if row["status"] == "failed":
            reason = (row["reason"] or "").strip()
            assert len(reason) > 10 and "Traceback" not in reason, row
            assert row["n_entries"] == 0 and row["listing_kind"] is None, row
        else:
            assert row["reason"] is None, row
    for name, parts in FAILED_REASONS.items():
        reason = by_name[name]["reason"]
        for part in parts:
            assert part in reason, (name, reason)


def test_every_entry_is_loaded_or_quarantined(run):
    for row in run["state"]["accounted"]:
        assert row["n_entries"] == row["observed"] + row["held"], row
        assert (row["n_loaded"], row["n_quarantined"]) == (row["observed"], row["held"]), row


# --- what became of particular entries -------------------------------------------------------

def test_quarantined_entries_say_why(run, by_name):
    for name, words in QUARANTINE_REASONS.items():
        _, held = entries_of(run, by_name[name]["snapshot_id"])
        assert held, name
        for entry in held:
            assert any(words in reason for reason in entry["reasons"]), (name, entry["reasons"])
            assert entry["raw_text"], name


def test_quarantine_reasons_are_short_enough_to_read(run):
    """A reason quotes at most a snippet of the bad value (the parsers cut values at 60 chars)."""
    long = [(q["snapshot_id"], q["position"], len(r)) for q in run["state"]["quarantine"]
            for r in q["reasons"] if len(r) > 300]
    assert long == []


def test_negative_author_count_is_quarantined_with_its_text(run, by_name):
    loaded, held = entries_of(run, by_name["2025-11-03_negative-author-count.txt"]["snapshot_id"])
    assert [q["position"] for q in held] == [3]
    assert "-3 authors" in held[0]["raw_text"]
    assert held[0]["title"] == " ".join(nov3_items()[9]["paper"]["title"].split())  # item 9: the third entry
    assert any("n_authors" in r and "-3" in r for r in held[0]["reasons"])
    assert [o["position"] for o in loaded] == [1, 2, 4]


def test_impossible_and_far_future_dates(run, by_name):
    for name, words in (("2025-11-03_impossible-date-feb30.txt", "Feb 30"),
                        ("2025-11-03_far-future-date-2091.txt", "Mar 3, 2091")):
        loaded, held = entries_of(run, by_name[name]["snapshot_id"])
        assert [q["position"] for q in held] == [2], name
        assert words in held[0]["raw_text"], name
        assert all(o["published_on"] <= date(2025, 11, 3) for o in loaded), name
    _, held = entries_of(run, by_name["2025-11-03_far-future-date-2091.txt"]["snapshot_id"])
    assert any("published after" in r for r in held[0]["reasons"])


def test_a_publication_date_after_the_listing_day_is_left_empty_not_the_paper(run, by_name):
    loaded, held = entries_of(run, by_name["2025-11-04_published-2099.json"]["snapshot_id"])
    assert held == [] and [o["position"] for o in loaded] == [1, 2, 3]
    assert loaded[1]["published_on"] is None and loaded[0]["published_on"] is not None
    assert any(p.startswith("publishedAt 2099-01-01 is after the day the paper was listed")
               for p in loaded[1]["problems"])


def test_valid_captures_read_the_same_in_every_encoding(run, by_name):
    reference, _ = entries_of(run, by_name["2025-11-03_crlf-line-endings.txt"]["snapshot_id"])
    fields = ("position", "arxiv_id", "title", "n_authors", "organization", "published_on",
              "comments", "complete")
    expected = [tuple(o[f] for f in fields) for o in reference]
    assert [o["n_authors"] for o in reference] == [8, None, 11, 10]
    assert reference[1]["organization"] == "ByteDance-Seed"
    for name in ("2025-11-03_utf16le-bom-capture.txt", "2025-11-03_nul-bytes-sprinkled.txt",
                 "2025-11-03_utf8-bom-upvotes-capture.txt"):
        loaded, _ = entries_of(run, by_name[name]["snapshot_id"])
        assert [tuple(o[f] for f in fields) for o in loaded] == expected, name
    assert any("NUL" in p for p in by_name["2025-11-03_nul-bytes-sprinkled.txt"]["problems"])
    upvoted, _ = entries_of(run, by_name["2025-11-03_utf8-bom-upvotes-capture.txt"]["snapshot_id"])
    items = nov3_items()
    assert [o["upvotes"] for o in upvoted] == [items[i]["paper"]["upvotes"] for i in (0, 1, 9, 12)]


def test_cp1252_capture_keeps_its_accented_names(run, by_name):
    row = by_name["2025-11-03_cp1252-accented-names.txt"]
    assert any("cp1252" in p for p in row["problems"])
    loaded, _ = entries_of(run, row["snapshot_id"])
    assert loaded[1]["organization"] == "universite-paris-saclay"
    assert loaded[1]["organization_name"] == "Université Paris-Saclay"
    assert loaded[2]["title"] == "Réseaux génératifs: Hervé and Zoë's Café Benchmark"


def test_upvote_lines_that_are_not_numbers_do_not_become_papers(run, by_name):
    row = by_name["2025-11-03_upvotes-not-numbers.txt"]
    loaded, held = entries_of(run, row["snapshot_id"])
    titles = [e["title"] for e in sorted(loaded + held, key=lambda e: e["position"])]
    assert not {"1.2k", "lots", "n/a", "twelve"} & set(titles), titles
    assert len(titles) == 4, titles
    assert all(o["upvotes"] is None for o in loaded)


def test_truncated_capture_keeps_the_cut_entry_flagged_incomplete(run, by_name):
    loaded, held = entries_of(run, by_name["2025-12-10_truncated-mid-entry.txt"]["snapshot_id"])
    assert held == []
    assert [o["complete"] for o in loaded] == [True, True, True, False]
    assert loaded[3]["title"].startswith("A Model Generalization Study in Localizing Indoor Cows")
    assert "no authors/date block" in loaded[3]["problems"]
    assert by_name["2025-12-10_control-seed-capture-six-entries.txt"]["listing_kind"] == "search"


def test_path_like_id_never_reaches_the_observations(run, by_name):
    _, held = entries_of(run, by_name["2025-11-04_id-path-traversal.json"]["snapshot_id"])
    assert [q["position"] for q in held] == [2]
    assert held[0]["arxiv_id"] is None and "../../etc/passwd" in held[0]["raw_text"]
    assert not [o for o in run["state"]["observations"] if o["arxiv_id"] and "/" in o["arxiv_id"]]


def test_json_files_whose_papers_are_fine(run, by_name):
    nested, _ = entries_of(run, by_name["2025-11-04_nested-unknown-fields.json"]["snapshot_id"])
    assert [o["arxiv_id"] for o in nested] == ["2510.27545", "2511.00086", "2511.01678"]
    duplicated, repeats = entries_of(run, by_name["2025-11-05_duplicate-entries.json"]["snapshot_id"])
    assert len({o["arxiv_id"] for o in duplicated}) == len(duplicated) == 3
    assert [(q["position"], q["reasons"]) for q in sorted(repeats, key=lambda q: q["position"])] == [
        (3, ["a repeat of entry 1: the same paper shown twice"]),
        (5, ["a repeat of entry 2: the same paper shown twice"])]
    control = by_name["2025-11-05_control-fine-day.json"]
    assert (control["listing_kind"], control["n_loaded"]) == ("daily", 25)


def test_huge_title_is_quarantined_not_truncated_into_the_warehouse(run, by_name):
    loaded, held = entries_of(run, by_name["2025-11-04_huge-title-5000-chars.json"]["snapshot_id"])
    assert [q["position"] for q in held] == [2]
    assert all(len(o["title"]) <= 1000 for o in loaded)


# --- file names --------------------------------------------------------------------------------

def test_a_name_with_spaces_unicode_semicolons_and_quotes_is_landed_under_a_safe_name(run):
    snapshots = run["state"]["snapshots"]
    data = run["extras"][UNSAFE_NAME]
    [row] = [s for s in snapshots if s["sha256"] == sha256(data)]
    assert row["original_name"] == UNSAFE_NAME   # as given; the archive keeps the safe name
    assert row["path"].endswith(SAFE_NAME)
    assert (row["status"], row["n_entries"], row["snapshot_date"]) == ("ok", 2, NOV3)
    relative = row["path"].removeprefix("archive/")
    assert not set(" ;'\"\\") & set(relative) and relative.isascii() and ".." not in relative
    assert (run["root"] / row["path"]).read_bytes() == data
    for path in (run["root"] / "archive").rglob("*"):
        assert path.resolve().is_relative_to((run["root"] / "archive").resolve())


def test_two_names_that_clean_to_the_same_safe_name_are_both_kept(run):
    archive = run["state"]["archive"]
    snapshots = {s["sha256"] for s in run["state"]["snapshots"]}
    for name in (UNSAFE_NAME, COLLIDING_NAME):
        digest = sha256(run["extras"][name])
        assert digest in archive.values(), f"{name!r} was not archived"
        assert digest in snapshots, f"{name!r} has no snapshot row"


def test_a_capture_without_a_date_in_its_name_takes_its_modification_day(run):
    data = run["extras"][UNDATED_NAME]
    [row] = [s for s in run["state"]["snapshots"] if s["sha256"] == sha256(data)]
    assert row["snapshot_date"] == NOV3, row["reason"]
    assert (row["status"], row["n_entries"]) == ("ok", 2)


# --- again ------------------------------------------------------------------------------------

def test_ingesting_the_same_files_again_changes_nothing(run):
    first = run["state"]
    result = run_ingest(run["root"], run["dir"], run["extra_dir"])
    assert result.returncode == 1, result.stderr[-3000:]   # the unreadable files again
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    second = read_state(run["root"])

    def outcome(state):
        return sorted((s["snapshot_id"], s["snapshot_date"], s["status"], s["n_entries"],
                       s["n_loaded"], s["n_quarantined"], s["reason"]) for s in state["snapshots"])

    assert outcome(second) == outcome(first)
    assert second["archive"] == first["archive"]
    assert second["landing"] == []
    for table in ("observations", "quarantine"):
        assert len(second[table]) == len(first[table]), table
        assert ([(r["snapshot_id"], r["position"], r["title"]) for r in second[table]]
                == [(r["snapshot_id"], r["position"], r["title"]) for r in first[table]]), table

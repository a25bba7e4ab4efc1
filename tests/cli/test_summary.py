"""What `papertrends ingest` and `make run` print at the end: the warehouse's totals and tops."""

from __future__ import annotations

import shlex

import duckdb

from orchestration.cli.summary import refused_copies_text, summary_text, unreadable_of
from orchestration.storage.publish import published_path
from tests.conftest import CAPTURE, copy_data_dir
from tests.warehouse_checks import ingest, query


def _section(text: str, heading: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(heading) + 1
    return lines[start:lines.index("", start)]


def test_the_summary_names_the_top_authors_with_their_counts(seeded):
    """Ten lines "  <count>  <author>", counts falling, each the author's count in the mart, and
    no author left out who has more papers than the last one shown."""
    db = seeded.root / "warehouse.duckdb"
    counts = dict(query(db, "select author, n_papers from marts.author_counts"))
    shown = [line.split(None, 1) for line in _section(summary_text(seeded), "Top authors (papers)")]
    assert len(shown) == 10
    numbers = [int(n) for n, _ in shown]
    assert numbers == sorted(numbers, reverse=True)
    assert all(counts[author] == int(n) for n, author in shown)
    left_out = [n for author, n in counts.items() if author not in {a for _, a in shown}]
    assert max(left_out) <= numbers[-1]


def test_with_page_captures_only_it_says_why_no_author_is_listed(capture_ingested):
    assert query(capture_ingested.warehouse, "select count(*) from marts.author_counts") == [(0,)]
    section = _section(summary_text(capture_ingested), "Top authors (papers)")
    assert len(section) == 1 and "page captures show how many authors" in section[0]


def test_the_duckdb_line_can_be_pasted_when_the_data_dir_has_spaces(capture_ingested, tmp_path):
    data = copy_data_dir(capture_ingested.root, tmp_path / "my data" / "d\u00e4t\u00e4 dir")
    line = next(line for line in summary_text(data).splitlines() if "duckdb -readonly" in line)
    words = shlex.split(line)   # as a shell reads the pasted line
    assert words[:4] == ["uv", "run", "duckdb", "-readonly"]
    assert words[4] == str(published_path(data.warehouse))


def test_with_no_listed_paper_the_topics_heading_says_why_it_is_empty(seeded_copy):
    with duckdb.connect(str(published_path(seeded_copy.warehouse))) as con:   # every paper a search result
        con.execute("update marts.papers set is_listed = false")
    section = _section(summary_text(seeded_copy), "Top topics (papers in daily lists)")
    assert len(section) == 1 and section[0].startswith("  (none yet: no paper of a daily list is loaded")


def _refused_and_bad(data) -> tuple[str, str]:
    """Two failed rows: the bytes of a read snapshot refused under another name, and a file no
    snapshot read; (the read one's original_name, its sha256)."""
    with duckdb.connect(str(published_path(data.warehouse))) as con:
        con.execute("""
            insert into raw.snapshots by name
            select * replace ('failed' as status, snapshot_id || '-refused' as snapshot_id,
                              'refused.json' as original_name, 'dated wrongly' as reason)
            from raw.snapshots where status = 'ok' limit 1""")
        con.execute("""
            insert into raw.snapshots by name
            select * replace ('failed' as status, snapshot_id || '-bad' as snapshot_id, 'bad.json' as original_name,
                              'not JSON' as reason, 'made-up-digest' as sha256)
            from raw.snapshots where status = 'ok' limit 1""")
        return con.execute("select original_name, sha256 from raw.snapshots where status = 'ok' limit 1").fetchone()


def test_a_file_read_since_under_the_right_day_is_no_longer_unreadable(seeded_copy):
    # refused once (a wrong --snapshot-date), then ingested under its own day: the same bytes
    _refused_and_bad(seeded_copy)
    text = summary_text(seeded_copy)
    assert _section(text, "Unreadable files (kept in the archive; see raw.snapshots.reason)") == [
        "  bad.json: not JSON"]
    assert "(1 unreadable" in text


def test_a_copy_refused_under_one_name_is_named_and_not_counted_unreadable(seeded_copy):
    """The same bytes under two names in one ingest, one named for the wrong day: the ingest's
    count of unreadable files agrees with the summary's list (the copy is not in it), and the
    refused name is shown with its reason and the name it was read under."""
    read_as, digest = _refused_and_bad(seeded_copy)
    assert unreadable_of(seeded_copy, [digest, "made-up-digest"]) == 1
    assert unreadable_of(seeded_copy, [digest]) == 0
    assert refused_copies_text(seeded_copy, [digest, "made-up-digest"]).splitlines() == [
        "Refused under one name, read under another (the warehouse holds its entries once)",
        f"  refused.json: dated wrongly; read as {read_as}"]
    assert refused_copies_text(seeded_copy, ["made-up-digest"]) == ""


def test_files_with_the_same_unreadable_bytes_are_each_counted_and_named(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / CAPTURE.name).write_bytes(CAPTURE.read_bytes())
    for name in ("2025-11-07_junk.txt", "2025-11-07_junk copy.txt"):   # one snapshot: same day, bytes, kind
        (folder / name).write_bytes(bytes(range(256)) * 8)
    process = ingest(tmp_path / "data", [folder])
    output = process.communicate(timeout=600)[0]
    assert process.returncode == 1, output
    assert output.splitlines()[-1].startswith("papertrends: 2 of the 3 file(s) ingested could not be read"), output
    listed = _section(output, "Unreadable files (kept in the archive; see raw.snapshots.reason)")
    assert [line.split(":")[0].strip() for line in listed] == ["2025-11-07_junk copy.txt", "2025-11-07_junk.txt"]

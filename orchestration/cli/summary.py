"""What `make run` and `papertrends ingest` print: what the warehouse now holds."""

from __future__ import annotations

import shlex

from orchestration.storage.publish import published_path
from orchestration.storage.settings import DataDir
from orchestration.storage.warehouse import connect

# a failed snapshot whose bytes a snapshot under another name has read (a file refused for its
# date, then ingested under the right one): no longer unreadable
READ_ELSEWHERE = """exists (
    select 1 from raw.snapshots as read where read.sha256 = failed.sha256 and read.status <> 'failed')"""
TOTALS = f"""
select
    (select count(*) from raw.snapshots) as snapshots,
    (select count(*) from raw.snapshots as failed where status = 'failed' and not {READ_ELSEWHERE})
        as failed_files,
    (select count(*) from raw.snapshots where status = 'suspect') as suspect_files,
    (select coalesce(sum(n_entries), 0) from raw.snapshots) as entries,
    (select count(*) from raw.paper_observations) as observations,
    (select count(*) from raw.quarantine) as quarantined,
    (select count(*) from marts.papers) as papers,
    (select count(*) from marts.papers where is_listed) as listed_papers
"""
TOP_TOPICS = """
select topic, count(distinct paper_id) as n_papers
from marts.paper_topics join marts.papers using (paper_id)
where is_listed
group by topic order by n_papers desc, topic limit 10
"""
TOP_AUTHORS = "select author, n_papers from marts.author_counts order by n_papers desc, author limit 10"
# files that could not be read and whose bytes no snapshot has read
FAILED = f"""
select distinct coalesce(source.original_name, failed.original_name), failed.reason
from raw.snapshots as failed
left join raw.snapshot_sources as source using (snapshot_id)   -- every name its bytes came under
where failed.status = 'failed' and not {READ_ELSEWHERE}
order by 1
"""
SUSPECT = "select original_name, reason from raw.snapshots where status = 'suspect' order by 1"


def summary_text(data: DataDir) -> str:
    published = published_path(data.warehouse)
    with connect(published, read_only=True) as con:
        totals = con.sql(TOTALS).fetchall()[0]
        topics = con.sql(TOP_TOPICS).fetchall()
        authors = con.sql(TOP_AUTHORS).fetchall()
        failed = con.sql(FAILED).fetchall()
        suspect = con.sql(SUSPECT).fetchall()
    snapshots, n_failed, n_suspect, entries, observations, quarantined, papers, listed = totals
    lines = [
        f"Warehouse {data.warehouse} (published read-only copy: {published.name})",
        f"  snapshots     {snapshots:>6}   ({n_failed} unreadable"
        + (f", {n_suspect} suspect)" if n_suspect else ")"),
        f"  entries       {entries:>6}   = {observations} observations + {quarantined} quarantined",
        f"  papers        {papers:>6}   ({listed} seen in daily lists, counted in trends)",
        "",
        "Top topics (papers in daily lists)",
        *([f"  {n:>5}  {topic}" for topic, n in topics]
          or ["  (none yet: no paper of a daily list is loaded; a search listing or a suspect"
              " file counts in no trend)"]),
        "",
        "Top authors (papers)",
        *([f"  {n:>5}  {author}" for author, n in authors]
          or ["  (none yet: page captures show how many authors a paper has, not their names;"
              " API JSON names them)"]),
    ]
    if failed:
        lines += ["", "Unreadable files (kept in the archive; see raw.snapshots.reason)"]
        lines += [f"  {name}: {reason}" for name, reason in failed]
    if suspect:
        lines += ["", "Suspect files (read, but mostly not a papers listing: counted in no mart;"
                      " see docs/capture-formats.md)"]
        lines += [f"  {name}: {reason}" for name, reason in suspect]
    lines += [
        "",
        "Next:",
        "  make ui                                    inspect assets, runs and checks in Dagster",
        '  uv run papertrends sql "select * from reporting.topic_trends limit 5"',
        "  uv run papertrends report --period week    a Markdown/HTML digest with charts",
        f"  uv run duckdb -readonly {shlex.quote(str(published))}   (or any DuckDB 1.4+ client)",
    ]
    return "\n".join(lines)


def loaded_before(data: DataDir, digests: list[str]) -> set[str]:
    """Which of these files (by sha256) the warehouse already holds as read snapshots: the same
    bytes loaded by an earlier run (an empty set when nothing is published yet)."""
    path = published_path(data.warehouse)
    if not path.is_file():
        return set()
    try:
        with connect(path, read_only=True) as con:
            rows = con.execute("select distinct sha256 from raw.snapshots where status <> 'failed' and sha256 in "
                               "(select unnest(?::varchar[]))", [digests]).fetchall()
    except Exception:  # noqa: BLE001 - a copy that cannot be read (the run says why) knows of none
        return set()
    return {sha for (sha,) in rows}


def unreadable_of(data: DataDir, digests: list[str]) -> int:
    """How many of these files (one sha256 each: files with the same bytes count each) the
    warehouse records as unreadable (status failed), their bytes read under no other name (the
    summary's list)."""
    with connect(published_path(data.warehouse), read_only=True) as con:
        unread = {digest for (digest,) in con.execute(
            f"select sha256 from raw.snapshots as failed where status = 'failed' and not {READ_ELSEWHERE} "
            "and sha256 in (select unnest(?::varchar[]))", [digests]).fetchall()}
    return sum(digest in unread for digest in digests)


def refused_copies_text(data: DataDir, digests: list[str]) -> str:
    """The files among these (by sha256) refused under one name whose same bytes were read under
    another (a copy named for the wrong day beside the right one): said, not counted unreadable."""
    with connect(published_path(data.warehouse), read_only=True) as con:
        rows = con.execute(f"""
            select failed.original_name, failed.reason,
                   (select min(read.original_name) from raw.snapshots as read
                    where read.sha256 = failed.sha256 and read.status <> 'failed')
            from raw.snapshots as failed
            where failed.status = 'failed' and {READ_ELSEWHERE}
              and failed.sha256 in (select unnest(?::varchar[]))
            order by 1""", [digests]).fetchall()
    if not rows:
        return ""
    return "\n".join(["Refused under one name, read under another (the warehouse holds its entries once)",
                      *(f"  {name}: {reason}; read as {read_as}" for name, reason, read_as in rows)])

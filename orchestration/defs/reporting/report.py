"""The trend report: a Markdown digest of one week or month, its HTML rendering and SVG charts.

The period is the ISO week (Monday start) or calendar month that contains `as_of`, cut at
`as_of` (default: the latest listed day in the warehouse, since snapshots may be old). Every
count is over the papers first listed in the period (`marts.papers.is_listed`), like the trend
marts; search views only show up in the snapshot line.
"""

from __future__ import annotations

import errno
import html
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from orchestration.defs.reporting import charts
from orchestration.defs.reporting.terms import terms_facts, terms_sections
from orchestration.storage.publish import missing_words
from orchestration.storage.resource_errors import explain
from orchestration.storage.settings import DEFAULT_FIRST_DAY, is_service, signed_out

PERIODS = ("week", "month")
TOPIC_LINES, HISTORY_WEEKS, HISTORY_MONTHS, TOP_N = 8, 12, 12, 10
PERIOD_PAPERS = "select * from marts.papers where is_listed and listed_on between $start and $end"

SQL = {
    "snapshots": """select count(*), min(snapshot_date), max(snapshot_date),
        count(*) filter (where listing_kind = 'daily'), count(*) filter (where listing_kind = 'search'),
        count(*) filter (where status = 'failed')
        from raw.snapshots where snapshot_date between $start and $end""",
    "listed": "select count(*) from marts.papers where is_listed and listed_on between $start and $end",
    # Daily counts summed per week (or month: $unit), so the last one stops at as_of (a paper
    # has one listed day).
    "topic_weeks": """select topic, cast(date_trunc($unit, period_start) as date) as week_start,
        sum(n_papers)::integer as n from marts.topic_counts
        where grain = 'day' and basis = 'listed' and period_start between $start and $end
        group by all""",
    "topics": """select topic, sum(n_papers)::integer as n_papers from marts.topic_counts
        where grain = 'day' and basis = 'listed' and period_start between $start and $end
        group by topic order by n_papers desc, topic limit $n""",
    "rising": """select topic, n_last_7d, share, trailing_share, z_score, is_rising, week_start
        from marts.rising_topics
        where week_start = (select max(week_start) from marts.rising_topics where week_start <= $end)
          and n_last_7d > 0
        order by is_rising desc, z_score desc nulls last, n_last_7d desc, topic limit $n""",
    "authors": f"""with period as ({PERIOD_PAPERS})
        select any_value(c.author) as author, count(distinct a.paper_id)::integer as n_papers,
               any_value(c.n_papers)::integer as all_time, a.author_key
        from intermediate.int_authorships a join period using (paper_id)
        join marts.author_counts c using (author_key)
        group by a.author_key order by n_papers desc, author limit $n""",
    "orgs": f"""with period as ({PERIOD_PAPERS})
        select trim(coalesce(any_value(o.organization_name), p.organization)) as organization,
               count(*)::integer as n_papers, any_value(o.n_papers)::integer as all_time,
               p.organization as handle
        from period p left join marts.org_counts o using (organization)
        where p.organization is not null
        group by p.organization order by n_papers desc, organization limit $n""",
    # Buckets come from the dbt seed (reference.team_size_buckets), papers' buckets from dbt.
    "teams": f"""with period as ({PERIOD_PAPERS})
        select b.team_size, count(t.paper_id)::integer
        from reference.team_size_buckets b
        left join intermediate.int_paper_team_sizes t
            on t.team_size = b.team_size and t.paper_id in (select paper_id from period)
        group by b.team_size, b.bucket_order order by b.bucket_order""",
}


class ReportError(Exception):
    """The report cannot be made; the message says why, for people."""


# what to do when the warehouse lists no paper of a daily list (the bundled capture is a search view)
GET_DAILY_LISTS = ("fetch daily lists (papertrends fetch: the last 30 days; "
                   f"--from {DEFAULT_FIRST_DAY}: the history) "
                   "or ingest saved ones (papertrends ingest FOLDER); a search view counts in no trend")


class NothingToReport(ReportError):
    """The warehouse holds no paper seen in a daily list yet (e.g. only search-page captures)."""


@dataclass
class Table:
    header: list[str]
    rows: list[list]


def period_bounds(period: str, as_of: date) -> tuple[date, date]:
    if period not in PERIODS:
        raise ReportError(f"period must be one of {', '.join(PERIODS)} (got {period!r})")
    start = as_of - timedelta(days=as_of.weekday()) if period == "week" else as_of.replace(day=1)
    return start, as_of


def build_report(database: Path, out_dir: Path, period: str = "week", as_of: date | None = None,
                 *, progress: Callable[[str], None] = lambda step: None) -> Path:
    """Write out_dir/papertrends-<period>-<end>.md (+ .html, + <stem>-*.svg); return the .md path."""
    return write_report(report_facts(database, period, as_of, progress=progress), out_dir,
                        progress=progress)


def report_facts(database: Path, period: str = "week", as_of: date | None = None,
                 *, progress: Callable[[str], None] = lambda step: None) -> dict:
    """What the report says, read from the warehouse: the period, its counts and the series of
    topic counts per week or month (`weeks`, `series`) that its topic chart draws."""
    if (why := signed_out(database)) is not None:
        raise ReportError(why)
    if not is_service(database) and not Path(database).exists():   # (MotherDuck's md:NAME is no file)
        raise ReportError(f"no warehouse at {database}")
    progress("querying")
    con = duckdb.connect(str(database), read_only=True)
    try:
        if as_of is None:
            as_of = con.execute("select max(listed_on) from marts.papers where is_listed").fetchall()[0][0]
            if as_of is None:
                raise NothingToReport(f"no listed papers in {database}; {GET_DAILY_LISTS}")
        start, end = period_bounds(period, as_of)
        return _query(con, period, start, end)
    except duckdb.Error as exc:
        raise ReportError(f"cannot read {database}: {str(exc).strip()}") from None
    finally:
        con.close()


def write_report(facts: dict, out_dir: Path, *, progress: Callable[[str], None] = lambda step: None) -> Path:
    """Write the report of `facts` (report_facts) into out_dir; return the .md path."""
    period, start, end = facts["period"], facts["start"], facts["end"]
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"papertrends-{period}-{end.isoformat()}"
    # a chart may not be drawn this time (and earlier versions drew PNG files)
    for stale in [*out_dir.glob(f"{stem}-*.svg"), *out_dir.glob(f"{stem}-*.png")]:
        stale.unlink()
    images = _draw(facts, out_dir, stem, progress)
    progress("markdown and html")
    markdown = render_markdown(facts, images)
    md_path = out_dir / f"{stem}.md"
    md_path.write_text(markdown, encoding="utf-8")
    title = f"papertrends {period} report, {start} to {end}"
    (out_dir / f"{stem}.html").write_text(markdown_to_html(markdown, title), encoding="utf-8")
    return md_path


def _query(con, period: str, start: date, end: date) -> dict:
    def rows(name, **extra):  # DuckDB refuses parameters a statement does not use
        params = {k: v for k, v in {"start": start, "end": end, **extra}.items() if f"${k}" in SQL[name]}
        return con.execute(SQL[name], params).fetchall()

    if period == "month":   # the month report charts months, the week report weeks
        back = start.year * 12 + start.month - HISTORY_MONTHS
        history_start = date(back // 12, back % 12 + 1, 1)
    else:
        history_start = start - timedelta(days=start.weekday()) - timedelta(weeks=HISTORY_WEEKS - 1)
    weekly = con.execute(SQL["topic_weeks"], {"start": history_start, "end": end,
                                              "unit": period}).fetchall()
    weeks = sorted({w for _, w, _ in weekly})
    totals: dict[str, int] = {}
    for topic, _, n in weekly:
        if topic != "other":
            totals[topic] = totals.get(topic, 0) + n
    top = sorted(totals, key=lambda t: (-totals[t], t))[:TOPIC_LINES]
    cell = {(t, w): n for t, w, n in weekly}
    series = {t: [cell.get((t, w), 0) for w in weeks] for t in top}

    listed = rows("listed")[0][0]
    previous = period_bounds(period, start - timedelta(days=1))
    n_previous = con.execute(SQL["listed"], {"start": previous[0], "end": previous[1]}).fetchall()[0][0]
    has_rising = con.execute("select count(*) from information_schema.tables where "
                             "table_schema = 'marts' and table_name = 'rising_topics'").fetchall()[0][0]
    rising = rows("rising", n=TOP_N) if has_rising else None
    return {
        "period": period, "start": start, "end": end, "snapshots": rows("snapshots")[0],
        "listed": listed, "previous": (previous[0], n_previous), "weeks": weeks, "series": series,
        "topics": [(t, n, f"{n / listed:.0%}" if listed else "") for t, n in rows("topics", n=TOP_N)],
        "rising": rising, "authors": rows("authors", n=TOP_N), "orgs": rows("orgs", n=TOP_N),
        "teams": rows("teams"), "terms": terms_facts(con, end, period, start),
    }


def _draw(f: dict, out_dir: Path, stem: str, progress) -> dict[str, str]:
    span = f"{f['start']} to {f['end']}"
    images: dict[str, str] = {}

    def chart(name: str, draw, *args, **kwargs) -> None:
        progress(f"chart: {name}")
        draw(*args, out_dir / f"{stem}-{name}.svg", **kwargs)
        images[name] = f"{stem}-{name}.svg"

    chart("topics", charts.topic_lines, f["weeks"], f["series"],
          f"Listed papers per {f['period']}, top {len(f['series'])} topics", grain=f["period"])
    if f["rising"]:
        scores = [r[4] for r in f["rising"]]
        use_z = any(z is not None for z in scores)
        chart("rising", charts.hbars, [r[0] for r in f["rising"]],
              [float(z or 0) for z in scores] if use_z else [r[1] for r in f["rising"]],
              f"Rising topics, week of {f['rising'][0][6]} (orange: rising)",
              "z score of the week's share against the trailing share" if use_z else "papers this week",
              highlight=[bool(r[5]) for r in f["rising"]],
              notes=[f"{z if z is not None else '-'}  (n={r[1]})" for r, z in zip(f["rising"], scores)])
    # (an author key is the Hugging Face handle, else 'name:' + the normalized name)
    chart("authors", charts.hbars, [charts.label(r[0], r[3].removeprefix("name:")) for r in f["authors"]],
          [r[1] for r in f["authors"]],
          f"Top authors, {span}", "papers listed in the period")
    chart("organizations", charts.hbars, [charts.label(r[0], r[3]) for r in f["orgs"]],
          [r[1] for r in f["orgs"]],
          f"Top organizations, {span}", "papers listed in the period")
    chart("team-sizes", charts.columns, [t for t, _ in f["teams"]], [n for _, n in f["teams"]],
          f"Team sizes, {span}", "authors per paper")
    return images


RISING_RULE = ("A topic is rising when its share of the week's listed papers is significantly above its "
               "share over the 8 weeks before (two-proportion z >= 2.33, at least 5 papers, 1.5 times "
               "the trailing share); a busy week alone raises no topic.")


def render_markdown(f: dict, images: dict[str, str]) -> str:
    count, first, last, daily, search, failed = f["snapshots"]
    word = "ISO week" if f["period"] == "week" else "month"
    snaps = f"**{count}** snapshot{'' if count == 1 else 's'}" + (
        f", {first} to {last}: {daily} daily lists, {search} search views" if count else "")
    snaps += f", {failed} unreadable" if failed else ""
    prev_start, prev_n = f["previous"]
    out = [f"# papertrends {f['period']} report: {f['start']} to {f['end']}", "",
           f"- Period: the {word} starting {f['start']}, up to {f['end']}.",
           f"- Snapshots covered: {snaps}.",
           f"- Papers listed: **{f['listed']}** (previous {f['period']}, from {prev_start}: {prev_n}).",
           "", "Counts are papers first listed on Hugging Face Daily Papers in the period; "
           "a paper with several topics counts once in each.", ""]

    def section(title: str, image: str | None, table: Table, note: str = "") -> None:
        out.extend([f"## {title}", ""])
        if image:
            out.extend([f"![{title}]({images[image]})", ""])
        if note:
            out.extend([note, ""])
        out.extend(markdown_table(table) if table.rows else ["No data for this period."])
        out.append("")

    monthly = f["period"] == "month"
    weeks = [w.strftime("%Y-%m" if monthly else "%m-%d") for w in f["weeks"]]
    section("Topics over time", "topics", Table(["topic", *weeks],
            [[t, *counts] for t, counts in f["series"].items()]),
            f"Listed papers per month; the last month runs to {f['end']}." if monthly else
            f"Listed papers per ISO week (column: the week's Monday); the last week runs to {f['end']}.")
    section(f"Top topics of the {f['period']}", None,
            Table(["topic", "papers", "share of listed"], [list(r) for r in f["topics"]]))
    if f["rising"] is None:
        out.extend(["## Rising topics", "", "No rising-topic data (marts.rising_topics is not in "
                    "the warehouse).", ""])
    else:
        week = f["rising"][0][6] if f["rising"] else "-"
        section(f"Rising topics (week of {week})", "rising" if f["rising"] else None,
                Table(["topic", "papers this week", "share", "trailing share", "z", "rising"],
                      [[r[0], r[1], r[2], r[3], r[4], "yes" if r[5] else "no"] for r in f["rising"]]),
                RISING_RULE)
    terms_sections(f["terms"], section, Table)
    section("Top authors", "authors", Table(["author", "papers", "all time"],
            [list(r[:3]) for r in f["authors"]]), "Ties are broken by name.")
    section("Top organizations", "organizations", Table(["organization", "papers", "all time"],
            [list(r[:3]) for r in f["orgs"]]), "Papers with a Hugging Face organization only.")
    section("Team sizes", "team-sizes", Table(["authors per paper", "papers"],
            [list(r) for r in f["teams"]]))
    return "\n".join(out).rstrip() + "\n"


def markdown_table(table: Table) -> list[str]:
    def cell(value) -> str:
        text = "-" if value is None else str(value)
        return text.replace("|", "\\|").replace("\n", " ")

    def is_number(value) -> bool:
        return value is None or isinstance(value, (int, float)) or bool(
            re.fullmatch(r"-?[\d.]+%", str(value)))

    numeric = [all(is_number(r[i]) for r in table.rows) for i in range(len(table.header))]
    return [f"| {' | '.join(cell(h) for h in table.header)} |",
            "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
            *[f"| {' | '.join(cell(v) for v in row)} |" for row in table.rows]]


def without_images(markdown: str) -> str:
    """The Markdown minus its image lines (for Dagster metadata, where the charts are not served)."""
    return re.sub(r"^!\[[^\]]*\]\([^)]*\)\n\n?", "", markdown, flags=re.M)


def _inline(text: str) -> str:
    text = html.escape(text.replace("\\|", "|"), quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)


def markdown_to_html(markdown: str, title: str) -> str:
    """HTML for the Markdown subset this module writes: headings, paragraphs, '- ' lists,
    pipe tables (with ---: right alignment) and images on a line of their own."""
    body: list[str] = []
    lines = markdown.splitlines() + [""]
    i = 0
    while i < len(lines):
        line = lines[i]
        if heading := re.match(r"(#{1,6}) (.*)", line):
            level = len(heading.group(1))
            body.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif image := re.fullmatch(r"!\[([^\]]*)\]\(([^)]+)\)", line.strip()):
            alt, src = (html.escape(g) for g in image.groups())
            body.append(f'<figure><img src="{src}" alt="{alt}"></figure>')
        elif line.startswith("|"):
            block = []
            while lines[i].startswith("|"):
                block.append([c.strip() for c in re.split(r"(?<!\\)\|", lines[i].strip())[1:-1]])
                i += 1
            right = [c.endswith(":") for c in block[1]]
            head = "".join(f"<th>{_inline(c)}</th>" for c in block[0])
            rows = "".join("<tr>" + "".join(f'<td{" class=num" if r else ""}>{_inline(c)}</td>'
                                            for c, r in zip(row, right)) + "</tr>" for row in block[2:])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            continue
        elif line.startswith("- "):
            items = []
            while lines[i].startswith("- "):
                items.append(f"<li>{_inline(lines[i][2:])}</li>")
                i += 1
            body.append(f"<ul>{''.join(items)}</ul>")
            continue
        elif line.strip():
            para = []
            while lines[i].strip() and not re.match(r"#|\||- |!\[", lines[i]):
                para.append(lines[i].strip())
                i += 1
            body.append(f"<p>{_inline(' '.join(para))}</p>")
            continue
        i += 1
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
             "color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid "
             "#ccc;padding:.25rem .6rem;text-align:left}td.num{text-align:right}th{background:#f3f4f6}"
             "img{max-width:100%}figure{margin:1rem 0}")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def report_command(period: str, database: Path, out_dir: Path) -> int:
    """`papertrends report`: build the report, say where it is; 1 with a message when it cannot."""
    if not is_service(database) and not Path(database).exists():
        print(f"papertrends: {missing_words(Path(database))}", file=sys.stderr)
        return 1
    print(f"Building the {period} report from {database}", file=sys.stderr)
    try:
        md_path = build_report(database, out_dir, period,
                               progress=lambda step: print(f"  ... {step}", file=sys.stderr, flush=True))
    except ReportError as exc:
        print(f"papertrends: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if explain(exc, "papertrends report") is not None and exc.errno != errno.ENOTDIR:
            raise   # a full disk, a read-only or forbidden folder: the command says it in words
        # --out naming a file, or a folder under one or under no folder: said here, for --out
        where = exc.filename or out_dir
        print(f"papertrends: cannot write the report into {out_dir}: {exc.strerror or exc} ({where}); "
              "give --out a folder that can be created and written", file=sys.stderr)
        return 1
    html_path = md_path.with_suffix(".html")
    print(md_path)
    print(html_path)
    for chart in sorted(out_dir.glob(f"{md_path.stem}-*.svg")):
        print(chart)
    print(f"\nNext: open {html_path} in a browser (the charts are the SVG files beside it).",
          file=sys.stderr)
    return 0

"""reports/feed.xml: an Atom feed (RFC 4287) of the Daily Papers as the warehouse sees them.

One entry per listing day (the day's most upvoted papers, with links) for the latest DAYS
listing days, and one per ISO week for the latest WEEKS weeks (its rising topics and terms and
its most upvoted papers). Everything comes from the published copy of the warehouse (the marts
compute it; this module only writes XML, with the standard library's ElementTree).

Entry ids are tag URIs (RFC 4151) made of the day or the week alone, so a feed reader shows each
entry once however often the feed is rewritten; `updated` is the end of the day or week, so an
entry keeps it too (a week's is its latest listing day, so a week in progress is updated as
it fills), and the feed's is its newest entry's. The file is written aside and renamed
over the old one, so a reader never sees half a feed.
"""

from __future__ import annotations

import html
import os
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

from orchestration.defs.reporting.report import GET_DAILY_LISTS

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:papertrends.invalid,2023:feed"
PAPER_URL = "https://huggingface.co/papers/{arxiv_id}"
DAY_URL = "https://huggingface.co/papers/date/{day}"
DAYS, WEEKS, TOP = 30, 8, 10


class NothingToFeed(Exception):
    """The warehouse has no listed paper yet."""


def entry_id(kind: str, day: date) -> str:
    return f"tag:papertrends.invalid,2023:{kind}/{day.isoformat()}"


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T23:59:59Z"


def _papers_html(papers: list[tuple]) -> str:
    items = []
    for arxiv_id, title, upvotes in papers:
        label = html.escape(title or arxiv_id or "")
        link = f'<a href="{html.escape(PAPER_URL.format(arxiv_id=arxiv_id))}">{label}</a>' if arxiv_id else label
        items.append(f"<li>{link} ({upvotes or 0} upvotes)</li>")
    return "<ol>" + "".join(items) + "</ol>" if items else "<p>No papers.</p>"


def _read(con) -> tuple[list[dict], list[dict]]:
    days = con.execute("""
        select listed_on, count(*) as n from marts.papers
        where is_listed group by listed_on order by listed_on desc limit $1
    """, [DAYS]).fetchall()
    day_entries = []
    for day, n in days:
        top = con.execute("""
            select arxiv_id, title, upvotes from marts.papers
            where is_listed and listed_on = $1
            order by upvotes desc nulls last, paper_id limit $2
        """, [day, TOP]).fetchall()
        day_entries.append({"day": day, "n": n, "top": top})
    weeks = con.execute("""
        select cast(date_trunc('week', listed_on) as date) as week, count(*), max(listed_on)
        from marts.papers where is_listed group by week order by week desc limit $1
    """, [WEEKS]).fetchall()
    week_entries = []
    for week, n, last_day in weeks:
        topics = [row[0] for row in con.execute(
            "select topic from marts.rising_topics where is_rising and week_start = $1 "
            "order by z_score desc, topic", [week]).fetchall()]
        terms = [row[0] for row in con.execute(
            "select term from marts.rising_terms where is_rising and week_start = $1 "
            "order by z_score desc, term limit 15", [week]).fetchall()]
        top = con.execute("""
            select arxiv_id, title, upvotes from marts.papers
            where is_listed and listed_on between $1 and $2
            order by upvotes desc nulls last, paper_id limit $3
        """, [week, week + timedelta(days=6), TOP]).fetchall()
        week_entries.append({"week": week, "n": n, "last_day": last_day, "topics": topics,
                             "terms": terms, "top": top})
    return day_entries, week_entries


def _entry(feed: ET.Element, id_: str, title: str, updated: str, link: str | None, body: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = id_
    ET.SubElement(entry, f"{{{ATOM}}}title").text = title
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated
    if link:
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
    ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = body


def feed_xml(day_entries: list[dict], week_entries: list[dict]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = FEED_ID
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "papertrends: Hugging Face Daily Papers"
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = (
        "The most upvoted papers of each listing day, and each week's rising topics and terms.")
    newest = max([e["day"] for e in day_entries] + [e["last_day"] for e in week_entries])
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "papertrends"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "papertrends"
    entries = [(e["last_day"], "week", e) for e in week_entries] + [(e["day"], "day", e) for e in day_entries]
    for _, kind, e in sorted(entries, key=lambda item: (item[0], item[1] == "day"), reverse=True):
        if kind == "day":
            _entry(feed, entry_id("day", e["day"]), f"Daily Papers of {e['day']}: {e['n']} papers",
                   _stamp(e["day"]), DAY_URL.format(day=e["day"]),
                   f"<p>The {len(e['top'])} most upvoted of {e['n']} papers listed on {e['day']}.</p>"
                   + _papers_html(e["top"]))
        else:
            topics = html.escape(", ".join(e["topics"]) or "none")
            terms = html.escape(", ".join(e["terms"]) or "none")
            _entry(feed, entry_id("week", e["week"]), f"Week of {e['week']}: {e['n']} papers",
                   _stamp(e["last_day"]), None,
                   f"<p>Rising topics: {topics}.</p><p>Rising terms: {terms}.</p>"
                   f"<p>The {len(e['top'])} most upvoted papers of the week:</p>" + _papers_html(e["top"]))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_feed(database: Path, out_dir: Path) -> Path:
    """Write out_dir/feed.xml from the published warehouse at `database`; its path."""
    from orchestration.storage.publish import connect_published

    con = connect_published(database)
    try:
        day_entries, week_entries = _read(con)
    finally:
        con.close()
    if not day_entries:
        raise NothingToFeed(f"no listed papers in {database}; {GET_DAILY_LISTS}")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "feed.xml"
    aside = out_dir / ".feed.xml.tmp"
    aside.write_bytes(feed_xml(day_entries, week_entries))
    os.replace(aside, path)
    return path

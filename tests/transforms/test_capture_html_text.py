"""HTML that is not the site's markup (a document editor's copy of the page, an e-mail's HTML):
read as the text it shows (transforms/capture_html_text.py), with the same checks as any text.

Real API days (../shared/data/hf_api_daily) are rendered as a page capture
(tests/capture_render.py) and then as such HTML, every line a paragraph; the expected values
come from the JSON."""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path

import pytest

from tests.capture_render import fold, render_capture
from tests.shared_data import api_day_files
from transforms.capture_formats import parse_any_capture
from transforms.capture_html import page_tree
from transforms.capture_html_text import html_as_markdown
from transforms.errors import SnapshotError

DAYS = api_day_files()


def document_html(items: list[dict], day: date, title_tag: str, redirect: bool) -> str:
    """The page pasted into a document editor and exported as HTML: each line of the page's text
    (tests/capture_render.py) a paragraph of spans, a title a link (through Google's redirect, as
    Google Docs writes links, when `redirect`). With titles as headings the page was pasted as
    HTML: the vote button shows its count, an organization's avatar is an image, no text."""
    titles = {fold(item["paper"]["title"]): item["paper"]["id"] for item in items}
    shown_as = {f"{org['name']} {org['fullname']}": org["fullname"]
                for item in items if (org := item["paper"].get("organization"))} if title_tag != "p" else {}
    body = []
    for line in render_capture(items, day, "upvotes").split("\n"):
        line = shown_as.get(line, line).strip()
        line = line.removeprefix("[-] ") if title_tag != "p" else line
        shown = html.escape(line)
        if line in titles:
            url = f"https://huggingface.co/papers/{titles[line]}"
            if redirect:
                url = f"https://www.google.com/url?q={url}&amp;sa=D&amp;source=editors&amp;usg=AOvVaw0"
            body.append(f'<{title_tag} class="c7"><span class="c6"><a class="c5" href="{url}">{shown}</a></span>'
                        f"</{title_tag}>")
        else:
            body.append(f'<p class="c3"><span class="c1">{shown}</span></p>')
    return ('<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type">'
            '<style type="text/css">.c1{color:#000000}</style></head><body class="doc-content">'
            + "".join(body) + "</body></html>")


def expected(item: dict) -> dict:
    paper, org = item["paper"], item["paper"].get("organization")
    return {"title": fold(paper["title"]), "arxiv_id": paper["id"], "upvotes": paper["upvotes"],
            "comments": item["numComments"], "n_authors": None if org else len(paper["authors"]),
            "organization_name": org["fullname"].strip() if org else None,
            "published_on": date.fromisoformat(paper["publishedAt"][:10])}


@pytest.mark.needs_shared_data
@pytest.mark.parametrize(("title_tag", "redirect"), [("h3", True), ("p", False), ("p", True)])
@pytest.mark.parametrize("day_file", DAYS, ids=lambda p: p.stem)
def test_a_document_editors_html_of_a_real_day_reads_as_the_day(day_file: Path, title_tag: str, redirect: bool):
    items = json.loads(day_file.read_text(encoding="utf-8"))
    day = date.fromisoformat(day_file.stem)
    page = document_html(items, day, title_tag, redirect)
    result = parse_any_capture(page, day)
    assert [{k: entry[k] for k in expected(item)} for entry, item in zip(result.entries, items)] == [
        expected(item) for item in items]
    assert len(result.entries) == len(items)
    assert any("read as the text it shows" in problem for problem in result.problems)


def test_the_text_keeps_blocks_apart_links_and_headings_and_drops_what_is_not_shown():
    page = ('<html><head><title>Daily Papers</title><style>p{x:1}</style></head><body>'
            '<div><h3><a href="/papers/2511.00001">A Made-Up <b>Bold</b> Title</a></h3>'
            '<p>First line<br>second   line</p><script>var x = "<p>no</p>";</script>'
            '<a href="/u"><img src="a.png"></a><ul><li>one</li><li>two</li></ul></div></body></html>')
    assert html_as_markdown(page_tree(page)) == (
        "### [A Made-Up Bold Title](https://huggingface.co/papers/2511.00001)\n\nFirst line\nsecond line\n\n"
        "one\n\ntwo\n")


def test_html_nested_deeper_than_the_recursion_limit_is_written_out():
    page = "<body>" + "<span>" * 5000 + "deep" + "</span>" * 5000 + "</body>"
    assert html_as_markdown(page_tree(page)) == "deep\n"


@pytest.mark.parametrize("page", [
    # a blog post about papers: links and dates, but no paper's card
    "<html><body><h1>Our reading list</h1><p>We read <a href='https://huggingface.co/papers/2511.00001'>"
    "a paper</a> on Nov 5 · and liked it.</p><p>More next week.</p></body></html>",
    # a recipe page
    "<html><body><h2>Lemon cake</h2><p>Mix 200 g of flour with 3 eggs.</p><p>Bake for 40 minutes.</p>"
    "</body></html>",
])
def test_html_that_shows_no_listing_is_refused_with_what_to_check(page):
    with pytest.raises(SnapshotError, match="no paper cards in this HTML page, and the text it shows is no day's"):
        parse_any_capture(page, date(2025, 11, 11))


ABSTRACT = ("We study how a made-up method behaves on made-up tasks, and find that it helps in most settings "
            "we try while costing little. We release the code and data for others to build on.")


def cards(first: int, day: str) -> str:
    """Three made-up cards as a document editor's paragraphs, each dated `day`."""
    return "".join(f'<p>{40 - n}</p><p><a href="https://huggingface.co/papers/2511.0{first + n:04d}">A Made-Up '
                   f"Study Number {first + n}</a></p><p>{ABSTRACT}</p><p>3 authors</p><p>·</p><p>{day}</p><p>2</p>"
                   for n in range(3))


def test_html_read_as_text_must_show_the_pages_header_with_its_day():
    day = date(2025, 11, 5)
    listing = "<html><body><h1>Daily Papers</h1><p>Nov 5</p>" + cards(1, "Nov 4") + "</body></html>"
    assert len(parse_any_capture(listing, day).entries) == 3
    for other in ["<h1>Reading list</h1><p>Nov 5</p>", "<h1>Trending Papers</h1>", ""]:
        with pytest.raises(SnapshotError, match="the text it shows is no day's papers page"):
            parse_any_capture(listing.replace("<h1>Daily Papers</h1><p>Nov 5</p>", other), day)
    # a paper's own page: its title, abstract, upvotes and comments, no day's header
    # (its link to the day's list is no address of its own)
    paper = (f"<html><body><p><a href='https://huggingface.co/papers/date/2025-11-05'>Daily Papers</a></p>"
             f"<h1>A Made-Up Study</h1><p>Published on Nov 3</p><p>{ABSTRACT}</p><p>Upvote</p>"
             "<p>42</p><h2>Community</h2><p>Great paper!</p><p>3 authors</p><p>·</p><p>Nov 3</p></body></html>")
    with pytest.raises(SnapshotError, match="the text it shows is no day's papers page"):
        parse_any_capture(paper, day)


def test_html_read_as_text_with_headings_of_several_days_is_a_digest_not_a_days_list():
    digest = ("<html><body><h1>Daily Papers</h1><h2>Nov 4</h2>" + cards(1, "Nov 3") + "<h2>Nov 5</h2>"
              + cards(4, "Nov 4") + "<h2>Nov 6</h2>" + cards(7, "Nov 5") + "</body></html>")
    with pytest.raises(SnapshotError, match=r"headings of 3 days \(Nov 4, Nov 5, Nov 6\): a digest of several days"):
        parse_any_capture(digest, date(2025, 11, 4))


def test_the_sites_weekly_view_pasted_into_a_document_is_no_days_list():
    from transforms.snapshot_reader import read_snapshot

    weekly = ("<html><body><h1>Daily Papers</h1><p>by AK and the research community</p><p>Week 45, 2025</p>"
              + cards(1, "Nov 3") + "</body></html>")
    snap = read_snapshot(weekly.encode(), date(2025, 11, 7), "2025-11-07_week.html")
    assert snap.listing_kind == "search" and any("weekly view (week 45)" in p for p in snap.problems)

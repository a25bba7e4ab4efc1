"""A saved page as other tools keep it (docs/capture-formats.md, "Saved HTML"): a mirror's local
links, an XML declaration first, Windows' clipboard header, a terminal's escape codes, two pages
in one file. The papers here are made up (tests/conftest.api_item)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.capture_render_tools import render_html
from tests.conftest import api_item
from transforms.capture_formats import parse_any_capture
from transforms.errors import SnapshotError

DAY = date(2025, 11, 6)
TITLES = ["Made-Up Widgets for Cafe Robots", "Halving Memory in Made-Up Agents", "A Third Made-Up Study"]


def items(day: date = DAY, titles: list[str] = TITLES) -> list[dict]:
    return [dict(api_item(f"2511.0{day.day:02d}0{n}", title, "2025-11-05", upvotes=40 - n), numComments=n)
            for n, title in enumerate(titles, 1)]


def page(day: date = DAY, embed: bool = False) -> str:
    return render_html(items(day), day, embed=embed)


def read(text: str, day: date = DAY) -> list[tuple]:
    return [(e["arxiv_id"], e["title"], e["upvotes"], e["comments"]) for e in parse_any_capture(text, day).entries]


EXPECTED = [(f"2511.0060{n}", title, 40 - n, n) for n, title in enumerate(TITLES, 1)]


def test_the_made_up_page_reads_as_written():
    assert read(page()) == EXPECTED


@pytest.mark.parametrize("local", ["../{id}.html", "{id}.html", "../{id}", "../../{id}.html", "./{id}.htm"])
def test_a_mirror_whose_links_lead_to_its_local_copies_reads_every_card(local):
    # wget -m -k rewrites each link to a page it also saved: "/papers/ID" becomes "../ID.html",
    # an organization's "/acme" "../acme.html"
    with_org = [dict(item, paper=dict(item["paper"], organization={"name": "acme-labs", "fullname": "Acme Labs"}))
                if n == 0 else item for n, item in enumerate(items())]
    mirrored = re.sub(r'href="/(papers/)?([\w.-]+)',
                      lambda m: 'href="' + local.format(id=m[2]) if m[1] or m[2] == "acme-labs" else m[0],
                      render_html(with_org, DAY, embed=False))
    assert "/papers/" not in mirrored.split("<main>")[1] and 'href="/acme-labs"' not in mirrored
    entries = parse_any_capture(mirrored, DAY).entries
    assert [(e["arxiv_id"], e["title"], e["upvotes"], e["comments"]) for e in entries] == EXPECTED
    assert [(e["organization"], e["organization_name"]) for e in entries][:2] == [("acme-labs", "Acme Labs"),
                                                                                 (None, None)]


@pytest.mark.parametrize("declaration", [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'])
def test_xhtml_with_an_xml_declaration_first_reads_as_the_page(declaration):
    xhtml = declaration + page().removeprefix("<!DOCTYPE html>").replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">')
    assert read(xhtml) == EXPECTED


def test_windows_clipboard_html_reads_as_the_page_it_holds():
    html = page()
    header = ("Version:0.9\r\nStartHTML:0000000105\r\nEndHTML:{end:010d}\r\nStartFragment:0000000141\r\n"
              "EndFragment:{end:010d}\r\n")
    assert read(header.format(end=len(html) + 105) + html) == EXPECTED


def test_a_terminals_escape_codes_are_no_part_of_the_text():
    from tests.made_up_cards import EXPECTED as CARDS
    from tests.made_up_cards import read as read_cards
    from tests.made_up_cards import select_all

    copy = select_all(wrap=None)
    coloured = copy
    for _, title, *_ in CARDS:   # bold titles, an OSC 8 hyperlink on each, colours on the counts
        coloured = coloured.replace(title, f"\x1b]8;id=1;https://huggingface.co/papers/x\x1b\\\x1b[1m{title}"
                                           "\x1b[0m\x1b]8;;\x1b\\")
    coloured = re.sub(r"(?m)^(\d+)$", "\x1b[38;5;208m\\1\x1b[0m", coloured)
    assert "\x1b[" in coloured and read_cards(coloured) == read_cards(copy) == CARDS


@pytest.mark.parametrize("embed", [False, True], ids=["cards", "embedded listing"])
def test_two_days_pages_saved_in_one_file_are_refused(embed):
    # cat A.html B.html, or a log that curl appends each day's page to: the second day's papers
    # would be counted as listed on the first
    two = page(DAY, embed) + "\n" + page(DAY + timedelta(days=1), embed)
    with pytest.raises(SnapshotError, match="the file holds 2 pages, of Nov 6, Nov 7: save each day's page"):
        parse_any_capture(two, DAY)


def test_one_page_saved_twice_reads_as_the_page():
    assert [row[:2] for row in read(page() + "\n<!-- saved again -->\n" + page())][:3] == [row[:2] for row in EXPECTED]


def test_a_paste_sites_preformatted_copy_reads_as_the_copy():
    from tests.made_up_cards import EXPECTED as CARDS
    from tests.made_up_cards import read as read_cards
    from tests.made_up_cards import select_all

    escaped = select_all(wrap=None).replace("&", "&amp;").replace("<", "&lt;")
    pasted = (f"<!DOCTYPE html><html><head><title>Paste</title></head><body><div class='header'>Raw</div>"
              f"<pre class='paste'>{escaped}</pre></body></html>")
    assert read_cards(pasted) == CARDS


def test_markdowns_escaped_line_breaks_kept_in_a_title_are_spaces():
    # a terminal's Markdown viewer joins a title's wrapped lines and keeps the "\" that broke them
    from tests.made_up_cards import EXPECTED as CARDS
    from tests.made_up_cards import read as read_cards
    from tests.made_up_cards import select_all

    copy = select_all(wrap=None)
    for _, title, *_ in CARDS:
        copy = copy.replace(title, title.replace(" ", "\\ ", 2))
    assert "Halving\\ Memory\\ in" in copy and read_cards(copy) == CARDS


def test_a_page_followed_by_comments_and_an_undated_page_saved_twice_read_as_the_page():
    cached = page() + "\n<!-- cached -->" * 40 + "\n<!-- unclosed"
    assert read(cached) == EXPECTED
    undated = re.sub(r'<link rel="canonical"[^>]*>|<meta property="og:url"[^>]*>', "", page())
    assert read(undated + "\n" + undated)[:3] == EXPECTED


def test_a_terminals_character_set_reset_and_an_unclosed_code_take_no_text():
    from tests.made_up_cards import EXPECTED as CARDS
    from tests.made_up_cards import read as read_cards
    from tests.made_up_cards import select_all

    copy = select_all(wrap=None)
    reset = copy
    for _, title, *_ in CARDS:   # tput sgr0 on xterm: "ESC(B" then "ESC[m"
        reset = reset.replace(title, f"\x1b[1m{title}\x1b(B\x1b[m")
    assert read_cards(reset) == CARDS
    # an OSC sequence left open ends at its line's end: the next lines stay
    assert read_cards(copy.replace("\n\n" + CARDS[1][1], "\x1b]8;;\n\n" + CARDS[1][1])) == CARDS


def test_a_mirrors_local_link_that_is_no_chip_is_no_organization():
    mirrored = page().replace('<h3>', '<a href="index.html">Index</a><a href="../2025-11-05.html">Nov 5</a><h3>', 1)
    assert [e["organization"] for e in parse_any_capture(mirrored, DAY).entries] == [None, None, None]

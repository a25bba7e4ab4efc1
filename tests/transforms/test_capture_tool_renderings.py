"""Captures as other tools render the page (docs/capture-formats.md): what they add around the
cards (link labels, zero-width characters, a first line that opens with "[") changes no paper,
invents none and loses none. The papers here are made up."""

from __future__ import annotations

import csv
import io
import textwrap
from datetime import date

import pytest

from transforms.capture_formats import parse_any_capture
from transforms.snapshot_files import source_kind_of

DAY = date(2025, 11, 11)
ABSTRACT = ("We study how a made-up method behaves on made-up tasks, and find that it helps in "
            "most settings we try while costing little. The analysis explains when it fails, "
            "and we release the code and data for others to build on.")
PAPERS = [  # upvotes, title, who, date line
    ("95", "Halving Memory in Made-Up Agents", "Acme Acme Labs", "Nov 5 3"),
    ("80", "Rethinking Long Horizons via State Rebuilding", "  • 16 authors", "Nov 10 11"),
    ("53", "Curating Data for Verifiable Rewards", "  • 4 authors", "Nov 9"),
]
HEADER = "Daily Papers\nbyAK and the research community\n\nNov 11\n\n"


def plain(papers=PAPERS, after_date: str = "", dot: str = "·", url: bool = False) -> str:
    """A section-1 page capture of `papers`, each card followed by `after_date` when given."""
    cards = []
    for n, (up, title, who, when) in enumerate(papers):
        link = f"https://huggingface.co/papers/2511.0{n:04d}\n" if url else ""
        cards.append(f"{up}\n{title}\n{link}\n{ABSTRACT}\n\n{who}\n{dot}\n{when}\n"
                     + (f"\n{after_date}\n" if after_date else ""))
    return HEADER + "\n".join(cards)


def read(text: str) -> list[tuple]:
    return [(e["upvotes"], e["title"], e["comments"], e["n_authors"], e["organization_name"])
            for e in parse_any_capture(text, DAY).entries]


EXPECTED = [(95, "Halving Memory in Made-Up Agents", 3, None, "Acme Labs"),
            (80, "Rethinking Long Horizons via State Rebuilding", 11, 16, None),
            (53, "Curating Data for Verifiable Rewards", 0, 4, None)]


def test_the_made_up_capture_reads_as_written():
    assert read(plain()) == EXPECTED


@pytest.mark.parametrize("labels", ["GitHub 145 arXiv Page", "arXiv Page", "Project Page GitHub 1.2k"])
def test_link_labels_between_cards_are_no_papers(labels):
    assert read(plain(after_date=labels)) == EXPECTED


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u200b\u200d",
                                       "\u200e", "\u200f", "\u202b", "\u202c", "\u2067"])   # (direction marks too)
def test_zero_width_characters_around_the_dot_change_nothing(invisible):
    assert read(plain(dot=f"{invisible}·{invisible}")) == EXPECTED


@pytest.mark.parametrize("mark", ["\u200e", "\u200f"])
def test_direction_marks_before_a_who_or_a_date_change_nothing(mark):
    text = plain().replace("  • 16 authors", f"  • {mark}16 authors").replace("Nov 9", f"{mark}Nov 9{mark}")
    assert read(text.replace("Acme Acme Labs", f"{mark}Acme Acme Labs")) == EXPECTED


def test_soft_hyphens_inside_words_are_no_part_of_them():
    # a word processor's hyphenation points ("Rethin\xadking"), shown only where a line breaks
    text = plain()
    for _, title, _, _ in PAPERS:
        text = text.replace(title, title.replace("i", "\u00adi"))
    assert read(text) == EXPECTED


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\v"])
def test_line_separators_break_lines(separator):
    # a word processor's manual line break saved as text: Unicode's separators, or a vertical tab
    text = plain()
    header, cards = text.split("Nov 11\n\n", 1)
    assert read(header + "Nov 11\n\n" + cards.replace("\n·\n", f"{separator}·{separator}")) == EXPECTED


@pytest.mark.parametrize("width", [60, 80, 120])
def test_an_abstract_hard_wrapped_right_under_its_title_is_one_abstract(width):
    """No blank line between the title and an abstract wrapped at a fixed width: the wrapped
    lines are one abstract, not one paper each."""
    text = plain().replace(f"\n\n{ABSTRACT}", "\n" + textwrap.fill(ABSTRACT, width))
    assert f"\n{PAPERS[0][1]}\nWe study" in text
    entries = parse_any_capture(text, DAY).entries
    assert read(text) == EXPECTED
    assert [e["abstract"] for e in entries] == [ABSTRACT] * 3


def test_the_dot_at_the_start_of_the_date_line_reads_as_its_own_line():
    """"16 authors" / "· Nov 10 11": how HTML-to-text tools write a card whose who is a list item."""
    text = plain().replace("\n·\n", "\n· ")
    assert "\n· Nov 10 11\n" in text
    assert read(text) == EXPECTED


def test_a_title_ending_in_a_full_stop_stays_a_title():
    """"... et al." ends with a full stop, as an abstract does; before an abstract it is a title."""
    papers = [PAPERS[0], ("6", "Object-Centric Scenes by Diffusion et al.", "  • 5 authors", "Nov 9"), PAPERS[2]]
    assert [row[:2] for row in read(plain(papers))] == [
        (95, PAPERS[0][1]), (6, "Object-Centric Scenes by Diffusion et al."), (53, PAPERS[2][1])]


def test_a_one_word_title_before_its_paper_link_is_no_upvote_count():
    """A capture without upvotes, each title followed by its paper's URL: a short title
    ("TextWorld") is where an unreadable upvote count could stand, but a URL line follows it."""
    papers = [("", "TextWorld", "  • 3 authors", "Nov 9"), ("", "Another Made-Up Benchmark", "Acme Acme Labs", "Nov 9")]
    text = plain(papers, url=True).replace("\n\n\n", "\n\n")
    entries = parse_any_capture(text, DAY).entries
    assert [(e["title"], e["arxiv_id"], e["invalid"]) for e in entries] == [
        ("TextWorld", "2511.00000", []), ("Another Made-Up Benchmark", "2511.00001", [])]


@pytest.mark.parametrize("start", [
    "   [1]Hugging Face\n",                                    # lynx -dump
    "[Hugging Face](https://huggingface.co/)\n",               # a Markdown export without front matter
    " [-] 57\n",                                               # a capture opening with an upvote box
    "[[https://huggingface.co/][Hugging Face]]\n",             # pandoc's Org-mode
    "[[file:logo.svg]]\n",                                     # Org-mode's image link
])
def test_a_capture_that_opens_with_a_bracket_is_a_capture(start):
    assert source_kind_of((start + plain()).encode(), "page.txt") == "capture"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_capture_saved_under_a_json_name_is_a_capture(encoding):
    # before: read as JSON, and failed "not valid JSON ... re-fetch the day"
    assert source_kind_of(plain().encode(encoding), "2025-11-03_page.json") == "capture"
    assert source_kind_of(b"<html><body>Daily Papers</body></html>", "page.json") == "capture"
    # a .json that is neither: read as JSON, which says why it is none
    assert source_kind_of(b"Internal Server Error", "2025-11-03.json") == "api"
    assert source_kind_of(b"", "2025-11-03.json") == "api"


@pytest.mark.parametrize("body", [b'[{"paper": {}}]', b"[]", b'\n [\n  {"paper"', b'{"papers": []}',
                                  b"[[[[", "[{}]".encode("utf-16")])
def test_json_is_json_by_its_content(body):
    assert source_kind_of(body, "listing.txt") == "api"


def markdown(card_tail: str, who: str, blank: str = "\n") -> str:
    """A Markdown export of one made-up card: `who` after the abstract (a blank line between
    unless `blank` is ""), then "·" and the date line(s) `card_tail`."""
    return (f"# Daily Papers\n\nNov 11\n\n[95](https://huggingface.co/login?next=%2Fpapers%2F2511.00001)\n"
            f"### [Halving Memory in Made-Up Agents](https://huggingface.co/papers/2511.00001)\n\n"
            f"[{ABSTRACT}](https://huggingface.co/papers/2511.00001)\n{blank}{who}\n·\n{card_tail}\n")


AVATARS = "* ![](https://huggingface.co/avatars/a1b2.svg)\n* ![](https://huggingface.co/avatars/c3d4.svg)\n* 16 authors"
AUTHORS_LINK = "[- ![](https://huggingface.co/avatars/a.svg)\\\\ - 9 authors](https://huggingface.co/papers/2511.00001)"


@pytest.mark.parametrize("who, authors", [(AVATARS, 16), (AUTHORS_LINK, 9)])
@pytest.mark.parametrize("blank", ["\n", ""])
def test_markdown_author_avatars_are_no_organization(who, authors, blank):
    """Avatar images link to huggingface.co/avatars/...: no organization; the author count is
    read with or without a blank line after the abstract."""
    (entry,) = parse_any_capture(markdown("Nov 10[11](https://huggingface.co/papers/2511.00001#community)",
                                          who, blank), DAY).entries
    assert (entry["organization"], entry["n_authors"], entry["comments"]) == (None, authors, 11)
    assert entry["abstract"] == ABSTRACT


def test_markdown_comment_count_wrapped_onto_the_next_line_is_read():
    (entry,) = parse_any_capture(markdown("Nov 10\n[3](https://huggingface.co/papers/2511.00001#community)",
                                          AUTHORS_LINK), DAY).entries
    assert (entry["comments"], entry["n_authors"], entry["published_on"]) == (3, 9, date(2025, 11, 10))


def text_browser_dump(style: str) -> str:
    """A made-up day as `lynx -dump` (links "[N]label", indented text, "N. url" references) or
    `w3m -dump` with link numbers (flush left, "[N] url" references) writes it. The date
    picker's "Previous" links to the day before: not the page's own address."""
    refs: list[str] = []

    def ref(url: str) -> str:
        refs.append(url)
        return f"[{len(refs)}]"

    pad = "   " if style == "lynx" else ""
    out = [f"{pad}{ref('https://huggingface.co/')}Hugging Face", f"{pad}Daily Papers", "",
           f"{pad}{ref('https://huggingface.co/papers/date/2025-11-10')}Previous Nov 11", ""]
    cards = [("95", "2511.00001", "Halving Memory in Made-Up Agents", ("acme", "Acme Labs"), "Nov 5", "3"),
             ("80", "2511.00002", "Rethinking Long Horizons via State Rebuilding and a Title Long Enough to "
              "Wrap", 16, "Nov 10", "11")]
    for up, arxiv_id, title, who, when, comments in cards:
        page = f"https://huggingface.co/papers/{arxiv_id}"
        head, _, wrapped = title.partition(" and a Title")
        out += [f"{pad}(BUTTON)" if style == "lynx" else f"{ref(page)}[2511]", f"{pad}{up}", "",
                f"{ref(page)}{head}" + ("\nand a Title" + wrapped if wrapped else ""), ""]
        cut = ABSTRACT.index(" ", 100)   # hard-wrapped
        out += [f"{pad}{line}" for line in (ABSTRACT[:cut], ABSTRACT[cut + 1:])]
        count = f"{ref(page + '#community')}{comments}"
        if isinstance(who, tuple):
            alt = who[0] + (" " if style == "lynx" else "")
            out.append(f"{pad}{ref('https://huggingface.co/' + who[0])}{alt}{who[1]} · {when} {count}")
        else:
            out += [f"{pad}  • [x]", f"{pad}  • {who} authors", "", f"{pad}· {when} {count}"]
        github, arxiv = ref("https://github.com/acme/x"), ref(f"https://arxiv.org/abs/{arxiv_id}")
        out += [f"{pad}{github}GitHub 145 {arxiv}arXiv Page", ""]
    if style == "lynx":
        out += ["References", ""] + [f"{n:4d}. {url}" for n, url in enumerate(refs, start=1)]
    else:
        out += ["References:", ""] + [f"[{n}] {url}" for n, url in enumerate(refs, start=1)]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("style", ["lynx", "w3m"])
def test_text_browser_dumps_read_every_card(style):
    text = text_browser_dump(style)
    assert source_kind_of(text.encode(), "page.txt") == "capture"
    entries = [e for e in parse_any_capture(text, DAY).entries if not e["invalid"]]
    assert [(e["arxiv_id"], e["title"], e["comments"], e["n_authors"], e["organization"], e["organization_name"])
            for e in entries] == [
        ("2511.00001", "Halving Memory in Made-Up Agents", 3, None, "acme", "Acme Labs"),
        ("2511.00002", "Rethinking Long Horizons via State Rebuilding and a Title Long Enough to Wrap", 11, 16,
         None, None)]
    assert [e["abstract"] for e in entries] == [ABSTRACT] * 2
    if style == "lynx":
        assert [e["upvotes"] for e in entries] == [95, 80]


@pytest.mark.parametrize("style", ["lynx", "w3m"])
def test_text_browser_dumps_read_a_chip_without_spaces_around_its_dot(style):
    """The page's "·" is a span of its own, spaced by its style, not by spaces: a dump of it
    reads "[17]acme Acme Labs·Nov 5 [18]3", and the chip is still the organization's."""
    text = text_browser_dump(style)
    assert " · " in text
    entries = [e for e in parse_any_capture(text.replace(" · ", "·"), DAY).entries if not e["invalid"]]
    assert [(e["organization"], e["organization_name"], e["comments"]) for e in entries] == [
        ("acme", "Acme Labs", 3), (None, None, 11)]


def test_markdown_with_links_relative_to_the_page_keeps_the_arxiv_ids():
    """A converter of a saved page keeps its relative links: "/papers/2511.00001"."""
    text = markdown("Nov 10[11](/papers/2511.00001#community)", "[Acme Labs](/acme)").replace(
        "https://huggingface.co/papers/", "/papers/")
    assert "https://huggingface.co/papers/" not in text
    (entry,) = parse_any_capture(text, DAY).entries
    assert (entry["arxiv_id"], entry["comments"], entry["organization"]) == ("2511.00001", 11, "acme")


@pytest.mark.parametrize("props", ['{"dailyPapers": []}', '{"date": "2025-11-16", "papers": []}'])
def test_a_saved_page_listing_no_paper_is_an_empty_listing(props):
    """The page of a day without papers: no entry, and no failure (as an API day answering [])."""
    page = (f"<!doctype html><html><head><title>Daily Papers</title></head><body>"
            f"<div data-target=\"DailyPapers\" data-props='{props}'></div></body></html>")
    assert parse_any_capture(page, date(2025, 11, 16)).entries == []


def _page_whose_props_differ(shown: list[dict], props: list[dict], day: date) -> str:
    """A saved page showing the cards of `shown` while its embedded listing holds `props` (the
    page changed after it loaded: another day opened in it, more papers shown)."""
    import html
    import json

    from tests.capture_render_tools import render_html

    def escaped(items):
        return html.escape(json.dumps({"date": str(day), "dailyPapers": items}), quote=True)
    return render_html(shown, day).replace(escaped(shown), escaped(props))


@pytest.mark.needs_shared_data
@pytest.mark.parametrize("props", ["fewer", "another-day"])
def test_a_page_whose_cards_are_not_its_embedded_listing_reads_its_cards(props):
    from tests.conftest import api_item
    from transforms.snapshot_reader import read_snapshot

    day = date(2025, 11, 6)
    shown = [api_item(f"2511.0000{n}", f"Made-Up Widget Paper Number {n}", "2025-11-05", upvotes=50 - n)
             for n in range(1, 5)]
    other = [api_item("2511.00009", "A Made-Up Paper of Another Day", "2025-11-04")]
    page = _page_whose_props_differ(shown, shown[:2] if props == "fewer" else other, day)
    snap = read_snapshot(page.encode(), day, "2025-11-06.html")
    rows = snap.observations.select("position", "title", "arxiv_id", "upvotes").rows()
    assert rows == [(n, f"Made-Up Widget Paper Number {n}", f"2511.0000{n}", 50 - n) for n in range(1, 5)]
    assert any("embedded listing" in problem and "the cards are read" in problem for problem in snap.problems)


@pytest.mark.needs_shared_data
def test_an_article_without_a_heading_leaves_the_embedded_listing_whole():
    """An <article> that is no paper's card (an advertisement, a notice) does not make the page
    look changed: the 3 listed papers are read, and nothing else."""
    from tests.conftest import api_item

    day = date(2025, 11, 6)
    items = [api_item(f"2511.0000{n}", f"Made-Up Widget Paper Number {n}", "2025-11-05") for n in range(1, 4)]
    page = _page_whose_props_differ(items, items, day).replace(
        "</body>", "<article><p>Sponsored: a made-up notice</p></article></body>")
    result = parse_any_capture(page, day)
    assert [e["title"] for e in result.entries] == [f"Made-Up Widget Paper Number {n}" for n in range(1, 4)]
    assert result.problems == []


@pytest.mark.needs_shared_data
@pytest.mark.parametrize("bad", [None, {"foo": 1}], ids=["null", "no-paper"])
def test_a_bad_item_of_the_embedded_listing_is_quarantined_and_the_others_read(bad):
    from tests.conftest import api_item
    from transforms.snapshot_reader import read_snapshot
    from transforms.validation import split_valid

    day = date(2025, 11, 6)
    items = [api_item(f"2511.0000{n}", f"Made-Up Widget Paper Number {n}", "2025-11-05") for n in range(1, 4)]
    page = _page_whose_props_differ(items, [*items[:2], bad, items[2]], day)
    snap = read_snapshot(page.encode(), day, "2025-11-06.html")
    valid, quarantined = split_valid(snap.observations)
    assert valid["title"].to_list() == [f"Made-Up Widget Paper Number {n}" for n in range(1, 4)]
    assert quarantined["position"].to_list() == [3]


@pytest.mark.needs_shared_data
def test_a_page_whose_cards_are_all_in_its_embedded_listing_reads_the_listing():
    from tests.conftest import api_item

    day = date(2025, 11, 6)
    items = [api_item(f"2511.0000{n}", f"Made-Up Widget Paper Number {n}", "2025-11-05") for n in range(1, 4)]
    page = _page_whose_props_differ(items[:2], items, day)   # a card not rendered: the listing holds it
    result = parse_any_capture(page, day)
    assert [e["title"] for e in result.entries] == [f"Made-Up Widget Paper Number {n}" for n in range(1, 4)]
    assert result.problems == []


@pytest.mark.parametrize("mark", [
    lambda n: "- ", lambda n: "* ", lambda n: "  - ", lambda n: f"{n}. ", lambda n: f"{n:>6}\t",
    lambda n: f"{n:>3} | "],
    ids=["outliner dash", "star list", "nested", "numbered list", "cat -n", "editor line numbers"])
def test_a_mark_before_every_line_is_no_part_of_it(mark):
    # an outliner or a list pasted line by line, a file shown with its line numbers
    lines = plain().split("\n")
    marked = "\n".join(mark(n) + line for n, line in enumerate(lines, 1))
    assert read(marked) == EXPECTED


def test_a_captures_own_list_lines_stay():
    # "  • 16 authors" is a list line of the page; a few such lines mark nothing
    assert read(plain().replace("Halving", "- Halving")) == [
        (95, "- Halving Memory in Made-Up Agents", 3, None, "Acme Labs"), *EXPECTED[1:]]


QUOTED = [("95", '"Halving Memory", Quoted, in Made-Up Agents', *PAPERS[0][2:]), *PAPERS[1:]]


@pytest.mark.parametrize("delimiter,quoting", [(",", csv.QUOTE_MINIMAL), (",", csv.QUOTE_ALL),
                                               ("\t", csv.QUOTE_MINIMAL)], ids=["csv", "csv all quoted", "tsv"])
def test_a_page_saved_one_line_a_row_by_a_spreadsheet_reads_as_the_page(delimiter, quoting):
    # pasted into a spreadsheet one line per row, saved as CSV: the cells holding a comma or a
    # quote are quoted, their quotes doubled
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n").writerows(
        [[line] for line in plain(QUOTED).split("\n")])
    assert read(out.getvalue()) == [(95, QUOTED[0][1], 3, None, "Acme Labs"), *EXPECTED[1:]]


def test_titles_in_quotes_with_commas_in_a_capture_keep_their_quotes():
    # two whole-line quoted titles holding commas are no CSV: the abstracts' commas stand unquoted
    titles = ['"Halving Memory, Twice"', '"Rethinking, Again"']
    papers = [(up, title, who, when) for (up, _, who, when), title in zip(PAPERS, titles)] + PAPERS[2:]
    assert [row[1] for row in read(plain(papers))] == [*titles, PAPERS[2][1]]


URL = "https://github.com/madeuplab/madeupmethod/tree/main/a/long/path"
LONG = [("95", "Halving Memory in Made-Up Agents through Careful State Rebuilding and Reward-Guided Tuning",
         *PAPERS[0][2:]),
        ("80", "Probing how made-up models use outside knowledge over inside knowledge for factual queries "
         "about places, people, events and numbers in history",
         *PAPERS[1][2:]), PAPERS[2]]


def test_long_titles_of_a_capture_wrapped_line_by_line_stay_whole():
    # every line of a capture with no blank line under its titles wrapped at 72 columns (a
    # sentence-case title goes on in lower case; the abstract's code link on a line of its own)
    abstract = f"{ABSTRACT} The code is at {URL} accompanied by its data."
    text = plain(LONG).replace(f"\n\n{ABSTRACT}", f"\n{abstract}")
    wrapped = "\n".join("\n".join(textwrap.wrap(line, 72)) if len(line) > 72 else line for line in text.split("\n"))
    assert f"\n{URL}\n" in wrapped   # (and the sentence-case title's second line is as wide as the wrap)
    assert "\nfor factual queries about places, people, events and numbers in history\nWe" in wrapped
    entries = parse_any_capture(wrapped, DAY).entries
    assert [e["title"] for e in entries] == [p[1] for p in LONG]
    assert [e["abstract"] for e in entries] == [abstract] * 3

"""Text that reads like cards but shows nothing of huggingface.co/papers (a blog's archive, an
inbox copied as text) is suspect: its entries stay in raw, no mart counts them. Made-up text."""

from __future__ import annotations

import re
from datetime import date

import pytest

from transforms.snapshot_reader import read_snapshot

DAY = date(2025, 11, 5)
POSTS = [("Why My Tomatoes Failed This Year", "Alice Smith", "Nov 4"),
         ("Notes on a Winter Garden", "Bob Jones", "Oct 28"),
         ("Compost in Small Spaces", "Carol White", "Oct 21")]


def blog_archive(header: str = "Archive", who=lambda name: name) -> bytes:
    cards = [f"{title}\n\nA long season of rain and not enough sun. Here is what we learned about it.\n\n"
             f"{who(name)}\n · \n{when}\n" for title, name, when in POSTS]
    return (f"{header}\n\n" + "\n".join(cards)).encode()


def status(data: bytes) -> tuple[str, int]:
    snap = read_snapshot(data, DAY, "2025-11-05_page.txt")
    return snap.status, snap.entry_count


def test_cards_that_show_nothing_of_the_site_are_suspect_and_kept():
    snap = read_snapshot(blog_archive(), DAY, "2025-11-05_page.txt")
    assert (snap.status, snap.entry_count, snap.observations.height) == ("suspect", 3, 3)
    assert "not recognisably a Daily Papers page" in snap.reason


@pytest.mark.parametrize("data", [
    blog_archive(header="Daily Papers\n\nbyAK and the research community\n\nNov 5"),   # the page's header
    blog_archive(who=lambda name: "7 authors"),                                      # author counts
    blog_archive(header="https://huggingface.co/papers/date/2025-11-05"),            # its address
], ids=["header", "author-counts", "address"])
def test_a_sign_of_the_site_makes_the_same_cards_a_listing(data):
    assert status(data) == ("parsed", 3)


def test_an_unrelated_html_page_fails_without_being_called_a_capture_of_the_site():
    page = (b"<!doctype html><html><head><title>Example</title></head><body><div><h1>Example</h1>"
            b"<p>A page about something else.</p></div></body></html>")
    snap = read_snapshot(page, DAY, "2025-11-05_page.html")
    assert snap.status == "failed"
    assert snap.reason == ("no paper listing found: no paper cards in this HTML page, and the text it shows is "
                           "no day's papers page (no 'Daily Papers' header with its day, no address of a day's "
                           "page); is it a capture of huggingface.co/papers?")


def test_a_capture_of_two_entries_neither_a_card_is_suspect():
    # a select-all copy hard-wrapped without blank lines: nothing tells a title from its
    # abstract (a line of the abstract was taken for one); two entries are too few for the
    # majority rule, but none is a card
    from tests.made_up_cards import DAY as CARDS_DAY
    from tests.made_up_cards import select_all

    text = select_all(wrap=60, blank_lines=False)
    two_cards = text[:text.rindex("(BUTTON) Upvote")]
    snap = read_snapshot(two_cards.encode(), CARDS_DAY, "2025-11-11_page.txt")
    assert (snap.status, snap.entry_count) == ("suspect", 2)
    assert snap.observations["title"].to_list() == [None, None]   # no line of an abstract made a title


GARDEN = ("After a long wet spring we pulled every plant, turned the beds with compost from the heap "
          "behind the shed, and sowed beans, peas and lettuce again in rows a hand apart, watering them "
          "each evening until the first green shoots came up.")
RESEARCH = ("We study how a made-up method behaves on made-up tasks, and find that it helps in most "
            "settings we try while costing little. The analysis explains when it fails, and we release "
            "the code and data for others to build on.")


def listing_of(abstracts: list[str | None], titles: list[str] | None = None) -> bytes:
    """The page's header and card layout, author counts and all, around `abstracts` (None: a
    card without one) under `titles` (by default the posts', numbered)."""
    titles = titles or [f"{POSTS[k % 3][0]} ({k + 1})" for k in range(len(abstracts))]
    cards = [f"{title}\n\n" + (f"{abstract}\n\n" if abstract else "") + f"  • 3 authors\n·\n{POSTS[k % 3][2]}\n"
             for k, (title, abstract) in enumerate(zip(titles, abstracts))]
    return ("Daily Papers\n\nbyAK and the research community\n\nNov 5\n\n" + "\n".join(cards)).encode()


def test_the_site_s_cards_around_text_that_is_no_research_are_suspect_and_kept():
    # a recipe or garden site copied into the page's layout: every sign of the site is there
    snap = read_snapshot(listing_of([GARDEN] * 4), DAY, "2025-11-05_page.txt")
    assert (snap.status, snap.entry_count, snap.observations.height) == ("suspect", 4, 4)
    assert "abstracts do not read as research" in snap.reason


@pytest.mark.parametrize("abstracts", [[RESEARCH] * 4, [GARDEN, RESEARCH, RESEARCH, RESEARCH],
                                       [RESEARCH] * 7 + [GARDEN] * 3, [GARDEN] * 2, [None] * 2],
                         ids=["research", "one-odd-abstract", "a-few-odd-at-the-end", "too-few-to-tell",
                              "no-abstracts"])
def test_abstracts_that_read_as_research_or_too_few_to_tell_make_a_listing(abstracts):
    assert status(listing_of(abstracts)) == ("parsed", len(abstracts))


def test_papers_at_the_top_do_not_make_a_page_of_no_research_a_listing():
    """The abstracts read are spread over the page: three papers at its top do not carry the rest."""
    snap = read_snapshot(listing_of([RESEARCH] * 3 + [GARDEN] * 7), DAY, "2025-11-05_page.txt")
    assert (snap.status, snap.entry_count) == ("suspect", 10)
    assert "abstracts do not read as research" in snap.reason


def test_cards_without_abstracts_are_read_by_four_titles_or_more():
    """A to-do list laid out as the page's cards, author counts and all, has no abstract to
    read: four titles or more tell. Three cannot (three real titles side by side can be product
    names alone), and the same cards under titles of research make a listing."""
    chores = ["Buy milk", "Call the plumber about the sink", "Pick up dry cleaning", "Water the plants"]
    snap = read_snapshot(listing_of([None] * 4, chores), DAY, "2025-11-05_page.txt")
    assert (snap.status, snap.entry_count) == ("suspect", 4)
    assert "titles do not read as research" in snap.reason
    assert status(listing_of([None] * 3, chores[:3])) == ("parsed", 3)
    research = ["Sparse Attention for Made-Up Language Models", "Scaling Test-Time Compute with Verifiers",
                "Benchmarking Widget Agents on Long Tasks", "Quokka-7B"]
    assert status(listing_of([None] * 4, research)) == ("parsed", 4)


def test_a_translated_page_fails_showing_what_its_dots_are_followed_by():
    # the browser translated the page: its dates are no longer English
    from tests.made_up_cards import DAY as CARDS_DAY
    from tests.made_up_cards import select_all

    german = re.sub(r"Nov (\d+)", r"\1. Nov.", select_all(None).replace("Published on", "Veröffentlicht am"))
    assert "· Veröffentlicht am 5. Nov. 3" in german
    snap = read_snapshot(german.encode(), CARDS_DAY, f"{CARDS_DAY}.txt")
    assert snap.status == "failed"
    assert "(here '·' is followed by 'Veröffentlicht am" in snap.reason
    assert "a page the browser translated? show the original page and save it again" in snap.reason


def test_a_page_run_onto_one_line_is_not_called_translated():
    # the cards' "·" followed by English dates, with every line break lost
    from tests.conftest import CAPTURE

    one_line = " ".join(CAPTURE.read_text(encoding="utf-8").split())
    snap = read_snapshot(one_line.encode(), date(2025, 12, 10), "2025-12-10.txt")
    assert snap.status == "failed"
    assert "an English date, but not on lines of its own: did the capture lose its line breaks?" in snap.reason
    assert "translated" not in snap.reason


def test_api_json_of_no_research_is_suspect_and_of_research_parsed():
    """The API's shape around text of another kind: its items' abstracts tell, as a capture's do."""
    import json

    def items(abstract: str) -> bytes:
        return json.dumps([{"paper": {"id": f"2511.0000{k}", "title": f"{POSTS[k % 3][0]} ({k})", "summary": abstract,
                                      "publishedAt": "2025-11-04T00:00:00.000Z", "authors": [{"name": "A B"}]}}
                           for k in range(1, 5)]).encode()

    snap = read_snapshot(items(GARDEN), DAY, "2025-11-05.json")
    assert (snap.status, snap.entry_count) == ("suspect", 4)
    assert snap.reason.startswith("its items' abstracts do not read as research")
    assert read_snapshot(items(RESEARCH), DAY, "2025-11-05.json").status == "parsed"


def test_a_plural_counts_as_the_word_papers_use():
    from transforms.suspect_snapshots import research_share

    assert research_share(["networks", "images"]) == research_share(["network", "image"]) == 1.0
    assert research_share(["onions", "carrots", "networks", "lettuce"]) == 0.25


@pytest.mark.parametrize("tag", ["div", "SPAN class='x'", "nav", "blockquote"])
def test_html_nested_thousands_deep_is_refused_before_it_is_parsed(tag):
    """The HTML parser's time grows with the square of the nesting (100,000 deep: ~15 s a parse,
    twice a file); a papers page nests a few dozen deep."""
    closing = tag.split()[0]
    data = f"<html><body>{f'<{tag}>' * 30_000}x{f'</{closing}>' * 30_000}</body></html>".encode()
    snap = read_snapshot(data, DAY, "2025-11-05.html")
    assert snap.status == "failed"
    assert re.match(r"the HTML nests its elements [\d,]+ deep or more, where a saved papers page nests a few dozen",
                    snap.reason), snap.reason


@pytest.mark.parametrize("date_form", [r"2025-11-\1", r"11/\1/2025", r"\1 Nov"])
def test_dates_written_in_another_form_are_not_called_translated(date_form):
    # a tool or a locale setting wrote the dates otherwise: English all the same
    from tests.made_up_cards import DAY as CARDS_DAY
    from tests.made_up_cards import select_all

    text = re.sub(r"Published on Nov (\d+)", date_form, select_all(None))
    snap = read_snapshot(text.encode(), CARDS_DAY, f"{CARDS_DAY}.txt")
    assert snap.status == "failed"
    assert "a date, but not in the page's form ('Oct 3' after the '·')" in snap.reason
    assert "translated" not in snap.reason


def test_a_translation_that_keeps_the_months_abbreviation_is_called_translated():
    from tests.made_up_cards import DAY as CARDS_DAY
    from tests.made_up_cards import select_all

    text = re.sub(r"Published on Nov (\d+)", r"Diterbitkan pada \1 Nov", select_all(None))
    snap = read_snapshot(text.encode(), CARDS_DAY, f"{CARDS_DAY}.txt")
    assert "a page the browser translated? show the original page and save it again" in snap.reason

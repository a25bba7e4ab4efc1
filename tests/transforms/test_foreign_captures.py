"""Text that reads like cards but shows nothing of huggingface.co/papers (a blog's archive, an
inbox copied as text) is suspect: its entries stay in raw, no mart counts them. Made-up text."""

from __future__ import annotations

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
    assert snap.reason == ("no paper listing found: no paper cards in this HTML page; is it a capture of "
                           "huggingface.co/papers?")


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

"""A card's date and comment count run together ("Oct 1312"), as w3m dumps a page whose date
span and comment link have nothing between them: each reads as the date and count it stands
for, the nearest reading before the snapshot date. The papers here are made up."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from tests.made_up_cards import ABSTRACT, DAY, EXPECTED, PAPERS, read
from transforms.capture_block_lines import unglued_dates
from transforms.capture_formats import parse_any_capture


@pytest.mark.parametrize(("line", "snapshot", "expected"), [
    ("Oct 1312", date(2023, 10, 16), "Oct 13 12"),     # Oct 13 (3 days before), not Oct 1 + 312
    ("Oct 1312", date(2023, 11, 2), "Oct 13 12"),
    ("May 220", date(2023, 5, 23), "May 22 0"),        # a count of 0 is shown, "05" never
    ("May 2305", date(2023, 5, 23), "May 2 305"),      # "05" is no count: the day is 2
    ("Apr 35", date(2024, 4, 4), "Apr 3 5"),           # Apr 35 is no day
    ("Apr 27", date(2024, 4, 4), "Apr 2 7"),           # Apr 27 would be a year before
    ("Nov 29, 20242", date(2025, 1, 27), "Nov 29, 2024 2"),   # a year has four digits
    ("9 authors·Oct 1312", date(2023, 10, 16), "9 authors·Oct 13 12"),
    ("Feb 31", date(2024, 3, 1), "Feb 3 1"),
    ("Feb 300", date(2024, 3, 1), "Feb 300"),          # no reading names a day: left as it is
    ("the Oct 1312 release", date(2023, 10, 16), "the Oct 1312 release"),   # not a date line
    ("   Oct 1312", date(2023, 10, 16), "   Oct 13 12"),                       # the indent stays
    ("Acme Labs·Jan\n72", date(2025, 1, 8), "Acme Labs·Jan 7 2"),     # wrapped after the month
    ("released in\nJan\n72", date(2025, 1, 8), "released in\nJan\n72"),   # no "·": not a date line
    ("5 authors·Jun 10", date(2024, 6, 10), "5 authors·Jun 10"),       # Jun 10, no count: nearest
    # "Jun 60" can only be Jun 6 with 0 comments: the page writes every count, so "Jun 10" has one
    ("5 authors·Jun 10\n7 authors·Jun 60", date(2024, 6, 10), "5 authors·Jun 1 0\n7 authors·Jun 6 0"),
    # the page's header date on its own line is no card's date line: it has no count
    ("Jun 10\n5 authors·Jun 10\n7 authors·Jun 60", date(2024, 6, 10), "Jun 10\n5 authors·Jun 1 0\n7 authors·Jun 6 0"),
])
def test_a_date_run_into_its_count_reads_as_the_nearest_day_before_the_snapshot(line, snapshot, expected):
    assert unglued_dates(line, snapshot) == expected


def w3m_dump(comments_apart: bool = False) -> str:
    """The made-up page as w3m dumps it at 80 columns: each author list's avatar image (no alt
    text) as "• [a]", and the date and comment count run together."""
    out = ["  • Hugging Face", "  • Models", "", "Daily Papers", "", "by AK and the research community", "",
           "Nov 11"]
    for up, title, _, who, when, comments in PAPERS:
        who_text = f"[logo]{who[1]}" if isinstance(who, tuple) else f"  • [a]\n\n{who} authors"
        out += [str(up), "", *textwrap.wrap(title, 80), "", *textwrap.wrap(ABSTRACT, 80), "",
                f"{who_text}·{when}{' ' if comments_apart else ''}{comments}"]
    return "\n".join(out) + "\n"


def test_a_w3m_dump_reads_each_cards_date_and_comment_count():
    text = w3m_dump()
    assert "·Nov 1011\n" in text and "·Nov 90\n" in text
    assert read(text) == EXPECTED
    entries = parse_any_capture(text, DAY).entries
    assert [e["published_on"] for e in entries] == [date(2025, 11, 5), date(2025, 11, 10), date(2025, 11, 9)]
    assert all(e["complete"] for e in entries)


def test_a_date_that_is_no_day_stays_invalid_where_counts_stand_apart():
    """Where a date line shows its count after a space, the text does not run them together:
    "Feb 30" there is a date to quarantine, not Feb 3 with no comments."""
    text = w3m_dump(comments_apart=True).replace("·Nov 9 0", "·Feb 30")
    last = parse_any_capture(text, DAY).entries[-1]
    assert last["published_on"] is None and last["invalid"] == ["date 'Feb 30' is not a calendar day"]


def test_markdown_without_links_reads_dates_run_into_their_counts():
    """html2text --ignore-links writes "4 authors·Nov 90": the date and the comment count that
    was a link's text, nothing between them."""
    cards = []
    for up, title, _, who, when, comments in PAPERS:
        who_text = who[1] if isinstance(who, tuple) else f"{who} authors"
        cards.append(f"{up}\n\n### {title}\n\n{ABSTRACT}\n\n  * ![](https://huggingface.co/avatars/a.svg)\n\n"
                     f"{who_text}·{when}{comments}\n")
    text = "# Daily Papers\n\nby AK and the research community\n\nNov 11\n\n" + "\n".join(cards)
    assert "·Nov 1011\n" in text
    entries = parse_any_capture(text, DAY).entries
    assert [(e["upvotes"], e["title"], e["comments"]) for e in entries] == [(up, t, c) for up, t, c, _, _ in EXPECTED]
    assert [e["published_on"] for e in entries] == [date(2025, 11, 5), date(2025, 11, 10), date(2025, 11, 9)]


def test_where_one_date_cannot_be_a_day_every_date_holds_its_count():
    """html2text --ignore-links: "Nov 22" is Nov 2 with 2 comments, not Nov 22 a year before
    with none, when another date line of the page ("Nov 103") shows that the text runs each
    date into its count. Without such a line, two of the three cards reading alone as a year
    old say the same (one such card among recent ones stays a date: below)."""
    whens = [("Nov 2", 2), ("Nov 10", 3), ("Nov 1", 5)]
    cards = [f"{up}\n\n### {title}\n\n{ABSTRACT}\n\n  * ![](https://huggingface.co/avatars/a.svg)\n\n"
             f"{n} authors·{when}{comments}\n"
             for (up, title, *_), (when, comments), n in zip(PAPERS, whens, (3, 16, 4))]
    text = "# Daily Papers\n\nby AK and the research community\n\nNov 11\n\n" + "\n".join(cards)
    entries = parse_any_capture(text, DAY).entries
    assert [(e["published_on"], e["comments"]) for e in entries] == [
        (date(2025, 11, 2), 2), (date(2025, 11, 10), 3), (date(2025, 11, 1), 5)]
    alone = parse_any_capture(text.replace("·Nov 103\n", "·Nov 10\n"), DAY)
    assert [e["published_on"] for e in alone.entries] == [date(2025, 11, 2), date(2025, 11, 10), date(2025, 11, 1)]


def test_prose_that_ends_a_line_with_a_month_and_a_number_is_not_a_date_line():
    assert unglued_dates("results of the\nchallenge held in May 2024\n", date(2024, 6, 1)) == \
        "results of the\nchallenge held in May 2024\n"


def test_one_date_that_is_no_day_stays_invalid_where_counts_have_lines_of_their_own():
    """A page whose cards show their comment counts on lines of their own (links' dump) runs no
    date into a count: one damaged date line ("Nov 45") is quarantined as no day, not read as
    Nov 4 with 5 comments, and no other card's date or count changes."""
    text = w3m_dump()
    for was, now in (("·Nov 53\n", "·Nov 5\n3\n"), ("·Nov 1011\n", "·Nov 10\n11\n"), ("·Nov 90\n", "·Nov 45\n0\n")):
        assert was in text
        text = text.replace(was, now)
    entries = parse_any_capture(text, DAY).entries
    assert [(e["published_on"], e["comments"]) for e in entries[:2]] == [
        (date(2025, 11, 5), 3), (date(2025, 11, 10), 11)]
    assert entries[2]["published_on"] is None and entries[2]["invalid"] == ["date 'Nov 45' is not a calendar day"]


@pytest.mark.parametrize(("whens", "expected"), [
    # every date line reads alone as a day of last August: each is Aug 2 and its count
    (["Aug 23", "Aug 20", "Aug 21"], [(date(2023, 8, 2), 3), (date(2023, 8, 2), 0), (date(2023, 8, 2), 1)]),
    # one paper of last August among recent ones is an old paper listed late, read as written
    (["Aug 1", "Aug 23", "Aug 2"], [(date(2023, 8, 1), 0), (date(2022, 8, 23), 0), (date(2023, 8, 2), 0)]),
])
def test_dates_that_read_alone_as_last_year_run_into_their_counts(whens, expected):
    """A tool that strips the comment links and writes "0" (markdownify with `strip=["a"]`)
    leaves "Aug 23" for Aug 2 with 3 comments: on the list of Aug 3 most date lines reading as a
    day a year before say the counts run into them."""
    cards = [f"### Made-Up Paper {n}\n\n{ABSTRACT}\n\n* 4 authors\n\n{when}\n"
             for n, when in enumerate(whens, 1)]
    text = "Daily Papers\n\nby AK and the research community\n\nAug 3\n\n" + "\n".join(
        card.replace("\n\n* 4 authors\n\n", "\n\n4 authors·") for card in cards)
    entries = parse_any_capture(text, date(2023, 8, 3)).entries
    assert [(e["published_on"], e["comments"]) for e in entries] == expected


def test_the_pages_own_date_alone_does_not_make_the_text_run_together():
    """A page named a day early ("Dec 10" above cards whose dates carry their years) is read as
    written, so its header can fail the file; three such date lines at least are needed."""
    from transforms.capture_block_lines import runs_together

    # (a search view: its cards' dates carry their years, "Jun 10, 2024")
    cards = "".join(f"Paper {n}\n\n{ABSTRACT}\n\n  • 4 authors\n·\nJun 1{n}, 2024\n\n" for n in (1, 2, 3))
    assert not runs_together("Daily Papers\n\nDec 10\n\n" + cards, date(2025, 12, 9))
    stale = "".join(f"Paper {n}\n\n{ABSTRACT}\n\n  • 4 authors\n·\nDec 2{n}\n\n" for n in (1, 2, 3))
    assert runs_together("Daily Papers\n\nDec 3\n\n" + stale, date(2025, 12, 3))

"""Text of the papers page printed to PDF (transforms/capture_print_text.py): no blank line
anywhere, the title wrapped at fewer characters than the abstract, and the print's header and
footer between any two lines. Every card reads as on the page. The papers here are made up."""

from __future__ import annotations

import textwrap

import pytest

from tests.made_up_cards import ABSTRACT, EXPECTED, PAPERS, read
from transforms.capture_print_text import title_lines, with_blank_lines

CHROME = ("12/5/26, 5:59 AM Daily Papers - Hugging Face", "https://huggingface.co/papers/date/2025-11-11 {page}/3")
FIREFOX = ("Daily Papers - Hugging Face https://huggingface.co/papers/date/2025-11-11", "{page} of 3 12/5/26, 5:59 AM")
APART = ("12/5/26, 5:59 AM\nDaily Papers - Hugging Face", "https://huggingface.co/papers/date/2025-11-11\n{page}/3")
PAGE_BREAK = ("\f" + CHROME[0], CHROME[1])   # pdftotext -raw: a form feed where a page starts
LONG_ABSTRACT = " ".join([ABSTRACT] * 3)


def printed(furniture: tuple[str, str], title_width: int = 40, abstract_width: int = 70) -> str:
    """Each card's count, its title filled at `title_width`, its abstract at `abstract_width`
    and its authors-and-date line, no blank line; a page's footer and the next page's header
    after the first card's third abstract line and in the middle of the second card's title."""
    header, footer = furniture
    lines = ["Hugging Face", "Models", "Datasets", "Daily Papers", "by AK and the research community", "Nov 11"]
    for n, (up, title, _, who, when, comments) in enumerate(PAPERS):
        card = [str(up), *textwrap.wrap(title, title_width), *textwrap.wrap(LONG_ABSTRACT, abstract_width)]
        if n == 0:
            card[4:4] = [footer.format(page=1), header]
        if n == 1:
            card[2:2] = [footer.format(page=2), header]
        who_text = f"{who[1]}" if isinstance(who, tuple) else f"{who} authors"
        card.append(f"{who_text}·{when}" + (f" {comments}" if comments else ""))
        lines += card
    return "\n".join([header, *lines, footer.format(page=3)]) + "\n"


@pytest.mark.parametrize("furniture", [CHROME, FIREFOX, APART, PAGE_BREAK],
                         ids=["chrome", "firefox", "lines-apart", "form-feed"])
def test_a_printed_page_reads_every_card_with_its_title_and_abstract(furniture):
    text = printed(furniture)
    assert "\n\n" not in text
    assert read(text) == EXPECTED


def test_the_abstract_is_the_cards_text_after_the_title_without_the_prints_footer():
    from tests.made_up_cards import DAY
    from transforms.capture_formats import parse_any_capture

    entries = parse_any_capture(printed(CHROME), DAY).entries
    assert [e["abstract"] for e in entries] == [LONG_ABSTRACT] * 3


def test_titles_as_wide_as_the_abstract_are_left_as_they_are():
    """Titles that run to the abstract's width cannot be told from it: nothing is split (the
    capture is then read as it is)."""
    assert with_blank_lines(printed(CHROME, title_width=40, abstract_width=40)) is None


@pytest.mark.parametrize(("card", "expected"), [
    (["A Short Title", "x" * 80, "y" * 78, "end."], 1),
    (["A Title Wrapped", "Onto Two Lines", "x" * 80, "y" * 80, "end."], 2),
    (["T1", "T2", "T3", "T4", "x" * 80, "end."], None),     # more than 3 short lines: no title
    (["A Short Title", "x" * 80], None),                   # an abstract of one line: cannot tell
    (["A Short Title", "", "x" * 80, "y" * 80], None),     # a blank line: not a print's text
    (["x" * 80, "y" * 80, "end."], None),                  # the first line is full: no title
])
def test_the_title_is_the_short_lines_before_the_first_full_one(card, expected):
    assert title_lines(card) == expected


def reading_order(furniture: tuple[str, str] | None, joined: bool = False) -> str:
    """The same print as pdftotext gives it by default (reading order): a blank line between
    the card's parts, but none between its title and abstract; the comment count on a line of
    its own; each header and footer part on a line of its own, a form feed where a page
    starts. `joined`: one abstract line is two lines run together, as pdftotext sometimes gives
    them."""
    header, footer = ("", "") if furniture is None else furniture
    pages = [["Hugging Face", "Models", "Datasets", "", "Daily Papers", "by AK and the research community",
              "Nov 11", ""]]
    for n, (up, title, _, who, when, comments) in enumerate(PAPERS):
        abstract = textwrap.wrap(LONG_ABSTRACT, 70)
        if joined and n == 1:
            abstract[1:3] = [abstract[1] + " " + abstract[2]]
        who_text = f"{who[1]}" if isinstance(who, tuple) else f"{who} authors"
        pages[-1] += [str(up), "", *textwrap.wrap(title, 40), *abstract, "", f"{who_text}·{when}", "",
                      str(comments), ""]
        pages.append([])
    ends = [f"{footer.format(page=k + 1)}\n".replace("\n", "\n\n") for k in range(len(pages))]
    starts = [header.replace("\n", "\n\n") + "\n\n" if header else "" for _ in pages]
    return "\f".join(start + "\n".join(page) + "\n" + end for start, page, end in zip(starts, pages, ends))


@pytest.mark.parametrize("furniture", [APART, None], ids=["header-and-footer", "no-header"])
@pytest.mark.parametrize("joined", [False, True], ids=["lines-as-printed", "two-lines-run-together"])
def test_pdftotexts_reading_order_reads_every_card(furniture, joined):
    text = reading_order(furniture, joined)
    assert "\n\n" in text[:200] and "\f" in text
    assert read(text) == EXPECTED


def test_a_card_whose_title_cannot_be_told_apart_is_quarantined_and_the_others_count():
    """pdftotext joins a word broken at a hyphen at the end of a line, so a wrapped title can
    come out as one line as wide as the abstract's: that card stays one paragraph, read as an
    abstract with no title, and is quarantined with its text (not split at a guess); the others
    are read."""
    from tests.made_up_cards import DAY
    from transforms.snapshot_reader import read_snapshot
    from transforms.validation import split_valid

    wide = "Halving Memory in Made-Up Agents & Their Tools for Long-Horizon Planning"
    text = reading_order(APART).replace("\n".join(textwrap.wrap(PAPERS[0][1], 40)), wide, 1)
    assert wide in text
    snapshot = read_snapshot(text.encode(), DAY, f"{DAY}.txt")
    valid, bad = split_valid(snapshot.observations)
    assert snapshot.status == "parsed"
    assert valid["title"].to_list() == [PAPERS[1][1], PAPERS[2][1]]
    assert bad["reasons"].to_list() == [["title is missing"]]
    assert bad["abstract"][0].startswith(wide + " We study") and bad["upvotes"].to_list() == [95]


@pytest.mark.parametrize("furniture", [APART, FIREFOX], ids=["chrome", "firefox"])
def test_pdftotext_without_page_breaks_is_known_by_the_prints_header(furniture):
    """`pdftotext -nopgbrk` writes no form feed: the first page's header line marks the print."""
    text = reading_order(furniture).replace("\f", "")
    assert "\f" not in text and "\n\n" in text[:200]
    assert read(text) == EXPECTED


def test_the_pages_footer_run_together_leaves_the_last_cards_comment_count():
    """pdftotext runs the page footer's links together ("System themeCompanyTOSPrivacy...")
    under the last card's comment count: the count stays the card's, not an upvote line."""
    text = reading_order(APART).replace("\n0\n", "\n2\n\nSystem themeCompanyTOSPrivacyAboutJobsWebsiteModels\n")
    entries = read(text)
    assert [comments for _, _, comments, _, _ in entries] == [3, 11, 2]
    assert [title for _, title, *_ in entries] == [title for _, title, *_ in EXPECTED]


@pytest.mark.parametrize("avatars", [[], ["  • [a]"]], ids=["bare", "w3m-avatar"])
def test_a_capture_filled_to_one_width_tells_a_full_title_line_by_its_wrap(avatars):
    # a copy of the page's text filled at 72 columns with its blank lines gone reads like a
    # print at first, but its titles fill their lines too: a title as long as an abstract line
    # ends where the wrap says (the abstract's first word would not have fitted after it, and
    # the case turns from Title Case into a sentence), not only a short one; a text browser's
    # avatar mark under the abstract is no line of it
    from datetime import date

    from transforms.capture_formats import parse_any_capture

    titles = ["A Short Made-Up Title About Gadgets",
              "GearQ: Gear-Tuning-Aware Compression for Large Made-Up Gadget Stacks",
              "Another Short Made-Up Title About Widgets",
              "WheelQ: Wheel-Tuning-Aware Compression for Large Made-Up Widget Piles"]
    abstract = ("Calibration of made-up gadgets tends to drift when their widgets are retuned in place, "
                "and we show that one cheap correction pass keeps the drift small in every toy setting "
                "we built. We also describe the cases where that pass is not enough, and we share the "
                "toy gadgets so that others can try it.")
    lines = ["Hugging Face", "Daily Papers", "by AK and the research community", "Oct 16"]
    for n, title in enumerate(titles):
        lines += [str(40 - n), *textwrap.wrap(title, 72), *textwrap.wrap(abstract, 72), *avatars,
                  f"{n + 3} authors", "·", "Oct 13", str(n + 1)]
    assert len(titles[1]) + len(" Calibration") > 72   # the wrap alone cannot end the title
    entries = parse_any_capture("\n".join(lines) + "\n", date(2023, 10, 16)).entries
    assert [(e["upvotes"], e["title"], e["abstract"], e["n_authors"], e["comments"]) for e in entries] == [
        (40 - n, title, abstract, n + 3, n + 1) for n, title in enumerate(titles)]

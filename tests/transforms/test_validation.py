"""Pandera validation: bad rows go to quarantine with readable reasons, good rows pass."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from tests.conftest import API_DAYS
from transforms.api_parser import parse_api_json
from transforms.capture_formats import parse_any_capture
from transforms.observations import empty_entry, observations_frame
from transforms.validation import (
    CARD_TEXT_TITLE,
    CUT_TITLE,
    LONE_TITLE,
    MARKUP_TITLE,
    PROSE_TITLE,
    THIN_CARD,
    split_valid,
)


def _frame(entries, day=date(2025, 11, 3)):
    return observations_frame(entries, "s1", day, "api")


def _titled(titles: list[str]):
    """A frame of entries that differ only in their titles (each with an abstract: a title
    alone is no card, whatever it says)."""
    entries = [empty_entry(i + 1, "") for i in range(len(titles))]
    for entry, title in zip(entries, titles):
        entry.update(title=title, abstract="We study made-up widgets.", invalid=[])
    return _frame(entries)


@pytest.mark.needs_shared_data
def test_real_day_passes_whole():
    frame = _frame(parse_api_json(API_DAYS[0].read_bytes()))
    valid, quarantined = split_valid(frame)
    assert (valid.height, quarantined.height) == (23, 0)


@pytest.mark.needs_shared_data
def test_bad_rows_are_split_off_with_their_reasons_and_good_rows_kept():
    items = json.loads(API_DAYS[0].read_bytes())
    items[0]["paper"]["upvotes"] = -5
    items[1]["paper"]["publishedAt"] = "2031-01-01T00:00:00Z"
    # (without its listing day: one after it is left empty instead, tests/transforms/test_api_parser.py)
    del items[1]["paper"]["submittedOnDailyAt"]
    items[2]["paper"]["authors"] = []
    items[3]["numComments"] = "many"
    valid, quarantined = split_valid(_frame(parse_api_json(json.dumps(items))))
    assert valid.height == 19 and quarantined.height == 4
    reasons = dict(zip(quarantined["position"].to_list(), quarantined["reasons"].to_list()))
    assert any("upvotes" in r and ">= 0" in r for r in reasons[1]), reasons[1]
    assert reasons[2] == ["published after the snapshot was taken"]
    assert any("n_authors" in r for r in reasons[3]), reasons[3]
    assert reasons[4] == ["numComments is not a whole number: 'many'"]
    assert quarantined["raw_text"].null_count() == 0


def test_missing_title_and_huge_numbers_are_quarantined():
    entries = [empty_entry(1, "no title"), empty_entry(2, "huge")]
    entries[1].update(title="T", abstract="We study made-up widgets.", n_authors=3_000_000_000)
    valid, quarantined = split_valid(_frame(entries))
    assert valid.height == 0
    reasons = quarantined["reasons"].to_list()
    assert any("title" in r for r in reasons[0]), reasons[0]
    assert reasons[1] == ["n_authors is out of range: 3000000000"]


def test_a_title_without_letters_is_quarantined_and_titles_in_any_script_pass():
    """A number where a title should be (the upvote count of a card whose title line was lost)
    is no paper; titles in any script, or with digits among letters, are."""
    titles = ["88", "3.14 / 2", "Sailing at 40 Knots", "論文の題名", "Ω-Net"]
    valid, quarantined = split_valid(_titled(titles))
    assert valid["title"].to_list() == titles[2:]
    assert quarantined["title"].to_list() == titles[:2]
    assert quarantined["reasons"].to_list() == [["title has no letters"]] * 2


def test_a_title_holding_a_link_or_a_heading_marker_is_quarantined():
    """Site text read where a title was lost: the logo link of a Markdown export, its front
    matter, its byline or page heading. A title starting with '#' and a word (#InsTag) is a title."""
    titles = ["[![Hugging Face's logo](https://huggingface.co/logo.svg) Hugging Face](https://huggingface.co/)",
              "title: Daily Papers - Hugging Face url: https://huggingface.co/papers/date/2025-11-03",
              "by [AK](https://huggingface.co/akhaliq) and the research community",
              "# Daily Papers",
              "#InsTag: Instruction Tagging for Analyzing Supervised Fine-tuning",
              "HTTP/3 Streams for Model Serving (and why [brackets] (stay) titles)"]
    valid, quarantined = split_valid(_titled(titles))
    assert valid["title"].to_list() == titles[4:]
    assert quarantined["title"].to_list() == titles[:4]
    assert quarantined["reasons"].to_list() == [[MARKUP_TITLE]] * 4


def test_a_title_of_bracketed_placeholders_alone_is_quarantined():
    """A text browser's image placeholders (w3m writes an avatar list as "• [a]") read where a
    title was lost; a title that opens with a bracket and goes on is a title."""
    titles = ["• [a]", "[logo]", "  • [image] [image]", "[Re]thinking Widgets for Made-Up Tasks",
              "[CLS] Tokens Are All You Need"]
    valid, quarantined = split_valid(_titled(titles))
    assert valid["title"].to_list() == titles[3:]
    assert quarantined["title"].to_list() == titles[:3]
    assert all(MARKUP_TITLE in reasons for reasons in quarantined["reasons"].to_list())


def test_a_link_text_cut_before_its_closing_bracket_is_quarantined():
    """A text browser's heading link "[Title ... of Made-Up\n   Widgets][19]" whose last line was
    lost reads as "[Title ... of Made-Up": the link's markup, and not the paper's whole title.
    A title that closes its bracket is a title."""
    titles = ["[Halving Memory in Made-Up Agents of Large", "  [Curating Data for", "[Re]thinking Made-Up Widgets",
              "Widgets [and Gadgets] for Made-Up Tasks"]
    valid, quarantined = split_valid(_titled(titles))
    assert valid["title"].to_list() == titles[2:]
    assert quarantined["reasons"].to_list() == [[MARKUP_TITLE]] * 2


def test_a_title_made_of_a_cards_own_text_is_quarantined():
    """A card's author count, date and link labels, read where a title was lost (a tool that
    puts a card's parts on one line, a capture that lost its "·"): no paper. Titles that hold
    such words among their own are titles."""
    card_text = ["* 16 authors · Nov 10 11 arXiv Page", "[2504]", "• [x] • [x] • 5 authors", "[]2",
                 "- 9 authors", "Acme · Published on Nov 5", "GitHub 145 arXiv Page", "arXiv Page",
                 "Acme-Labs Acme Labs Nov 3 1", "• 4 authors Apr 11",
                 # avatars as a terminal's Markdown viewer shows images: their file names
                 "🌆 00000000000000000000000000000001.svg 🌆 00000000000000000000000000000002.svg", "🌆 a.svg"]
    titles = ["15 Authors Are Better Than One", "Scaling Laws for Nov 2023 Models", "3D", "Gemini",
              "Models of Dec. 12, 2024 Releases", "GitHub Issues as a Benchmark for Code Agents",
              "PNG Compression with Made-Up Widgets"]
    valid, quarantined = split_valid(_titled(card_text + titles))
    assert valid["title"].to_list() == titles
    assert quarantined["title"].to_list() == card_text
    reasons = dict(zip(quarantined["title"].to_list(), quarantined["reasons"].to_list()))
    assert set(reasons.pop("[2504]")) == {"title has no letters", MARKUP_TITLE}   # (a link number too)
    assert set(reasons.pop("[]2")) == {"title has no letters", CARD_TEXT_TITLE}
    assert set(map(tuple, reasons.values())) == {(CARD_TEXT_TITLE,)}


def test_an_abstract_read_as_a_title_is_quarantined():
    """A card's abstract read where its title was lost (a capture whose titles a reader could not
    see) is no paper: several sentences, or longer than any title. Titles with "vs.", "et al.",
    "2.0" or a colon are titles."""
    long_one = "We study made-up widgets across many made-up settings, " * 6 + "and find little"
    abstracts = ["We study made-up widgets on made-up tasks. They help on five benchmarks.",
                 "Made-up widgets are routinely trained on gadgets (mug). We show a cheaper recipe",
                 long_one]
    titles = ["Widgets vs. Gadgets: A Made-Up Study", "Smith et al. Revisited on Made-Up Tasks",
              "Widget 2.0: Faster Gadgets", "U.S. Widgets in Review",
              "Widgets, Gadgets and Sprockets at Scale: " + "Lessons from Training Sparse Language Models, " * 4]
    valid, quarantined = split_valid(_titled(abstracts + titles))
    assert valid["title"].to_list() == titles
    assert quarantined["title"].to_list() == abstracts
    assert quarantined["reasons"].to_list() == [[PROSE_TITLE]] * 3


def test_a_title_after_a_text_browsers_link_number_is_quarantined():
    # lynx's dump cut before its reference list: "[17]Title" (the paper's id went with the list)
    valid, quarantined = split_valid(_titled(["[17]Sparse Widgets for Foo", "[Re] Sparse Widgets, Checked",
                                              "[2405] Widgets"]))
    assert quarantined["title"].to_list() == ["[17]Sparse Widgets for Foo", "[2405] Widgets"]
    assert quarantined["reasons"].to_list() == [[MARKUP_TITLE]] * 2
    assert valid["title"].to_list() == ["[Re] Sparse Widgets, Checked"]


def _first_cards(titles: list[str], kind: str = "capture"):
    """Each title the first card of a snapshot of its own, a second card "de novo ..." after it."""
    frames = []
    for n, title in enumerate(titles):
        entries = [empty_entry(1, ""), empty_entry(2, "")]
        for entry, text in zip(entries, (title, "de novo Widget Design")):
            entry.update(title=text, abstract="We study made-up widgets.", invalid=[])
        frames.append(observations_frame(entries, f"s{n}", date(2025, 11, 3), kind))
    return pl.concat(frames)


def test_the_end_of_a_title_cut_where_a_copy_starts_is_quarantined():
    """A copy selected from inside its first card's title starts with the title's end; names in
    lower case start real titles ("mPLUG-Owl2:", "s1:", "gsplat:", "o3-mini"). Only a capture's
    first card can be cut so: API items and later cards are whole."""
    cut = ["for Made-Up Widget Generalization", "ization of Gadgets at Scale"]
    names = ["mWidget-Owl2: A Made-Up Gadget", "s1: Simple Widget Scaling", "wgsplat: A Gadget Library",
             "o3-widget and Friends", "eWidget"]
    valid, quarantined = split_valid(_first_cards(cut + names))
    assert quarantined["title"].to_list() == cut
    assert quarantined["reasons"].to_list() == [[CUT_TITLE]] * 2
    assert valid["title"].to_list() == [t for title in cut + names for t in (title, "de novo Widget Design")
                                        if t not in cut]
    valid, quarantined = split_valid(_first_cards(cut, kind="api"))
    assert quarantined.height == 0 and valid.height == 4


def test_the_tail_of_a_wrapped_web_address_is_no_title():
    # an abstract's last line, the rest of a link a text browser wrapped, read as a title
    tails = ["ngface.co/made-up-org/Widget-7B-0.1}.", "www.example.org/widgets", "Widgets at github.io/x"]
    valid, quarantined = split_valid(_titled(tails + ["Widgets.io: A Made-Up Platform"]))
    assert quarantined["title"].to_list() == tails
    assert quarantined["reasons"].to_list() == [[MARKUP_TITLE]] * 3
    assert valid["title"].to_list() == ["Widgets.io: A Made-Up Platform"]


@pytest.mark.needs_shared_data
def test_every_real_title_passes_the_title_checks():
    """All titles of ../shared/data (~6,700): none is taken for site or card text."""
    from tests.shared_copies import listing_files
    from tests.shared_data import SHARED_DATA

    titles = sorted({" ".join(item["paper"]["title"].split()) for path in listing_files(SHARED_DATA)
                     for item in json.loads(path.read_bytes())})
    valid, quarantined = split_valid(_titled(titles))
    assert len(titles) > 6_500
    assert quarantined["title"].to_list() == []


def test_a_restructuredtext_image_reference_or_directive_is_no_title():
    # pandoc -t rst writes a card's thumbnail as "- |image5|" where a Markdown export has a link,
    # and a <div> as ".. container::"
    markup = ["- |image5|", "|image12|", "- |image3| - |image4|", ".. container:: flex items-center",
              "`Models`__\\ `Datasets`__"]
    valid, quarantined = split_valid(_titled([*markup, "Widgets | Gadgets: a Made-Up Study"]))
    assert quarantined["title"].to_list() == markup
    assert quarantined["reasons"].to_list() == [[MARKUP_TITLE]] * len(markup)
    assert valid["title"].to_list() == ["Widgets | Gadgets: a Made-Up Study"]


@pytest.mark.parametrize("arxiv_id", ["２５１０.２７４９２", "٢٥١٠.٢٧٤٩٢", "2599.99999", "0000.00000", "2510.2749"])
def test_an_id_that_only_looks_like_an_arxiv_id_is_quarantined(arxiv_id):
    # (a capture's link may hold one: full-width or Arabic-Indic digits, month 99, a four-digit
    # number in a month that gives five)
    frame = _titled(["Made-Up Widgets", "Made-Up Gadgets"]).with_columns(
        arxiv_id=pl.Series([arxiv_id, "2510.27493"], dtype=pl.String))
    valid, quarantined = split_valid(frame)
    assert quarantined["arxiv_id"].to_list() == [arxiv_id]
    assert valid["arxiv_id"].to_list() == ["2510.27493"]


def test_a_line_with_nothing_of_a_card_beside_it_is_no_paper():
    """A title with no abstract, upvote count, authors or organization, date or arXiv id (an
    organization's name read where a card lost its block) is quarantined; an upvote count or
    an arXiv id beside the title makes it a card, a name alone does not."""
    entries = [empty_entry(i, "") for i in range(1, 5)]
    for entry in entries:
        entry.update(title="Acme Labs Acme Labs", invalid=[])
    entries[1]["upvotes"] = 12
    entries[2]["arxiv_id"] = "2511.00001"
    entries[3]["organization_name"] = "Acme Labs"
    valid, quarantined = split_valid(_frame(entries))
    assert quarantined["reasons"].to_list() == [[LONE_TITLE], [THIN_CARD]]
    assert valid["position"].to_list() == [2, 3]


def test_a_heading_with_only_a_name_and_a_date_under_it_is_no_paper():
    """A discussion page's text (a heading, then each comment's "name · date", its text and its
    likes) read as a capture: the heading over the first comment's byline made a card of a
    title, a name and a date, counted as a paper. A listing card also shows an upvote count,
    an abstract or an author count; with any of them it is read."""
    page = ("Discussion\n\nalice · Nov 3\nI think this is great work.\n12\n\n"
            "bob · Nov 4\nNot convinced by the baselines.\n3\n")
    entries = parse_any_capture(page, date(2025, 11, 23)).entries
    valid, quarantined = split_valid(observations_frame(entries, "made-up", date(2025, 11, 23), "capture"))
    assert valid.height == 0 and quarantined.height == len(entries) >= 1
    assert [THIN_CARD] in quarantined["reasons"].to_list()
    card = ("Daily Papers\n\n12\n\nWidgets for Made-Up Tasks\n\n"
            "We study widgets on made-up tasks and find that they help.\n\nAcme Labs · Nov 3\n")
    entries = parse_any_capture(card, date(2025, 11, 23)).entries
    valid, _ = split_valid(observations_frame(entries, "made-up", date(2025, 11, 23), "capture"))
    assert valid["title"].to_list() == ["Widgets for Made-Up Tasks"]


def test_rows_validated_in_parts_get_the_reasons_of_the_whole(monkeypatch):
    """Large frames are validated a part at a time (bounded memory with many failing rows): a
    row's reasons, and the schema-level ones of every row, are those of one validation."""
    from transforms import validation

    titles = ["A Made-Up Widget Study", "1234", "[Title](https://example.org)", "Another Made-Up Study",
              "42", "A Third Made-Up Study", "### Heading"]
    frame = _titled(titles)
    broken = frame.with_columns(pl.col("upvotes").cast(pl.String))   # mistyped: every row fails
    whole = [split_valid(frame), split_valid(broken)]
    monkeypatch.setattr(validation, "VALIDATE_ROWS", 2)   # (this module's own setting)
    parts = [split_valid(frame), split_valid(broken)]
    assert [[f.to_dicts() for f in pair] for pair in parts] == [[f.to_dicts() for f in pair] for pair in whole]
    assert whole[0][1]["position"].to_list() == [2, 3, 5, 7]
    assert (whole[1][0].height, whole[1][1].height) == (0, len(titles))

"""Text browsers' dumps of the page with link numbers (lynx, w3m), narrow or re-wrapped: a
title wrapped onto several lines is one title, and a title opening with a bracket or a count
under a thumbnail's link reads as what it is. The papers here are made up."""

from __future__ import annotations

import textwrap

import pytest

from tests.made_up_cards import ABSTRACT, DAY
from transforms.capture_formats import parse_any_capture


def lynx_card(title_lines: list[str]) -> str:
    """lynx's dump of a page of one card (upvotes 8, comments 2, arXiv 2511.00004) whose title
    is `title_lines`, flush left after its link number."""
    return ("Daily Papers\n\n   [1]Previous Nov 11 [2]Next\n\n   (BUTTON)\n   8\n\n"
            "[3]" + "\n".join(title_lines) + f"\n\n   {textwrap.fill(ABSTRACT, 56, subsequent_indent='   ')}\n"
            "     * 4 authors\n\n   · Nov 10 [4]2\n   [5]arXiv Page\n\nReferences\n\n"
            "   1. https://huggingface.co/papers/date/2025-11-10\n   2. https://huggingface.co/papers/date/2025-11-12\n"
            "   3. https://huggingface.co/papers/2511.00004\n   4. https://huggingface.co/papers/2511.00004#community\n"
            "   5. https://arxiv.org/abs/2511.00004\n")


def test_a_title_a_narrow_text_browser_wrapped_onto_three_lines_is_whole():
    title = "Made-Up Widgets: Learning Dense Gadget Policies for Quiet Sprockets with Rolling Bar Contact Joints"
    first, second, third = textwrap.wrap(title, 44)
    [entry, *_] = parse_any_capture(lynx_card([first, second, third]), DAY).entries
    assert (entry["title"], entry["arxiv_id"], entry["upvotes"], entry["comments"]) == (title, "2511.00004", 8, 2)


def test_a_title_a_narrow_text_browser_wrapped_onto_five_lines_one_opening_with_a_bracket_is_whole():
    title = ("Made-Up Widgets: Dense Gadget Policies Make Large Sprocket Models (LSMs) More "
             "Self-Confident Even When They Roll Backwards Over Contact Joints")
    lines = textwrap.wrap(title, 36)
    assert len(lines) == 5 and lines[2].startswith("(LSMs)")
    [entry, *_] = parse_any_capture(lynx_card(lines), DAY).entries
    assert (entry["title"], entry["arxiv_id"], entry["upvotes"], entry["comments"]) == (title, "2511.00004", 8, 2)


@pytest.mark.parametrize("lines", [2, 3])
def test_a_dumps_title_wrapped_after_its_own_hyphen_keeps_the_hyphen_and_no_space(lines):
    """lynx's dump re-wrapped by a mail client: "[3]... Beyond Text-to-" / "Slides" is the
    title "... Beyond Text-to-Slides", as the plain reader joins it."""
    head, tail = "Made-Up Widgets: Generating and Evaluating Gadgets Beyond Text-to-", "Slides"
    title_lines = [head, tail] if lines == 2 else ["Made-Up Widgets:", head[17:], tail]
    [entry, *_] = parse_any_capture(lynx_card(title_lines), DAY).entries
    assert entry["title"] == head + tail


def numbered_dump(titles: list[str], thumbnail: bool) -> str:
    """A text browser's dump with link numbers (w3m -o display_link_number=1, lynx): each card's
    thumbnail link "[N][2511]" (its alt text) above the count, or lynx's "(BUTTON)" and the
    count, then "[N]Title", the abstract, the author count, "· Nov 10 [N]2", "[N]arXiv Page"."""
    refs, cards = [], []
    for n, title in enumerate(titles, 1):
        paper = f"https://huggingface.co/papers/2511.0000{n}"
        refs += [paper, paper, f"{paper}#community", f"https://arxiv.org/abs/2511.0000{n}"]
        k = len(refs) - 3
        above = f"[{k}][2511]" if thumbnail else "   (BUTTON)"
        cards.append(f"{above}\n{10 + n}\n\n[{k + 1}]{title}\n\n   {ABSTRACT}\n     * 4 authors\n\n"
                     f"   · Nov 10 [{k + 2}]{n}\n   [{k + 3}]arXiv Page\n")
    listing = "".join(f"   {i}. {url}\n" for i, url in enumerate(refs, 1))
    return "Daily Papers\n\n   Nov 11\n\n" + "".join(cards) + "\nReferences\n\n" + listing


@pytest.mark.parametrize("thumbnail", [True, False], ids=["w3m", "lynx"])
def test_a_numbered_dump_reads_titles_opening_with_a_bracket_and_counts_under_thumbnails(thumbnail):
    titles = ["Made-Up Widgets at Scale", "[Re] Made-Up Widgets, Checked Again", "Quiet Made-Up Sprockets"]
    entries = parse_any_capture(numbered_dump(titles, thumbnail), DAY).entries
    assert [(e["upvotes"], e["title"], e["arxiv_id"], e["comments"]) for e in entries if e["title"] in titles] == [
        (10 + n, title, f"2511.0000{n}", n) for n, title in enumerate(titles, 1)]

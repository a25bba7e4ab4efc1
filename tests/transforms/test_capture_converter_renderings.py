"""Captures as HTML converters write the page (docs/capture-formats.md, "What tools add"): pandoc's
Markdown keeping the page's <div>s and <a>s, pandoc's plain text with "[]" for each image,
inscriptis' indented "· date" lines, and select-all copies that a text browser wrapped. Each reads
the papers as written, invents none and loses none. The papers here are made up."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from tests.made_up_cards import ABSTRACT, DAY, EXPECTED, PAPERS, read, select_all
from transforms.capture_formats import parse_any_capture


def pandoc_gfm(papers=PAPERS) -> str:
    """What `pandoc -f html -t gfm` writes for the page: the cards' <div>s kept, links spread
    over lines, "&" as "&amp;"."""
    cards = []
    for up, title, arxiv, who, when, comments in papers:
        if isinstance(who, tuple):
            chip = (f'<a href="https://huggingface.co/{who[0]}"\nclass="flex items-center"><img\n'
                    f'src="https://cdn-avatars.huggingface.co/v1/uploads/{who[0]}.png"\n'
                    f'class="size-3.5 rounded" alt="{who[0]}" /><span>{who[1]}</span></a>\n'
                    '<span class="px-1">·</span> ' + when)
        else:
            chip = "".join("-   ![](https://huggingface.co/avatars/x.svg)\n" for _ in range(3))
            chip += f"-   {who} authors\n\n· {when}"
        count = (f'\n<a href="https://huggingface.co/papers/{arxiv}#community"\nclass="flex items-center"><img\n'
                 f'src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" />{comments}</a>' if comments else "")
        words = title.replace("&", "&amp;").split(" ")
        cards.append(f"""<div class="flex">

<div class="shadow-alternate">

<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" class="text-xs" />

<div class="leading-none">

{up}

</div>

</div>

<div class="w-full">

### <a href="https://huggingface.co/papers/{arxiv}"
class="line-clamp-3 cursor-pointer">{" ".join(words[:4])}
{" ".join(words[4:])}</a>

{textwrap.fill(ABSTRACT, 72)}

<div class="flex flex-wrap items-center gap-2.5 text-sm">

{chip}{count}

</div>

</div>

</div>

<div class="links">

[GitHub 145](https://github.com/acme/tool) [arXiv
Page](https://arxiv.org/abs/{arxiv})

</div>
""")
    return ("<div>\n\n<a href=\"https://huggingface.co/\" class=\"logo\">Hugging Face</a>\n\n</div>\n\n"
            "# Daily Papers\n\nby [AK](https://huggingface.co/akhaliq) and the research community\n\n"
            "<div class=\"datepicker\">\n\n[Previous](https://huggingface.co/papers/date/prev) Nov 11\n"
            "[Next](https://huggingface.co/papers/date/next)\n\n</div>\n\n" + "\n".join(cards))


def test_markdown_keeping_the_pages_html_reads_every_card():
    assert read(pandoc_gfm()) == EXPECTED


def test_a_title_holding_an_html_like_word_keeps_it():
    papers = [(7, "Counting <think> Tokens in Made-Up Models", "2511.00009", 2, "Nov 5", 0)]
    assert read(pandoc_gfm(papers)) == [(7, "Counting <think> Tokens in Made-Up Models", 0, 2, None)]


def pandoc_markdown_strict(papers=PAPERS[1:]) -> str:
    """What `pandoc -f html -t markdown_strict` writes for the page: no <div>s, but a link with
    attributes stays a raw <a> inside its line (the title's, the comment count's), and the
    author count's date wrapped onto the next line."""
    cards = []
    for up, title, arxiv, who, when, comments in papers:
        month, day = when.split()
        cards.append(f"""![](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)

{up}

### <a href="/papers/{arxiv}" class="line-clamp-3">{textwrap.fill(title, 60)}</a>

{textwrap.fill(ABSTRACT, 72)}

- ![](/avatars/a.svg)

{who} authors·{month}
{day}<a href="/papers/{arxiv}#community" class="comments"><img
src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" />{comments}</a>
""")
    return "# Daily Papers\n\nby AK and the research community\n\nNov 11\n\n" + "\n".join(cards)


def test_markdown_keeping_only_its_links_as_html_reads_every_card():
    assert read(pandoc_markdown_strict()) == EXPECTED[1:]


def pandoc_plain(wrap_org: bool = False, glued: bool = False) -> str:
    """What `pandoc -t plain` writes: every image as "[]", avatar bullets "-   []", the
    organization chip as "[handle]Name", the comment icon before its count; `glued`: the page's
    spans with nothing between them, so the dot, the date, the icon and the count make one
    line ("3 authors·Nov 7[]2")."""
    cards = []
    for up, title, _, who, when, comments in PAPERS:
        if isinstance(who, tuple):
            name = f"{who[1]} - A Made-Up Group Name Long Enough to Wrap at the" if wrap_org else who[1]
            chip = f"[{who[0]}]{name}"
            chip += f"\nUniversity of Nowhere · {when}" if wrap_org else f"·{when}" if glued else f" · {when}"
        else:
            chip = (f"- []\n\n{who} authors·{when}" if glued
                    else "-   []\n-   []\n-   []\n-   " + f"{who} authors\n\n· {when}")
        count = f"{'' if glued else ' '}[]{comments}" if comments else ""
        cards.append(f"[]\n\n[]\n\n{up}\n\n{title}\n\n{textwrap.fill(ABSTRACT, 72)}\n\n{chip}{count}\n\n"
                     "GitHub 145 arXiv Page\n")
    return "Hugging Face\n\n-   Models\n-   Datasets\n\nDaily Papers\n\nby AK and the research community\n\n" \
           "Previous Nov 11 Next\n\n" + "\n".join(cards)


@pytest.mark.parametrize("glued", [False, True], ids=["spaced", "glued"])
def test_pandoc_plain_text_reads_every_card(glued):
    assert read(pandoc_plain(glued=glued)) == EXPECTED


def test_pandoc_plain_text_of_a_word_document_keeps_each_cards_date_and_count():
    # pandoc's plain text of a .docx made from the page: the avatars are gone, leaving each
    # empty list item "- " right above the author count; a lone "-" is also how the page shows
    # a card with no votes, but a count stands above its card's title, never above its date
    text = pandoc_plain(glued=True).replace("- []\n", "- \n")
    assert "\n- \n\n4 authors" in text
    entries = parse_any_capture(text, DAY).entries
    assert read(text) == EXPECTED
    assert [e["published_on"] for e in entries] == [date(2025, 11, 5), date(2025, 11, 10), date(2025, 11, 9)]


def test_an_organization_name_wrapped_onto_two_lines_is_one_who_and_no_paper():
    entries = parse_any_capture(pandoc_plain(wrap_org=True), DAY).entries
    assert [e["title"] for e in entries] == [title for _, title, *_ in EXPECTED]
    assert (entries[0]["organization"], entries[0]["organization_name"]) == (
        "acme", "Acme Labs - A Made-Up Group Name Long Enough to Wrap at the University of Nowhere")


def test_an_indented_dot_and_date_under_the_who_closes_the_card():
    # inscriptis indents the who list and the "· date count" line under it
    cards = [f"        {up}\n\n      {title}\n\n      {ABSTRACT}\n\n"
             + (f"        {who[1]} · {when} {comments}" if isinstance(who, tuple) else
                f"          * \n          * \n          * {who} authors\n        · {when}"
                + (f" {comments}" if comments else ""))
             + "\n    GitHub 145 arXiv Page\n"
             for up, title, _, who, when, comments in PAPERS]
    text = "Hugging Face\n  * Models\n\nDaily Papers\n\n  Previous Nov 11 Next\n" + "".join(cards)
    assert read(text) == EXPECTED




def test_a_select_all_copy_with_the_vote_button_above_the_title_and_comment_counts():
    assert read(select_all(wrap=None)) == EXPECTED


def test_a_select_all_copy_cut_inside_its_last_card_keeps_that_card():
    # the copy ends in the last card's abstract, before its date line: its vote, title and what
    # is left of its abstract make an entry flagged incomplete, never nothing
    text = select_all(wrap=None)
    cut = text[:text.rindex(ABSTRACT) + 120]
    entries = parse_any_capture(cut, DAY).entries
    assert [e["title"] for e in entries] == [title for _, title, *_ in EXPECTED]
    last = entries[-1]
    assert (last["upvotes"], last["abstract"], last["published_on"], last["complete"]) == (
        53, ABSTRACT[:120], None, False)


def test_a_wrapped_select_all_copy_joins_each_title_and_abstract():
    entries = parse_any_capture(select_all(wrap=60), DAY).entries
    assert [(e["upvotes"], e["title"], e["comments"], e["n_authors"], e["organization_name"])
            for e in entries] == EXPECTED
    assert {e["abstract"] for e in entries} == {ABSTRACT}


def test_a_wrapped_select_all_copy_without_blank_lines_takes_no_abstract_line_for_a_title():
    # nothing tells where a title ends and its wrapped abstract starts: no title, never a made-up one
    titles = {e["title"] for e in parse_any_capture(select_all(wrap=60, blank_lines=False), DAY).entries}
    assert titles - {None} <= {title for _, title, *_ in EXPECTED}


def test_w3m_image_marks_and_thumbnail_labels_are_no_papers():
    # w3m writes an avatar as "• [x]" and a thumbnail by its alt text ("[2511]"), above the count
    cards = [f"[2511]\n{up}\n\n{title}\n\n"
             + (f"{who[0]} {who[1]}" if isinstance(who, tuple) else "  • [x]\n  • [x]\n" + f"  • {who} authors")
             + f"\n\n· {when}" + (f" {comments}" if comments else "") + "\narXiv Page\n"
             for up, title, _, who, when, comments in PAPERS]
    text = "Hugging Face\n\nDaily Papers\n\nby AK and the research community\n\nPrevious Nov 11 Next\n" + "".join(cards)
    assert read(text) == EXPECTED


def test_a_select_all_date_line_a_tool_wrapped_is_one_date_line():
    text = select_all(wrap=None)
    for wrapped in (text.replace("Acme Labs · Published on Nov 5 3", "Acme Labs ·\nPublished on Nov 5 3"),
                    text.replace("Acme Labs · Published on Nov 5 3", "Acme Labs · Published on\nNov 5 3"),
                    text.replace("Acme Labs · Published on Nov 5 3", "Acme Labs · Published\non Nov 5 3")):
        assert read(wrapped) == EXPECTED


def test_a_select_all_organization_name_wrapped_onto_two_lines_is_no_title():
    text = select_all(wrap=60).replace(
        "Acme Labs · Published",   # (pandoc leaves a blank line above the chip)
        "\n[acme]Acme Labs - A Made-Up Group Name Long Enough to Wrap\nat Nowhere · Published")
    [first, *_] = parse_any_capture(text, DAY).entries
    assert (first["title"], first["organization"], first["organization_name"]) == (
        EXPECTED[0][1], "acme", "Acme Labs - A Made-Up Group Name Long Enough to Wrap at Nowhere")


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_wrapped_abstract_whose_line_ends_early_before_a_long_url_is_one_abstract(gap):
    abstract = ("We study how a made-up method behaves on made-up tasks, and find that it helps\n"
                "in most settings we try. The code is at\n"   # the URL did not fit after "at"
                "https://github.com/madeuporganisation/alongrepositorynamefortheircode\n"
                "and the analysis explains when it fails.")
    text = ("Daily Papers\n\nNov 11\n\n"
            + "\n".join(f"{up}{gap}{title}{gap}{abstract}{gap}  • 4 authors\n·\n{when} {comments}\n"
                        for up, title, _, _, when, comments in PAPERS))
    assert [(e["title"], e["abstract"]) for e in parse_any_capture(text, DAY).entries] == [
        (title, " ".join(abstract.split())) for _, title, *_ in PAPERS]


def html_cards(vote: str = "<button>{up}</button>") -> str:
    """The cards as the page's markup, each vote box written from `vote`."""
    return "".join(
        f'<article><div class="vote">{vote.format(up=up)}</div>'
        f'<h3><a href="/papers/{arxiv}">{title.replace("&", "&amp;")}</a></h3><p>{ABSTRACT}</p><div>'
        + (f'<a href="https://huggingface.co/{who[0]}">{who[1]}</a>' if isinstance(who, tuple)
           else f"<ul><li>{who} authors</li></ul>")
        + f'<span>·</span> {when}' + (f' <a href="/papers/{arxiv}#community">{comments}</a>' if comments else "")
        + "</div></article>"
        for up, title, arxiv, who, when, comments in PAPERS)


def test_the_listings_outer_html_copied_from_a_browser_reads_as_a_saved_page():
    # an inspector's "Copy outer HTML" of the listing: no doctype or <html>, the cards' markup
    text = f'<main><section><h1>Daily Papers</h1><div class="grid">{html_cards()}</div></section></main>'
    assert read(text) == EXPECTED


def inner_text(picker: str, gap: str = "\n") -> str:
    """A browser's innerText of the page (what select-all + copy gives in Chrome): the date
    picker as `picker`, each card's count, title, abstract, who, "·", date, comments, labels."""
    cards = [f"{up}\n{title}\n{gap}{ABSTRACT}\n{gap}"
             + (f"{who[0]} {who[1]}" if isinstance(who, tuple) else f"{who} authors")   # section 1's org line
             + f"\n·\n{when}\n" + (f"{comments}\n" if comments else "") + "arXiv Page\n"
             for up, title, _, who, when, comments in PAPERS]
    return f"Hugging Face\nModels\nDaily Papers\n\nby AK and the research community\n\n{picker}\n" + "".join(cards)


def test_the_date_picker_on_one_line_is_the_header_and_no_paper():
    assert read(inner_text("Previous Nov 11 Next")) == EXPECTED


def test_the_date_pickers_next_on_a_line_of_its_own_is_no_paper():
    assert read(inner_text("Previous\nNov 11\nNext")) == EXPECTED


def test_a_select_all_copy_with_the_comment_count_under_the_date_and_the_dot_apart():
    text = select_all(wrap=None)
    for shown in ("Nov 5 3", "Nov 10 11"):
        when, count = shown.rsplit(" ", 1)
        text = text.replace(f"· Published on {shown}", f"·\n\n\nPublished on {when}\n{count}")
    assert read(text) == EXPECTED


def test_a_saved_page_whose_vote_button_shows_a_label_gives_the_count_beside_it():
    cards = html_cards('<button>Upvote</button><div class="count">{up}</div>')
    assert read(f"<!DOCTYPE html><html><body><main>{cards}</main></body></html>") == EXPECTED


def test_a_lynx_dump_of_a_saved_page_resolves_its_links_against_the_site():
    # lynx resolves the saved page's "/papers/ID" against the local file: file:///papers/ID
    refs, cards = [], []
    for up, title, arxiv, who, when, comments in PAPERS:
        refs.append(f"file:///papers/{arxiv}")
        cards.append(f"   {up}\n\n[{len(refs)}]{title}\n\n   {ABSTRACT}\n\n   "
                     + (f"{who[0]} {who[1]}" if isinstance(who, tuple) else f"* {who} authors")
                     + f" · {when}" + (f" {comments}" if comments else "") + "\n")
    text = ("   Daily Papers\n\n   Previous Nov 11 Next\n\n" + "\n".join(cards) + "\nReferences\n\n"
            + "\n".join(f"{n:4}. {url}" for n, url in enumerate(refs, 1)) + "\n")
    entries = parse_any_capture(text, DAY).entries
    assert [(e["arxiv_id"], e["title"]) for e in entries] == [(arxiv, title) for _, title, arxiv, *_ in PAPERS]


def test_markdown_without_links_reads_its_headings_as_titles():
    # html2text --ignore-links: "### Title" (wrapped like the text), the count above it
    cards = [f"{up}\n\n### {textwrap.fill(title, 60)}\n\n{textwrap.fill(ABSTRACT, 78)}\n\n"
             + (who[1] if isinstance(who, tuple) else f"  * {who} authors")
             + f" · {when}" + (f" {comments}" if comments else "") + "\n"
             for up, title, _, who, when, comments in PAPERS]
    text = "Hugging Face\n\n# Daily Papers\n\nPrevious Nov 11 Next\n\n" + "\n".join(cards)
    assert read(text) == EXPECTED


def test_the_count_of_a_days_only_paper_right_under_the_header_is_its_upvote_count():
    # no earlier card's date stands above it, so it cannot be a comment count
    text = f"Daily Papers\n\nNov 11\n\n95\n{PAPERS[0][1]}\n\n{ABSTRACT}\n\n  • 4 authors\n·\nNov 5\n"
    assert [(e["upvotes"], e["title"]) for e in parse_any_capture(text, DAY).entries] == [(95, PAPERS[0][1])]


def test_markdown_without_headings_keeps_avatars_and_counts_apart_from_names_and_dates():
    """A converter's Markdown whose titles are bold links, not headings: an organization's avatar
    inside its link ("[![acme](logo.png)Acme Labs](https://huggingface.co/acme)") is no part of
    its name, and a comment count linked right after the date ("Nov 1[1](...)") is the date
    Nov 1 and 1 comment, not Nov 11."""
    cards = [(up, title, arxiv, who, when, comments) for (up, title, arxiv, who, _, _), (when, comments)
             in zip(PAPERS, [("Nov 1", 1), ("Nov 10", 12), ("Nov 9", 0)])]
    text = "# Daily Papers\n\nby AK and the research community\n\nNov 11\n\n"
    for up, title, arxiv, who, when, comments in cards:
        chip = (f"[![{who[0]}](https://cdn-avatars.huggingface.co/{who[0]}.png){who[1]}](https://huggingface.co/{who[0]})"
                if isinstance(who, tuple) else f"- ![](/avatars/a.svg)\n\n{who} authors")
        count = f"[{comments}](https://huggingface.co/papers/{arxiv}#community)" if comments else ""
        text += f"{up}\n\n**[{title}](https://huggingface.co/papers/{arxiv})**\n\n{ABSTRACT}\n\n{chip}·{when}{count}\n\n"
    entries = parse_any_capture(text, DAY).entries
    assert [(e["arxiv_id"], e["organization"], e["organization_name"], e["n_authors"], e["published_on"],
             e["comments"]) for e in entries] == [
        ("2511.00001", "acme", "Acme Labs", None, date(2025, 11, 1), 1),
        ("2511.00002", None, None, 16, date(2025, 11, 10), 12),
        ("2511.00003", None, None, 4, date(2025, 11, 9), 0)]

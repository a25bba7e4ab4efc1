"""Captures as HTML converters write the page (docs/capture-formats.md, "What tools add"): pandoc's
Markdown keeping the page's <div>s and <a>s, pandoc's plain text with "[]" for each image,
inscriptis' indented "· date" lines, and select-all copies that a text browser wrapped. Each reads
the papers as written, invents none and loses none. The papers here are made up."""

from __future__ import annotations

import re
import textwrap
from datetime import date

import pytest

from transforms.capture_formats import parse_any_capture

DAY = date(2025, 11, 11)
ABSTRACT = ("We study how a made-up method behaves on made-up tasks, and find that it helps in "
            "most settings we try while costing little. The analysis explains when it fails, "
            "and we release the code and data for others to build on.")
# upvotes, title, arXiv id, (handle, name) of an organization or an author count, date, comments
PAPERS = [
    (95, "Halving Memory in Made-Up Agents & Their Tools", "2511.00001", ("acme", "Acme Labs"), "Nov 5", 3),
    (80, "Rethinking Long Horizons via State Rebuilding for Agents That Plan Ahead", "2511.00002", 16,
     "Nov 10", 11),
    (53, "Curating Data for Verifiable Rewards", "2511.00003", 4, "Nov 9", 0),
]
EXPECTED = [(95, "Halving Memory in Made-Up Agents & Their Tools", 3, None, "Acme Labs"),
            (80, "Rethinking Long Horizons via State Rebuilding for Agents That Plan Ahead", 11, 16, None),
            (53, "Curating Data for Verifiable Rewards", 0, 4, None)]


def read(text: str) -> list[tuple]:
    return [(e["upvotes"], e["title"], e["comments"], e["n_authors"], e["organization_name"])
            for e in parse_any_capture(text, DAY).entries]


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


def pandoc_plain(wrap_org: bool = False) -> str:
    """What `pandoc -t plain` writes: every image as "[]", avatar bullets "-   []", the
    organization chip as "[handle]Name", the comment icon before its count."""
    cards = []
    for up, title, _, who, when, comments in PAPERS:
        if isinstance(who, tuple):
            name = f"{who[1]} - A Made-Up Group Name Long Enough to Wrap at the" if wrap_org else who[1]
            chip = f"[{who[0]}]{name}"
            chip += f"\nUniversity of Nowhere · {when}" if wrap_org else f" · {when}"
        else:
            chip = "-   []\n-   []\n-   []\n-   " + f"{who} authors\n\n· {when}"
        count = f" []{comments}" if comments else ""
        cards.append(f"[]\n\n[]\n\n{up}\n\n{title}\n\n{textwrap.fill(ABSTRACT, 72)}\n\n{chip}{count}\n\n"
                     "GitHub 145 arXiv Page\n")
    return "Hugging Face\n\n-   Models\n-   Datasets\n\nDaily Papers\n\nby AK and the research community\n\n" \
           "Previous Nov 11 Next\n\n" + "\n".join(cards)


def test_pandoc_plain_text_reads_every_card():
    assert read(pandoc_plain()) == EXPECTED


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


def select_all(wrap: int | None, blank_lines: bool = True) -> str:
    """A select-all copy of a rendering that shows the vote button above each title
    ("Upvote" / count) and the comment count on the date line, wrapped at `wrap` columns."""
    gap = "\n\n" if blank_lines else "\n"
    cards = []
    for up, title, _, who, when, comments in PAPERS:
        date_line = f"· Published on {when}" + (f" {comments}" if comments else "")
        who_lines = (f"{who[1]} {date_line}" if isinstance(who, tuple)
                     else f"  * \n  * \n  * {who} authors\n{date_line}")
        fill = (lambda s: textwrap.fill(s, wrap)) if wrap else (lambda s: s)
        cards.append(f"(BUTTON) Upvote\n{up}{gap}{fill(title)}{gap}{fill(ABSTRACT)}\n{who_lines}\n"
                     "GitHub 145 arXiv Page\n")
    return "Daily Papers\n\nby AK and the research community\n\nPrevious Nov 11 Next\n\n" + "".join(cards)


def test_a_select_all_copy_with_the_vote_button_above_the_title_and_comment_counts():
    assert read(select_all(wrap=None)) == EXPECTED


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


def w3m_cards(abstract: str) -> str:
    """A text browser's dump of the page (w3m, lynx -nolist): count, title and a wrapped abstract
    apart, then the avatars, the author count and "· date comments"."""
    cards = [f"[2511]\n{up}\n\n{title}\n\n{abstract}\n  • [x]\n  • [x]\n  • 4 authors\n\n"
             f"· {when} {comments}\narXiv Page\n" for up, title, _, _, when, comments in PAPERS]
    return "Hugging Face\n\nDaily Papers\n\nPrevious Nov 11 Next\n" + "".join(cards)


@pytest.mark.parametrize("abstract", [
    "We study how widgets behave on made-up tasks. Accepted at a made-up venue in\n2025",  # a lone "2025"
    "We study how widgets behave on made-up tasks. Accuracy rises from 30 to\n42",
    "We study how widgets behave. Accuracy rises from 30 to 42",   # short, no full stop
], ids=["lone-year", "lone-count", "short-no-stop"])
def test_an_abstract_ending_in_a_number_without_a_full_stop_stays_in_its_card(abstract):
    entries = parse_any_capture(w3m_cards(abstract), DAY).entries
    assert [(e["upvotes"], e["title"], e["abstract"], e["n_authors"], e["comments"]) for e in entries] == [
        (up, title, " ".join(abstract.split()), 4, comments) for up, title, *_, comments in PAPERS]


def inline_markdown(papers=PAPERS) -> str:
    """html2text's Markdown of the page with inline links: the count, "### [Title](paper URL)",
    the abstract, the chip or the author count, "· date [comments](#community)"."""
    cards = []
    for up, title, arxiv, who, when, comments in papers:
        link = f"https://huggingface.co/papers/{arxiv}"
        avatars = "  * ![](https://huggingface.co/avatars/x.svg)\n" * 2
        chip = (f"[![](https://cdn-avatars.huggingface.co/{who[0]}.png){who[1]}](https://huggingface.co/{who[0]})"
                if isinstance(who, tuple) else f"{avatars}  * {who} authors")
        count = f" [{comments}]({link}#community)" if comments else ""
        cards.append(f"[![](https://cdn-thumbnails.huggingface.co/{arxiv}.png)]({link})\n\n{up}\n\n"
                     f"### [{title}]({link})\n\n{textwrap.fill(ABSTRACT, 78)}\n\n{chip}\n\n· {when}{count}\n\n"
                     f"[arXiv Page](https://arxiv.org/abs/{arxiv})\n")
    return ("[Hugging Face](https://huggingface.co/)\n\n# Daily Papers\n\n[Previous](https://huggingface.co/"
            "papers/date/2025-11-10) Nov 11 [Next](https://huggingface.co/papers/date/2025-11-12)\n\n"
            + "\n".join(cards))


def as_reference_links(markdown: str, collapsed: bool) -> str:
    """The same Markdown with reference-style links, as html2text writes it with inline links off
    ("[Title][17]", "   [17]: URL" at the end, a long URL wrapped after a hyphen) or as
    pandoc --reference-links does ("[Title][]", "  [Title]:" and the URL on the next line)."""
    definitions: list[str] = []

    def refer(m):
        text, url = m[1], m[2]
        if collapsed and "![" not in text and "\n" not in text:
            text = text.replace("[", "\\[").replace("]", "\\]")   # pandoc escapes brackets in a label
            definitions.append(f"  [{text}]:\n    {url}")
            return f"[{text}][]"
        wrapped = url.replace("cdn-", "cdn-long-\n", 1)   # html2text wraps a long URL after a hyphen
        definitions.append(f"   [{len(definitions) + 1}]: {wrapped}")
        return f"[{text}][{len(definitions)}]"
    body = re.sub(r"\[((?:!\[\]\([^)]*\)|\[[^\[\]]*\]|[^\[\]])*)\]\(([^)\s]+)\)", refer, markdown)
    return body + "\n" + "\n\n".join(definitions) + "\n"


@pytest.mark.parametrize("collapsed", [False, True], ids=["html2text", "pandoc"])
def test_reference_style_links_read_as_inline_links(collapsed):
    inline = inline_markdown([*PAPERS, (12, "[Re] Made-Up Widgets, Checked Again", "2511.00004", 2, "Nov 8", 0)])
    text = as_reference_links(inline, collapsed)
    assert "](" not in text.replace("![](", "")   # every link is a reference
    got = [(e["upvotes"], e["title"], e["arxiv_id"], e["comments"]) for e in parse_any_capture(text, DAY).entries]
    assert got == [(e["upvotes"], e["title"], e["arxiv_id"], e["comments"])
                   for e in parse_any_capture(inline, DAY).entries]
    assert [title for _, title, *_ in got] == [*(title for _, title, *_ in EXPECTED),
                                               "[Re] Made-Up Widgets, Checked Again"]
    assert [arxiv for _, _, arxiv, _ in got] == ["2511.00001", "2511.00002", "2511.00003", "2511.00004"]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009"], ids=["no-break", "narrow", "thin"])
def test_unicode_spaces_in_date_lines_read_as_spaces(space):
    for text in (w3m_cards(ABSTRACT), select_all(wrap=None)):
        spaced = re.sub(r"(·|Published on|Nov) ", lambda m: m[1] + space, text)
        assert spaced != text and read(spaced) == read(text)
        assert len(read(text)) == 3


def test_short_abstracts_a_tool_wrapped_stay_abstracts():
    # a few cards whose abstracts are too short for the whole capture to look wrapped
    short = "We study made-up widgets on made-up tasks. They are small, cheap and\nhard to train; we show a recipe.\n"
    text = ("Daily Papers\n\nPrevious Nov 11 Next\n\n" + "".join(
        f"Upvote\n\n{up}\n\n{title}\n\n{short}\n-   4 authors\n\n· Published on {when}\n\narXiv Page\n\n"
        for up, title, _, _, when, _ in PAPERS))
    assert [(e["upvotes"], e["title"], e["abstract"]) for e in parse_any_capture(text, DAY).entries] == [
        (up, title, " ".join(short.split())) for up, title, *_ in PAPERS]


def test_a_short_select_all_abstract_without_a_full_stop_is_no_title():
    short = "We study made-up widgets. They help on five made-up benchmarks by 12"
    text = ("Daily Papers\n\nPrevious\nNov 11\nNext\n\n" + "".join(
        f"{title}\n{short}\n4 authors\n· Published on {when}\nUpvote\n{up}\narXiv Page\n\n"
        for up, title, _, _, when, _ in PAPERS))
    assert [(e["upvotes"], e["title"], e["abstract"]) for e in parse_any_capture(text, DAY).entries] == [
        (up, title, short) for up, title, *_ in PAPERS]


def test_a_title_a_narrow_text_browser_wrapped_onto_three_lines_is_whole():
    title = "Made-Up Widgets: Learning Dense Gadget Policies for Quiet Sprockets with Rolling Bar Contact Joints"
    first, second, third = textwrap.wrap(title, 44)
    text = ("Daily Papers\n\n   [1]Previous Nov 11 [2]Next\n\n   (BUTTON)\n   8\n\n"
            f"[3]{first}\n{second}\n{third}\n\n   {textwrap.fill(ABSTRACT, 56, subsequent_indent='   ')}\n"
            "     * 4 authors\n\n   · Nov 10 [4]2\n   [5]arXiv Page\n\nReferences\n\n"
            "   1. https://huggingface.co/papers/date/2025-11-10\n   2. https://huggingface.co/papers/date/2025-11-12\n"
            "   3. https://huggingface.co/papers/2511.00004\n   4. https://huggingface.co/papers/2511.00004#community\n"
            "   5. https://arxiv.org/abs/2511.00004\n")
    [entry, *_] = parse_any_capture(text, DAY).entries
    assert (entry["title"], entry["arxiv_id"], entry["upvotes"], entry["comments"]) == (title, "2511.00004", 8, 2)


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


def test_a_select_all_card_whose_date_line_is_not_read_is_kept_for_quarantine_not_dropped():
    # a date line no reader knows ("Publ. Nov 10"): the card cannot be counted, and its text is
    # kept as an entry without a title (quarantined) rather than lost without a word
    text = select_all(wrap=None).replace("· Published on Nov 10 11", "· Publ. Nov 10 11")
    entries = parse_any_capture(text, DAY).entries
    assert [e["title"] for e in entries] == [EXPECTED[0][1], None, EXPECTED[2][1]]
    assert ABSTRACT in entries[1]["abstract"] and "16 authors" in entries[1]["raw_text"]
    assert entries[1]["invalid"]


def test_firefox_text_with_each_links_url_after_its_text_reads_every_card():
    # Firefox's "Save Page As > Text Files": "Title <https://...>" for every link
    cards = []
    for up, title, arxiv, who, when, comments in PAPERS:
        paper = f"https://huggingface.co/papers/{arxiv}"
        chip = (f"{who[1]} <https://huggingface.co/{who[0]}> · " if isinstance(who, tuple)
                else f"  * {who} authors\n\n· ")
        count = f" {comments} <{paper}#community>" if comments else ""
        cards.append(f"<{paper}>\n\n{up}\n\n{title} <{paper}>\n\n{ABSTRACT}\n\n{chip}{when}{count}\n\n"
                     f"arXiv Page <https://arxiv.org/abs/{arxiv}>\n")
    text = ("Hugging Face <https://huggingface.co/>\n\nDaily Papers\n\nby AK <https://huggingface.co/akhaliq> and "
            "the research community\n\nPrevious <https://huggingface.co/papers/date/2025-11-10> Nov 11 Next "
            "<https://huggingface.co/papers/date/2025-11-12>\n\n" + "\n".join(cards))
    entries = parse_any_capture(text, DAY).entries
    assert read(text) == EXPECTED
    assert [(e["arxiv_id"], e["organization"]) for e in entries] == [
        ("2511.00001", "acme"), ("2511.00002", None), ("2511.00003", None)]


def test_turndowns_escaped_dash_of_a_card_without_votes_is_zero():
    # MarkDownload and Obsidian's clipper (Turndown) escape the "-" a card shows for no votes
    text = inline_markdown().replace("\n\n95\n\n", "\n\n\\-\n\n")
    assert [e["upvotes"] for e in parse_any_capture(text, DAY).entries] == [0, 80, 53]

"""Captures as converters write the page with other options and in other tools
(docs/capture-formats.md, "What tools add"): reference-style Markdown links, numbered and narrow
text-browser dumps, Unicode spaces in dates, short abstracts a tool wrapped, Firefox's text with
each link's URL after it, Turndown's escapes. Each reads the papers as written, invents none and
loses none. The papers here are made up."""

from __future__ import annotations

import re
import textwrap

import pytest

from tests.made_up_cards import ABSTRACT, DAY, EXPECTED, PAPERS, read, select_all
from transforms.capture_formats import parse_any_capture
from transforms.errors import SnapshotError


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


def as_reference_links(markdown: str, style: str) -> str:
    """The same Markdown with reference-style links, as html2text writes it with inline links off
    ("[Title][17]", "   [17]: URL" at the end, a long URL wrapped after a hyphen; at a narrow
    width "   [17]:" and the URL at the start of the next line) or as pandoc --reference-links
    does ("[Title][]", "  [Title]:" and the URL on the next line; or the shortcut "[Title]",
    "  [Title]: URL {.class}")."""
    definitions: list[str] = []

    def refer(m):
        text, url = m[1], m[2]
        if style.startswith("pandoc") and "![" not in text and "\n" not in text:
            text = text.replace("[", "\\[").replace("]", "\\]")   # pandoc escapes brackets in a label
            if style == "pandoc-shortcut":
                definitions.append(f"  [{text}]: {url} {{.line-clamp-3}}")
                return f"[{text}]"
            definitions.append(f"  [{text}]:\n    {url}")
            return f"[{text}][]"
        if style == "html2text-narrow":
            definitions.append(f"   [{len(definitions) + 1}]:\n{url}")
        else:
            wrapped = url.replace("cdn-", "cdn-long-\n", 1)   # html2text wraps a long URL after a hyphen
            definitions.append(f"   [{len(definitions) + 1}]: {wrapped}")
        return f"[{text}][{len(definitions)}]"
    body = re.sub(r"\[((?:!\[\]\([^)]*\)|\[[^\[\]]*\]|[^\[\]])*)\]\(([^)\s]+)\)", refer, markdown)
    return body + "\n" + "\n\n".join(definitions) + "\n"


@pytest.mark.parametrize("style", ["html2text", "html2text-narrow", "pandoc", "pandoc-shortcut"])
def test_reference_style_links_read_as_inline_links(style):
    inline = inline_markdown([*PAPERS, (12, "[Re] Made-Up Widgets, Checked Again", "2511.00004", 2, "Nov 8", 0)])
    text = as_reference_links(inline, style)
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


def counts_titles_abstracts(text: str) -> list[tuple]:
    return [(e["upvotes"], e["title"], e["abstract"]) for e in parse_any_capture(text, DAY).entries]


def test_short_abstracts_a_tool_wrapped_stay_abstracts():
    # a few cards whose abstracts are too short for the whole capture to look wrapped
    short = "We study made-up widgets on made-up tasks. They are small, cheap and\nhard to train; we show a recipe.\n"
    text = ("Daily Papers\n\nPrevious Nov 11 Next\n\n" + "".join(
        f"Upvote\n\n{up}\n\n{title}\n\n{short}\n-   4 authors\n\n· Published on {when}\n\narXiv Page\n\n"
        for up, title, _, _, when, _ in PAPERS))
    assert counts_titles_abstracts(text) == [(up, title, " ".join(short.split())) for up, title, *_ in PAPERS]


def test_a_short_select_all_abstract_without_a_full_stop_is_no_title():
    short = "We study made-up widgets. They help on five made-up benchmarks by 12"
    text = ("Daily Papers\n\nPrevious\nNov 11\nNext\n\n" + "".join(
        f"{title}\n{short}\n4 authors\n· Published on {when}\nUpvote\n{up}\narXiv Page\n\n"
        for up, title, _, _, when, _ in PAPERS))
    assert counts_titles_abstracts(text) == [(up, title, short) for up, title, *_ in PAPERS]


def test_a_select_all_card_whose_date_line_is_not_read_is_kept_for_quarantine_not_dropped():
    # a date line no reader knows ("Publ. Nov 10"): the card cannot be counted, and its text is
    # kept as an entry without a title (quarantined) rather than lost without a word
    text = select_all(wrap=None).replace("· Published on Nov 10 11", "· Publ. Nov 10 11")
    entries = parse_any_capture(text, DAY).entries
    assert [e["title"] for e in entries] == [EXPECTED[0][1], None, EXPECTED[2][1]]
    assert ABSTRACT in entries[1]["abstract"] and "16 authors" in entries[1]["raw_text"]
    assert entries[1]["invalid"]


def test_a_select_all_first_card_without_its_date_line_is_kept_for_quarantine():
    """Before the first card is the page's header; a card's text there (its vote, its link
    labels, its abstract) is the first card's, kept without a title rather than read as header."""
    text = select_all(wrap=None).replace("Acme Labs · Published on Nov 5 3\n", "")
    entries = parse_any_capture(text, DAY).entries
    assert [e["title"] for e in entries] == [None, EXPECTED[1][1], EXPECTED[2][1]]
    assert ABSTRACT in entries[0]["abstract"] and PAPERS[0][1] in entries[0]["raw_text"]
    assert entries[0]["invalid"]
    assert "Daily Papers" not in entries[0]["raw_text"]   # the header stays the header


def firefox_text() -> str:
    """Firefox's "Save Page As > Text Files": "Title <https://...>" for every link."""
    cards = []
    for up, title, arxiv, who, when, comments in PAPERS:
        paper = f"https://huggingface.co/papers/{arxiv}"
        chip = (f"{who[1]} <https://huggingface.co/{who[0]}> · " if isinstance(who, tuple)
                else f"  * {who} authors\n\n· ")
        count = f" {comments} <{paper}#community>" if comments else ""
        cards.append(f"<{paper}>\n\n{up}\n\n{title} <{paper}>\n\n{ABSTRACT}\n\n{chip}{when}{count}\n\n"
                     f"arXiv Page <https://arxiv.org/abs/{arxiv}>\n")
    return ("Hugging Face <https://huggingface.co/>\n\nDaily Papers\n\nby AK <https://huggingface.co/akhaliq> and "
            "the research community\n\nPrevious <https://huggingface.co/papers/date/2025-11-10> Nov 11 Next "
            "<https://huggingface.co/papers/date/2025-11-12>\n\n" + "\n".join(cards))


def test_firefox_text_with_each_links_url_after_its_text_reads_every_card():
    text = firefox_text()
    entries = parse_any_capture(text, DAY).entries
    assert read(text) == EXPECTED
    assert [(e["arxiv_id"], e["organization"]) for e in entries] == [
        ("2511.00001", "acme"), ("2511.00002", None), ("2511.00003", None)]


@pytest.mark.parametrize("dot", [" · ", "·"], ids=["spaced", "glued"])
@pytest.mark.parametrize("mark", ["", "**", "__", "*", "_"])
def test_text_with_its_links_written_as_markdown_but_no_heading_reads_every_card(dot, mark):
    # inscriptis with its links shown: "[Title](/papers/ID)" alone on its line (or in bold or italics),
    # the comment count a link too, the site's navigation links above, and no Markdown heading
    # anywhere; the page spaces its "·" by style, so the text may have no space around it
    cards = []
    for up, title, arxiv, who, when, comments in PAPERS:
        chip = (f"[{who[1]}](/{who[0]}){dot}" if isinstance(who, tuple) else f"    * \n  {who} authors{dot}")
        count = f"[{comments}](/papers/{arxiv}#community)" if comments else ""
        cards.append(f"  {up}\n\n    {mark}[{title}](/papers/{arxiv}){mark}\n\n    {ABSTRACT}\n\n{chip}{when}{count}\n")
    text = ("  * [Hugging Face](/)\n  * [Models](/models)\n\nDaily Papers\n\nby [AK](/akhaliq) and the "
            "research community\n\n  [Previous](/papers/date/2025-11-10) Nov 11 [Next](/papers/date/2025-11-12)\n"
            + "".join(cards))
    entries = parse_any_capture(text, DAY).entries
    assert read(text) == EXPECTED
    assert [(e["arxiv_id"], e["organization"]) for e in entries] == [
        ("2511.00001", "acme"), ("2511.00002", None), ("2511.00003", None)]


@pytest.mark.parametrize("mark", ["**", "__", "*", "_", "***"])
@pytest.mark.parametrize("inside", [True, False], ids=["in the link", "around the heading"])
def test_emphasis_on_a_title_is_no_part_of_it(mark, inside):
    # Google Docs' Markdown download bolds every heading: "### [**Title**](URL)"
    heading = (lambda t, link: f"### [{mark}{t}{mark}]({link})") if inside else (
        lambda t, link: f"### {mark}[{t}]({link}){mark}")
    text = inline_markdown()
    for _, title, arxiv, *_ in PAPERS:
        text = text.replace(f"### [{title}](https://huggingface.co/papers/{arxiv})",
                            heading(title, f"https://huggingface.co/papers/{arxiv}"))
    entries = parse_any_capture(text, DAY).entries
    assert [(e["title"], e["arxiv_id"]) for e in entries] == [(title, arxiv) for _, title, arxiv, *_ in PAPERS]


@pytest.mark.parametrize("mark", ["**", "__", "*", "_"])
def test_emphasis_on_a_heading_without_its_link_is_no_part_of_the_title(mark):
    # html2text --ignore-links of a page whose titles are bold
    text = markdown_without_links(label=False)
    for _, title, *_ in PAPERS:
        text = text.replace(f"### {title}", f"### {mark}{title}{mark}")
    assert [e["title"] for e in parse_any_capture(text, DAY).entries] == [title for _, title, *_ in PAPERS]


def test_turndowns_escaped_dash_of_a_card_without_votes_is_zero():
    # MarkDownload and Obsidian's clipper (Turndown) escape the "-" a card shows for no votes
    text = inline_markdown().replace("\n\n95\n\n", "\n\n\\-\n\n")
    assert [e["upvotes"] for e in parse_any_capture(text, DAY).entries] == [0, 80, 53]


def markdown_without_links(label: bool) -> str:
    """markdownify's Markdown of the page with links stripped (strip=["a"]): "### Title" with no
    paper link, an organization as its logo (the handle its alt text) and name, the "·" on a line
    of its own above the date and the comment count; with the "Upvote" label over each count and
    "Published on" before each date, or neither."""
    cards = []
    for up, title, arxiv, who, when, comments in PAPERS:
        chip = (f"![{who[0]}](https://cdn-avatars.huggingface.co/{who[0]}.png){who[1]}\n" if isinstance(who, tuple)
                else "* ![](https://huggingface.co/avatars/x.svg)\n" * 2 + f"* {who} authors\n\n")
        cards.append(f"![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv}.png)\n\n"
                     + ("Upvote\n\n" if label else "") + f"{up}\n\n### {title}\n\n{ABSTRACT}\n\n{chip}·\n"
                     + ("Published on " if label else "") + f"{when}\n" + (f"{comments}\n" if comments else "")
                     + "\narXiv Page\n")
    header = "Hugging Face\n\n# Daily Papers\n\nby AK and the research community\n\nPrevious Nov 11 Next\n\n"
    return header + "\n".join(cards)


@pytest.mark.parametrize("label", [True, False], ids=["upvote-label", "count-only"])
def test_markdown_without_links_reads_each_heading_as_its_title(label):
    # read before as a plain capture: each card's abstract taken for its title, one card's loaded
    entries = parse_any_capture(markdown_without_links(label), DAY).entries
    assert read(markdown_without_links(label)) == EXPECTED
    assert [e["abstract"] for e in entries] == [ABSTRACT] * 3
    assert [str(e["published_on"]) for e in entries] == ["2025-11-05", "2025-11-10", "2025-11-09"]
    assert [e["organization"] for e in entries] == ["acme", None, None]   # the logo's alt text


@pytest.mark.parametrize("width", [30, 40])
def test_a_linkless_heading_wrapped_onto_several_lines_is_one_title(width):
    """html2text --ignore-links wraps a heading as any paragraph (at 40 columns a title takes two
    or three lines, the later ones may be wider than the first): the lines up to the blank line
    are the title."""
    text = markdown_without_links(False)
    for _, title, *_ in PAPERS:
        text = text.replace(f"### {title}\n", "\n".join(textwrap.wrap(f"### {title}", width)) + "\n")
    assert ("\nRebuilding for Agents That Plan Ahead\n" if width == 40 else "\nvia State Rebuilding for\n") in text
    assert read(text) == EXPECTED


def inscriptis_text(pad: str) -> str:
    """inscriptis's text of the made-up page (indented cards, each abstract on one line, the
    second card's one short sentence), every line followed by `pad`."""
    out = ["  * Hugging Face", "  * Models", "", "Daily Papers", "", "by AK and the research community", "",
           "  Nov 11"]
    for n, (up, title, _, who, when, comments) in enumerate(PAPERS):
        who_text = who[1] if isinstance(who, tuple) else f"{who} authors"
        abstract = ABSTRACT.split(", and")[0] + "." if n == 1 else " ".join([ABSTRACT] * 5)
        out += [f"      {up}", "", f"    {title}", "", f"    {abstract}", "", "        * ",
                f"      {who_text} · {when} {comments}"]
    return "\n".join(line + pad for line in out) + "\n"


def test_lines_of_spaces_are_blank_lines_not_a_print_without_any():
    """A tool that pads every line, blank ones too, leaves no empty line: the text is not a
    print's (whose titles are told by their shorter lines), and a card with a short abstract
    keeps its title apart from it."""
    padded = inscriptis_text("  ")
    assert "\n\n" not in padded
    assert read(padded) == read(inscriptis_text("")) == EXPECTED


def test_a_text_without_blank_lines_whose_paragraphs_are_lines_is_no_print():
    """inscriptis's text with its blank lines removed: no blank line, as a print's, but each
    abstract is one line of hundreds of characters, no page's width: the plain reader reads it
    (the print's rule took the short abstract for a title line, and quarantined its card)."""
    squeezed = "\n".join(line for line in inscriptis_text("").split("\n") if line.strip())
    assert read(squeezed) == EXPECTED


LONG_TITLE = ("HierCount++: Bridging the Gap between Sprockets and Gears Interchangeability-Preserving "
              "Representations of Widgets by Hierarchical Counting for Zero-shot Synthesis")


@pytest.mark.parametrize("width", [20, 40, 78])
def test_a_long_linkless_heading_is_whole_at_any_wrap_width(width):
    """A long title wrapped by html2text --ignore-links: at 78 columns its first line ends early
    (the next word is long) and the second runs far past it; at 20 columns it takes eleven
    lines. Each line ends where a wrap at the block's width ends it, so all are the title."""
    old_title = PAPERS[1][1]
    wrapped = "\n".join(textwrap.wrap(f"### {LONG_TITLE}", width))
    text = markdown_without_links(False).replace(f"### {old_title}\n", wrapped + "\n")
    assert wrapped.count("\n") >= 2 and LONG_TITLE not in text
    assert read(text) == [EXPECTED[0], (80, LONG_TITLE, 11, 16, None), EXPECTED[2]]


@pytest.mark.parametrize("line, handle, name", [
    ("wdgWidget Lab", "wdg", "Widget Lab"),            # w3m: the logo's alt text glued to the name
    ("ACMEAcme Labs", "ACME", "Acme Labs"),
    ("quiet-gearsQuiet Gears", "quiet-gears", "Quiet Gears"),
    ("GadgetLab Quiet Gadget Laboratory", "GadgetLab", "Quiet Gadget Laboratory"),   # "<handle> <name>"
    ("WidgetWorks Widget Works", "WidgetWorks", "Widget Works"),
    ("sprockets Sprocket Society", "sprockets", "Sprocket Society"),
], ids=["glued-lower", "glued-upper", "glued-hyphen", "camel-handle", "same-words", "plain"])
def test_an_organization_glued_to_its_logo_text_keeps_its_handle(line, handle, name):
    cards = [f"[2511]\n{up}\n\n{title}\n\n{ABSTRACT}\n\n{line} · {when} {comments}\narXiv Page\n"
             for up, title, _, _, when, comments in PAPERS]
    entries = parse_any_capture("Hugging Face\n\nDaily Papers\n\nPrevious Nov 11 Next\n" + "".join(cards), DAY).entries
    assert [(e["title"], e["organization"], e["organization_name"]) for e in entries] == [
        (title, handle, name) for _, title, *_ in PAPERS]


def test_a_submitter_line_above_a_card_is_no_paper():
    # inscriptis (and a printed page's text) keep "Submitted by <name>" on one line above each card
    cards = []
    for up, title, _, who, when, comments in PAPERS:
        chip = f"        {who[1]} · {when} {comments}" if isinstance(who, tuple) else (
            "          * \n" * 2 + f"          * {who} authors\n        · {when} {comments}")
        cards.append(f"    Submitted by Ada Widget\n        {up}\n\n      {title}\n\n      {ABSTRACT}\n\n{chip}\n"
                     "    arXiv Page\n")
    text = "Daily Papers\n\nby AK and the research community\n\n  Previous Nov 11 Next\n" + "".join(cards)
    assert [e["title"] for e in parse_any_capture(text, DAY).entries] == [title for _, title, *_ in EXPECTED]
    assert read(text) == EXPECTED
    # a paper whose title starts so stays a paper: its abstract follows it, not a title
    titled = text.replace("Submitted by Ada Widget\n        53\n\n      Curating Data for Verifiable Rewards",
                          "53\n\n      Submitted by Widgets")
    assert titled != text
    assert "Submitted by Widgets" in [e["title"] for e in parse_any_capture(titled, DAY).entries]


@pytest.mark.parametrize("quote", ["> ", ">", "> > "], ids=["quoted", "no-space", "quoted-twice"])
def test_a_capture_quoted_in_a_mail_reply_reads_as_it_was(quote):
    for text in (select_all(wrap=None), w3m_cards(ABSTRACT), inline_markdown()):
        quoted = "\n".join(quote + line if line else quote.rstrip() for line in text.split("\n"))
        assert read(quoted) == read(text) and len(read(text)) == 3


def pandoc_markdown(wrap_attributes: bool) -> str:
    """pandoc's own Markdown of the page (-t markdown, markdown_phpextra): the page's classes
    and ids as attributes after links and headings (the one after a comment link wrapped onto
    the next line, or not), and its <div>s as fenced divs."""
    after_comments = "{.flex\n.items-center}" if wrap_attributes else "{.flex .items-center}"
    text = re.sub(r"(#community\))", r"\1" + after_comments, inline_markdown())
    text = re.sub(r"(\.png\)\]\([^)]*\))", r"\1{.block}", text)
    text = re.sub(r"^(### .*)$", r"\1 {#made-up .mb-1 .text-lg}", text, flags=re.MULTILINE)
    return text.replace("\n\n### ", "\n\n::: w-full\n### ").replace("\n[arXiv Page]", "\n:::\n\n[arXiv Page]")


@pytest.mark.parametrize("wrap_attributes", [False, True], ids=["markdown", "phpextra"])
def test_pandoc_markdown_attributes_and_fenced_divs_hide_no_count(wrap_attributes):
    text = pandoc_markdown(wrap_attributes)
    assert "{.flex" in text and "\n::: w-full" in text
    # before: every comment count read as 0 (the count's link ended in "{...}")
    assert read(text) == read(inline_markdown()) == EXPECTED


def test_the_pages_of_two_days_in_one_file_are_refused_and_one_page_twice_is_read_once():
    one = select_all(wrap=None)
    other_day = one.replace("Previous Nov 11 Next", "Previous Nov 10 Next")
    with pytest.raises(SnapshotError, match="holds 2 pages, of Nov 11, Nov 10: save each day's page"):
        parse_any_capture(one + "\n" + other_day, DAY)   # before: every paper listed on Nov 11
    entries = parse_any_capture(one + "\n" + one, DAY).entries
    assert [e["title"] for e in entries if not e["invalid"]] == [title for _, title, *_ in EXPECTED]
    assert sum("a repeat of entry" in " ".join(e["invalid"]) for e in entries) == 3


def pandoc_page_markdown() -> str:
    """pandoc's Markdown of the saved page's own HTML: fenced divs, the vote count in its own div, the title
    link with its class, and the who, "·", date and comment link wrapped onto two lines at 72."""
    icon = "![](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)"
    cards = []
    for up, title, arxiv, who, when, comments in PAPERS:
        chip = (f"[![](https://cdn-avatars.huggingface.co/{who[0]}.png){who[1]}](/{who[0]})"
                if isinstance(who, tuple) else f"- ![](/avatars/a.svg)\n\n{who} authors")
        month, day = when.split()
        cards.append(f":::: vote\n{icon}\n\n::: count\n{up}\n:::\n::::\n\n:::: {{}}\n"
                     f"### [{title}](/papers/{arxiv}){{.line-clamp-3}}\n\n{ABSTRACT}\n\n::: meta\n"
                     f"{chip}·{month}\n{day}[{icon}{comments}](/papers/{arxiv}#community){{.comments}}\n"
                     ":::\n::::\n")
    return "::: picker\nNov 11\n:::\n\n::::: {data-target=\"DailyPapers\"}\n" + "\n".join(cards)


@pytest.mark.parametrize("flowed", [False, True], ids=["wrapped", "format-flowed"])
def test_a_link_target_a_wrap_cut_in_two_keeps_its_comment_count(flowed):
    # A tool that wraps at 72 columns and breaks long words (Python's textwrap, `fold`) cuts the
    # comment link's target: "...](/papers/2511.00001#c" / "ommunity){.comments}"; a mail
    # client's format=flowed also leaves a space at the end of the cut line.
    lines = pandoc_page_markdown().split("\n")
    wrapped = [textwrap.wrap(line, 72) or [""] for line in lines]
    text = "\n".join(part + (" " if flowed and k < len(parts) - 1 else "")
                     for parts in wrapped for k, part in enumerate(parts))
    assert "#c\n" in text.replace(" \n", "\n") and "\nommunity){.comments}" in text
    assert read(pandoc_page_markdown()) == EXPECTED
    assert read(text) == EXPECTED

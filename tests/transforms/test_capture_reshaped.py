"""The plain reader (transforms/capture_parser.py) on captures a tool or a person reshaped:
the page pasted twice, lines wrapped at a hyphen or filled with no blank line, a block glued
around its "·", ligatures. Made-up papers only."""

from datetime import date

import pytest

from transforms.capture_parser import parse_capture

SNAPSHOT = date(2025, 12, 10)


PAGE_TOP = ("new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
            "byAK and the research community\n\nDec 10\n\n")
MADE_UP_CARDS = (
    "Sparse Widgets for Foo\n\nWe study made-up sparse widgets on made-up tasks and find gains in most settings.\n\n"
    "  • 4 authors\n·\nDec 9 3\n\n"
    "Dense Gadgets Revisited\n\nWe revisit made-up dense gadgets and find that they help on made-up tasks.\n\n"
    "acme-ai Acme AI Lab\n·\nDec 8\n\n")


def test_a_page_pasted_twice_reads_its_second_top_as_no_paper():
    entries = parse_capture(PAGE_TOP + MADE_UP_CARDS + "Previous\n\nNext\n\n" + PAGE_TOP + MADE_UP_CARDS,
                            SNAPSHOT).entries
    assert [(e["title"], e["complete"], bool(e["invalid"])) for e in entries] == [
        ("Sparse Widgets for Foo", True, False), ("Dense Gadgets Revisited", True, False),
        ("Sparse Widgets for Foo", True, True), ("Dense Gadgets Revisited", True, True)]


def test_the_page_date_wrapped_inside_an_abstract_is_abstract_text():
    cards = MADE_UP_CARDS.replace("find that they help", "find by\nDec 10\nthat they help", 1)
    entries = parse_capture(PAGE_TOP + cards, SNAPSHOT).entries
    assert [e["title"] for e in entries] == ["Sparse Widgets for Foo", "Dense Gadgets Revisited"]
    assert "find by Dec 10 that they help" in entries[1]["abstract"]


@pytest.mark.parametrize(("lines", "title"), [
    # a wrap after a hyphen the title holds
    (["Vision-", "Language Widgets for Foo"], "Vision-Language Widgets for Foo"),
    (["Self-", "refining Gadgets for Foo"], "Self-refining Gadgets for Foo"),
    # a word broken by a hyphenating wrap, written whole in the abstract
    (["Widget Capabi-", "lities for Foo"], "Widget Capabilities for Foo"),
    (["Gadget Genera-", "tion at Scale"], "Gadget Generation at Scale"),
    # written with its hyphen elsewhere in the capture: the hyphen stays
    (["Multi-", "widget Foo"], "Multi-widget Foo"),
])
def test_a_title_wrapped_at_a_hyphen_is_joined_without_a_space(lines, title):
    abstract = ("We study widget capabilities and gadget generation at scale; a multi-widget setup "
                "and a multiwidget one are compared.")
    text = PAGE_TOP + "\n".join(lines) + f"\n\n{abstract}\n\n  • 4 authors\n·\nDec 9 3\n\n"
    (entry,) = parse_capture(text, SNAPSHOT).entries
    assert entry["title"] == title


def test_a_block_glued_around_its_dot_is_read_where_no_other_block_is():
    # a PDF's text: the card's who, "·" and date side by side with no space, no blank lines
    text = ("Daily Papers\nbyAK and the research community\nDec 10\n12\nSparse Widgets for Foo\n"
            "We study made-up sparse widgets on made-up tasks and find gains in most settings.\n"
            "4 authors·Dec 9 3\n7\nDense Gadgets Revisited\n"
            "We revisit made-up dense gadgets and find that they help on made-up tasks.\n"
            "acme-ai Acme AI Lab·Dec 8\n")
    entries = parse_capture(text, SNAPSHOT).entries
    assert [(e["title"], e["upvotes"], e["n_authors"], e["organization_name"], e["published_on"], e["comments"])
            for e in entries] == [("Sparse Widgets for Foo", 12, 4, None, date(2025, 12, 9), 3),
                                  ("Dense Gadgets Revisited", 7, None, "Acme AI Lab", date(2025, 12, 8), 0)]


def test_ligatures_of_a_pdfs_text_read_as_their_letters():
    from transforms.capture_formats import parse_any_capture

    text = (PAGE_TOP + "E\ufb00ective Widget \ufb01ne-tuning\n\nWe \ufb01nd that made-up widgets \ufb02ow "
            "well in most settings we try.\n\n  • 4 authors\n·\nDec 9 3\n\n")
    (entry,) = parse_any_capture(text, SNAPSHOT).entries
    assert (entry["title"], entry["abstract"]) == (
        "Effective Widget fine-tuning", "We find that made-up widgets flow well in most settings we try.")


def test_a_title_and_abstract_wrapped_with_no_blank_line_are_told_apart():
    # a plain capture with its blank lines gone and every line filled to 72 columns: the title
    # takes two lines, the second one ends before the width (the abstract's first word would fit)
    import textwrap

    title = "Rethinking Long Horizons via State Rebuilding for Agents That Plan Far Ahead of Time"
    abstract = ("We study how made-up agents plan over long horizons when their state must be rebuilt "
                "from partial notes, and find that a small rebuilding step helps in most settings we "
                "try while costing little compute. The analysis explains when it fails.")
    card = "\n".join(textwrap.wrap(title, 72) + textwrap.wrap(abstract, 72) + ["  • 4 authors", "·", "Dec 9 3"])
    text = "Daily Papers\nbyAK and the research community\nDec 10\n" + card + "\n" + card.replace("Far", "Near")
    entries = parse_capture(text, SNAPSHOT).entries
    assert [(e["title"], e["abstract"], e["complete"]) for e in entries] == [
        (title, abstract, True), (title.replace("Far", "Near"), abstract, True)]


def test_a_title_left_whole_above_an_abstract_wrapped_narrower_is_told_apart():
    # pandoc -t plain leaves a heading on one line and fills the abstract to 72 columns; with
    # the blank lines gone, the title's line is wider than any line of the abstract's wrap, so
    # the abstract's first line is no part of the title
    import textwrap

    title = "Rethinking Long Horizons via State Rebuilding for Made-Up Agents That Plan Far Ahead"
    abstract = ("We study how made-up agents plan over long horizons when their state must be rebuilt "
                "from partial notes, and find that a small rebuilding step helps in most settings we "
                "try while costing little compute. The analysis explains when it fails.")
    assert len(title) > 72
    card = "\n".join([title, *textwrap.wrap(abstract, 72), "  • 4 authors", "·", "Dec 9 3"])
    text = "Daily Papers\nbyAK and the research community\nDec 10\n" + card + "\n" + card.replace("Far", "Near")
    entries = parse_capture(text, SNAPSHOT).entries
    assert [(e["title"], e["abstract"], e["complete"]) for e in entries] == [
        (title, abstract, True), (title.replace("Far", "Near"), abstract, True)]


def test_an_abstract_wrapped_without_breaking_at_hyphens_stays_whole_before_its_url():
    # a wrap that never breaks at a hyphen (textwrap's break_on_hyphens=False, most editors)
    # ends a line early before a URL holding one: the line is still the wrap's, and the card's
    # abstract stays one, never a row a line
    import textwrap

    title = "Rethinking Long Horizons via State Rebuilding for Agents"
    abstract = ("We study how made-up agents plan over long horizons when their state must be rebuilt "
                "from partial notes, and find that a small rebuilding step helps in most settings. " * 3
                + "The code is at https://github.com/made-up-lab/LongHorizonWidgetsAndMore .")
    lines = textwrap.wrap(abstract, 72, break_on_hyphens=False)
    assert lines[-1].startswith("https://") and len(lines[-2]) + len(" https://github.com/made-") <= 72
    card = "\n".join(["12", title, *lines, "", "", "4 authors·Dec 93", ""])   # (a select-all copy)
    header = "Daily Papers\nby AK and the research community\n\nDec 10\n\n"
    text = header + card + "\n" + card.replace("Agents", "Robots")
    entries = parse_capture(text, SNAPSHOT).entries
    assert [(e["title"], e["abstract"], e["complete"]) for e in entries] == [
        (title, abstract, True), (title.replace("Agents", "Robots"), abstract, True)]


def test_a_title_wrapped_without_breaking_at_hyphens_is_one_title():
    # the title's second line starts with a hyphenated word that a wrap breaking at hyphens
    # would have begun on the first line ("Rounds of Self-" / "corrections"): one that never
    # breaks there ended the first line for the whole word, so the title goes on
    import textwrap

    title = "ToyPlanner: Teaching Made-Up Robots to Stack Widgets by Rounds of Self-corrections and Small Rewards"
    abstract = " ".join(["We study how made-up agents plan over long horizons when their state must be rebuilt "
                         "from partial notes, and find that a small rebuilding step helps in most settings."] * 3)
    title_lines = textwrap.wrap(title, 72, break_on_hyphens=False)
    assert title_lines[1].startswith("Self-corrections") and len(title_lines[0]) + len(" Self-") <= 72
    card = "\n".join(["12", *title_lines, *textwrap.wrap(abstract, 72, break_on_hyphens=False),
                      "", "", "4 authors·Dec 93", ""])   # (a select-all copy)
    header = "Daily Papers\nby AK and the research community\n\nDec 10\n\n"
    text = header + card + "\n" + card.replace("Robots ", "Gadgets ")
    entries = parse_capture(text, SNAPSHOT).entries
    assert [(e["title"], e["abstract"], e["complete"]) for e in entries] == [
        (title, abstract, True), (title.replace("Robots ", "Gadgets "), abstract, True)]


@pytest.mark.parametrize("title, read", [
    # Title Case, then a sentence: the title ends where the case turns
    ("GearMix: Large Gadget Models Align Toy Widgets across Made-Up Sensors with Real-time "
     "Self-Aware Gadget Planning over Very Long Horizons", True),
    # sentence case going on in lower case: no abstract starts so, the title goes on to the
    # line that starts with a capital
    ("GearMix: large gadget models align toy widgets across made-up sensors with real-time "
     "self-aware gadget planning over very long horizons", True),
    # sentence case going on with a name: nothing tells the title's end from the abstract's
    # start; the paper is read once, its title cut at a line's end, never run into its abstract
    ("GearMix: large gadget models align toy widgets across made-up sensors Toyota robots "
     "then plan with real-time self-aware planning over horizons", False),
], ids=["title-case", "sentence-case", "sentence-case-name"])
def test_a_wrapped_title_ends_where_title_case_turns_into_a_sentence(title, read):
    # no blank lines, and the abstract's first word would not have fitted after the title's
    # last line either: the wrap alone cannot tell where the title ends
    import textwrap

    abstract = " ".join(["Throughout our made-up study, toy widgets learn to merge sounds and pictures into "
                         "one stream, though so far only inside closed gadgets that nobody else can open."] * 2)
    title_lines, lines = textwrap.wrap(title, 72), textwrap.wrap(abstract, 72)
    assert len(title_lines) == 2 and len(title_lines[1]) + len(" Throughout") > 72
    card = "\n".join(["12", *title_lines, *lines, "", "", "4 authors·Dec 93", ""])   # (a select-all copy)
    text = "Daily Papers\nby AK and the research community\n\nDec 10\n\n" + card
    titles = [e["title"] for e in parse_capture(text, SNAPSHOT).entries if e["title"]]
    if read:
        assert titles == [title]
    else:
        assert titles == [title_lines[0]]

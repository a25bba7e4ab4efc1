"""Golden tests of transforms.capture_parser on the bundled real capture and hand-made variants.

Expected values were read off seeds/captures/2025-12-10_75ea5f93878b491f.txt by eye (line
numbers in comments), not copied from the parser's output.
"""

from datetime import date, datetime

import pytest

from tests.shared_data import ROOT
from transforms.capture_dates import resolve_header_date, resolve_month_day
from transforms.capture_parser import CaptureResult, parse_capture
from transforms.errors import SnapshotError
from transforms.observations import ENTRY_FIELDS

SAMPLE = ROOT / "seeds" / "captures" / "2025-12-10_75ea5f93878b491f.txt"
SNAPSHOT = date(2025, 12, 10)


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(sample_text) -> CaptureResult:
    return parse_capture(sample_text, SNAPSHOT)


def by_title(result: CaptureResult, prefix: str) -> dict:
    (entry,) = [e for e in result.entries if (e["title"] or "").startswith(prefix)]
    return entry


# --- the real sample -------------------------------------------------------------------------

def test_sample_has_43_entries_in_page_order(sample):
    assert sample.header_date == date(2025, 12, 10)
    assert len(sample.entries) == 43
    assert [e["position"] for e in sample.entries] == list(range(1, 44))
    assert all(set(e) == set(ENTRY_FIELDS) for e in sample.entries)
    assert sum(e["complete"] for e in sample.entries) == 42
    # the capture shows neither upvotes nor links, nor who wrote what
    for name in ("upvotes", "arxiv_id", "authors", "author_handles", "ai_keywords", "listed_on"):
        assert all(e[name] is None for e in sample.entries), name


def test_first_entry(sample):
    first = sample.entries[0]  # lines 13-19
    assert first["title"] == "Benign Overfitting and Grokking in ReLU Networks for XOR Cluster Data"
    assert first["abstract"].startswith("Neural networks trained by gradient descent (GD)")
    assert first["abstract"].endswith("gradually learns generalizable features in later steps.")
    assert first["n_authors"] == 5
    assert first["published_on"] == date(2023, 10, 3)
    assert first["comments"] == 0
    assert first["organization"] is None and first["organization_name"] is None
    assert first["complete"] is True and first["problems"] == []
    assert first["raw_text"].startswith("Benign Overfitting")
    assert first["raw_text"].endswith("  • 5 authors\n·\nOct 3, 2023")


def test_entry_without_who_date_block_is_kept_incomplete(sample):
    think = sample.entries[28]  # lines 237-239: title and abstract, nothing else
    assert think["title"] == ("Think Right: Learning to Mitigate Under-Over Thinking via Adaptive,"
                              " Attentive Compression")
    assert think["abstract"].startswith("Recent thinking models solve complex reasoning tasks")
    assert think["complete"] is False
    assert "no authors/date block" in think["problems"]
    assert think["n_authors"] is None and think["published_on"] is None
    assert think["comments"] is None
    nxt = sample.entries[29]  # lines 241-247
    assert nxt["title"] == ("Towards generalizable single-cell perturbation modeling via the"
                            " Conditional Monge Gap")
    assert (nxt["n_authors"], nxt["published_on"], nxt["complete"]) == (4, date(2025, 4, 11), True)


def test_year_less_dates_and_comment_counts(sample):
    aug = by_title(sample, "Optimal Sparsity of Mixture-of-Experts")  # line 99: "Aug 26 2"
    assert (aug["published_on"], aug["comments"], aug["n_authors"]) == (date(2025, 8, 26), 2, 7)
    nov = by_title(sample, "Routing Manifold Alignment")  # line 147: "Nov 10 2"
    assert (nov["published_on"], nov["comments"], nov["n_authors"]) == (date(2025, 11, 10), 2, 3)
    jun = by_title(sample, "Atomic-to-Compositional")  # line 75: "Jun 10"
    assert (jun["published_on"], jun["comments"]) == (date(2025, 6, 10), 0)
    llm = by_title(sample, "LLM+P")  # line 107: "Apr 22, 2023 2"
    assert (llm["published_on"], llm["comments"]) == (date(2023, 4, 22), 2)
    old = by_title(sample, "Train longer, generalize better")  # line 227: "May 24, 2017"
    assert old["published_on"] == date(2017, 5, 24)


def test_organization_line(sample):
    org = by_title(sample, "Combinatorial Creativity")  # lines 149-155
    assert org["organization"] == "spiralworks"
    assert org["organization_name"] == "Spiral Works"
    assert org["n_authors"] is None
    assert (org["published_on"], org["comments"], org["complete"]) == (date(2025, 9, 25), 2, True)


def test_a_header_of_another_day_is_the_day_the_page_shows_not_an_error(sample_text):
    """The header is the last source of a snapshot date: the file name or --snapshot-date (the
    day it was captured) wins, and the header says which day's list the page shows."""
    result = parse_capture(sample_text, date(2025, 12, 11))
    assert result.header_date == date(2025, 12, 10)
    assert len(result.entries) == 43
    # a datetime is taken for its day
    assert parse_capture(sample_text, datetime(2025, 12, 10, 23, 59)).header_date == SNAPSHOT


@pytest.mark.parametrize("text", ["", "\ufeff", "hello\nworld", "·\n·\n", "\x00" * 50,
                                  "new\n\nDaily Papers\n\nDec 10\n\nSome title\n\nSome text."])
def test_no_listing_raises_snapshot_error(text):
    with pytest.raises(SnapshotError, match="no paper listing found"):
        parse_capture(text, SNAPSHOT)


# --- the same capture, saved differently ---------------------------------------------------

def comparable(result: CaptureResult) -> list[dict]:
    return [dict(e) for e in result.entries]


def test_crlf_bom_trailing_spaces_and_blank_lines_change_nothing(sample_text, sample):
    lines = sample_text.split("\n")
    variant = "\ufeff" + "\r\n".join(line + "  \t" * (i % 2) for i, line in enumerate(lines))
    assert comparable(parse_capture(variant, SNAPSHOT)) == comparable(sample)
    old_mac = sample_text.replace("\n", "\r")
    assert comparable(parse_capture(old_mac, SNAPSHOT)) == comparable(sample)


def values(result: CaptureResult) -> list[dict]:
    """Everything but raw_text, which keeps the capture's own blank lines."""
    return [{k: v for k, v in e.items() if k != "raw_text"} for e in result.entries]


def test_blank_line_differences_keep_every_value(sample_text, sample):
    lines = sample_text.split("\n")
    squeezed = "\n".join(line for line in lines if line.strip())
    doubled = "\n\n".join(lines) + "\n\n\n"
    for variant in (squeezed, doubled):
        assert values(parse_capture(variant, SNAPSHOT)) == values(sample)


def test_site_navigation_around_the_listing_is_ignored(sample_text, sample):
    nav = "Hugging Face\n\n[Models](https://huggingface.co/models)\n\nDatasets\n\nLog In\n\n"
    footer = ("\n\nPrevious\n\n1\n\n2\n\nNext\n\nSystem theme\n\nCompany\n\n"
              "[TOS](https://huggingface.co/terms-of-service)\n\nPrivacy\n")
    assert comparable(parse_capture(nav + sample_text + footer, SNAPSHOT)) == comparable(sample)


def test_missing_abstract_and_missing_block(sample_text):
    lines = sample_text.split("\n")
    assert lines[14].startswith("Neural networks trained")  # line 15: the first abstract
    assert lines[16:19] == ["  • 5 authors", "·", "Oct 3, 2023"]
    no_abstract = parse_capture("\n".join(lines[:14] + lines[15:]), SNAPSHOT).entries
    assert len(no_abstract) == 43
    assert no_abstract[0]["abstract"] is None and no_abstract[0]["complete"] is True
    assert no_abstract[0]["n_authors"] == 5
    no_block = parse_capture("\n".join(lines[:16] + lines[19:]), SNAPSHOT).entries
    assert len(no_block) == 43
    assert no_block[0]["complete"] is False and no_block[0]["abstract"] is not None
    assert no_block[1]["title"].startswith("Which Invariance") and no_block[1]["n_authors"] == 5


# --- a capture that kept upvotes and links ---------------------------------------------------

LONG = ("This abstract is long enough to be read as one, the way a real abstract runs on for a"
        " paragraph of several sentences describing a method, its evaluation and its results on"
        " several benchmarks, which is what the parser expects of an abstract line.")
RICH = f"""Hugging Face
[Models](https://huggingface.co/models)
new
Get trending papers in your email inbox!
Subscribe
Daily Papers
byAK and the research community
Nov 3

12

First Paper: Upvotes, Links and a Chain-of-Thought Title With Comments
https://huggingface.co/papers/2510.27492

{LONG}
https://arxiv.org/abs/2510.27492v2

[

8 authors](https://huggingface.co/papers/2510.27492#authors)
·
Oct 30
7
https://huggingface.co/papers/2510.27492#community

 [-] -

Second Paper With The Other Organization Form
https://huggingface.co/papers/2511.00001

Short abstract.
 Spiral Works
https://huggingface.co/spiralworks
·
Oct 3, 2024 3

 [-] 5

Third Paper: Organization Line And No Abstract
spiralworks Spiral Works
·
Nov 1
4

-

Fourth Paper Lost Its Block
https://arxiv.org/abs/2510.00004

{LONG}

2

Fifth Paper
https://huggingface.co/papers/2510.00005

{LONG}
  • -3 authors
·
Feb 29, 2024

System theme
[TOS](https://huggingface.co/terms-of-service)
"""


def test_capture_with_upvotes_links_and_both_organization_forms():
    result = parse_capture(RICH, date(2025, 11, 3))
    assert result.header_date == date(2025, 11, 3)
    got = [(e["position"], e["upvotes"], e["title"], e["arxiv_id"], e["n_authors"],
            e["organization"], e["organization_name"], e["published_on"], e["comments"],
            e["complete"]) for e in result.entries]
    assert got == [
        (1, 12,
         "First Paper: Upvotes, Links and a Chain-of-Thought Title With Comments",
         "2510.27492", 8, None, None, date(2025, 10, 30), 7, True),
        (2, 0, "Second Paper With The Other Organization Form", "2511.00001", None,
         "spiralworks", "Spiral Works", date(2024, 10, 3), 3, True),
        (3, 5, "Third Paper: Organization Line And No Abstract", None, None,
         "spiralworks", "Spiral Works", date(2025, 11, 1), 4, True),
        (4, 0, "Fourth Paper Lost Its Block", "2510.00004", None, None, None, None, None, False),
        (5, 2, "Fifth Paper", "2510.00005", -3, None, None, date(2024, 2, 29), 0, True),
    ]
    assert result.entries[1]["abstract"] == "Short abstract."
    assert result.entries[2]["abstract"] is None
    assert result.entries[3]["problems"] == ["no authors/date block"]
    assert result.entries[0]["raw_text"].startswith("12\n\nFirst Paper: ")
    assert result.entries[0]["raw_text"].endswith("#community")


def test_lone_number_after_a_date_without_upvote_lines_is_the_comment_count():
    text = (f"Dec 10\n\nA Title\n\n{LONG}\n\n  • 2 authors\n·\nAug 26\n5\n\n"
            f"B Title\n\n{LONG}\n  • 1 authors\n·\nAug 27\n")
    first, second = parse_capture(text, SNAPSHOT).entries
    assert (first["comments"], first["upvotes"], second["comments"]) == (5, None, 0)


# --- values are read as written, oddities become problems, never exceptions -----------------

def test_odd_values_are_kept_as_written():
    big = "9" * 30
    text = (f"Dec 10\n\nA\n\n{LONG}\n\n  • {big} authors\n·\nFeb 30\n\n"
            f"B\n\n{LONG}\n\n  • {'9' * 5000} authors\n·\nMar 3, 2023 {'7' * 5000}\n\n"
            f"C\n\n{LONG}\n\n  • 0 authors\n·\nFeb 29\n")
    a, b, c = parse_capture(text, SNAPSHOT).entries
    assert a["n_authors"] == int(big)
    assert a["published_on"] is None and a["complete"] is False
    assert a["invalid"] == ["date 'Feb 30' is not a calendar day"]  # quarantined downstream
    assert b["n_authors"] is None and b["published_on"] == date(2023, 3, 3)
    assert b["comments"] is None and b["invalid"] == ["comment count too long to read"]
    assert (c["n_authors"], c["published_on"]) == (0, date(2024, 2, 29))


def test_month_day_resolution():
    assert resolve_month_day(8, 26, SNAPSHOT) == date(2025, 8, 26)
    assert resolve_month_day(12, 10, SNAPSHOT) == date(2025, 12, 10)
    assert resolve_month_day(12, 11, SNAPSHOT) == date(2024, 12, 11)
    assert resolve_month_day(2, 29, SNAPSHOT) == date(2024, 2, 29)
    assert resolve_month_day(2, 29, date(2024, 2, 28)) == date(2020, 2, 29)
    assert resolve_month_day(2, 29, date(2104, 1, 1)) == date(2096, 2, 29)  # 2100 is no leap year
    assert resolve_month_day(2, 30, SNAPSHOT) is None
    assert resolve_month_day(13, 1, SNAPSHOT) is None
    assert resolve_month_day(12, 31, date(1, 1, 1)) is None
    assert resolve_header_date("Dec 10", SNAPSHOT) == SNAPSHOT
    assert resolve_header_date("Sept 3", SNAPSHOT) == date(2025, 9, 3)
    assert resolve_header_date("Dec 10 2", SNAPSHOT) is None


def test_header_that_is_not_a_calendar_day_raises(sample_text):
    with pytest.raises(SnapshotError, match="not a calendar day"):
        parse_capture(sample_text.replace("\nDec 10\n", "\nFeb 30\n", 1), SNAPSHOT)


def test_capture_without_header(sample_text, sample):
    body = sample_text.split("\nDec 10\n", 1)[1]
    result = parse_capture("Hugging Face\n\nSome Site Banner\n\n" + body, SNAPSHOT)
    assert result.header_date is None
    assert values(result) == values(sample)  # navigation without an abstract is not an entry


def test_stray_separator_in_navigation_does_not_hide_the_header(sample_text, sample):
    text = "Models\n·\nDatasets\n\n" + sample_text
    assert values(parse_capture(text, SNAPSHOT)) == values(sample)
    assert parse_capture(text, date(2025, 12, 11)).header_date == date(2025, 12, 10)   # found


@pytest.mark.parametrize("ids", [(None, "2512.00007"), ("2512.00007", None), (None, None)])
def test_a_paper_shown_twice_is_one_paper_when_one_copy_lost_its_id(ids):
    """A copy that lost its link (and with it its arXiv id) repeats the paper of the same title;
    two different ids are two papers, whatever their titles."""
    from transforms.observations import empty_entry, mark_repeats

    entries = []
    for position, arxiv_id in enumerate(ids, 1):
        entry = empty_entry(position, "")
        entry.update(title="Dense Gadgets Revisited", arxiv_id=arxiv_id)
        entries.append(entry)
    assert [e["invalid"] for e in mark_repeats(entries)] == [
        [], ["a repeat of entry 1: the same paper shown twice"]]
    entries[0].update(arxiv_id="2512.00007")
    entries[1].update(arxiv_id="2512.00008", invalid=[])
    assert [e["invalid"] for e in mark_repeats(entries)] == [[], []]


def test_a_card_pasted_twice_is_one_paper_and_a_repeat():
    cards = [("12", "Sparse Widgets for Foo", "  • 4 authors", "Dec 9 3"),
             ("7", "Dense Gadgets Revisited", "acme-ai Acme AI Lab", "Dec 8")]
    text = "Daily Papers\nDec 10\n\n" + "".join(
        f"{up}\n{title}\nWe study made-up {title.lower()} on made-up tasks and find gains.\n{who}\n·\n{when}\n\n"
        for up, title, who, when in [cards[0], cards[1], cards[1]])
    entries = parse_capture(text, SNAPSHOT).entries
    assert [(e["title"], e["upvotes"], e["invalid"]) for e in entries] == [
        ("Sparse Widgets for Foo", 12, []), ("Dense Gadgets Revisited", 7, []),
        ("Dense Gadgets Revisited", 7, ["a repeat of entry 2: the same paper shown twice"])]



@pytest.mark.parametrize("upvotes", ["", "7\n\n"])
def test_a_title_of_over_200_characters_stays_its_cards_title(upvotes):
    """Lines of 200+ characters are abstracts, except one sentence without a closing full stop
    with an abstract below it: a long title (the real history's longest runs to 206)."""
    long_title = "A Comparison of " + ", ".join(f"Method Family {n} and Variant {n}" for n in range(8))
    prose = "A Method Compared. " + long_title[:200]   # two sentences: an abstract, not a title
    assert 200 < len(long_title) < 300 and len(prose) > 200
    text = (f"Dec 10\n\n{upvotes}{long_title}\n\n{LONG}\n\n  • 4 authors\n·\nAug 26\n\n"
            f"{upvotes}B Title\n\n{LONG}\n\n  • 2 authors\n·\nAug 27\n\n"
            f"{upvotes}{prose}\n\n{LONG}\n\n  • 3 authors\n·\nAug 28\n")
    first, second, *rest = parse_capture(text, SNAPSHOT).entries
    assert (first["title"], first["abstract"], first["n_authors"]) == (long_title, LONG, 4)
    assert (second["title"], second["n_authors"]) == ("B Title", 2)
    assert [e["title"] for e in rest] == [None, None]   # the prose is no title

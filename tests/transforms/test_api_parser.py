"""API JSON parsing on the real November 2025 days (../shared/data), and on the shapes the API
has had or may send."""

from __future__ import annotations

import json
import re
import sys
from datetime import date

import pytest

from tests.conftest import API_DAYS
from transforms.api_parser import fold, parse_api_json
from transforms.errors import SnapshotError


@pytest.mark.needs_shared_data
def test_every_real_day_parses_completely():
    total = 0
    for path in API_DAYS:
        entries = parse_api_json(path.read_bytes())
        total += len(entries)
        assert [e["position"] for e in entries] == list(range(1, len(entries) + 1))
        assert all(e["complete"] and not e["invalid"] for e in entries), path.name
    assert total == 412


@pytest.mark.needs_shared_data
def test_no_real_item_of_the_history_is_quarantined():
    """The rules for ids, repeats and authors keep every real item (~6,700) as served."""
    from tests.shared_copies import listing_files
    from tests.shared_data import SHARED_DATA

    reasons = [(path.name, e["invalid"]) for path in listing_files(SHARED_DATA)
               for e in parse_api_json(path.read_bytes()) if e["invalid"]]
    assert reasons == []


@pytest.mark.needs_shared_data
def test_every_real_item_of_the_history_is_loaded_on_its_day():
    """Validated as the pipeline validates them, on the day of their file: every real item is an
    observation (~6,700), none quarantined; 8 of them carry a publishedAt months after the day
    they were listed, and are loaded with the date left empty and a note."""
    import polars as pl

    from tests.shared_copies import listing_files
    from tests.shared_data import SHARED_DATA
    from transforms.snapshot_reader import read_snapshot
    from transforms.validation import split_valid

    snaps = [read_snapshot(path.read_bytes(), date.fromisoformat(path.stem), path.name)
             for path in listing_files(SHARED_DATA)]
    valid, quarantined = split_valid(pl.concat([s.observations for s in snaps], how="diagonal_relaxed"))
    assert quarantined.height == 0, quarantined["reasons"].to_list()[:5]
    assert valid.height > 6_600
    redated = valid.filter(pl.col("problems").list.eval(pl.element().str.contains("left empty")).list.any())
    assert redated.height == 8
    assert redated["published_on"].null_count() == 8


def test_a_paper_published_after_the_day_it_was_listed_keeps_its_listing_not_its_date():
    def item(published: str, listed: str | None) -> dict:
        paper = {"id": "2404.00001", "title": "T", "summary": "S", "authors": [{"name": "A"}],
                 "publishedAt": published}
        return {"paper": paper | ({"submittedOnDailyAt": listed} if listed else {}), "numComments": 0}

    late, slack, unlisted = parse_api_json(json.dumps([
        item("2024-12-28T00:00:00.000Z", "2024-04-26T00:00:00.000Z"),    # months after its listing
        item("2024-04-28T00:00:00.000Z", "2024-04-26T00:00:00.000Z"),    # two days: time zones
        item("2024-12-28T00:00:00.000Z", None)]))                        # no listing date to judge by
    assert (late["published_on"], late["listed_on"], late["invalid"]) == (None, date(2024, 4, 26), [])
    assert late["problems"] == ["publishedAt 2024-12-28 is after the day the paper was listed "
                                "(2024-04-26, submittedOnDailyAt): the publication date is left empty"]
    assert slack["published_on"] == date(2024, 4, 28) and slack["problems"] == []
    assert unlisted["published_on"] == date(2024, 12, 28)


@pytest.mark.needs_shared_data
def test_first_item_of_a_real_day_field_by_field():
    # 2025-11-03, first item. Its text is compared with the JSON's own fields, not written
    # here: the real data is not ours to copy into the repository.
    item = json.loads(API_DAYS[0].read_bytes())[0]
    authors = item["paper"]["authors"]
    entry = parse_api_json((API_DAYS[0]).read_bytes())[0]
    assert entry["arxiv_id"] == "2510.27492"
    assert entry["title"] == fold(item["paper"]["title"])
    assert entry["n_authors"] == 8
    # The name on the paper, not the account's full name (they differ for the third author).
    assert entry["authors"][:3] == [a["name"] for a in authors[:3]]
    assert authors[2]["name"] != authors[2]["user"]["fullname"]
    # Account handles; the fourth author has no account.
    assert entry["author_handles"][:4] == [a["user"]["user"] for a in authors[:3]] + [None]
    assert str(entry["published_on"]) == "2025-10-30"
    assert str(entry["listed_on"]) == "2025-11-03"
    assert entry["comments"] == 7
    assert entry["ai_keywords"] == item["paper"]["ai_keywords"] and len(entry["ai_keywords"]) == 7
    assert entry["organization"] is None


def _item(**paper):
    base = {"id": "2401.00001", "title": "A title", "authors": [{"name": "A B"}],
            "publishedAt": "2024-01-01T00:00:00.000Z", "upvotes": 3}
    base.update(paper)
    return {"paper": base, "numComments": 1}


def test_older_and_newer_shapes_are_tolerated():
    old = _item(mediaUrl="x")                  # 2024 dumps: mediaUrl, no submittedBy/ai_*
    new = _item(id="2401.00002", someFutureField={"a": 1})   # unknown fields are ignored
    entries = parse_api_json(json.dumps([old, new]))
    assert [e["invalid"] for e in entries] == [[], []]
    assert entries[0]["ai_keywords"] is None


@pytest.mark.parametrize("field, value, reason", [
    ("upvotes", "abc", "upvotes is not a whole number"),
    ("upvotes", True, "upvotes is not a whole number"),
    ("publishedAt", "yesterday", "publishedAt is not a date"),
    ("publishedAt", 20251106, "publishedAt is not a date"),
    ("id", "../../etc/passwd", "paper id is not an arXiv id"),
    ("authors", "nobody", "authors is not a list"),
    ("authors", [{"name": "A B"}, "C D"], "authors[1] is not an object: 'C D'"),
    ("title", 42, "title is not text"),
    ("authors", [{"name": "A B"}, {"name": None}, {"name": ""}], "authors[1] has no name"),
    ("ai_keywords", [{"k": 1}, "ok"], "ai_keywords holds a value that is not text"),
    ("ai_keywords", "one keyword", "ai_keywords is not a list"),
    ("organization", "acme", "organization is not an object"),
    ("publishedAt", "2025-W44-1", "publishedAt is not a date"),     # an ISO week date
    ("publishedAt", "20251101", "publishedAt is not a date"),       # ISO's basic format
])
def test_wrong_types_become_reasons_not_exceptions(field, value, reason):
    entry = parse_api_json(json.dumps([_item(**{field: value})]))[0]
    assert any(r.startswith(reason) for r in entry["invalid"]), entry["invalid"]


def test_a_time_with_an_offset_is_the_day_it_is_in_utc():
    late = parse_api_json(json.dumps([_item(publishedAt="2025-11-02T23:30:00-05:00")]))[0]
    plain = parse_api_json(json.dumps([_item(publishedAt="2025-11-02")]))[0]
    assert (late["published_on"].isoformat(), late["invalid"]) == ("2025-11-03", [])
    assert plain["published_on"].isoformat() == "2025-11-02"


def test_an_item_whose_paper_is_not_an_object_is_no_daily_papers_item():
    [entry] = parse_api_json(json.dumps([{"paper": "2511.04570", "id": "2511.04570", "title": "A title"}]))
    assert entry["invalid"][0].startswith("paper is not an object: '2511.04570'; not a daily_papers item")


def test_json_lines_are_named_for_what_they_are():
    with pytest.raises(SnapshotError, match="JSON Lines"):
        parse_api_json(b'{"paper": {"id": "2511.00001"}}\n{"paper": {"id": "2511.00002"}}\n')


def _user(name: str, fullname: str) -> dict:
    return {"_id": "0", "name": name, "fullname": fullname, "type": "user", "avatarUrl": "/a.png"}


def test_the_submitter_is_read_from_submitted_by_else_the_papers_own_record():
    """submittedBy (the item's) first; older responses have only paper.submittedOnDailyBy (whose
    user name is in `name`, and again in `user`); an item with neither has no submitter."""
    both = {**_item(submittedOnDailyBy={**_user("on-paper", "On Paper"), "user": "on-paper"}),
            "submittedBy": _user("on-item", "On  Item ")}
    paper_only = _item(id="2401.00002", submittedOnDailyBy={"user": "someone", "fullname": "Some One"})
    neither = _item(id="2401.00003")
    not_an_object = {**_item(id="2401.00004"), "submittedBy": "someone"}
    entries = parse_api_json(json.dumps([both, paper_only, neither, not_an_object]))
    assert [(e["submitted_by"], e["submitted_by_name"]) for e in entries] == [
        ("on-item", "On Item"), ("someone", "Some One"), (None, None), (None, None)]
    assert [e["invalid"] for e in entries] == [[], [], [], []]


def test_a_submitter_name_that_is_not_text_is_a_reason():
    entry = parse_api_json(json.dumps([{**_item(), "submittedBy": {"name": 7, "fullname": "X"}}]))[0]
    assert entry["invalid"] == ["submittedBy.name is not text: 7"]


@pytest.mark.needs_shared_data
def test_every_real_item_gives_its_submitter():
    """All of ../shared/data (hf_api_daily/ and hf_api_history/, ~6,700 items): the user name
    and display name of submittedBy, and None for the items that have no submitter."""
    from tests.shared_copies import listing_files
    from tests.shared_data import SHARED_DATA

    seen = missing = 0
    for path in listing_files(SHARED_DATA):
        data = path.read_bytes()
        for item, entry in zip(json.loads(data), parse_api_json(data), strict=True):
            by = item.get("submittedBy") or item["paper"].get("submittedOnDailyBy")
            want = (by["name"], fold(by["fullname"])) if by else (None, None)
            assert (entry["submitted_by"], entry["submitted_by_name"]) == want, path.name
            seen, missing = seen + 1, missing + (by is None)
    assert seen > 6_500 and missing < 10


def test_an_object_without_a_paper_id_is_no_listed_paper():
    """Every paper the API lists carries its arXiv id: a JSON list of objects with titles only
    (someone's own file) is kept, and quarantined, not counted."""
    entries = parse_api_json(json.dumps([{"title": "Buy milk and eggs"}, {"paper": {"title": "T"}}]))
    assert [e["invalid"] for e in entries] == [
        ["no paper id: an API item names the arXiv id of its paper (paper.id)"]] * 2


def test_a_paper_id_written_as_a_number_is_a_reason_not_another_id():
    """2511.04570 as a JSON number reads back as 2511.0457: another paper's id."""
    entry = parse_api_json('[{"paper": {"id": 2511.04570, "title": "T"}}]')[0]
    assert entry["arxiv_id"] is None
    assert entry["invalid"] == ["paper id is not text: 2511.0457"]


def test_an_item_listed_twice_in_one_answer_counts_once():
    """The second copy of an id is quarantined as a repeat; two ids with one title are two papers."""
    first, second = _item(id="2401.00001", title="Same"), _item(id="2401.00002", title="Same")
    entries = parse_api_json(json.dumps([first, second, first]))
    assert [e["invalid"] for e in entries] == [[], [], ["a repeat of entry 1: the same paper shown twice"]]


def test_a_lone_surrogate_escape_becomes_a_question_mark_not_a_failed_file():
    """`\\ud83d` without its pair is no character; the rest of the file reads as it is."""
    body = json.dumps([_item(title="Emoji \ud83d cut"), _item(id="2401.00002", title="Fine \U0001f600")])
    assert "\\ud83d" in body
    entries = parse_api_json(body.encode())
    assert [e["title"] for e in entries] == ["Emoji ? cut", "Fine \U0001f600"]
    assert [e["invalid"] for e in entries] == [[], []]


def test_an_item_that_is_not_an_object_is_kept_as_an_invalid_entry():
    entries = parse_api_json(json.dumps([_item(), 7, None]))
    assert len(entries) == 3
    assert entries[1]["invalid"] == ["entry is a JSON number, not an object"]


@pytest.mark.parametrize("body, message", [
    (b'[{"paper": ', "not valid JSON"),
    (b'{"error": "rate limited"}', r"the API's error answer, not a listing: 'rate limited'; fetch the day again"),
    (b'{"error": {"code": 429}}', "expected a JSON array of papers, got a JSON object"),
    (b'{"id": "2511.00001", "title": "A Made-Up Paper", "upvotes": 3, "authors": []}',
     r"the API's record of one paper \(2511.00001\), not a listing of papers: fetch the day's list"),
    (b'"hello"', "expected a JSON array"),
    # a chat export of a pasted capture: objects, none of them a paper
    (b'[{"type": "message", "text": "Daily Papers ..."}, {"type": "message", "user": "U1"}]',
     r"a JSON array of 2 object\(s\), none of them a paper \(no paper, id or title; their keys: text, type, user\)"),
])
def test_unreadable_responses_raise_snapshot_error(body, message):
    with pytest.raises(SnapshotError, match=message):
        parse_api_json(body)


def test_fold_treats_every_whitespace_character_as_a_space():
    """fold splits on str.isspace() characters, which are exactly what re's \\s matches."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    spaces = "".join(c for c in everything if c.isspace())
    assert "".join(re.findall(r"\s", everything)) == spaces
    assert fold(f"{spaces}a{spaces}b c{spaces}") == "a b c"
    assert fold(spaces) is None and fold(None) is None


@pytest.mark.parametrize("paper_id", ["２５１０.２７４９２", "٢٥١٠.٢٧٤٩٢", "2599.99999", "0000.00000", "2510.2749"])
def test_an_id_that_only_looks_like_an_arxiv_id_is_a_reason(paper_id):
    entry = parse_api_json(json.dumps([{"paper": {"id": paper_id, "title": "T"}}]))[0]
    assert entry["arxiv_id"] is None
    assert entry["invalid"] == [f"paper id is not an arXiv id: {paper_id!r}"]


@pytest.mark.parametrize("paper_id, kept", [
    ("2510.27492v2", "2510.27492"), ("1412.1234", "1412.1234"), ("hep-th/9901001", "hep-th/9901001"),
    ("math.AG/0601001v1", "math.AG/0601001")])
def test_arxiv_ids_of_every_era_are_read(paper_id, kept):
    entry = parse_api_json(json.dumps([{"paper": {"id": paper_id, "title": "T", "summary": "S"}}]))[0]
    assert (entry["arxiv_id"], entry["invalid"]) == (kept, [])


def test_a_key_given_twice_with_different_values_is_a_reason():
    # json keeps the last value: which one the paper has cannot be told
    entries = parse_api_json('[{"paper": {"id": "2510.27492", "id": "2510.27499", "title": "T"}},'
                             ' {"paper": {"id": "2510.27493", "title": "U", "summary": "S",'
                             ' "upvotes": 3, "upvotes": 3}},'
                             ' {"paper": {"id": "2510.27494", "title": "V", "authors": [{"name": "A", "name": "B"}]}}]')
    assert [e["invalid"] for e in entries] == [
        ["a key given twice with different values (id): which one is the paper's cannot be told"], [],
        ["a key given twice with different values (name): which one is the paper's cannot be told"]]


@pytest.mark.parametrize("wrapped", [False, True])
def test_objects_with_only_a_title_and_an_id_are_no_papers(wrapped):
    """A JSON list of other things that happen to hold a title and an arXiv-like id is no
    listing: inside the `paper` object or not, an item needs a paper's abstract, authors or date."""
    items = [{"title": "Buy milk", "id": "2511.00001"},
             {"title": "A Made-Up Paper", "id": "2511.00002", "summary": "We study widgets.",
              "publishedAt": "2025-11-10T00:00:00.000Z", "authors": [{"name": "A"}]}]
    entries = parse_api_json(json.dumps([{"paper": item} for item in items] if wrapped else items))
    assert entries[0]["invalid"] == ["no summary, authors or publishedAt: not a paper of a daily_papers listing"]
    assert entries[1]["invalid"] == [] and entries[1]["title"] == "A Made-Up Paper"


@pytest.mark.needs_shared_data
@pytest.mark.parametrize("wrap", [
    lambda items: {"date": "2025-11-05", "dailyPapers": items},   # the listing page's embedded JSON
    lambda items: {"papers": items},
    lambda items: {"status": 200, "data": items, "count": [1, 2]},  # a tool's envelope
])
def test_a_listing_wrapped_in_an_object_reads_as_the_listing(wrap):
    from tests.conftest import api_item

    items = [api_item(f"2511.0000{n}", f"Made-Up Widget Paper {n}", "2025-11-05") for n in range(1, 4)]
    assert parse_api_json(json.dumps(wrap(items))) == parse_api_json(json.dumps(items))
    entries = parse_api_json(json.dumps(wrap(items)))
    assert [e["arxiv_id"] for e in entries] == ["2511.00001", "2511.00002", "2511.00003"]


@pytest.mark.needs_shared_data
def test_an_object_holding_two_lists_of_items_is_not_guessed_at():
    from tests.conftest import api_item

    items = [api_item("2511.00001", "Made-Up Widget Paper", "2025-11-05")]
    with pytest.raises(SnapshotError, match="expected a JSON array of papers, got a JSON object"):
        parse_api_json(json.dumps({"today": items, "yesterday": items}))


def test_counts_written_as_text_are_read_as_the_numbers_with_a_note():
    # an API that started writing its counts as strings: the same numbers, not a day quarantined
    [entry] = parse_api_json(json.dumps([{"paper": {"id": "2511.00001", "title": "T", "summary": "S",
                                                    "upvotes": "12"}, "numComments": " 3 "}]))
    assert (entry["upvotes"], entry["comments"], entry["invalid"]) == (12, 3, [])
    assert entry["problems"][:2] == ["upvotes given as text ('12'): read as the number",
                                     "numComments given as text (' 3 '): read as the number"]
    [odd] = parse_api_json(json.dumps([{"paper": {"id": "2511.00001", "title": "T", "summary": "S",
                                                  "upvotes": "12 votes"}}]))
    assert odd["upvotes"] is None and odd["invalid"] == ["upvotes is not a whole number: '12 votes'"]


def test_one_id_under_two_titles_quarantines_both_items():
    """Which title is the paper's cannot be told: neither is counted. The same item twice is a
    repeat, the first kept."""
    items = [{"paper": {"id": "2511.00001", "title": title, "summary": "S"}}
             for title in ("A Made-Up Title", "Another Made-Up Title", "A made-up  title")]
    first, second, third = parse_api_json(json.dumps(items))
    assert first["invalid"] == ["its arXiv id is given again under another title (entry 2): which title is "
                                "the paper's cannot be told"]
    assert second["invalid"] == ["the arXiv id of entry 1 under another title: which title is the paper's "
                                 "cannot be told"]
    assert third["invalid"] == ["a repeat of entry 1: the same paper shown twice"]
    same = parse_api_json(json.dumps(items[:1] * 2))
    assert [e["invalid"] for e in same] == [[], ["a repeat of entry 1: the same paper shown twice"]]


def test_a_number_of_thousands_of_digits_is_refused_in_words():
    data = '[{"paper": {"id": "2511.00001", "title": "T", "summary": "S", "upvotes": ' + "9" * 5000 + "}}]"
    with pytest.raises(SnapshotError, match="^a number of thousands of digits: no answer of the API holds one"):
        parse_api_json(data)


def test_a_page_of_a_listing_that_says_more_follow_is_noted():
    from datetime import date

    from transforms.snapshot_reader import read_snapshot

    items = [{"paper": {"id": "2511.00001", "title": "A Made-Up Widget Study", "summary": "We study widgets.",
                        "publishedAt": "2025-11-04T00:00:00.000Z"}}]
    paged = read_snapshot(json.dumps({"papers": items, "hasMore": True}).encode(), date(2025, 11, 5),
                          "2025-11-05.json")
    assert paged.entry_count == 1
    assert ("the answer says more pages follow ('hasMore': true): the file may hold part of the day's list; "
            "to fetch the day whole: papertrends fetch --date 2025-11-05 --again") in paged.problems
    whole = read_snapshot(json.dumps({"papers": items, "hasMore": False}).encode(), date(2025, 11, 5),
                          "2025-11-05.json")
    assert not any("more pages" in p for p in whole.problems)

"""Parse a Daily Papers API response (`/api/daily_papers`, a JSON array) into entries.

Fields come and go between API versions: every field but the paper's title is optional, unknown
fields are ignored, and a value of the wrong type becomes a reason in the entry's `invalid` list
(the entry is then quarantined by validation) instead of an exception.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from transforms.errors import SnapshotError
from transforms.observations import empty_entry, mark_repeats
from transforms.validation import ARXIV_ID

_SURROGATE = re.compile(rb"\\[uU][dD][89a-fA-F][0-9a-fA-F]{2}")
# the API's times: "2025-11-03T13:45:00.000Z"; a day alone or another offset is read too
_API_TIME = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})(?P<time>[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
                       r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?)?")
_ARXIV_ID = re.compile(rf"^(?:{ARXIV_ID})(?:v[0-9]+)?$")


def json_kind(value: object) -> str:
    """A decoded JSON value's type as JSON names it (not Python's: "object", not "dict")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "object", list: "array", str: "string", int: "number", float: "number"}.get(
        type(value), type(value).__name__)


def fold(text: str | None) -> str | None:
    """Collapse runs of whitespace (arXiv hard wraps) to single spaces; None stays None."""
    if text is None:
        return None
    return " ".join(text.split()) or None  # split() and re's \s: the same whitespace


class _KeysTwice(dict):
    """A JSON object that gave a key twice with different values (JSON keeps the last)."""
    __slots__ = ("keys_twice",)


def _object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object as a dict, marked when a key came twice with different values: which of
    them is the paper's cannot be told, so its entry is quarantined (json keeps the last)."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    first: dict[str, object] = {}
    twice = sorted({key for key, value in pairs if first.setdefault(key, value) != value})
    if not twice:
        return obj
    marked = _KeysTwice(obj)
    marked.keys_twice = twice
    return marked


def _keys_twice(value: object) -> list[str]:
    """The keys given twice with different values anywhere in a decoded item."""
    if isinstance(value, dict):
        found = list(getattr(value, "keys_twice", ()))
        for inner in value.values():
            found += _keys_twice(inner)
        return found
    if isinstance(value, list):
        return [key for inner in value for key in _keys_twice(inner)]
    return []


def parse_api_json(data: bytes | str) -> list[dict]:
    """The JSON text of one API response -> entry dicts (see transforms/observations.py)."""
    marked: list[dict] = []   # objects that gave a key twice: their items are looked through

    def decoded_object(pairs: list[tuple[str, object]]) -> dict:
        obj = _object(pairs)
        if isinstance(obj, _KeysTwice):
            marked.append(obj)
        return obj

    try:
        items = json.loads(data, object_pairs_hook=decoded_object)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        if isinstance(exc, json.JSONDecodeError) and exc.msg == "Extra data" and _json_lines(data):
            raise SnapshotError("JSON Lines (one JSON value a line), not the API's one JSON array: "
                                "write the items as one array, [item, item, ...]") from None
        raise SnapshotError(f"not valid JSON ({exc}); re-fetch the day or check the file") from None
    except ValueError:   # (Python's limit on the digits of an integer: 4,300)
        raise SnapshotError("a number of thousands of digits: no answer of the API holds one; re-fetch the "
                            "day or check the file") from None
    if _SURROGATE.search(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")):
        # a lone half of a UTF-16 pair (`\ud83d` without its partner) is no character: it
        # becomes "?" instead of failing the file where the text is stored
        items = json.loads(json.dumps(items, ensure_ascii=False).encode("utf-8", "replace"))
    items = listing_items(items)
    if isinstance(items, dict) and isinstance(items.get("error"), str):
        # what the API answers instead of a list when it refuses (rate limit, bad date, outage)
        raise SnapshotError(
            f"the API's error answer, not a listing: {items['error'][:200]!r}; fetch the day "
            "again (papertrends fetch --date YYYY-MM-DD)"
        )
    if isinstance(items, dict) and isinstance(items.get("id"), str) and "title" in items:
        raise SnapshotError(   # /api/papers/ID: one paper's record, on no day's list
            f"the API's record of one paper ({items['id'][:40]}), not a listing of papers: fetch the "
            "day's list (papertrends fetch --date YYYY-MM-DD)")
    if not isinstance(items, list):
        raise SnapshotError(
            f"expected a JSON array of papers, got a JSON {json_kind(items)}; "
            "is this a daily_papers API response?"
        )
    if items and all(isinstance(item, dict) and _PAPER_KEYS.isdisjoint(item) for item in items):
        # objects of another kind (a chat export, a tool's own records): no item names a paper
        keys = sorted({key for item in items for key in item})
        raise SnapshotError(
            f"a JSON array of {len(items)} object(s), none of them a paper (no paper, id or title; their keys: "
            f"{', '.join(keys[:8]) or 'none'}): is this a daily_papers API response?")
    return parse_api_items(items, keys_twice=bool(marked))


_PAPER_KEYS = frozenset(("paper", "id", "title"))


def listing_items(value: object) -> object:
    """The list of daily_papers items a JSON value holds: the value itself, or the list it
    wraps: `papers`, `dailyPapers` (the listing page's embedded JSON, `{"date": ..., "dailyPapers":
    [...]}`), or the one list of the object whose items carry a `paper` object (a tool that saved
    the answer as `{"data": [...]}`). Anything else is returned as it is."""
    if not isinstance(value, dict):
        return value
    for key in ("papers", "dailyPapers"):
        if isinstance(value.get(key), list):
            return value[key]
    wrapped = [inner for inner in value.values() if isinstance(inner, list) and inner
               and all(isinstance(item, dict) and isinstance(item.get("paper"), dict) for item in inner)]
    return wrapped[0] if len(wrapped) == 1 else value


def paper_of(item: object) -> object:
    """A listing item's paper object: {"paper": {...}, ...}, or the paper object itself (an
    item that is no object is returned as it is)."""
    paper = item.get("paper") if isinstance(item, dict) else None
    return paper if isinstance(paper, dict) else item


def _json_lines(data: bytes | str) -> bool:
    """Whether every non-blank line of the text is a JSON value of its own."""
    try:
        lines = [line for line in (data.decode() if isinstance(data, bytes) else data).splitlines() if line.strip()]
        for line in lines:
            json.loads(line)
    except ValueError:   # (UnicodeDecodeError and JSONDecodeError are ValueErrors)
        return False
    return len(lines) > 1


def parse_api_items(items: list, keys_twice: bool = False) -> list[dict]:
    """The items of an API response (already decoded JSON) -> entry dicts. `keys_twice`: some
    object of the response gave a key twice (`_object`), so each item is looked through for one."""
    return mark_repeats([_parse_item(position, item, keys_twice) for position, item in enumerate(items, start=1)],
                        titles_must_agree=True)


def _parse_item(position: int, item: object, keys_twice: bool = False) -> dict:
    raw = json.dumps(item, ensure_ascii=False, sort_keys=True)
    entry = empty_entry(position, raw)
    if not isinstance(item, dict):
        entry["invalid"].append(f"entry is a JSON {json_kind(item)}, not an object")
        entry["complete"] = False
        return entry
    bad = entry["invalid"]
    if keys_twice and (twice := _keys_twice(item)):
        bad.append(f"a key given twice with different values ({', '.join(sorted(set(twice)))[:80]}): "
                   "which one is the paper's cannot be told")
    if "paper" in item and not isinstance(item["paper"], dict):   # a collection's {"paper": "2511..."}
        bad.append(f"paper is not an object: {item['paper']!r:.60}; not a daily_papers item")
    paper = paper_of(item)
    entry["arxiv_id"] = _arxiv_id(paper.get("id"), bad)
    entry["title"] = fold(_text(paper.get("title") or item.get("title"), "title", bad))
    entry["abstract"] = fold(_text(paper.get("summary") or item.get("summary"), "summary", bad))
    _authors(entry, paper.get("authors"), bad)
    org = paper.get("organization") or item.get("organization")
    if isinstance(org, dict):
        entry["organization"] = _text(org.get("name"), "organization.name", bad)
        entry["organization_name"] = _text(org.get("fullname"), "organization.fullname", bad)
    elif org:
        bad.append(f"organization is not an object: {org!r:.60}")
    _submitter(entry, next((by for by in (item.get("submittedBy"), paper.get("submittedOnDailyBy"))
                            if isinstance(by, dict)), None), bad)
    entry["published_on"] = _day(paper.get("publishedAt"), "publishedAt", bad)
    entry["listed_on"] = _day(paper.get("submittedOnDailyAt"), "submittedOnDailyAt", bad)
    entry["upvotes"] = _count(paper.get("upvotes"), "upvotes", bad, entry["problems"])
    entry["comments"] = _count(item.get("numComments"), "numComments", bad, entry["problems"])
    keywords = paper.get("ai_keywords")
    if isinstance(keywords, list):
        if all(k is None or isinstance(k, str) for k in keywords):
            entry["ai_keywords"] = [k for k in (fold(k) for k in keywords if k is not None) if k]
        else:
            bad.append(f"ai_keywords holds a value that is not text: {keywords!r:.60}")
    elif keywords is not None:
        bad.append(f"ai_keywords is not a list: {keywords!r:.60}")
    if entry["arxiv_id"] is None and not bad:
        # every paper the API lists is an arXiv paper with its id: an object without one is not
        # a listed paper (`[{"title": ...}]` in a file of one's own), and is counted nowhere
        bad.append("no paper id: an API item names the arXiv id of its paper (paper.id)")
    if not bad and entry["abstract"] is None and entry["n_authors"] is None and entry["published_on"] is None:
        # an item must carry a paper's abstract, authors or publication date besides its title and
        # id (every item of the 6,667 of 2023-2025 carries all three): `[{"title": "Buy milk",
        # "id": "2511.00001"}]`, with or without the `paper` object around it, is no paper
        bad.append("no summary, authors or publishedAt: not a paper of a daily_papers listing")
    redated = _listed_before_published(entry)
    if entry["title"] is None:
        entry["complete"] = False
    if entry["published_on"] is None or entry["n_authors"] is None:
        entry["complete"] = False
        if not redated or entry["n_authors"] is None:   # (a re-dated paper has its own note)
            entry["problems"].append("no authors or publication date")
    return entry


# A paper is listed on Daily Papers after arXiv publishes it; days of slack for time zones, as
# validation's "published after the snapshot was taken" (transforms/validation.py)
PUBLISHED_SLACK_DAYS = 2


def _listed_before_published(entry: dict) -> bool:
    """A publishedAt days after the item's own submittedOnDailyAt: the paper was on that day's
    list, so the publication date is what is wrong (the API re-dates a few papers later: 8 of the
    6,667 items of 2023-2025, 5 days to 8 months after the day they were listed). The date is left
    empty, with a note, and the paper counts as listed; without a listing date the date is kept,
    and validation judges it against the snapshot date. True when the date was left empty."""
    published, listed = entry["published_on"], entry["listed_on"]
    if published is not None and listed is not None and (published - listed).days > PUBLISHED_SLACK_DAYS:
        entry["problems"].append(
            f"publishedAt {published.isoformat()} is after the day the paper was listed "
            f"({listed.isoformat()}, submittedOnDailyAt): the publication date is left empty")
        entry["published_on"] = None
        return True
    return False


def _text(value: object, name: str, bad: list[str]) -> str | None:
    if value is None or isinstance(value, str):
        return value
    bad.append(f"{name} is not text: {value!r:.60}")
    return None


def _arxiv_id(value: object, bad: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):   # 2511.04570 as a JSON number reads back as 2511.0457
        bad.append(f"paper id is not text: {value!r:.60}")
        return None
    text = value.strip()
    if not _ARXIV_ID.match(text):
        bad.append(f"paper id is not an arXiv id: {text!r:.60}")
        return None
    return re.sub(r"v\d+$", "", text)


def _authors(entry: dict, authors: object, bad: list[str]) -> None:
    if authors is None:
        return
    if not isinstance(authors, list):
        bad.append(f"authors is not a list: {authors!r:.60}")
        return
    names, handles = [], []
    for n, author in enumerate(authors):
        if not isinstance(author, dict):   # a name alone is no API author: the item is not as served
            bad.append(f"authors[{n}] is not an object: {author!r:.60}")
            return
        user = author.get("user") if isinstance(author.get("user"), dict) else {}
        name = fold(author.get("name") if isinstance(author.get("name"), str) else None)
        handle = user.get("user") if isinstance(user.get("user"), str) else None
        if not (name or handle):   # every author the API lists has a name: this list is not as served
            bad.append(f"authors[{n}] has no name: {author!r:.60}")
            return
        names.append(name or handle)
        handles.append(handle)
    entry["authors"], entry["author_handles"], entry["n_authors"] = names, handles, len(names)


def _submitter(entry: dict, by: dict | None, bad: list[str]) -> None:
    """Who submitted the paper to Daily Papers: the item's `submittedBy`, else the paper's
    `submittedOnDailyBy` (the same user wherever both are there; older responses lack the
    former, and a few items have neither: then both fields stay None)."""
    if by is None:
        return
    name = by.get("name") if by.get("name") is not None else by.get("user")
    entry["submitted_by"] = fold(_text(name, "submittedBy.name", bad))
    entry["submitted_by_name"] = fold(_text(by.get("fullname"), "submittedBy.fullname", bad))


def _day(value: object, name: str, bad: list[str]) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):   # 20251106 as a JSON number is no API date
        bad.append(f"{name} is not a date: {value!r:.60}")
        return None
    m = _API_TIME.fullmatch(value.strip())
    try:
        if m is None:
            raise ValueError
        if m["time"] is None or m["zone"] in (None, "Z", "z"):
            return date.fromisoformat(m["day"])
        # a time with an offset: the day it is in UTC, as the API's "...Z" times give
        return datetime.fromisoformat(value.strip()).astimezone(UTC).date()
    except ValueError:
        bad.append(f"{name} is not a date: {value!r:.60}")
        return None


_DIGITS = re.compile(r"[0-9]{1,18}")


def _count(value: object, name: str, bad: list[str], notes: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        # a count written as text ("12"): the same number, said (an API that changed its types
        # would otherwise quarantine every item of the day)
        notes.append(f"{name} given as text ({value!r:.30}): read as the number")
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        bad.append(f"{name} is not a whole number: {value!r:.60}")
        return None
    return value

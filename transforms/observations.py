"""The one shape every parser produces: an *observation* of a paper in a snapshot.

Both the page-capture parser and the API-JSON parser return a list of plain dicts whose keys
are ENTRY_FIELDS (one dict per entry, in page order); `observations_frame` turns them, plus the
snapshot's identity, into a polars DataFrame with OBSERVATION_SCHEMA; `batch_frame` does the
same for several snapshots at once (one frame, the same rows as concatenating theirs).
"""

from __future__ import annotations

import operator
import re
from datetime import date
from itertools import chain

import polars as pl

# Fields a parser fills for each entry. None where the snapshot does not show the value.
ENTRY_FIELDS: dict[str, pl.DataType] = {
    "position": pl.Int32,            # 1-based rank of the entry in the snapshot
    "arxiv_id": pl.String,           # "2511.04570" (no version), None when not shown
    "title": pl.String,              # whitespace folded to single spaces
    "abstract": pl.String,           # None when missing
    "authors": pl.List(pl.String),   # author display names, None when the snapshot lacks them
    "author_handles": pl.List(pl.String),  # HF handle per author (None items when unknown)
    "n_authors": pl.Int32,
    "organization": pl.String,       # organization handle ("spiralworks")
    "organization_name": pl.String,  # organization display name ("Spiral Works")
    "published_on": pl.Date,         # arXiv publication date
    "listed_on": pl.Date,            # the Daily Papers day the entry belongs to, when known
    "upvotes": pl.Int64,             # None when the capture shows none
    "comments": pl.Int64,
    "ai_keywords": pl.List(pl.String),
    "submitted_by": pl.String,       # HF user name of who submitted the paper to Daily Papers
    "submitted_by_name": pl.String,  # that user's display name, as shown
    "complete": pl.Boolean,          # False when the who/date block (or title) is missing
    "problems": pl.List(pl.String),  # non-fatal notes, kept with the observation
    "invalid": pl.List(pl.String),   # fatal reasons found while parsing: the entry is quarantined
    "raw_text": pl.String,           # the entry's source text (lines or JSON), for quarantine
}

SNAPSHOT_FIELDS: dict[str, pl.DataType] = {
    "snapshot_id": pl.String,
    "snapshot_date": pl.Date,
    "source_kind": pl.String,        # "capture" or "api"
}

OBSERVATION_SCHEMA: dict[str, pl.DataType] = {**SNAPSHOT_FIELDS, **ENTRY_FIELDS}


def empty_entry(position: int, raw_text: str) -> dict:
    """An entry dict with every field present and unset."""
    return {**_UNSET, "position": position, "raw_text": raw_text, "complete": True,
            "problems": [], "invalid": []}


_UNSET = dict.fromkeys(ENTRY_FIELDS)


def observations_frame(
    entries: list[dict], snapshot_id: str, snapshot_date: date, source_kind: str
) -> pl.DataFrame:
    """Entries (dicts with ENTRY_FIELDS) -> a DataFrame with OBSERVATION_SCHEMA."""
    return batch_frame([(entries, snapshot_id, snapshot_date, source_kind)])


def batch_frame(parts: list[tuple[list[dict], str, date, str]], typed: bool = False) -> pl.DataFrame:
    """Several snapshots' entries as one frame (`_batch_frame`), their text without control
    characters (C0 and DEL but tab and line breaks: a NUL or an escape sequence in a title would
    make the Atom feed invalid XML and could drive a terminal that prints it). raw_text keeps
    them: it is the entry as the file had it."""
    frame = _batch_frame(parts, typed)
    if not any(_has_control(entry) for part in parts for entry in part[0]):
        return frame
    return frame.with_columns(
        [pl.col(name).str.replace_all(_CONTROL, "") for name in _TEXT_COLUMNS]
        + [pl.col(name).list.eval(pl.element().str.replace_all(_CONTROL, "")) for name in _TEXT_LIST_COLUMNS])


def _has_control(entry: dict) -> bool:
    """Whether a text field of the entry holds a control character (str.isprintable() first: it
    is true of almost every value and costs far less than the regex)."""
    for name in _TEXT_COLUMNS:
        value = entry.get(name)
        if isinstance(value, str) and not value.isprintable() and _CONTROL_RE.search(value):
            return True
    for name in _TEXT_LIST_COLUMNS:
        values = entry.get(name)
        for value in values if isinstance(values, list | tuple) else ():
            if isinstance(value, str) and not value.isprintable() and _CONTROL_RE.search(value):
                return True
    return False


_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_RE = re.compile(_CONTROL)
_TEXT_COLUMNS = ("title", "abstract", "organization", "organization_name", "submitted_by", "submitted_by_name")
_TEXT_LIST_COLUMNS = ("authors", "author_handles", "ai_keywords")


def _batch_frame(parts: list[tuple[list[dict], str, date, str]], typed: bool = False) -> pl.DataFrame:
    """Several snapshots' (entries, snapshot_id, snapshot_date, source_kind) -> ONE DataFrame.

    The same rows, in the same order, as concatenating `observations_frame` of each part, but
    built in one go: a frame has a fixed cost, whatever its size (~20 us a column).

    typed: the caller vouches that every value already has its column's Python type (the
    page-capture parser builds them so); then only the numbers' ranges are checked, not every
    value's type (~40% of the frame's cost for one capture)."""
    entries = [entry for part in parts for entry in part[0]]
    if typed and len(entries) <= _FEW_ROWS and _ints_in_range(entries):
        return pl.from_dicts(_rows(parts), schema=_SCHEMA)
    entry_columns = _transpose(entries)
    if not _all_in_range(entry_columns):
        for entry in entries:
            _reject_out_of_range(entry)
        entry_columns = _transpose(entries)
    if len(entries) <= _FEW_ROWS and _plain(entry_columns):
        return pl.from_dicts(_rows(parts), schema=_SCHEMA)
    columns: dict[str, list] = {name: [] for name in SNAPSHOT_FIELDS}
    for part_entries, *identity in parts:
        for name, value in zip(SNAPSHOT_FIELDS, identity):
            columns[name].extend([value] * len(part_entries))
    columns.update(zip(ENTRY_FIELDS, entry_columns))
    return pl.DataFrame([_series(name, values) for name, values in columns.items()])


def _rows(parts: list[tuple[list[dict], str, date, str]]) -> list[dict]:
    """Each entry with its snapshot's fields, as the rows of one polars read."""
    return [{**entry, **snapshot} for part_entries, *identity in parts
            for snapshot in [dict(zip(SNAPSHOT_FIELDS, identity))] for entry in part_entries]


def _ints_in_range(entries: list[dict]) -> bool:
    """True when every integer field of every entry (ints, or missing, or None) is in its
    column's range: what `_all_in_range` checks, for entries whose types are known."""
    return all(_in_range([value for entry in entries if (value := entry.get(name)) is not None], limit)
               for name, limit in _INT_FIELDS)


def _in_range(ints: list[int], limit: int) -> bool:
    """True when every int of the list lies in [-limit, limit] (min/max, in C)."""
    return not ints or (max(ints) <= limit and min(ints) >= -limit)


# Up to this many rows, one polars call reading the entry dicts (the values having the types a
# parser writes) is cheaper than converting each column (~10 us fixed cost per column); with
# more rows converting the columns is (~3 us a row against ~4 us).
_FEW_ROWS = 256
_SCHEMA = pl.Schema(OBSERVATION_SCHEMA)  # (a dict would be checked on every call)

_ENTRY_VALUES = operator.itemgetter(*ENTRY_FIELDS)


def _transpose(entries: list[dict]) -> list[list]:
    """Entry dicts -> one list of values per ENTRY_FIELDS name (None for a missing key)."""
    try:
        rows = [_ENTRY_VALUES(entry) for entry in entries]
    except KeyError:
        return [[entry.get(name) for entry in entries] for name in ENTRY_FIELDS]
    return [list(values) for values in zip(*rows)] if rows else [[] for _ in ENTRY_FIELDS]


_STRING_LIST = pl.List(pl.String)
_NONE = type(None)
_STR_OR_NONE = frozenset((str, _NONE))
# Per ENTRY_FIELDS column, the Python types its values have when a parser wrote them.
_PLAIN_TYPES = [frozenset(({pl.String: str, pl.Int32: int, pl.Int64: int, pl.Date: date,
                            pl.Boolean: bool, _STRING_LIST: list}[dtype], _NONE))
                for dtype in ENTRY_FIELDS.values()]


def _plain(entry_columns: list[list]) -> bool:
    """True when every value has its column's own type (no bool for an int, no datetime for a
    date, no tuple for a list, list items str or None): then a strict polars read of the entry
    dicts gives the same column as `_series`, in a fraction of the time."""
    for values, types in zip(entry_columns, _PLAIN_TYPES):
        if not types.issuperset(map(type, values)):
            return False
        if list in types and not _STR_OR_NONE.issuperset(map(type, chain.from_iterable(filter(None, values)))):
            return False
    return True


def _series(name: str, values: list) -> pl.Series:
    """One column with its OBSERVATION_SCHEMA type (values of another type become null)."""
    dtype = OBSERVATION_SCHEMA[name]
    if dtype != _STRING_LIST:
        return pl.Series(name, values, dtype=dtype, strict=False)
    if values and (values.count(None) == len(values)
                   or (values.count([]) == len(values) and set(map(type, values)) == {list})):
        # no lists, or only empty ones (a capture has no authors, seldom problems): repeat one
        return pl.Series(name, values[:1], dtype=dtype, strict=False).new_from_index(0, len(values))
    # polars converts every Python list on its own (~10x slower than a flat column); most rows
    # repeat a few lists ([] problems, no keywords): convert each distinct list once, gather.
    at: dict = {}
    distinct, picks = [], []
    for value in values:
        first = at.setdefault(_list_key(value), len(distinct))
        if first == len(distinct):
            distinct.append(value)
        picks.append(first)
    return pl.Series(name, distinct, dtype=dtype, strict=False)[picks]  # (.gather: 3x slower)


def _list_key(value: object) -> object:
    """Equal keys convert to equal lists: lists of str (or None) by content, anything else alone
    (1 == 1.0 == True, yet polars writes them as "1", "1.0" and "true")."""
    if value is None:
        return None
    if type(value) is list and _STR_OR_NONE.issuperset(map(type, value)):
        return tuple(value)
    return object()


# The integer fields and the largest value their column holds, in ENTRY_FIELDS order.
_INT_LIMITS = {pl.Int32: 2**31 - 1, pl.Int64: 2**63 - 1}
_INT_FIELDS = [(name, _INT_LIMITS[dtype]) for name, dtype in ENTRY_FIELDS.items() if dtype in _INT_LIMITS]


def _all_in_range(values: list[list]) -> bool:
    """True when no entry has a number out of its column's range (min/max over each column of
    `values`, one list per ENTRY_FIELDS name, in C); False also when a column holds anything
    but ints: then check entry by entry."""
    for name, limit in _INT_FIELDS:
        column = [value for value in values[_FIELD_INDEX[name]] if value is not None]
        if column and (set(map(type, column)) != {int} or not _in_range(column, limit)):
            return False
    return True


_FIELD_INDEX = {name: n for n, name in enumerate(ENTRY_FIELDS)}


def _reject_out_of_range(entry: dict) -> None:
    """A number too large for its column would become null silently: make it a reason instead."""
    for name, limit in _INT_FIELDS:
        value = entry.get(name)
        if isinstance(value, int) and abs(value) > limit:
            entry[name] = None
            entry.setdefault("invalid", []).append(f"{name} is out of range: {value}")


def mark_repeats(entries: list[dict], titles_must_agree: bool = False) -> list[dict]:
    """A listing shows each paper once: an entry with the arXiv id of an earlier entry, or with
    the folded title of an earlier one when either of the two has no id, is a repeated card (a
    capture tool or an editor copied it twice, or an API answer holds an item twice; a copy may
    lose its link, and with it its id). It gets the reason in `invalid` (quarantined, counted
    nowhere). Two entries with different ids are two papers, whatever their titles.
    `titles_must_agree` (API items, whose titles no tool rewraps): two items with one id under
    different titles are both quarantined, since which title is the paper's cannot be told."""
    by_id: dict[str, int] = {}
    by_title: dict[str, tuple[int, str | None]] = {}   # folded title -> (position, its id)
    kept: dict[int, tuple[dict, str]] = {}   # position -> (entry, folded title) of first sightings
    for entry in entries:
        title, arxiv_id = entry["title"], entry["arxiv_id"]
        if entry["invalid"] or title is None:
            continue
        folded = " ".join(title.lower().split())
        first = by_id.get(arxiv_id) if arxiv_id else None
        if first is None and folded in by_title and not (arxiv_id and by_title[folded][1]):
            first = by_title[folded][0]
        if first is not None:
            earlier, earlier_title = kept[first]
            if titles_must_agree and arxiv_id and earlier_title != folded:
                entry["invalid"].append(f"the arXiv id of entry {first} under another title: which title "
                                        "is the paper's cannot be told")
                if not earlier["invalid"]:
                    earlier["invalid"].append(f"its arXiv id is given again under another title (entry "
                                              f"{entry['position']}): which title is the paper's cannot be told")
                continue
            entry["invalid"].append(f"a repeat of entry {first}: the same paper shown twice")
            continue
        by_title.setdefault(folded, (entry["position"], arxiv_id))
        kept[entry["position"]] = (entry, folded)
        if arxiv_id:
            by_id[arxiv_id] = entry["position"]
    return entries

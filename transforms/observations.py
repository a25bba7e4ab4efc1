"""The one shape every parser produces: an *observation* of a paper in a snapshot.

Both the page-capture parser and the API-JSON parser return a list of plain dicts whose keys
are ENTRY_FIELDS (one dict per entry, in page order); `observations_frame` turns them, plus the
snapshot's identity, into a polars DataFrame with OBSERVATION_SCHEMA; `batch_frame` does the
same for several snapshots at once (one frame, the same rows as concatenating theirs).
"""

from __future__ import annotations

import operator
from datetime import date

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
    entry = _UNSET.copy()
    entry.update(position=position, raw_text=raw_text, complete=True, problems=[], invalid=[])
    return entry


_UNSET = dict.fromkeys(ENTRY_FIELDS)


def observations_frame(
    entries: list[dict], snapshot_id: str, snapshot_date: date, source_kind: str
) -> pl.DataFrame:
    """Entries (dicts with ENTRY_FIELDS) -> a DataFrame with OBSERVATION_SCHEMA."""
    return batch_frame([(entries, snapshot_id, snapshot_date, source_kind)])


def batch_frame(parts: list[tuple[list[dict], str, date, str]]) -> pl.DataFrame:
    """Several snapshots' (entries, snapshot_id, snapshot_date, source_kind) -> ONE DataFrame.

    The same rows, in the same order, as concatenating `observations_frame` of each part, but
    built column by column in one go: a frame has a fixed cost of ~1 ms, whatever its size."""
    entries = [entry for part in parts for entry in part[0]]
    if not _all_in_range(entries):
        for entry in entries:
            _reject_out_of_range(entry)
    columns: dict[str, list] = {name: [] for name in SNAPSHOT_FIELDS}
    for part_entries, *identity in parts:
        for name, value in zip(SNAPSHOT_FIELDS, identity):
            columns[name].extend([value] * len(part_entries))
    columns.update(zip(ENTRY_FIELDS, _transpose(entries)))
    return pl.DataFrame([_series(name, values) for name, values in columns.items()])


_ENTRY_VALUES = operator.itemgetter(*ENTRY_FIELDS)


def _transpose(entries: list[dict]) -> list[list]:
    """Entry dicts -> one list of values per ENTRY_FIELDS name (None for a missing key)."""
    try:
        rows = [_ENTRY_VALUES(entry) for entry in entries]
    except KeyError:
        return [[entry.get(name) for entry in entries] for name in ENTRY_FIELDS]
    return [list(values) for values in zip(*rows)] if rows else [[] for _ in ENTRY_FIELDS]


_STRING_LIST = pl.List(pl.String)


def _series(name: str, values: list) -> pl.Series:
    """One column with its OBSERVATION_SCHEMA type (values of another type become null)."""
    dtype = OBSERVATION_SCHEMA[name]
    if dtype != _STRING_LIST:
        return pl.Series(name, values, dtype=dtype, strict=False)
    # polars converts every Python list on its own (~10x slower than a flat column); most rows
    # repeat a few lists ([] problems, no keywords): convert each distinct list once, gather.
    at: dict = {}
    distinct, picks = [], []
    for value in values:
        first = at.setdefault(None if value is None else _list_key(value), len(distinct))
        if first == len(distinct):
            distinct.append(value)
        picks.append(first)
    return pl.Series(name, distinct, dtype=dtype, strict=False)[picks]  # (.gather: 3x slower)


def _list_key(value: object) -> object:
    """Equal keys convert to equal lists: lists of str (or None) by content, anything else alone
    (1 == 1.0 == True, yet polars writes them as "1", "1.0" and "true")."""
    if value is None:
        return None
    if type(value) is list and all(item is None or type(item) is str for item in value):
        return tuple(value)
    return object()


# The integer fields and the largest value their column holds, in ENTRY_FIELDS order.
_INT_LIMITS = {pl.Int32: 2**31 - 1, pl.Int64: 2**63 - 1}
_INT_FIELDS = [(name, _INT_LIMITS[dtype]) for name, dtype in ENTRY_FIELDS.items() if dtype in _INT_LIMITS]


def _all_in_range(entries: list[dict]) -> bool:
    """True when no entry has a number out of its column's range (min/max over each column, in
    C); False also when a column holds anything but ints: then check entry by entry."""
    for name, limit in _INT_FIELDS:
        values = [value for entry in entries if (value := entry.get(name)) is not None]
        if values and (set(map(type, values)) != {int} or max(values) > limit or min(values) < -limit):
            return False
    return True


def _reject_out_of_range(entry: dict) -> None:
    """A number too large for its column would become null silently: make it a reason instead."""
    for name, limit in _INT_FIELDS:
        value = entry.get(name)
        if isinstance(value, int) and abs(value) > limit:
            entry[name] = None
            entry.setdefault("invalid", []).append(f"{name} is out of range: {value}")

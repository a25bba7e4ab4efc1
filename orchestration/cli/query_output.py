"""How `papertrends sql` prints a result: csv, json, or a table fitted to the terminal.

The table is as wide as the terminal (`COLUMNS`, else the terminal's size, else 100): each
value stays on one line, and a value too long for its column is cut with an ellipsis (`…`),
never wrapped. Widths are counted in terminal cells: a CJK character takes two, an accent
drawn on the letter before it (or a zero-width one) none. When the columns cannot all get a
readable width, the result is printed vertically instead, one `column | value` line per
column and a header line per row, as the DuckDB CLI's `.mode line` does. At most `max_rows`
rows are printed (`--max-rows`, default 40); a cut result says how many rows it shows and how
to get them all.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
import unicodedata
from dataclasses import dataclass

import polars as pl

DEFAULT_MAX_ROWS = 40
FALLBACK_WIDTH = 100
MIN_COLUMN = 8        # narrower than this, a column is unreadable: go vertical instead
ELLIPSIS = "…"


@dataclass(frozen=True)
class OutputOptions:
    fmt: str = "table"                       # table, csv or json
    max_rows: int | None = DEFAULT_MAX_ROWS  # None or 0: every row
    width: int | None = None                 # None: the terminal's


def terminal_width() -> int:
    """`COLUMNS` when set (shells export it, tests set it), else the terminal's width."""
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


def render(frame: pl.DataFrame, options: OutputOptions = OutputOptions(), total: int | None = None) -> str:
    """The result as text; `total`: the result's number of rows when `frame` holds only its first."""
    if options.fmt == "csv":   # a list or struct column as its JSON text (CSV has no nesting)
        nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
        if nested:
            frame = frame.with_columns(pl.Series(name, [None if v is None else json.dumps(v, default=str)
                                                        for v in frame[name].to_list()], pl.String)
                                       for name in nested)
        return frame.write_csv().rstrip("\n")
    if options.fmt == "json":
        return frame.write_json()
    width = max(options.width or terminal_width(), 20)
    limit = options.max_rows or None
    shown = frame if limit is None else frame.head(limit)
    cells = [[_text(v) for v in row] for row in shown.iter_rows()]
    body = _table(frame.columns, cells, width)
    if body is None:
        body = _vertical(frame.columns, cells, width)
    return body + "\n" + _footer(max(frame.height, total or 0), shown.height, frame.width)


def _text(value) -> str:
    if value is None:
        return "NULL"
    text = str(value)
    if not text.isprintable():   # a control character (an escape sequence) shown, not obeyed
        text = _CONTROL_RE.sub(lambda m: m[0] if m[0] in "\n\r\t" else f"\\x{ord(m[0]):02x}", text)
    return " ".join(text.split()) if any(c in text for c in "\n\r\t") else text


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _cells(char: str) -> int:
    """The terminal cells a character takes: 2 for wide (CJK) ones, 0 for marks drawn on the
    character before (Mn, Me: accents, Devanagari and Thai vowel signs) and format characters
    (Cf: zero-width joiner and space)."""
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _width(text: str) -> int:
    return len(text) if text.isascii() else sum(map(_cells, text))


def _cut(text: str, width: int) -> str:
    """The text in at most `width` cells, ending in the ellipsis when it was cut."""
    if _width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        if used + _cells(char) > width - 1:
            break
        kept.append(char)
        used += _cells(char)
    return "".join(kept) + ELLIPSIS


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(columns: list[str], cells: list[list[str]], width: int) -> str | None:
    """A `| a | b |` table no wider than `width`, or None when the columns do not fit."""
    wanted = [max([_width(name)] + [_width(row[i]) for row in cells]) for i, name in enumerate(columns)]
    room = width - (3 * len(columns) + 1)   # "| " before each column, " |" at the end
    if room < MIN_COLUMN * len(columns):
        return None
    widths = _share(wanted, room)
    def line(values: list[str]) -> str:
        return "| " + " | ".join(_pad(_cut(v, w), w) for v, w in zip(values, widths)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(columns), rule, *(line(row) for row in cells)])


def _share(wanted: list[int], room: int) -> list[int]:
    """Column widths: every column its longest value when they fit; else the narrow ones keep
    theirs and the wide ones share what is left equally (never below MIN_COLUMN)."""
    if sum(wanted) <= room:
        return wanted
    widths = list(wanted)
    wide = set(range(len(wanted)))
    while True:
        left = room - sum(widths[i] for i in range(len(widths)) if i not in wide)
        share = max(left // len(wide), MIN_COLUMN)
        narrow = {i for i in wide if wanted[i] <= share}
        if not narrow:
            for i in wide:
                widths[i] = share
            return widths
        wide -= narrow


def _vertical(columns: list[str], cells: list[list[str]], width: int) -> str:
    label = max(_width(name) for name in columns)
    room = max(width - label - 3, 10)
    lines = []
    for number, row in enumerate(cells, 1):
        lines.append((f"-[ row {number} ]" + "-" * width)[:width])
        lines += [f"{_pad(name, label)} | {_cut(value, room)}" for name, value in zip(columns, row)]
    if lines:
        return "\n".join(lines)
    # no rows: the column names, wrapped to the width
    return textwrap.fill(" | ".join(columns), width, break_long_words=False, break_on_hyphens=False)


def _footer(total: int, shown: int, n_columns: int) -> str:
    if shown < total:
        return (f"({shown} of {total} rows shown; --max-rows 0 shows all, --format csv or "
                "--format json prints all without cutting)")
    return f"({total} row{'s' if total != 1 else ''}, {n_columns} column{'s' if n_columns != 1 else ''})"

"""What a tool put around every line of a capture, taken off before the capture is read: a mail
client's "> " quotes, an outliner's or a list's marks and line numbers, a spreadsheet's CSV
quoting (a page pasted one line per row and saved as CSV or TSV). Each is taken off only when
the whole text carries it; a capture's own lines that happen to look so stay as they are."""

from __future__ import annotations

import csv
import io
import re

_QUOTE_RE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)

# A mark an outliner, a list or a line-numbering tool put before every line: "- ", "* ", "• "
# (nested: indented), "12. ", cat -n's "    12<tab>", an editor's "12 | "
_LINE_MARK_RE = re.compile(r"^[ \t]*(?:[-*+•][ \t]|(?P<n>\d{1,6})(?:[.)][ \t]|\t| \| ?))", re.MULTILINE)

# a line that is one quoted CSV cell: "text, with a comma", or a quote inside doubled
_QUOTED_FIELD_RE = re.compile(r'"(?:[^"\n]|"")*"')
_MIN_QUOTED_FIELDS = 2
_CSV_HEAD = 8000   # characters looked at for a quoted line first (a search of the whole text costs ~50 us)


def without_line_marks(text: str) -> str:
    """`text` without the quotes, marks or CSV quoting every line of it carries (cheap looks
    first: most captures carry none)."""
    if "\n>" in text[:2000] or text[:400].lstrip()[:1] == ">":   # a capture sent on in a mail reply
        text = unquoted(text)
    if _LINE_MARK_RE.match(text):   # (a look at the first line)
        text = unmarked(text)
    if '\n"' in text[:_CSV_HEAD] or text.startswith('"'):   # (a CSV quotes the first abstract: its commas)
        text = csv_unquoted(text)
    return text


def unmarked(text: str) -> str:
    """The text without the list mark or line number before each of its lines, when nine in ten
    of its non-blank lines carry one (numbers counting up, for numbers); else as it was. A
    capture's own lists (an avatar list, "  • 5 authors") mark a few lines, never nine in ten."""
    lines = [line for line in text.split("\n") if line.strip()]
    marks = [m for line in lines if (m := _LINE_MARK_RE.match(line))]
    if not lines or len(marks) < 0.9 * len(lines):
        return text
    numbers = [int(m["n"]) for m in marks if m["n"] is not None]
    if numbers and (len(numbers) < 0.9 * len(marks) or any(b < a for a, b in zip(numbers, numbers[1:]))):
        return text
    return _LINE_MARK_RE.sub("", text)


def unquoted(text: str) -> str:
    """The text without the "> " a mail client put before every line (each level of a reply
    quoted again, "> > "), when nine in ten of its lines or more are quoted (a reply's own
    lines around the quote, "On ... wrote:", stay as they are); else the text as it was."""
    while True:
        lines = [line for line in text.split("\n") if line.strip()]
        quoted = sum(line.lstrip().startswith(">") for line in lines)
        if not lines or quoted < 0.9 * len(lines):
            return text
        text = _QUOTE_RE.sub("", text)


def csv_unquoted(text: str) -> str:
    """The text of a one-column CSV (or TSV) file, each row a line of the page, as the page
    has it. A spreadsheet quotes every cell that holds its delimiter or a quote, doubling the
    quote (with QUOTE_ALL, every cell). Read as such only when the csv module's strict reading
    finds one column in the whole file and its quoted lines show the quoting (one cell with a
    doubled quote, or two holding the delimiter); else the text as it was. A page capture is
    never so: its abstracts hold commas outside quotes, which makes rows of two cells or more."""
    fields = [line for line in _lines_opening_with_a_quote(text) if _QUOTED_FIELD_RE.fullmatch(line)]
    for delimiter in (",", "\t"):
        # (a doubled quote is the surer sign: it counts twice)
        if sum(('""' in field[1:-1]) * 2 or delimiter in field for field in fields) < _MIN_QUOTED_FIELDS:
            continue
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
        except csv.Error:
            continue
        if all(len(row) <= 1 for row in rows):
            return "\n".join(row[0] if row else "" for row in rows)
    return text


def _lines_opening_with_a_quote(text: str):
    """The lines of `text` that open with a quote (found by substring search: a regex anchored
    at every line start costs ~0.15 ms a capture, a tenth of reading it)."""
    at = 0 if text.startswith('"') else text.find('\n"') + 1
    if at == 0 and not text.startswith('"'):
        return
    while True:
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        yield text[at:end]
        at = text.find('\n"', end) + 1
        if at == 0:
            return

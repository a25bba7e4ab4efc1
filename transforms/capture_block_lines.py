"""A card's block (who / "·" / date, three lines on the page) written on fewer lines by a tool,
put back on its three lines before the plain reader (capture_parser) looks for blocks."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from transforms.capture_dates import MONTH_PATTERN, month_number, resolve_month_day
from transforms.errors import SnapshotError

# a card's date line ("Oct 3, 2023", "Aug 26"), its comment count after it, ending the line
_DATE_ENDING_THE_LINE = rf"(?P<date>{MONTH_PATTERN}[ \t]+\d{{1,2}}(?:,[ \t]*\d{{1,9}})?(?:[ \t]+\d+)?)[ \t]*$"

# "<who> · <date> [<comments>]" on one line: a who of at most 150 characters (as a who line,
# capture_blocks), the date (and comment count) ending the line. The Markdown reader has its own
# (capture_markdown): there "·" may touch its neighbours; here spaces keep prose from splitting.
_ONE_LINE_BLOCK_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<who>\S[^\n]{0,148}?)[ \t]+·[ \t]+"
    + _DATE_ENDING_THE_LINE,
    re.MULTILINE)


# "·" and the date on one line under the who line ("16 authors" / "· Nov 10 11"), as HTML-to-text
# tools write a card whose who is a list item: the same three lines as "·" on a line of its own.
_DOT_DATE_LINE_RE = re.compile(
    r"^(?P<indent>[ \t]*)·[ \t]+"
    + _DATE_ENDING_THE_LINE,
    re.MULTILINE)


# both need a "·" with a space or tab after it (a plain capture has "·" alone on its line). A
# regex looks for it: a search for two characters in a str is slower than a regex over it.
_DOT_SPACED_RE = re.compile("·[ \t]")


def blocks_on_their_lines(text: str) -> str:
    """The text with each block written on one line ("8 authors · Oct 30 7"), or with "·" and
    the date on one line ("· Nov 10 11"), on the three lines it stands for."""
    if _DOT_SPACED_RE.search(text) is None:
        return text
    if " · " in text or "\t·" in text:
        text = _ONE_LINE_BLOCK_RE.sub(
            lambda m: f"{m['indent']}{m['who']}\n·\n{m['indent']}{m['date']}", text)
    if "·" in text:   # (at any indent: "\n        · Dec 25 7")
        text = _DOT_DATE_LINE_RE.sub(lambda m: f"{m['indent']}·\n{m['indent']}{m['date']}", text)
    return text


# "<who>·<date> [<comments>]" with no space around the "·" (a PDF's text, where the page's
# inline who, "·" and date are spans side by side): tried only when no block is found otherwise.
_GLUED_BLOCK_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<who>[^\s·][^\n·]{0,148}?)[ \t]*·[ \t]*"
    + _DATE_ENDING_THE_LINE,
    re.MULTILINE)


def unglued_blocks(text: str) -> str:
    """The text with each block glued around its "·" on its three lines."""
    return _GLUED_BLOCK_RE.sub(lambda m: f"{m['indent']}{m['who']}\n·\n{m['indent']}{m['date']}", text)


# a card's date with its comment count run into it ("Oct 1312": Oct 13, 12 comments; "Nov 29,
# 20242": 2024, 2 comments), as a text browser writes the date's span and the comment link side
# by side with nothing between them. A date line: the date starts its line or follows a "·"
# (never prose: "... released in May\n2024" is no date); after a "·" the digits may be wrapped
# onto the next line ("ByteDance·Jan" / "72")
def _date_line_re(min_digits: int) -> re.Pattern:
    return re.compile(
        rf"(?P<lead>^[ \t]*|(?P<dot>(?<=·))[ \t]*)(?P<head>{MONTH_PATTERN})(?:[ \t]+|(?(dot)[ \t]*\n[ \t]*|(?!)))"
        rf"(?:(?P<dated>\d{{1,2}},[ \t]*\d{{4}})(?P<count>\d+)|(?P<digits>\d{{{min_digits},6}}))(?=[ \t]*$)",
        re.MULTILINE)


_RUN_TOGETHER_DATE_RE = _date_line_re(2)   # a date line that may hold a count: two digits or more
_DATE_LINE_RE = _date_line_re(1)


# a date line with its comment count apart ("Oct 13 12", "· Oct 3, 2023 5"): the text does not
# run them together
_COUNT_APART_RE = re.compile(
    rf"^[ \t]*(?:[^\n·]*·[ \t]*)?{MONTH_PATTERN}[ \t]+\d{{1,2}}(?:,[ \t]*\d{{4}})?[ \t]+\d+[ \t]*$", re.MULTILINE)


def counts_apart(text: str) -> bool:
    """Some date line of the text has its comment count after a space."""
    return _COUNT_APART_RE.search(text) is not None


def runs_together(text: str, snapshot_date: date) -> bool:
    """Some date line's digits cannot be a day alone ("Jan 312", "Nov 72", "Nov 29, 20242"),
    or, given the snapshot date, most cards' date lines (two or more) of two digits read alone
    name a day weeks before it where their first digit names a recent day ("Aug 23" on the list of Aug 3: Aug 2,
    3 comments): the text runs each date into its comment count, also where the digits could
    be a day ("Feb 22": Feb 2, 2 comments). Not where some date line shows its count apart."""
    if counts_apart(text):
        return False
    lines = [m for m in _RUN_TOGETHER_DATE_RE.finditer(text)]
    if any(m["dated"] is not None or len(m["digits"]) > 2 or not 0 < int(m["digits"]) <= 31 for m in lines):
        return True
    # (cards' date lines only, after their "·": the page's own date, "Dec 10" on a file named
    # Dec 9, is no card's; two at least)
    stale = sum(_stale_alone(m, snapshot_date) for m in lines if _after_dot(text, m))
    return stale >= 2 and 2 * stale > sum(_after_dot(text, m) for m in _DATE_LINE_RE.finditer(text))


def _after_dot(text: str, m: re.Match) -> bool:
    """A card's date line: after its "·", on the line or the line above."""
    if m["dot"] is not None:
        return True
    k = m.start() - 1
    while k >= 0 and text[k] in " \t\r\n":
        k -= 1
    return k >= 0 and text[k] == "·"


# a daily list's papers are days old: 6,625 of the 6,667 of 2023-2025 were listed within 21 days
# of their publication, none of its days had most of its papers older
RECENT_DAYS = 21


def _stale_alone(m: re.Match, snapshot_date: date) -> bool:
    """A date line's two digits read as the day name a day more than RECENT_DAYS before the
    snapshot date, and read as the day and a comment count, a day within them."""
    month, digits = month_number(m["month"]), m["digits"]
    alone, split = (resolve_month_day(month, int(digits), snapshot_date),
                    resolve_month_day(month, int(digits[0]), snapshot_date))
    return (alone is not None and split is not None and (snapshot_date - alone).days > RECENT_DAYS
            and (snapshot_date - split).days <= RECENT_DAYS)


def unglued_dates(text: str, snapshot_date: date) -> str:
    """The text with each date line's digits read as the day and the comment count they may
    stand for ("Oct 1312" -> "Oct 13 12"; after a year, its four digits: "Nov 29, 20242" ->
    "Nov 29, 2024 2"): of the readings that name a calendar day (a count never starts with 0
    unless it is 0), the one nearest before the snapshot date, since a paper is listed within
    days of its date; one with a count where the page shows that it writes every count."""
    def readings(m: re.Match) -> list[tuple[date, str, str]]:
        """(date, day digits, count digits) of each reading of the digits that names a day."""
        found = []
        for k in (1, 2):
            day, count = m["digits"][:k], m["digits"][k:]
            if count[:1] == "0" < count:
                continue
            on = resolve_month_day(month_number(m["month"]), int(day), snapshot_date)
            if on is not None:
                found.append((on, day, count))
        return found

    # a date line that can only read as a count of 0 ("Jun 60") shows that the page writes every
    # count, 0 too: then a reading without a count ("·Jun 10" as Jun 10) is no reading
    every_count = any((only := readings(m)) and all(count == "0" for _, _, count in only)
                      for m in _RUN_TOGETHER_DATE_RE.finditer(text) if m["digits"] is not None)

    def reading(m: re.Match) -> str:
        head = f"{m['lead']}{m['head']} "
        if m["dated"] is not None:   # a year has four digits: the rest is the count
            return m[0] if m["count"][:1] == "0" < m["count"] else f"{head}{m['dated']} {m['count']}"
        found = readings(m)
        # (a date line of its own may be the page's header, "Jun 10", which has no count)
        counted = [r for r in found if r[2]] if every_count and m["dot"] is not None else found
        best = max(counted or found, key=lambda r: r[0], default=None)   # the nearest before
        return m[0] if best is None else f"{head}{best[1]}" + (f" {best[2]}" if best[2] else "")
    return _RUN_TOGETHER_DATE_RE.sub(reading, text)


def read_run_together(text: str, snapshot_date: date, parse: Callable, blocks: bool = True,
                      counts_seen: bool = False):
    """`parse` of the text with a card's parts a tool ran together put apart: its date and
    comment count (only where no date line shows its count apart and, `counts_seen`, the first
    reading found no card's comment count on a line of its own: a lone "Feb 30" or "Oct 45"
    stays a date to quarantine), and with `blocks` its who, "·" and date; None when nothing was
    run together or the text so put apart finds no listing either."""
    apart = text if counts_seen or counts_apart(text) else unglued_dates(text, snapshot_date)
    apart = unglued_blocks(apart) if blocks and "·" in apart else apart
    if apart == text:
        return None
    try:
        return parse(apart)
    except SnapshotError:
        return None


def reads_better(again: list[dict] | None, first: list[dict] | None, run_together: bool = False) -> bool:
    """The second reading's entries are taken over the first's: the first found no listing,
    or the second misreads fewer dates, or as few where the text `runs_together` (the first
    reading took "Feb 22", Feb 2 and 2 comments, for Feb 22 and no comments)."""
    if not again:
        return False
    if first is None:
        return True
    misread, misread_first = sum(map(date_misread, again)), sum(map(date_misread, first))
    return misread < misread_first or (run_together and misread <= misread_first)


def date_misread(entry: dict) -> bool:
    """The entry's date line could not be read, or named no calendar day."""
    problems, invalid = entry["problems"], entry["invalid"]
    return bool(problems or invalid) and (
        any(p.startswith("unreadable date line") for p in problems)
        or any(r.startswith("date ") and r.endswith(("is not a calendar day", "cannot be read"))
               for r in invalid))

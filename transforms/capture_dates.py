"""Dates as a Daily Papers page capture shows them: "Oct 3, 2023", or "Aug 26" without a year.

A date without a year means the latest such day on or before the snapshot date (the page drops
the year for dates in the snapshot's own year; the header date picker never shows one). Feb 29
resolves to the latest leap day on or before the snapshot. Nothing here raises: a day that does
not exist ("Feb 30", "Apr 31", "Jan 0") or is out of range gives None.
"""

from __future__ import annotations

import re
from datetime import date

MONTH_NAMES = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    "|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
MONTH_PATTERN = rf"(?P<month>{MONTH_NAMES})\.?"

# The header date picker: a line holding only "Mon D".
HEADER_DATE_RE = re.compile(rf"\s*{MONTH_PATTERN}\s+(?P<day>\d{{1,2}})\s*")

_MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # Feb 29 exists in leap years


def month_number(name: str) -> int:
    """'Aug' / 'August' / 'Sept' -> 8, 8, 9 (the name must come from MONTH_PATTERN)."""
    return _MONTHS[name[:3].lower()]


def calendar_date(year: int, month: int, day: int) -> date | None:
    """date(year, month, day), or None when that day does not exist."""
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def resolve_month_day(month: int, day: int, snapshot_date: date) -> date | None:
    """The latest (month, day) on or before snapshot_date; None when no year has that day."""
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month]):
        return None
    # A leap day can be up to 8 years back (1900 and 2100 are not leap years).
    for year in range(snapshot_date.year, max(snapshot_date.year - 9, 0), -1):
        candidate = calendar_date(year, month, day)
        if candidate is not None and candidate <= snapshot_date:
            return candidate
    return None


def resolve_header_date(text: str, snapshot_date: date) -> date | None:
    """A header line "Dec 10" -> the date it names as of snapshot_date (None if not one)."""
    match = HEADER_DATE_RE.fullmatch(text)
    if match is None:
        return None
    return resolve_month_day(month_number(match["month"]), int(match["day"]), snapshot_date)

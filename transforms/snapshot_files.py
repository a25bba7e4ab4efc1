"""Names of snapshot files: the date they carry, and their archive name. No I/O but hashing."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import PurePath

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def date_from_name(name: str) -> date | None:
    """The YYYY-MM-DD a file name starts with, if any (and if it is a real day)."""
    match = _DATE_PREFIX.match(PurePath(name).name)
    return _day(match.group(1)) if match else None


def _day(text: str) -> date | None:
    """The day YYYY-MM-DD names; None when it is no calendar day."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# A date at the start of a name someone gave a file, year first: 2025-12-10, 20251210,
# 2025_12_10, 2025.12.10 (day-first forms such as 10-12-2025 are ambiguous, and not read)
_GIVEN_DATE = re.compile(r"^(\d{4})([-_.]?)([01]\d)\2([0-3]\d)(?![0-9])")


class NoCalendarDay(ValueError):
    """A file name starts with a date that is no calendar day (2025-02-30)."""


# ... or inside it, written YYYY-MM-DD ("Daily Papers 2025-12-10.txt", "hf_daily_2025-12-10.json")
_DATE_INSIDE = re.compile(r"(?<![0-9])\d{4}-[01]\d-[0-3]\d(?![0-9])")


def date_in_given_name(name: str) -> date | None:
    """The date a user's file name starts with, in any year-first form (`_GIVEN_DATE`), else
    the one YYYY-MM-DD date inside it; None when it has none, or two different ones inside
    ("2025-11-03 to 2025-11-09"). Raises NoCalendarDay for a start that is not a day, rather
    than guess (a date inside that is no day is passed over)."""
    name = PurePath(name).name
    match = _GIVEN_DATE.match(name)
    if not match:
        inside = {day for m in _DATE_INSIDE.finditer(name) if (day := _day(m[0])) is not None}
        return inside.pop() if len(inside) == 1 else None
    try:
        return date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:
        raise NoCalendarDay(f"its name starts with {match[0]!r}, which is no calendar day") from None


def safe_name(name: str) -> str:
    """A file name that cannot lead outside its directory: the last path part, tame characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).lstrip(".") or "snapshot"
    return cleaned[:120]


# JSON opens with `[` or `{` and then (after white space) a value or the closing bracket; a page
# capture can open with `[` too, but with text: a text browser's `[1]Hugging Face`, a Markdown
# link `[Hugging Face](https://huggingface.co/)`, an Org-mode link `[[https://huggingface.co/][Hugging
# Face]]` (so `[[` is JSON only when a value follows it).
_JSON_START = re.compile(rb"\s*(?:\[\s*(?:[{\]\"]|\[\s*(?:[\[{\]\"\d-]|(?:true|false|null)\b))|\{\s*[\"}])")


def source_kind_of(data: bytes, name: str) -> str:
    """'api' for JSON (by content, else by name), 'capture' for everything else. A file named
    .json whose content does not start as JSON but holds a card's "·" or markup (a page saved
    under the wrong name) is a capture; any other is read as JSON, and says why it is none."""
    head = data[:256].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"")
    if _JSON_START.match(head):
        return "api"
    if name.lower().endswith(".json") and not (b"\xc2\xb7" in data or b"\xb7\x00" in data or head[:1] == b"<"):
        return "api"
    return "capture"


def snapshot_id_for(snapshot_date: date, source_kind: str, sha256: str) -> str:
    """Stable id: the same bytes for the same day are the same snapshot."""
    return f"{snapshot_date.isoformat()}-{source_kind}-{sha256[:12]}"


def archive_name(snapshot_date: date, sha256: str, original: str) -> str:
    """`YYYY-MM/YYYY-MM-DD__<sha12>__<name>`: date first, so a re-read recovers it.

    `~` separates the parts landing adds to a name (orchestration/storage/landing.py); it is kept."""
    landed = "~".join(safe_name(part) for part in PurePath(original.replace("\\", "/")).name.split("~"))
    return f"{snapshot_date:%Y-%m}/{snapshot_date.isoformat()}__{sha256[:12]}__{landed}"

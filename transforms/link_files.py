"""Files that only point to a page: a browser's link file (Windows `.url`, a Linux `.desktop`,
a macOS `.webloc`), dragged out of the address bar into a folder of captures. They hold the
page's address, not the page: such a file fails, saying so and how to get the page; and the
listing day a Daily Papers address names (`url_day`), which captures use too. An Evernote
export (`.enex`) fails the same way: its note is the clipper's rewrite of the page (ENML, which
drops the page's classes and layout), not a capture of it, and it names the page it came from."""

from __future__ import annotations

import plistlib
import re
from datetime import date

from transforms.errors import SnapshotError

URL_DAY_RE = re.compile(
    r"huggingface\.co/papers(?:/date/(\d{4}-\d{2}-\d{2})|/?\?(?:[^\s\"'&#]*&)*date=(\d{4}-\d{2}-\d{2}))")
_SHORTCUT_RE = re.compile(r"\A\s*\[(?:InternetShortcut|Desktop Entry)\][^\[]*?^URL=(\S+)", re.MULTILINE)


def iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def url_day(url: str | None) -> date | None:
    """The listing day a Daily Papers page URL names (/papers/date/YYYY-MM-DD, ?date=...)."""
    m = URL_DAY_RE.search(url) if url else None
    return iso_day(m[1] or m[2]) if m else None


def webloc_url(data: bytes) -> str | None:
    """The address a `.webloc` (a property list, XML or binary, with a `URL`) points to, else None."""
    try:
        value = plistlib.loads(data)
    except Exception:  # noqa: BLE001 - plistlib raises several kinds on damaged input
        return None
    url = value.get("URL") if isinstance(value, dict) else None
    return url if isinstance(url, str) else None


def refuse_a_link(text: str) -> None:
    """Raise SnapshotError when the text is a link file (`.url`, `.desktop`, a `.webloc` in XML)."""
    head = text[:4000].lstrip()
    link = _SHORTCUT_RE.match(head) if head.startswith("[") else None
    url = link[1] if link else (webloc_url(head.encode()) if head.startswith("<?xml") and "<key>URL</key>" in head
                                else None)
    if url is not None:
        refuse_link_to(url)


_ENEX_SOURCE_RE = re.compile(r"<source-url>\s*([^<\s]+)")


def refuse_a_note_export(text: str) -> None:
    """Raise SnapshotError when the text is an Evernote export (see the module docstring)."""
    if "<en-export" in text[:2000]:
        source = _ENEX_SOURCE_RE.search(text)
        url = source[1].replace("&amp;", "&") if source else "the page"
        refuse_link_to(url, what=f"an Evernote export of {url[:200]}")


def refuse_link_to(url: str, what: str | None = None) -> None:
    day = url_day(url)
    fetch = f"papertrends fetch --date {day.isoformat()}" if day else "papertrends fetch --date YYYY-MM-DD"
    raise SnapshotError(f"{what or 'a link to ' + url[:200]}, not a capture of the page: open it and save the page "
                        f"(as text, Markdown or HTML), or fetch that day's list ({fetch})")

"""The site's weekly and monthly views (huggingface.co/papers/week/2025-W45, /papers/month/2025-11)
show the papers of many days without the day each was listed on: a capture of one is no day's
list (transforms/snapshot_reader.py reads it as a search view)."""

from __future__ import annotations

import re

from transforms.capture_formats import HEAD_CHARS
from transforms.capture_html import page_tree, page_urls

# a weekly or monthly view's address, or the trending view's (the papers most upvoted lately,
# of many days)
_PERIOD_URL_RE = re.compile(r"huggingface\.co/papers/(?:(week|month)/(\d{4}-(?:W\d{1,2}|\d{2}))\b|(trending)\b)")
# a text states its own address as a key's value (front matter `url:`, a `Source:` note), never as
# a link on the page (a menu's "Weekly: <url>", a link's URL on the line after its text)
_OWN_PERIOD_URL_RE = re.compile(
    r"^[ \t]*(?:url|source|link|address|canonical|og:url|snapshot-content-location)[ \t]*[:=][ \t]*[<\"']?"
    r"(?:https?://)?(?:www\.)?" + _PERIOD_URL_RE.pattern, re.IGNORECASE | re.MULTILINE)
_PERIOD_PICKER_RE = re.compile(
    r"^[ \t#*]*(?:Previous[ \t]+)?(?P<shown>Week[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?|(?:January|February|March|April|May"
    r"|June|July|August|September|October|November|December)[ \t]+\d{4})(?:[ \t]+Next)?[ \t]*$", re.MULTILINE)


def period_page(text: str, fmt: str) -> str | None:
    """'week 2025-W45' or 'month 2025-11' when the capture is of the site's weekly or monthly
    view (its own address says so, or its picker names a week or a month where a daily page
    shows its day: "Week 45", "November 2025"), 'trending' when its own address is the trending
    view's; None for a day's list. Such a view's cards do not show the day each paper was
    listed on."""
    # (where a capture states its own address: a saved page's <head>, a text's first lines)
    head = text[:200_000] if fmt == "html" else text[:HEAD_CHARS]
    if ("papers/week/" not in head and "papers/month/" not in head and "papers/trending" not in head
            and not _PERIOD_PICKER_RE.search(text, 0, HEAD_CHARS)):
        return None
    if fmt == "html":
        urls = page_urls(page_tree(head))
        found = next((m for u in urls if (m := _PERIOD_URL_RE.search(u))), None)
    else:
        found = _OWN_PERIOD_URL_RE.search(head)
    if found is not None:
        return f"{found[1].lower()} {found[2]}" if found[1] else "trending"
    picker = _PERIOD_PICKER_RE.search(text, 0, HEAD_CHARS)
    if picker is None:
        return None
    shown = " ".join(picker["shown"].replace(",", "").split())
    return f"week {shown.split()[1]}" if shown.startswith("Week") else f"month {shown}"

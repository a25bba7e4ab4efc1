"""MHTML: the one file a browser writes for "Save page as > Webpage, Single File" (Chrome and
Edge, `.mhtml` or `.mht`). It is a MIME message (RFC 2557): headers naming the page
(`Snapshot-Content-Location`) and when it was saved (`Date`), then the page's HTML as one part,
quoted-printable, beside its images and styles as others. The HTML part is the capture, read
as saved HTML is; the message's headers state its day when the page itself does not.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, date

from transforms.decoding import decode_snapshot
from transforms.errors import SnapshotError

# the headers at the top of the file: a MIME message whose body is several related parts
_HEAD_RE = re.compile(r"^MIME-Version:[^\n]*\n(?:[^\n]+\n)*?Content-Type:[ \t]*multipart/related\b",
                      re.IGNORECASE | re.MULTILINE)
_HEAD_CHARS = 4096


@dataclass(frozen=True)
class SavedPage:
    html: str                 # the page's HTML, decoded
    url: str | None           # the page's address when it was saved
    saved_on: date | None     # the day it was saved (the message's Date, in UTC)
    problems: list[str]       # how its bytes were read, when not plainly (decoding.py)


def looks_like_mhtml(text: str) -> bool:
    """Whether the text is a MIME message of related parts (MHTML), by its first headers."""
    head = text[:_HEAD_CHARS].lstrip().replace("\r\n", "\n")
    blank = head.find("\n\n")
    return _HEAD_RE.search(head if blank < 0 else head[:blank + 1]) is not None


def saved_page(text: str) -> SavedPage:
    """The HTML page an MHTML file holds, its address and the day it was saved. The page is the
    part the message's `start` names, else its first HTML part (browsers write it first)."""
    message = email.message_from_string(text, policy=email.policy.compat32)
    parts = [part for part in message.walk() if not part.is_multipart()]
    start = message.get_param("start", header="content-type")
    root = next((part for part in parts if start and part.get("Content-ID", "").strip() == start.strip()), None)
    root = root or next((part for part in parts if part.get_content_type() == "text/html"), None)
    if root is None:
        raise SnapshotError("an MHTML file (a page saved as a single file) without an HTML page in "
                            "it: save the page again, or save it as HTML, text or Markdown")
    payload = root.get_payload(decode=True) or b""
    if not payload.strip():
        raise SnapshotError("an MHTML file (a page saved as a single file) whose HTML page is empty: "
                            "save the page again")
    charset = root.get_content_charset()
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "us-ascii"):
        html, problems = payload.decode(charset, errors="replace"), []
    else:   # Chrome names no charset: the page's own bytes, UTF-8 as the page declares
        html, problems = decode_snapshot(payload)
    url = message.get("Snapshot-Content-Location") or root.get("Content-Location")
    return SavedPage(html, url.strip() if url else None, _saved_on(message.get("Date")), problems)


def _saved_on(value: str | None) -> date | None:
    try:
        moment = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date()

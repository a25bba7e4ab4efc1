"""Captures inside a MIME message: the page as the text or HTML the message holds.

- **MHTML**, what Chrome and Edge write for "Save page as > Webpage, Single File" (`.mhtml`,
  `.mht`; RFC 2557): a `multipart/related` message whose parts are the page's HTML
  (quoted-printable) and its images and styles. The page is the part the message's `start`
  names, else its first HTML part. Its `Snapshot-Content-Location` is the page's address.
- **A saved e-mail** (`.eml`): a capture mailed on, the pasted text as the message's body. Its
  first plain-text part is the capture (a mail client writes the same text as HTML beside it,
  without the page's markup); else its first HTML part, which is also taken when only it shows
  a card's "·" (a page mailed as HTML, its text part a link or a line). The other part is kept
  as `alternative`, read when the chosen one holds no listing. A text part sent as
  format=flowed has its soft line breaks undone.

The message's `Date` (when it was saved or sent) and the page's address state its day when the
capture itself does not.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from datetime import UTC, date
from email.message import Message

from transforms.decoding import decode_snapshot
from transforms.errors import SnapshotError

_HEADER_LINE_RE = re.compile(r"[A-Za-z][\w-]*:|[ \t]")   # a header, or its continuation
_HEAD_CHARS = 8192


@dataclass(frozen=True)
class MessageCapture:
    text: str                 # the capture: the page's HTML, or the message's text
    url: str | None           # the page's address, when the message names it
    saved_on: date | None     # the message's Date, in UTC
    problems: list[str]       # how its bytes were read, when not plainly (decoding.py)
    alternative: str | None = None   # an e-mail's other part (HTML beside text, or text beside HTML)
    alternative_problems: list[str] = field(default_factory=list)   # how its bytes were read


def looks_like_mime(text: str) -> bool:
    """Whether the text is a MIME message: it opens with a block of headers (up to its first
    blank line) that names MIME-Version and a Content-Type."""
    head = text[:_HEAD_CHARS].lstrip().replace("\r\n", "\n")
    blank = head.find("\n\n")
    if blank < 0:
        return False
    lines = head[:blank].split("\n")
    names = {line.split(":", 1)[0].strip().lower() for line in lines if ":" in line and line[:1].strip()}
    return ({"mime-version", "content-type"} <= names
            and all(_HEADER_LINE_RE.match(line) for line in lines))


def message_capture(text: str) -> MessageCapture:
    """The capture a MIME message holds (see the module docstring), its address and date."""
    # (from bytes: a str message's 8bit body comes out of get_payload(decode=True) with every
    # character above U+00FF written as "\\uXXXX")
    message = email.message_from_bytes(text.encode("utf-8", "surrogateescape"), policy=email.policy.compat32)
    parts = [part for part in message.walk() if not part.is_multipart()
             and not (part.get("Content-Disposition") or "").lower().startswith("attachment")]
    if message.get_content_type() == "multipart/related":   # a page saved as a single file
        start = (message.get_param("start", header="content-type") or "").strip()
        chosen = next((part for part in parts if start and part.get("Content-ID", "").strip() == start), None)
        chosen = chosen or _first(parts, "text/html")
        missing = "an MHTML file (a page saved as a single file) without an HTML page in it"
        other = None
    else:
        text_part, html_part = _first(parts, "text/plain"), _first(parts, "text/html")
        chosen = text_part or html_part
        if text_part is not None and html_part is not None and not _holds_cards(text_part) and _holds_cards(html_part):
            chosen = html_part   # (a page mailed as HTML, its text part only a link or a line)
        # (a mail client's other rendering of the same message, read when the chosen one holds no listing)
        other = html_part if chosen is text_part else text_part
        missing = "a MIME message (a saved e-mail?) without a text or HTML part"
    if chosen is None:
        raise SnapshotError(f"{missing}: save the page again, or save it as HTML, text or Markdown")
    payload = chosen.get_payload(decode=True) or b""
    if not payload.strip():
        raise SnapshotError(f"{missing.split(' without ')[0]} whose {chosen.get_content_type()} part "
                            "is empty: save the page again")
    body, problems = _body(chosen)
    url = message.get("Snapshot-Content-Location") or chosen.get("Content-Location")
    alternative, alternative_problems = _body(other) if other is not None else (None, [])
    return MessageCapture(body, url.strip() if url else None, _saved_on(message.get("Date")), problems,
                          alternative, alternative_problems)


def _body(part: Message) -> tuple[str, list[str]]:
    """A part's text, decoded by its charset (else as decoding.py reads bytes), with how it was read;
    a format=flowed text part with its soft line breaks undone."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "us-ascii"):
        try:
            body, problems = payload.decode(charset, errors="replace"), []
        except LookupError:   # a charset Python does not know: the bytes as decoding.py reads them
            body, problems = decode_snapshot(payload)
    else:   # Chrome names no charset for the page: its own bytes, UTF-8 as the page declares
        body, problems = decode_snapshot(payload)
    if part.get_content_type() == "text/plain" and (part.get_param("format") or "").lower() == "flowed":
        body = unflowed(body, (part.get_param("delsp") or "").lower() == "yes")
    return body, problems


_QUOTE_RE = re.compile(r">+")


def unflowed(text: str, delsp: bool = False) -> str:
    """Text sent as format=flowed (RFC 3676, Thunderbird's default) with its soft line breaks
    undone: a line that ends in a space goes on on the next line of the same quote depth (the
    space removed with DelSp=yes), a space-stuffed line loses its first space; the signature
    separator "-- " ends a paragraph."""
    lines, paragraph, depth = [], None, 0

    def emit(content: str, level: int) -> None:
        lines.append(">" * level + " " + content if level else content)

    for line in text.replace("\r\n", "\n").split("\n"):
        quote = _QUOTE_RE.match(line)
        level = len(quote[0]) if quote else 0
        content = line[level:]
        content = content[1:] if content.startswith(" ") else content   # space-stuffing
        if paragraph is not None and level != depth:   # (a quote depth changes: a hard break)
            emit(paragraph, depth)
            paragraph = None
        joined = content if paragraph is None else paragraph + content
        if content.endswith(" ") and content != "-- ":
            paragraph, depth = (joined[:-1] if delsp else joined), level
        else:
            emit(joined, level)
            paragraph = None
    if paragraph is not None:
        emit(paragraph, depth)
    return "\n".join(lines)


def _holds_cards(part: Message) -> bool:
    """Whether a part's bytes show a card's "·" (in UTF-8, Latin-1 or as an HTML reference)."""
    payload = part.get_payload(decode=True) or b""
    return any(mark in payload for mark in ("·".encode(), b"\xb7", b"&middot;", b"&#183;", b"&#xB7;"))


def _first(parts: list[Message], content_type: str) -> Message | None:
    return next((part for part in parts if part.get_content_type() == content_type), None)


def _saved_on(value: str | None) -> date | None:
    try:
        moment = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date()

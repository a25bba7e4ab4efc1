"""A page saved as a single file (MHTML, Chrome's "Webpage, Single File"): read as the HTML it
holds, dated by its page or by the file's own headers."""

from __future__ import annotations

import base64
import quopri
import re
from datetime import date

import pytest

from transforms.capture_formats import parse_any_capture, stated_capture_day
from transforms.capture_mime import looks_like_mime, message_capture
from transforms.errors import SnapshotError
from transforms.snapshot_reader import read_snapshot

DAY = date(2025, 11, 6)
BOUNDARY = "----MultipartBoundary--made-up-boundary----"
URL = "https://huggingface.co/papers/date/2025-11-06"


def mhtml(html: str | None, url: str | None = URL, saved: str = "Thu, 6 Nov 2025 21:40:12 -0800") -> str:
    """The file as Chrome writes it: headers, the page quoted-printable, a style sheet and an
    image beside it, CRLF line ends."""
    location = f"Snapshot-Content-Location: {url}\n" if url else ""
    head = (f"From: <Saved by Blink>\n{location}Subject: Daily Papers - Hugging Face\nDate: {saved}\n"
            f"MIME-Version: 1.0\nContent-Type: multipart/related;\n\ttype=\"text/html\";\n"
            f"\tboundary=\"{BOUNDARY}\"\n\n\n")
    parts = []
    if html is not None:
        parts.append(f"--{BOUNDARY}\nContent-Type: text/html\nContent-ID: <frame-1@mhtml.blink>\n"
                     f"Content-Transfer-Encoding: quoted-printable\nContent-Location: {url or 'about:blank'}\n\n"
                     + quopri.encodestring(html.encode("utf-8")).decode("ascii") + "\n")
    parts.append(f"--{BOUNDARY}\nContent-Type: text/css\nContent-Transfer-Encoding: quoted-printable\n"
                 f"Content-Location: cid:css-1@mhtml.blink\n\n@charset =22utf-8=22;\n.card {{ margin: 0; }}\n")
    parts.append(f"--{BOUNDARY}\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n"
                 f"Content-Location: https://huggingface.co/front/assets/logo.png\n\n"
                 + base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(200))).decode("ascii") + "\n")
    return (head + "".join(parts) + f"--{BOUNDARY}--\n").replace("\n", "\r\n")


def page(titles: list[str], with_address: bool = True) -> str:
    from tests.capture_render_tools import render_html
    from tests.conftest import api_item

    items = [api_item(f"2511.0000{n}", title, "2025-11-05", upvotes=40 - n) for n, title in enumerate(titles, 1)]
    html = render_html(items, DAY)
    if not with_address:   # a page whose own markup names no address or day
        html = re.sub(r'<link rel="canonical"[^>]*>|<meta property="og:url"[^>]*>', "", html)
    return html


TITLES = ["Made-Up Widgets · for Café Robots", "Halving Memory in Made-Up Agents — Naïvely"]


@pytest.mark.needs_shared_data
def test_a_page_saved_as_mhtml_reads_as_the_page_itself():
    html = page(TITLES)
    saved = mhtml(html)
    assert looks_like_mime(saved) and not looks_like_mime(html)
    from_mhtml = parse_any_capture(saved, DAY).entries
    assert from_mhtml == parse_any_capture(html, DAY).entries
    assert [(e["title"], e["arxiv_id"], e["upvotes"]) for e in from_mhtml] == [
        (TITLES[0], "2511.00001", 39), (TITLES[1], "2511.00002", 38)]   # UTF-8 without a charset


@pytest.mark.needs_shared_data
def test_the_file_states_its_day_by_the_page_else_its_address_else_when_it_was_saved():
    assert stated_capture_day(mhtml(page(TITLES), url="https://huggingface.co/papers"), date(2026, 1, 1)) == DAY
    assert stated_capture_day(mhtml(page(TITLES, with_address=False)), date(2026, 1, 1)) == DAY
    # no address anywhere: the day it was saved, in UTC (21:40 at -08:00 is the next day)
    unaddressed = mhtml(page(TITLES, with_address=False), url=None)
    assert stated_capture_day(unaddressed, date(2026, 1, 1)) == date(2025, 11, 7)
    assert message_capture(unaddressed).saved_on == date(2025, 11, 7)


@pytest.mark.needs_shared_data
def test_an_mhtml_whose_address_names_another_day_than_the_snapshot_date_fails():
    saved = mhtml(page(TITLES, with_address=False))
    with pytest.raises(SnapshotError, match="the page URL in the capture names 2025-11-06"):
        parse_any_capture(saved, date(2025, 11, 9))


def test_an_mhtml_without_a_page_fails_with_what_to_do():
    snap = read_snapshot(mhtml(None).encode("ascii"), DAY, "Daily Papers - Hugging Face.mhtml")
    assert snap.status == "failed"
    assert snap.reason.startswith("an MHTML file (a page saved as a single file) without an HTML page")


def test_an_mhtml_of_another_page_is_no_listing():
    about = "<!DOCTYPE html><html><head><title>About</title></head><body><h1>About us</h1></body></html>"
    snap = read_snapshot(mhtml(about, url="https://huggingface.co/about").encode("ascii"), DAY, "about.mhtml")
    assert (snap.status, snap.n_entries) == ("failed", 0)
    assert "no paper listing found" in snap.reason


def mailed(body: str, html: bool = True, cte: str = "quoted-printable") -> str:
    """A capture mailed on and saved as .eml: the text as the body (and as HTML beside it)."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"] = "Reader <reader@example.org>", "me@example.org"
    message["Subject"], message["Date"] = "Fwd: Daily Papers", "Wed, 12 Nov 2025 08:00:00 +0000"
    message.set_content(body, cte=cte)
    if html:
        message.add_alternative("<html><body><div>" + body.replace("\n", "<br>") + "</div></body></html>",
                                subtype="html", cte=cte)
    return message.as_string()


@pytest.mark.parametrize("html, cte", [(True, "quoted-printable"), (False, "base64"), (False, "8bit")])
def test_a_capture_mailed_and_saved_reads_as_its_text(html, cte):
    from tests.transforms.test_capture_tool_renderings import DAY as CAPTURE_DAY
    from tests.transforms.test_capture_tool_renderings import EXPECTED, plain, read

    saved = mailed(plain(dot="·"), html=html, cte=cte)
    assert looks_like_mime(saved) and (cte != "quoted-printable" or "=C2=B7" in saved)
    assert read(saved) == EXPECTED
    # no day in its name: the page header's "Nov 11", in the year of the message's date
    assert stated_capture_day(saved, date(2030, 1, 1)) == CAPTURE_DAY


def test_headers_that_name_no_mime_content_are_a_capture_of_their_own():
    """A capture that opens with lines like headers (a note "From: ..."), but no MIME-Version and
    Content-Type, is no message."""
    assert not looks_like_mime("From: a reader\nSubject: papers\n\nDaily Papers\n")
    assert not looks_like_mime("MIME-Version: 1.0\nContent-Type: text/plain\nnot a header line\n\nbody")


def test_an_8bit_body_keeps_characters_beyond_latin_1():
    from tests.transforms.test_capture_tool_renderings import EXPECTED, plain, read

    title = EXPECTED[0][1]
    from email.message import EmailMessage
    from email.policy import SMTPUTF8

    message = EmailMessage(policy=SMTPUTF8)   # (as a mail client saves it: the body's own bytes)
    message["From"], message["Subject"] = "reader@example.org", "Fwd: Daily Papers"
    message.set_content(plain(dot="·").replace(title, f"Φ-{title} for π"), cte="8bit")
    saved = message.as_bytes().decode("utf-8")
    assert "Φ-" in saved
    assert read(saved)[0][1] == f"Φ-{title} for π"   # (before: "\\u03a6-...")


def flowed(text: str, width: int = 60, quote: str = "") -> str:
    """The text as a mail client sends format=flowed: long lines broken at spaces, each soft
    break a trailing space (RFC 3676), a line that starts with a space stuffed with another."""
    import textwrap

    out = []
    for line in text.split("\n"):
        pieces = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
        stuffed = [" " + p if p.startswith((" ", ">")) else p for p in pieces]
        out += [quote + p + " " for p in stuffed[:-1]] + [quote + stuffed[-1]]
    return "\n".join(out)


@pytest.mark.parametrize("reply", [False, True], ids=["forwarded", "quoted in a reply"])
def test_a_flowed_mail_reads_as_the_text_it_was_made_from(reply):
    from email.message import EmailMessage

    from tests.made_up_cards import EXPECTED, read, select_all

    copy = select_all(wrap=None, blank_lines=False)   # (no blank line between a card's parts)
    assert [row[:2] for row in read(copy)] == [row[:2] for row in EXPECTED]
    body = flowed(copy, quote="> " if reply else "")
    if reply:
        body = "Interesting picks today.\n\nOn Tue, Nov 11, 2025, Bob wrote:\n" + body
    message = EmailMessage()
    message["From"], message["Subject"] = "reader@example.org", "Fwd: Daily Papers"
    message.set_content(body, cte="quoted-printable")
    message.set_param("format", "flowed")
    assert read(message.as_string()) == read(copy)


def test_a_page_mailed_as_html_with_a_text_part_of_only_its_link_reads_as_the_page():
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["Subject"] = "reader@example.org", "Daily Papers"
    message.set_content(f"Today's list: {URL}\n")
    message.add_alternative(page(TITLES), subtype="html")
    entries = parse_any_capture(message.as_string(), DAY).entries
    assert [e["title"] for e in entries] == TITLES


@pytest.mark.needs_shared_data
def test_a_mail_whose_text_part_holds_no_listing_reads_its_html_part():
    """Gmail writes a forwarded page's text with its icons as "[image: ...]" and a card's date,
    icon and count on one line, which is no listing; the HTML beside it is the page."""
    from email.message import EmailMessage

    def message(text: str, html: str) -> str:
        mail = EmailMessage()
        mail["From"], mail["Subject"] = "reader@example.org", "Fwd: Daily Papers"
        mail.set_content(text)
        mail.add_alternative(html, subtype="html")
        return mail.as_string()

    gmail_text = "".join(f"{title}\n[image: avatar]\n3 authors·Nov 5[image: comment]2\n\n" for title in TITLES)
    assert [e["title"] for e in parse_any_capture(message(gmail_text, page(TITLES)), DAY).entries] == TITLES
    # neither part a listing: the text part's reason
    with pytest.raises(SnapshotError, match="no '·' line followed by a date"):
        parse_any_capture(message("Lunch at noon?\n", "<html><body><p>Lunch at noon?</p></body></html>"), DAY)


def test_a_mail_whose_text_part_is_another_days_page_is_refused_not_read_from_its_html():
    # only a part with no listing at all gives way to the other part: a text part of another
    # day's page keeps its refusal, whatever the HTML beside it holds
    from email.message import EmailMessage

    from tests.transforms.test_capture_tool_renderings import plain

    mail = EmailMessage()
    mail["From"], mail["Subject"] = "reader@example.org", "Fwd: Daily Papers"
    mail.set_content("https://huggingface.co/papers/date/2025-11-05\n\n" + plain())
    mail.add_alternative(page(TITLES, with_address=False), subtype="html")
    with pytest.raises(SnapshotError, match="the page URL in the capture names 2025-11-05"):
        parse_any_capture(mail.as_string(), DAY)

"""Which rendering a page capture is, its snapshot date as it states it, and its entries.

`capture_format(text)` tells the renderings apart by what only each has:

  html         markup (a doctype, <html>, <head> or <body> at the start)
  textbrowser  a reference list at the end ("14. https://...") that "[label][14]" links use
  markdown     a heading holding a Markdown link to a paper ("### [Title](.../papers/ID)")
  selectall    card date lines "· Published on Nov 23" (a select-all copy of the card layout)
  plain        anything else: the text layout transforms/capture_parser.py reads

A capture inside a MIME message (a page saved as MHTML, a saved e-mail: transforms/capture_mime.py)
is read as the HTML or text it holds.
`parse_any_capture(text, snapshot_date)` reads each with its module; every format but `plain`
goes through the one evidence rule of transforms/capture_cards.py. `stated_day(text)` and
`capture_day(text, fallback)` give the date a capture states for itself (see `capture_day`).
"""

from __future__ import annotations

import re
from datetime import date

from transforms import capture_markdown, capture_selectall
from transforms.capture_block_lines import date_misread, read_run_together, reads_better, runs_together
from transforms.capture_blocks import without_picker
from transforms.capture_cards import entries_of
from transforms.capture_dates import HEADER_DATE_RE, month_number, resolve_month_day
from transforms.capture_html import (
    html_pages,
    looks_like_html,
    meta_day,
    page_entries,
    page_tree,
    page_urls,
    read_html,
    refuse_deep_nesting,
)
from transforms.capture_html_text import html_as_markdown
from transforms.capture_line_marks import without_line_marks
from transforms.capture_link_text import angle_links, markdown_title_links
from transforms.capture_mime import looks_like_mime, message_capture
from transforms.capture_page_tops import day_headings, pages_in, shows_a_days_listing
from transforms.capture_parser import CaptureResult, parse_capture
from transforms.capture_print_text import may_be_print_text, with_blank_lines
from transforms.capture_raw_html import as_markdown, holds_raw_html
from transforms.capture_reference_links import has_reference_links, inline_reference_links
from transforms.capture_text_normal import DIRECTION_FORMATTING_RE, normal_text
from transforms.capture_textbrowser import REF_LINE_RE as _REF_LINE_RE
from transforms.capture_textbrowser import REFERENCE_RE, references, to_markdown
from transforms.errors import NoListing, SnapshotError
from transforms.link_files import URL_DAY_RE, iso_day, refuse_a_link, refuse_a_note_export, url_day

FORMATS = ("html", "textbrowser", "markdown", "selectall", "plain")
_HEADING_START_RE = re.compile("\n#")
_MD_PAPER_HEADING_RE = re.compile(r"#{1,6}[ \t]+[*_]{0,3}\[")   # (a heading may be in bold: "### **[Title](URL)**")
_MD_TITLE_HEADING_RE = re.compile(r"^#{2,4}[ \t]+[*_]{0,3}\w", re.MULTILINE)
_CARD_DATE_RE = re.compile(r"·\s*(?:Published on[ \t]+)?[A-Z][a-z]{2}[a-z]*\.?[ \t]+\d")
_PUBLISHED_RE = re.compile(r"(?:^|·)\s*Published on\s+[A-Z][a-z]{2}", re.MULTILINE)
_CAPTURED_RE = re.compile(
    r"^\W{0,3}(?:retrieved|exported|captured|saved|clipped|created|fetched|date)(?:[ _-]?(?:at|on))?"
    r"\s*:\s*['\"]?(\d{4}-\d{2}-\d{2})", re.IGNORECASE | re.MULTILINE)
HEAD_CHARS = 8192  # where a capture states its own URL and time (front matter, a note)


def capture_format(text: str) -> str:
    if looks_like_html(text):
        return "html"
    tail = text[-400:].rstrip().rsplit("\n", 1)[-1]
    if _REF_LINE_RE.fullmatch(tail):  # (a cheap look at the last line first)
        lines = text.split("\n")
        refs, start = references(lines)
        if len(refs) >= 2 and REFERENCE_RE.search("\n".join(lines[:start])):
            return "textbrowser"
    first = _HEADING_START_RE.search(text)   # (a regex: faster than a search for two characters)
    i = -1 if text.startswith("#") else first.start() if first else -1
    while i != -1 or text.startswith("#"):  # (substring searches first: most captures are plain)
        m = _MD_PAPER_HEADING_RE.match(text, i + 1)
        if m and "](" in text[m.start():m.start() + 2000] and "/papers/" in text[m.start():m.start() + 2000]:
            return "markdown"
        i = text.find("\n#", i + 2)
        if i == -1:
            break
    if first and len(_MD_TITLE_HEADING_RE.findall(text)) >= 2 and _CARD_DATE_RE.search(text):
        return "markdown"   # a converter told to drop links (html2text --ignore-links, markdownify
        #                     strip=["a"]): "### Title", and the cards' "· <date>", the "·" perhaps
        #                     on a line of its own (a blog or README with headings has none)
    if "Published on" in text and _PUBLISHED_RE.search(text):
        return "selectall"
    return "plain"


def stated_day(text: str, fmt: str | None = None) -> tuple[date | None, date | None]:
    """(the listing day the capture's page URL names, the capture time it states): from the
    page URL (/papers/date/YYYY-MM-DD or ?date=YYYY-MM-DD), a front matter or note line
    (retrieved:, exported:, captured:, date: ...), or HTML's canonical link, og:url and meta."""
    fmt = fmt or capture_format(text)
    if fmt == "html":
        refuse_deep_nesting(text[:200_000])
        tree = page_tree(text[:200_000])   # (the tree only: no listing, no cards)
        urls = page_urls(tree)
        found = [m for u in urls if (m := URL_DAY_RE.search(u))]
        return (iso_day(found[0][1] or found[0][2]) if found else None), meta_day(tree)
    head = text[:HEAD_CHARS]
    m = next((m for m in URL_DAY_RE.finditer(head) if _states_the_page(head, m.start())), None)
    c = _CAPTURED_RE.search(head)
    return (iso_day(m[1] or m[2]) if m else None), (iso_day(c[1]) if c else None)


# just before the URL: "[label](", or "label <" (a browser's "Save as Text" writes each link's URL
# after its text: "Previous <https://.../papers/date/...>"), not "URL: <" (a note's key)
def _listing_day(text: str, fmt: str) -> date | None:
    """stated_day's listing day alone (a cheap look first: most captures name no page URL)."""
    if fmt != "html" and "/date/" not in text[:HEAD_CHARS] and "date=" not in text[:HEAD_CHARS]:
        return None
    return stated_day(text, fmt)[0]


_LINK_TARGET_RE = re.compile(r"(?:\]\(|[^\s:][ \t]+<)(?:https?://)?(?:www\.)?$")


def _states_the_page(head: str, at: int) -> bool:
    """Whether the URL at `at` is the page's own address (front matter, a note, a line of its
    own), not a link on the page: the date picker's "[Previous](.../papers/date/<the day
    before>)" or "Previous <...>", or a text browser's reference list."""
    line_start = head.rfind("\n", 0, at) + 1
    line_end = head.find("\n", at)
    line = head[line_start:line_end if line_end >= 0 else len(head)]
    if _REF_LINE_RE.fullmatch(line):
        return False
    return not _LINK_TARGET_RE.search(head, line_start, at)


def header_line(text: str, fmt: str) -> str | None:
    """The page header's "Mon D" line (the date picker), as the capture's format places it."""
    if fmt == "markdown":
        return capture_markdown.read_cards(text)[0]
    if fmt == "textbrowser":
        return capture_markdown.read_cards(to_markdown(text))[0]
    if fmt == "selectall":
        return capture_selectall.read_cards(text)[0]
    if fmt == "plain":   # (a browser's "Save as Text": "Previous <URL> Nov 11 Next <URL>")
        lines = [line.strip() for line in (angle_links(text) if " <http" in text else text).split("\n")]
        first_sep = lines.index("·") if "·" in lines else len(lines)
        return next((shown for s in lines[:first_sep] if HEADER_DATE_RE.fullmatch(shown := without_picker(s))), None)
    return None


def capture_day(text: str, fallback: date) -> date:
    """The snapshot date a capture states for itself, when its file name has none: the day of
    its page URL; else its header "Mon D" as the latest such day on or before the capture time
    it states (front matter, note, HTML meta) or else `fallback` (the file's modification
    time); else that capture time; else `fallback`."""
    return stated_capture_day(text, fallback) or fallback


def stated_capture_day(text: str, reference: date) -> date | None:
    """capture_day, or None when the capture states no day at all (`reference` only gives the
    year of a header "Mon D" when no capture time is stated). A capture inside a MIME message
    (MHTML, an e-mail) states it itself, else in the message's headers (the page's address, the
    message's date)."""
    saved = None
    if looks_like_mime(text):
        try:
            saved = message_capture(text)
        except SnapshotError:   # (reading the file says why)
            return None
        text = saved.text
    fmt = capture_format(text)
    listed, captured = stated_day(text, fmt)
    if saved is not None:
        listed, captured = listed or url_day(saved.url), captured or saved.saved_on
    if listed is not None:
        return listed
    header = header_line(text, fmt)
    m = HEADER_DATE_RE.fullmatch(header) if header else None
    if m is not None:
        day = resolve_month_day(month_number(m["month"]), int(m["day"]), captured or reference)
        if day is not None:
            return day
    return captured


_FORMAT_WORDS = {"html": "HTML page", "markdown": "Markdown text", "textbrowser": "text browser's dump",
                 "selectall": "copy of a page"}


def _refuse_several_days(pages: list[str | None]) -> None:
    """Refuse a file holding the pages of several days, or of days it does not state, each page's
    day given as its header shows it ("Nov 5") or None; one page saved twice reads as one (its
    repeated cards are quarantined as repeats)."""
    if None in pages or len(set(pages)) > 1:
        raise SnapshotError(
            f"the file holds {len(pages)} pages, of " + ", ".join(day or "an unknown day" for day in pages)
            + ": save each day's page in a file of its own, named by its day, and ingest those")


def _check_listed(listed: date | None, snapshot_date: date) -> None:
    if listed is not None and listed != snapshot_date:
        raise SnapshotError(
            f"the page URL in the capture names {listed.isoformat()}, but the snapshot date given"
            f" (the file name's, or --snapshot-date) is {snapshot_date.isoformat()}: give the day"
            f" the page shows ({listed.isoformat()}) in the file name or --snapshot-date")


def _check_header(header: str | None, snapshot_date: date) -> date | None:
    if header is None:
        return None
    m = HEADER_DATE_RE.fullmatch(header)
    day = resolve_month_day(month_number(m["month"]), int(m["day"]), snapshot_date) if m else None
    if day is None:
        raise SnapshotError(f"the page header date {header!r} is not a calendar day")
    return day   # the day whose list the page shows (another day than snapshot_date is no error)


# pandoc's own Markdown (-t markdown, markdown_phpextra) keeps the page's classes and ids as
# attributes after a link, an image or a heading ("[3](URL){.flex .items-center}", wrapped onto
# the next line too, "### Title {#title .mb-1}") and its <div>s as fenced divs ("::: flex" ...)
_ATTRIBUTES_RE = re.compile(r"(?<=[)\]])\{(?:[.#][\w-]|[\w-]+=)[^{}]{0,300}\}|[ \t]+\{[#.][^{}\n]*\}[ \t]*$"
                            r"|^[ \t]*:::.*$", re.MULTILINE)


def _pandoc_marks(head: str) -> bool:
    """pandoc's attributes or fenced divs in the head of a capture (its header and first card
    carry both; a search of a whole long capture would cost a tenth of its reading)."""
    return "){" in head or "]{" in head or "\n:::" in head


def without_pandoc_attributes(text: str) -> str:
    """pandoc's Markdown without its attributes and fenced-div lines (those lines left blank)."""
    return _ATTRIBUTES_RE.sub("", text)


# Typographic ligatures (U+FB00-FB06) as the letters they join: text taken from a PDF writes
# "ﬁne-tuning" where the page says "fine-tuning", and a title must read as the listing writes it.
_LIGATURE_RE = re.compile("[\ufb00-\ufb06]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})


def parse_any_capture(text: str, snapshot_date: date) -> CaptureResult:
    """Entries of a capture in any format (see the module docstring)."""
    refuse_a_link(text)   # a browser's link file: the page's address, not the page
    refuse_a_note_export(text)
    saved = None
    if looks_like_mime(text):   # MHTML, a saved e-mail: the page or text it holds
        saved = message_capture(text)
        text = saved.text
        _check_listed(url_day(saved.url), snapshot_date)
    try:
        result = _read_capture(text, snapshot_date)
    except NoListing as error:
        if saved is None or saved.alternative is None:
            raise
        result = _read_alternative(saved.alternative, snapshot_date, error)
        result.problems[:0] = saved.alternative_problems + [
            "the message's first part holds no listing: its other part (HTML beside text, or text beside HTML) is read"]
    else:
        if saved is not None:
            result.problems[:0] = saved.problems
    for entry in result.entries:   # (isascii() is a flag: most titles and abstracts cost nothing)
        for name in ("title", "abstract"):
            value = entry[name]
            if value is not None and not value.isascii() and _LIGATURE_RE.search(value):
                entry[name] = value.translate(_LIGATURES)
    return result


def _read_alternative(text: str, snapshot_date: date, error: NoListing) -> CaptureResult:
    """An e-mail's other part (its HTML when its text holds no listing, or the reverse); the first
    part's error when the other holds none either."""
    try:
        return _read_capture(text, snapshot_date)
    except NoListing:
        raise error from None


def _read_capture(text: str, snapshot_date: date) -> CaptureResult:
    try:
        return _parse_any_capture(text, snapshot_date)
    except SnapshotError:   # (direction embeddings around a date or a "·": see capture_text_normal)
        if DIRECTION_FORMATTING_RE.search(text) is None:
            raise
        return _parse_any_capture(DIRECTION_FORMATTING_RE.sub("", text), snapshot_date)


def _parse_any_capture(text: str, snapshot_date: date) -> CaptureResult:
    text = normal_text(text)
    if len(pages := pages_in(text)) > 1 and not looks_like_html(text):
        _refuse_several_days(pages)
    text = without_line_marks(text)   # mail quotes, list marks, line numbers, CSV quoting
    if "{" in text and _pandoc_marks(text[:5000]) and not looks_like_html(text):
        text = without_pandoc_attributes(text)
    if has_reference_links(text) and not looks_like_html(text):   # "[Title][17]" ... "[17]: URL"
        text = inline_reference_links(text)
    fmt = capture_format(text)
    if fmt != "html" and holds_raw_html(text):   # Markdown keeping the page's <div>s and <a>s
        text = as_markdown(text)
        fmt = capture_format(text)
    if fmt == "html":
        refuse_deep_nesting(text)
        if len(saved := html_pages(text)) > 1 and len({page.strip() for page in saved}) > 1:
            # (pages saved one after another: cat a.html b.html; one page saved twice reads as one)
            _refuse_several_days([f"{day:%b} {day.day}" if (day := stated_day(page, "html")[0]) else None
                                  for page in saved])
    _check_listed(_listing_day(text, fmt), snapshot_date)
    if fmt == "plain":
        if may_be_print_text(text) and (spaced := with_blank_lines(text)) is not None:
            text = spaced   # text of the page printed to PDF: no blank line anywhere
        if "<" in text and " <http" in text:   # a browser's "Save as Text": each link's URL after its text
            text = angle_links(text)
        elif (linked := markdown_title_links(text)) is not None:   # titles as Markdown links, no heading
            text = linked
        # (the page's top twice: its byline found twice, one page pasted twice)
        return _unescaped(parse_capture(text, snapshot_date, pasted_twice=len(pages) > 1, normal=True))
    if fmt == "html":
        items, cards, tree = read_html(text)
        if items is not None:
            entries, problems = page_entries(items, cards, snapshot_date)
            return CaptureResult(header_date=None, entries=entries, problems=problems)
        if not cards:   # not the site's markup (a document editor's copy, a reader view)
            return _read_as_shown(tree, snapshot_date)
        header = None
    elif fmt == "selectall":
        header, cards = capture_selectall.read_cards(text)
    else:
        header, cards = capture_markdown.read_cards(to_markdown(text) if fmt == "textbrowser" else text)
    header_date = _check_header(header, snapshot_date)
    if not cards:
        raise NoListing(f"no paper listing found: no paper cards in this {_FORMAT_WORDS.get(fmt, fmt)};"
                            " is it a capture of huggingface.co/papers?")
    entries = entries_of(cards, snapshot_date)
    glued = fmt == "markdown" and runs_together(text, snapshot_date)
    if fmt == "markdown" and (glued or any(map(date_misread, entries))):
        # links stripped (html2text --ignore-links): each date ran into its count, "Nov 72"
        again = read_run_together(text, snapshot_date, blocks=False, parse=lambda apart: entries_of(
            capture_markdown.read_cards(apart)[1], snapshot_date),
            counts_seen=any(entry["comments"] for entry in entries))   # (cards whose counts stand apart)
        if reads_better(again, entries, glued):
            entries = again
    return _unescaped(CaptureResult(header_date=header_date, entries=entries))


def _unescaped(result: CaptureResult) -> CaptureResult:
    """Titles read from a capture's text without Markdown's escaped line break, kept by a viewer
    that joined the lines it broke ("Large\\ Language Models"): no real title holds one."""
    for entry in result.entries:
        if entry["title"] is not None and "\\ " in entry["title"]:
            entry["title"] = entry["title"].replace("\\ ", " ")
    return result


def _read_as_shown(tree, snapshot_date: date) -> CaptureResult:
    """An HTML page without the site's cards, read as the Markdown text it shows
    (transforms/capture_html_text.py) when that text shows one day's papers page (its header with
    its day, or the day's address); otherwise, or when it holds no listing, the HTML's own message."""
    shown = html_as_markdown(tree)
    stated = any(URL_DAY_RE.search(url) for url in page_urls(tree)) or _listing_day(shown, "markdown") is not None
    if capture_format(shown) == "html" or not shows_a_days_listing(shown, stated):
        raise NoListing("no paper listing found: no paper cards in this HTML page, and the text it shows is no "
                        "day's papers page (no 'Daily Papers' header with its day, no address of a day's page); "
                        "is it a capture of huggingface.co/papers?")
    if len(days := day_headings(shown)) > 1:
        raise SnapshotError(f"the text this HTML shows has headings of {len(days)} days ({', '.join(days[:5])}): "
                            "a digest of several days, not one day's list; save each day's page "
                            "(huggingface.co/papers/date/YYYY-MM-DD) or fetch the days")
    try:
        result = _parse_any_capture(shown, snapshot_date)
    except NoListing:
        raise NoListing("no paper listing found: no paper cards in this HTML page, nor a listing in the text"
                        " it shows; is it a capture of huggingface.co/papers?") from None
    result.problems.append("the HTML is not the site's own markup (no paper cards in it): read as the text it shows")
    result.text_read = shown
    return result

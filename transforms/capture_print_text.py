"""Text taken from the papers page printed to PDF ("Save as PDF" in a browser, then the text of
the PDF: a PDF viewer's select-all, a PDF library's text extraction).

Such text has no blank line anywhere: every card is its upvote count, its title, its abstract and
its authors-and-date line, one after the other. Lines are wrapped at the print's width in a
proportional typeface, so they end wherever a word no longer fitted, and the title, set in a
larger type, wraps at fewer characters than the abstract. Each printed page also carries the
print's header and footer: the date and time of the print and the page's title
("12/5/26, 5:59 AM Daily Papers - Hugging Face"), and the page's address with the page number
("https://huggingface.co/papers 1/9"; Firefox: "Daily Papers - Hugging Face https://...",
"1 of 9 12/5/26, 5:59 AM"; pdftotext puts each on a line of its own, blank lines and form
feeds around them); those fall between any two lines of a card.

`with_blank_lines` puts back the blank lines the page's own text has around each card's title
and abstract, where it can tell them apart, and drops the print's header and footer lines; the
result reads as a plain-text capture. The title is the card's first 1-3 lines when each is
shorter than SHORT of the card's longest line and the line after them is not: the abstract's
lines, but its last, run to the print's width.
"""

from __future__ import annotations

import re

from transforms.capture_blocks import AUTHORS_RE, link_labels
from transforms.capture_line_joins import wrapped_title_lines

SHORT = 0.8           # a title line is shorter than this share of the card's longest line
NO_BLANK_HEAD = 4000  # a print's text has no blank line in its first characters
PRINT_MARK_HEAD = 400  # the first page's header is in a print's first characters
WIDTH_RANK = 0.9     # the print's width: this share of the text's lines is no longer
MAX_WIDTH = 250       # characters: few print's or fill's lines are longer (real prints: 87-89;
                      # pdftotext runs two or three into one now and then, up to 353)
MIN_CARDS = 2         # cards whose title and abstract are told apart, for the text to be a print's

_PRINTED_AT = r"\d{1,2}/\d{1,2}/\d{2,4},?[ \t]+\d{1,2}:\d{2}(?:[ \t]?[AaPp][Mm])?"
# the printed page's address: the papers page (of a day), or a saved file's
_ADDRESS = (r"(?:https?://(?:www\.)?huggingface\.co/papers(?:/date/[\d-]+)?/?(?:[?#]\S*)?"
            r"|(?:file|\ufb01le)://\S*)")
_PAGE = r"\d+[ \t]*(?:/|of)[ \t]*\d+"
_FURNITURE_RE = re.compile(   # a whole line, with its line break
    rf"^[ \t]*(?:{_PRINTED_AT}\b.*"                  # date and time, maybe the page's title (Chrome)
    r"|[^\n]{0,80} - Hugging Face"                    # the page's title on a line of its own
    rf"|{_ADDRESS}(?:[ \t]+{_PAGE})?"                 # address, maybe the page number (Chrome)
    rf"|{_PAGE}"                                      # the page number on a line of its own
    rf"|{_PAGE}[ \t]+{_PRINTED_AT}"                   # page, date, time (Firefox)
    rf"|[^\n]*Hugging Face[ \t]+{_ADDRESS})[ \t]*$\n?",  # title, address (Firefox)
    re.MULTILINE)
_PRINT_MARK_RE = re.compile(   # the first page's header line, which only a print has
    rf"^[ \t]*(?:{_PRINTED_AT}|[^\n]*Hugging Face[ \t]+{_ADDRESS})", re.MULTILINE)
# the page's footer, its links' spans run together ("System themeCompanyTOSPrivacyAbout..."):
# as "System theme" a reader knows it for site text, so a comment count above it stays one
_GLUED_FOOTER_RE = re.compile(r"^[ \t]*System theme(?=[A-Z])[^\n]*", re.MULTILINE)
_COUNT_RE = re.compile(r"[ \t]*\d{1,7}[ \t]*")
_BLANK_LINE_RE = re.compile(r"\n[ \t]+\n")


def may_be_print_text(text: str) -> bool:
    """A cheap first test: no blank line in the text's head (most captures have dozens), a page
    break (pdftotext), or a print's header line at the top."""
    head = text[:NO_BLANK_HEAD]
    # (a line of spaces is blank too: a tool that pads every line, an editor keeping indents)
    return (("\n" in head and "\n\n" not in head and _BLANK_LINE_RE.search(head) is None) or "\f" in text
            or _PRINT_MARK_RE.search(text, 0, PRINT_MARK_HEAD) is not None)


def with_blank_lines(text: str) -> str | None:
    """The text with a blank line around each card's title and abstract, and without the print's
    header and footer lines; None when fewer than MIN_CARDS cards could be told apart (the text
    is then read as it is)."""
    # a print sets its titles in larger type (shorter lines: title_lines); a capture filled to
    # a fixed width, its blank lines gone, fills its titles' lines too, and the wrap tells them
    # (capture_line_joins.wrapped_title_lines)
    printed = "\f" in text or _PRINT_MARK_RE.search(text, 0, PRINT_MARK_HEAD) is not None
    if "\f" in text:   # a page break (pdftotext -raw), at the start of the page's first line
        text = text.replace("\f", "")
    # pdftotext (reading order) keeps blank lines around some lines; a print has none of its own
    text = _GLUED_FOOTER_RE.sub("System theme", _FURNITURE_RE.sub("", text))
    lines = [line for line in text.split("\n") if line.strip()]
    if sum(len(line) > MAX_WIDTH for line in lines) >= max(MIN_CARDS, len(lines) // 10):
        return None   # never wrapped: each paragraph a line (no page is that wide), as plain text
    width = print_width(lines)
    fill = None if printed else filled_width(lines)
    out: list[str] = []
    split_cards = 0
    i = 0
    while i < len(lines):
        out.append(lines[i])
        i += 1
        if not _COUNT_RE.fullmatch(out[-1]):
            continue
        end = i   # the card's title and abstract run to its authors-and-date line ("·")
        while end < len(lines) and "·" not in lines[end] and not _COUNT_RE.fullmatch(lines[end]):
            end += 1
        labels = end   # the author count, an avatar's "• [a]" (a text browser's): no abstract lines
        while labels > i and (link_labels(lines[labels - 1]) or AUTHORS_RE.match(lines[labels - 1].lstrip())):
            labels -= 1
        card = [line.strip() for line in lines[i:labels]]
        if fill:   # as the wrap counted the lines: a tool's indent included
            raw = [line.rstrip() for line in lines[i:labels]]
            k = wrapped_title_lines(raw) or title_lines(raw, fill)
        else:
            k = title_lines(card, width)
        if k is not None or (len(card) >= 3 and end < len(lines) and "·" in lines[end]):
            # a card whose title cannot be told apart stays one paragraph: read as an abstract
            # with no title, it is quarantined with its text, and the other cards count
            out += ["", *card[:k], "", *card[k:], ""] if k is not None else ["", *card, ""]
            out += [line.strip() for line in lines[labels:end]]
            split_cards += k is not None
            i = end
            if i < len(lines) and "·" in lines[i] and not AUTHORS_RE.match(lines[i].lstrip()):
                # a print shows an organization's name, not its handle (the logo's alt text):
                # indented, the who line reads as the name alone (capture_blocks.read_who)
                lines[i] = " " + lines[i].lstrip()
    return "\n".join(out) if split_cards >= MIN_CARDS else None


def print_width(lines: list[str]) -> int:
    """The print's line width in characters: the abstracts' full lines are most of a print's
    lines, and a few lines longer than that are two run into one (pdftotext's reading order
    does that), so the width is the length at WIDTH_RANK of the lines sorted by length."""
    lengths = sorted(len(line.strip()) for line in lines)
    return lengths[int(WIDTH_RANK * (len(lengths) - 1))] if lengths else 0


def filled_width(lines: list[str]) -> int | None:
    """The width the lines were filled to in characters (an editor's or a mail client's wrap, a
    text browser's dump), or None when they were not, but set in a proportional font: the
    longest 10% of lines, but for a few (a URL no wrap breaks), are within a character of one
    another. A print's spread over several (2-4 between its 90th and 99th percentile in 12
    real prints)."""
    lengths = sorted(len(line.rstrip()) for line in lines)
    if len(lengths) < 20:
        return None
    width = lengths[int(WIDTH_RANK * (len(lengths) - 1))]
    return width if lengths[int(0.99 * (len(lengths) - 1))] - width <= 1 else None


def title_lines(card: list[str], width: int | None = None) -> int | None:
    """How many of a card's lines are its title (1-3), or None when that cannot be told: each
    title line is shorter than SHORT of the print's `width` (by default the card's longest
    line), the abstract's first line is not, and the abstract has at least two lines."""
    if len(card) < 3 or not all(card):
        return None
    short = SHORT * (width or max(map(len, card)))
    for k in (1, 2, 3):
        if k > len(card) - 2 or len(card[k - 1]) >= short:
            return None
        if len(card[k]) >= short:
            return k
    return None

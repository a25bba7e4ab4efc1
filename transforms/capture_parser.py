"""Parse a text capture of huggingface.co/papers into entries (layout: docs/capture-formats.md).

`parse_capture(text, snapshot_date) -> CaptureResult` works by structure, one pass over lines:

* An entry's *block* is a separator line "·" with its *who* line just before it ("  • N authors",
  "N authors](url)" after a "[" line, "<handle> <display name>", or " <display name>" followed
  by https://huggingface.co/<handle>) and its *date* line just after it ("Oct 3, 2023" or
  "Aug 26", optionally followed by the comment count). A "·" counts only when a date line, or
  an author-count / organization-URL who line, sits next to it; stray "·" lines are noise.
* The text between one block and the next holds [upvote line] title [url lines] [abstract]
  [url lines]; the last title (+ abstract) there belongs to the next block. Any text before it
  is one or more entries that lost their who/date block: kept with complete=False and the
  problem "no authors/date block". A line of 200+ characters, or one ending in "." or "…",
  is an abstract (but a title when an abstract follows it and it is one sentence of at most 300
  characters without a closing full stop, or short and ending in "."); other lines are titles,
  except that two paragraphs before a block after an upvote line (or the second one of several
  sentences) are one card's title and abstract.
  Where blank lines separate the parts, a paragraph (text lines with no blank line between:
  a wrapped title or abstract) is one title or one abstract, whatever its lines look like:
  "Nov 23" wrapped inside an abstract is abstract text, never an entry of its own. Before
  the page header ("Mon D") everything is site navigation; without a header, and after the
  last block, an entry without a block is kept only when it has a title and an abstract of
  200+ characters (footers have short lines).

Decision rules:
* comments: the number after the date ("Aug 26 2"), or a number on its own line after the
  date; 0 when the date line is there without one (the page hides a zero count); None when
  the entry has no date line. A lone number after a date is the comment count, except when
  the capture shows upvote lines and the number is followed by entry text (a title, not a
  #community link, another upvote line, site navigation or the end): then it is the next
  entry's upvote line.
* upvotes: None for every entry when the capture shows no upvote lines at all. The capture
  shows them when some line is "-" or "[-] ...", or a number line stands anywhere except
  straight after a date line without a count. Then "-" is 0, and an entry without its
  upvote line gets None and the problem "no upvote line".
* complete is False when the entry has no title, no who/date block, or a block with a problem
  (who line missing or unreadable; date line missing or unreadable). Every such case adds a
  note to `problems`; a missing upvote line is noted but leaves complete True. Values are
  never corrected: "-3 authors" gives n_authors=-3. Values that cannot be true go to
  `invalid` (the entry is then quarantined): a date that is not a calendar day ("Feb 30"), a
  count too long to read, an upvote line that is not a number ("1.2k", "n/a": a short token
  where an upvote line stands, before a title and its abstract).
* raw_text is the entry's lines with line endings normalised and trailing blanks removed.
* A block written on one line, "8 authors · Oct 30 7" (text extractors such as inscriptis put
  the page's inline who · date on one line), is read as the three lines it stands for; so is
  one with no space around the "·" ("8 authors·Oct 30 7", a PDF's text), where no block is
  found otherwise.
* The page pasted again below itself: the second copy's top (its date line again under the
  line above the first copy's) back to the last card is read as the text after the last card.
* Lines of a wrapped paragraph are joined by spaces, but at a hyphen ending a line
  (capture_line_joins.py).

Block reading and line shapes: transforms/capture_blocks.py; the lines between two blocks split
into entries: capture_groups.py; blocks on fewer lines:
capture_block_lines.py; wrapped lines: capture_line_joins.py; "Mon D" dates: capture_dates.py;
"Submitted by <name>" lines, no entries: capture_submitter_lines.py; the page pasted twice:
capture_page_copies.py; cards re-wrapped into paragraphs (every entry quarantined):
capture_run_on.py; repeats: observations.py.

Only SnapshotError is raised: the header date is no calendar day, or no block is found. A header
naming another day than snapshot_date shows that day's list (header_date), captured later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress

from transforms.capture_block_lines import (
    blocks_on_their_lines,
    date_misread,
    read_run_together,
    reads_better,
    runs_together,
    unglued_blocks,
)
from transforms.capture_blocks import (
    PAPER_ID_RE,
    UPVOTE_RE,
    Block,
    names_alone,
    page_header,
    parse_int,
    read_date,
    read_who,
    shows_upvotes,
)
from transforms.capture_dates import MONTH_NAMES, MONTH_PATTERN
from transforms.capture_groups import line_groups, plain_group
from transforms.capture_page_copies import page_header_repeats
from transforms.capture_run_on import RUN_ON_REASON, numbered_titles, run_on_cards
from transforms.capture_submitter_lines import drop_submitter_lines
from transforms.capture_text_normal import normal_text
from transforms.errors import NoListing, SnapshotError
from transforms.observations import empty_entry, mark_repeats


@dataclass
class CaptureResult:
    header_date: date | None
    entries: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # notes on the capture, kept with the snapshot
    text_read: str | None = None   # the text read, when not the file's own (an HTML page's shown text)
    shortcut_cards: int = 0        # cards read by the shortcut for their common shape (plain_group)


def _entry(raw: list[str], stripped: list[str], group: list, block: Block | None,
           upvote_mode: bool, merged: dict[int, tuple[str, int]]) -> dict:
    start, up, title, abstract, urls, _ = group
    if block is not None:
        start, end = min(start, block.start), block.end
    else:
        end = max(merged[i][1] if i in merged else i
                  for i in (title, abstract, up, *urls) if i is not None)
    entry = empty_entry(0, "\n".join(map(str.rstrip, raw[start:end + 1])))
    problems = entry["problems"]
    if title is not None:
        entry["title"] = _fold(merged[title][0] if title in merged else stripped[title])
    else:
        problems.append("no title")
    if abstract is not None:
        entry["abstract"] = merged[abstract][0] if abstract in merged else stripped[abstract]
    if up is not None:
        shown = UPVOTE_RE.fullmatch(stripped[up])
        n = shown["n"] if shown else stripped[up]
        entry["upvotes"] = 0 if n == "-" else parse_int(n) if shown else None
        if entry["upvotes"] is None:
            entry["invalid"].append(f"upvote count {n[:40]!r} cannot be read")
    elif upvote_mode:
        problems.append("no upvote line")
    if block is None:
        problems.append("no authors/date block")
    else:
        entry.update(block.fields)
        if block.problems or block.invalid:
            problems.extend(block.problems)
            entry["invalid"].extend(block.invalid)
        urls = urls + block.urls
    ids = [m[1] for i in urls if (m := PAPER_ID_RE.search(stripped[i]))] if urls else None
    if ids:
        entry["arxiv_id"] = ids[0]
        if len(ids) > 1 and len(set(ids)) > 1:
            problems.append(f"several arXiv ids: {', '.join(dict.fromkeys(ids))}"[:200])
    entry["complete"] = (title is not None and block is not None and not block.problems
                         and not block.invalid)
    return entry


def _fold(line: str) -> str:
    """Whitespace runs as single spaces (the line is stripped). Every whitespace character but
    " " is unprintable: a printable line without "  " stays as it is (most titles)."""
    return line if line.isprintable() and "  " not in line else " ".join(line.split())


def parse_capture(text: str, snapshot_date: date, pasted_twice: bool = True, normal: bool = False,
                  shortcut: bool = True) -> CaptureResult:
    """Entries of a page capture, in page order (see the module docstring for the rules).
    pasted_twice=False: the caller knows the page's top is in the text once at most, and the
    search for its repeats (page_header_repeats, ~4% of the parse) is skipped. normal=True: the
    caller passes normal_text's text (it is not made again: ~5% of the parse). shortcut=False:
    every card is read the general way (line_groups), never by the shortcut for its common shape
    (plain_group); the entries are the same, only slower (tests compare the two)."""
    if isinstance(snapshot_date, datetime):
        snapshot_date = snapshot_date.date()
    if not normal:
        text = normal_text(text)
    try:
        result, error = _parse(text, snapshot_date, pasted_twice, shortcut), None
    except SnapshotError as exc:
        if not isinstance(exc, NoListing) or "·" not in text:
            raise
        result, error = None, exc
    glued = runs_together(text, snapshot_date)
    if result is not None and not glued and not any(map(date_misread, result.entries)):
        return result
    def parse(apart: str) -> CaptureResult:
        return _parse(apart, snapshot_date, pasted_twice, shortcut)

    # a page whose cards show their comment counts on lines of their own runs no date into a
    # count: one damaged date line ("Oct 45") is no sign that "Feb 22" means Feb 2 with 2 comments
    blocks = blocks_apart(text, parse) if result is None else None
    counts_seen = any(entry["comments"] for entry in (result or blocks).entries) if (result or blocks) else False
    # (with the counts seen, putting the text apart is putting its blocks apart: read above)
    again = blocks if counts_seen and blocks is not None else \
        read_run_together(text, snapshot_date, parse, counts_seen=counts_seen)
    if again is not None and reads_better(again.entries, None if result is None else result.entries, glued):
        return again
    if result is None:
        raise error
    return result


def blocks_apart(text: str, parse: Callable[[str], CaptureResult]) -> CaptureResult | None:
    """The reading of the text with each card's who, "·" and date put on their own lines; None
    when none was run together or that reading finds no listing either."""
    if "·" not in text or (blocks := unglued_blocks(text)) == text:
        return None
    try:
        return parse(blocks)
    except SnapshotError:
        return None


_NO_LISTING = "no paper listing found"

_AFTER_DOT_RE = re.compile(r"·[ \t]*\n?[ \t]*([^\s·][^\n·]*)")   # what a card's "·" is followed by
_ENGLISH_DATE_RE = re.compile(rf"(?:Published on\s+)?{MONTH_PATTERN}\s+\d")
# a date in another form, and nothing else: ISO, day/month/year, "4 Nov", or an English month
# with its day elsewhere ("Diterbitkan pada 9 Nov" is a translation)
_OTHER_DATE_RE = re.compile(
    rf"(?:Published on\s+)?(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}"
    rf"|\d{{1,2}}\.?\s+(?:{MONTH_NAMES})\.?(?:,?\s+\d{{4}})?|(?:{MONTH_NAMES})\.?)(?:\s+\d+)?")


def _parse(text: str, snapshot_date: date, pasted_twice: bool, shortcut: bool = True) -> CaptureResult:
    text = blocks_on_their_lines(text)
    raw = text.split("\n")
    stripped = list(map(str.strip, raw))
    drop_submitter_lines(text, stripped)
    seps, i = [], -1
    try:
        while True:
            i = stripped.index("·", i + 1)
            seps.append(i)
    except ValueError:
        pass

    header_date, header_line = page_header(stripped, seps, snapshot_date)

    if seps:  # character offsets of the listing: after the header, up to the last "·"
        first = sum(len(line) + 1 for line in raw[:header_line + 1])
        last = len(text) - sum(len(line) + 1 for line in raw[seps[-1]:]) + 1
        upvote_mode = shows_upvotes(text, first, last)
    else:
        upvote_mode = False
    blocks: list[Block] = []
    prev_end, dates = header_line, {}
    for n, sep in enumerate(seps):
        if sep <= prev_end:
            continue
        block = Block(sep)
        strong_who = read_who(raw, stripped, sep, prev_end + 1, block)
        upper = seps[n + 1] if n + 1 < len(seps) else len(stripped)
        read_date(stripped, sep, upper, upvote_mode, block, snapshot_date, dates)
        if strong_who or block.has_date:
            blocks.append(block)
            prev_end = block.end
    names_alone(blocks)
    if not any(b.has_date for b in blocks):
        shown = _AFTER_DOT_RE.findall(text, 0, 200_000)
        after = shown[0].strip() if shown else ""
        why = ("an English date, but not on lines of its own: did the capture lose its line breaks? save "
               "the page again as text or HTML" if _ENGLISH_DATE_RE.match(after)
               else "a date, but not in the page's form ('Oct 3' after the '·'): a tool or a setting "
               "rewrote the dates or the layout? save the page again from the browser as text, HTML or "
               "Markdown" if _OTHER_DATE_RE.fullmatch(after)
               else "a page the browser translated? show the original page and save it again")
        raise NoListing(
            f"{_NO_LISTING}: no '·' line followed by a date such as 'Oct 3, 2023' or 'Aug 26'"
            + (f" (here '·' is followed by {shown[0].strip()[:40]!r}: {why})" if len(shown) >= 3 else "")
            + "; is this a text capture of huggingface.co/papers?")

    entries: list[dict] = []
    shortcut_cards = 0
    lo = header_line + 1
    nonblank = list(compress(range(len(stripped)), stripped))
    merged: dict[int, tuple[str, int]] = {}  # paragraphs of several lines (see capture_groups.line_groups)
    repeats = page_header_repeats(stripped, header_line) if pasted_twice else []
    for n, block in enumerate(blocks):
        edge = n == 0 and header_line < 0
        while repeats and repeats[0] < block.start:  # the page pasted again: its header is no card
            again = repeats.pop(0)
            if again >= lo:
                for group in line_groups(stripped, lo, again + 1, upvote_mode, False, True, merged):
                    entries.append(_entry(raw, stripped, group, None, upvote_mode, merged))
                lo = again + 1
        plain = None if edge or not shortcut else plain_group(stripped, nonblank, lo, block.start, upvote_mode)
        shortcut_cards += plain is not None
        for group in [plain] if plain else line_groups(stripped, lo, block.start, upvote_mode, True,
                                                   edge, merged):
            entries.append(_entry(raw, stripped, group, block if group[5] else None,
                                  upvote_mode, merged))
        lo = block.end + 1
    for group in line_groups(stripped, lo, len(stripped), upvote_mode, False, True, merged):
        entries.append(_entry(raw, stripped, group, None, upvote_mode, merged))
    run_on = run_on_cards(blocks, 0 if upvote_mode else numbered_titles(entries))
    for position, entry in enumerate(entries, 1):
        entry["position"] = position
        if run_on and RUN_ON_REASON not in entry["invalid"]:
            entry["invalid"].append(RUN_ON_REASON)
    return CaptureResult(header_date=header_date, entries=mark_repeats(entries), shortcut_cards=shortcut_cards)

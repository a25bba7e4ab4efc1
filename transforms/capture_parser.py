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
  is an abstract; other lines are titles, except that two paragraphs before a block after an
  upvote line (or the second one of several sentences) are one card's title and abstract.
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

Block reading and line shapes: transforms/capture_blocks.py; blocks on fewer lines:
capture_block_lines.py; wrapped lines: capture_line_joins.py; "Mon D" dates: capture_dates.py;
"Submitted by <name>" lines, no entries: capture_submitter_lines.py; the page pasted twice:
capture_page_copies.py; repeats: observations.py.

Only SnapshotError is raised: the header date is no calendar day, or no block is found. A header
naming another day than snapshot_date shows that day's list (header_date), captured later.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress

from transforms.capture_block_lines import (
    blocks_on_their_lines,
    date_misread,
    read_run_together,
    reads_better,
    runs_together,
)
from transforms.capture_blocks import (
    LOOSE_UPVOTE_RE,
    NAV_LINES,
    PAPER_ID_RE,
    UPVOTE_RE,
    Block,
    abstract_like,
    link_labels,
    normal_text,
    page_header,
    parse_int,
    read_date,
    read_who,
    reads_as_prose,
    shows_upvotes,
    stop_ended_title,
    text_like,
    upvote_line,
    url_line,
)
from transforms.capture_line_joins import join_wrapped, merge_wrapped_abstract
from transforms.capture_page_copies import page_header_repeats
from transforms.capture_submitter_lines import drop_submitter_lines
from transforms.errors import SnapshotError
from transforms.observations import empty_entry, mark_repeats


@dataclass
class CaptureResult:
    header_date: date | None
    entries: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # notes on the capture, kept with the snapshot


def _pairs(stripped: list[str], texts: list[int], owner: bool) -> list[tuple]:
    """Text lines -> (title, abstract) line pairs; with owner, the last pair is the owner's."""
    tail = None
    if owner:
        if (len(texts) >= 2 and abstract_like(stripped[texts[-1]])
                and (not abstract_like(stripped[texts[-2]]) or stop_ended_title(stripped[texts[-2]]))):
            tail, texts = (texts[-2], texts[-1]), texts[:-2]
        elif texts:
            tail, texts = (texts[-1], None), texts[:-1]
            if abstract_like(stripped[tail[0]]):
                tail = (None, tail[0])
        else:
            tail = (None, None)
    pairs, i = [], 0
    while i < len(texts):
        before_abstract = i + 1 < len(texts) and abstract_like(stripped[texts[i + 1]])
        if abstract_like(stripped[texts[i]]) and not (before_abstract and stop_ended_title(stripped[texts[i]])):
            pairs.append((None, texts[i]))
            i += 1
        elif before_abstract:
            pairs.append((texts[i], texts[i + 1]))
            i += 2
        else:
            pairs.append((texts[i], None))
            i += 1
    return pairs + [tail] if tail else pairs


class _Paragraphs:
    """The stripped lines, where a paragraph's first line stands for the whole paragraph."""
    __slots__ = ("stripped", "merged")

    def __init__(self, stripped: list[str], merged: dict[int, tuple[str, int]]):
        self.stripped, self.merged = stripped, merged

    def __getitem__(self, i: int) -> str:
        joined = self.merged.get(i)
        return self.stripped[i] if joined is None else joined[0]


def _continues(stripped: list[str], lines: list[int], n: int, last_text: int,
               upvote_mode: bool, owner: bool) -> bool:
    """The n-th non-blank line goes on the text line just above it (no blank line between): a
    wrapped title or abstract. A line that would be read as an upvote line continues only
    inside a paragraph (a text line right below it too), or as the last text before the block
    that owns the region (an abstract's wrapped "2025"): an upvote line stands apart, and a
    title follows it."""
    i = lines[n]
    s = stripped[i]
    if last_text != i - 1 or not text_like(s):
        return False
    if url_line(s):   # a URL wrapped onto a line of its own inside a paragraph, a text line below
        below = stripped[i + 1] if n + 1 < len(lines) and lines[n + 1] == i + 1 else ""
        return (not PAPER_ID_RE.search(s) and bool(below) and not url_line(below) and text_like(below)
                and not (upvote_mode and upvote_line(below)))
    if not ((upvote_mode and upvote_line(s)) or _unreadable_upvote(stripped, lines, n)):
        return True
    below = stripped[i + 1] if n + 1 < len(lines) and lines[n + 1] == i + 1 else ""
    if below and not url_line(below) and text_like(below):
        return True
    return owner and not any(_card_text(stripped[j]) for j in lines[n + 1:])


def _card_text(line: str) -> bool:
    """A line that could be a title or an abstract: not a URL, a link label or an upvote line."""
    return text_like(line) and not url_line(line) and not link_labels(line) and not upvote_line(line)


# the page's "no votes yet"; alone right before a card's author-and-date block it is no count
# (a count stands above its card's title) but a list's empty bullet, an avatar a converter
# dropped ("- " under the abstract in pandoc's plain text of a .docx)
_DASHES = ("-", "–", "—")


def _groups(stripped: list[str], lo: int, hi: int, upvote_mode: bool, owner: bool,
            edge: bool, merged: dict[int, tuple[str, int]]) -> list[list]:
    """Split lines lo..hi-1 into entries [start, up, title, abstract, urls, owner] (line indices).

    owner: the last title (+ abstract) belongs to the block starting at hi. edge: the region
    may hold site navigation (no header before it, or after the last block): there, entries
    other than the owner need a title and a 200+ character abstract, and only URL lines with
    a paper id are kept. Where the region separates its parts by blank lines, a paragraph
    (text lines with no blank line between) is one title or one abstract, whatever its lines
    look like ("Nov 23" wrapped inside an abstract): its first line stands for it, and
    `merged` gets (its text, its last line) under that line."""
    segments: list[tuple] = []  # (upvote line, text lines, url lines)
    up, texts, urls = None, [], []
    lines = list(compress(range(lo, hi), stripped[lo:hi]))  # the non-blank ones
    spaced = bool(lines) and lines[-1] - lines[0] + 1 > len(lines)
    last_text, paragraph = -2, []
    for n, i in enumerate(lines):
        s = stripped[i]
        if spaced and texts and _continues(stripped, lines, n, last_text, upvote_mode, owner):
            paragraph.append(i)
            last_text = i
            continue
        if len(paragraph) > 1:
            merged[paragraph[0]] = (join_wrapped([stripped[j] for j in paragraph], stripped), paragraph[-1])
        paragraph = []
        if url_line(s):
            if not edge or PAPER_ID_RE.search(s):
                urls.append(i)
        elif ((upvote_mode and upvote_line(s) and not (s in _DASHES and n == len(lines) - 1))
              or (n + 2 < len(lines) and _unreadable_upvote(stripped, lines, n))):
            segments.append((up, texts, urls))
            up, texts, urls = i, [], []
        elif text_like(s) and not (edge and s.lower() in NAV_LINES) and not link_labels(s):
            texts.append(i)
            last_text, paragraph = i, [i]
    if len(paragraph) > 1:
        merged[paragraph[0]] = (join_wrapped([stripped[j] for j in paragraph], stripped), paragraph[-1])
    segments.append((up, texts, urls))
    if not spaced:
        for _, texts, _ in segments:
            merge_wrapped_abstract(stripped, texts, merged)
    view = _Paragraphs(stripped, merged) if merged else stripped
    groups: list[list] = []
    for n, (up, texts, urls) in enumerate(segments):
        is_owner = owner and n == len(segments) - 1
        if not (texts or urls or is_owner or up is not None):
            continue
        pairs = _pairs(view, texts, is_owner)
        if is_owner and len(pairs) == 2 and pairs[0][1] is None and pairs[1][1] is None \
                and pairs[0][0] is not None and _card_prose(view[pairs[1][0]], up is not None):
            pairs = [(pairs[0][0], pairs[1][0])]   # one card: its title, a short abstract
        last = len(pairs) - 1
        seg_groups = [
            [hi if t is None and a is None else (a if t is None else t), None, t, a, [],
             is_owner and k == last]
            for k, (t, a) in enumerate(pairs)
            if not edge or (is_owner and k == last)
            or (t is not None and a is not None and len(view[a]) >= 200)
        ]
        if seg_groups and up is not None:
            seg_groups[0][0] = seg_groups[0][1] = up
        for u in urls:
            target = [g for g in seg_groups if g[0] <= u] or seg_groups[:1] or groups[-1:]
            if target:
                target[-1][4].append(u)
        groups.extend(seg_groups)
    return groups


def _card_prose(text: str, after_upvote_line: bool) -> bool:
    """Whether the second of two text paragraphs before a block is the card's abstract rather
    than the title of a card whose title-less neighbour lost its block: a short abstract
    without a final full stop ("... accuracy rises from 30 to 42"). Behind an upvote line the
    two are one card (each card has its own upvote line); elsewhere the text must read as
    prose, more than one sentence."""
    return after_upvote_line or reads_as_prose(text)


def _plain_group(stripped: list[str], nonblank: list[int], lo: int, hi: int,
                 upvote_mode: bool) -> list | None:
    """The group `_groups` makes of lines lo..hi-1 (not at an edge, owned by the block at hi)
    when they are the common case: [upvote line] title abstract, nothing else; None otherwise.
    ~3x cheaper than `_groups`, for ~95% of the entries of a capture."""
    first = bisect_left(nonblank, lo)
    count = bisect_left(nonblank, hi, first) - first
    if count == 3 and upvote_mode:
        up, title, abstract = nonblank[first:first + 3]
        if not upvote_line(stripped[up]) or url_line(stripped[up]):
            return None
    elif count == 2:
        up, (title, abstract) = None, nonblank[first:first + 2]
    else:
        return None
    title_line, abstract_line = stripped[title], stripped[abstract]
    if abstract_like(title_line) or not abstract_like(abstract_line):
        return None
    for line in (title_line, abstract_line):  # text lines: not a URL, not an upvote line
        if url_line(line) or (upvote_mode and upvote_line(line)) or not text_like(line):
            return None
    return [title if up is None else up, up, title, abstract, [], True]


def _unreadable_upvote(stripped: list[str], lines: list[int], n: int) -> bool:
    """A short token followed by a title line and then an abstract stands where upvotes do."""
    token = stripped[lines[n]]
    if n + 2 >= len(lines) or token.isdigit() or not LOOSE_UPVOTE_RE.fullmatch(token):
        return False
    title, abstract = stripped[lines[n + 1]], stripped[lines[n + 2]]
    # (a short title such as "TextArena" followed by its paper's URL line is no upvote count)
    return not url_line(title) and not abstract_like(title) and len(abstract) >= 200


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


def parse_capture(text: str, snapshot_date: date, pasted_twice: bool = True) -> CaptureResult:
    """Entries of a page capture, in page order (see the module docstring for the rules).
    pasted_twice=False: the caller knows the page's top is in the text once at most, and the
    search for its repeats (page_header_repeats, ~4% of the parse) is skipped."""
    if isinstance(snapshot_date, datetime):
        snapshot_date = snapshot_date.date()
    text = normal_text(text)
    try:
        result, error = _parse(text, snapshot_date, pasted_twice), None
    except SnapshotError as exc:
        if not str(exc).startswith(_NO_LISTING) or "·" not in text:
            raise
        result, error = None, exc
    glued = runs_together(text)
    if result is not None and not glued and not any(map(date_misread, result.entries)):
        return result
    again = read_run_together(text, snapshot_date, lambda apart: _parse(apart, snapshot_date, pasted_twice))
    if again is not None and reads_better(again.entries, None if result is None else result.entries, glued):
        return again
    if result is None:
        raise error
    return result


_NO_LISTING = "no paper listing found"


def _parse(text: str, snapshot_date: date, pasted_twice: bool) -> CaptureResult:
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
    if not any(b.has_date for b in blocks):
        raise SnapshotError(
            f"{_NO_LISTING}: no '·' line followed by a date such as 'Oct 3, 2023' or"
            " 'Aug 26'; is this a text capture of huggingface.co/papers?")

    entries: list[dict] = []
    lo = header_line + 1
    nonblank = list(compress(range(len(stripped)), stripped))
    merged: dict[int, tuple[str, int]] = {}  # paragraphs of several lines (see _groups)
    repeats = page_header_repeats(stripped, header_line) if pasted_twice else []
    for n, block in enumerate(blocks):
        edge = n == 0 and header_line < 0
        while repeats and repeats[0] < block.start:  # the page pasted again: its header is no card
            again = repeats.pop(0)
            if again >= lo:
                for group in _groups(stripped, lo, again + 1, upvote_mode, False, True, merged):
                    entries.append(_entry(raw, stripped, group, None, upvote_mode, merged))
                lo = again + 1
        plain = None if edge else _plain_group(stripped, nonblank, lo, block.start, upvote_mode)
        for group in [plain] if plain else _groups(stripped, lo, block.start, upvote_mode, True,
                                                   edge, merged):
            entries.append(_entry(raw, stripped, group, block if group[5] else None,
                                  upvote_mode, merged))
        lo = block.end + 1
    for group in _groups(stripped, lo, len(stripped), upvote_mode, False, True, merged):
        entries.append(_entry(raw, stripped, group, None, upvote_mode, merged))
    for position, entry in enumerate(entries, 1):
        entry["position"] = position
    return CaptureResult(header_date=header_date, entries=mark_repeats(entries))

"""A capture's lines between two author-and-date blocks, split into entries: which lines are
each entry's upvote line, title, abstract and URLs (capture_parser reads the blocks and builds
the entries from these groups). Rules: capture_parser's docstring."""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress

from transforms.capture_blocks import (
    LOOSE_UPVOTE_RE,
    NAV_LINES,
    PAPER_ID_RE,
    abstract_like,
    link_labels,
    reads_as_prose,
    text_like,
    title_before_abstract,
    upvote_line,
    url_line,
)
from transforms.capture_line_joins import join_wrapped, merge_wrapped_abstract


def _pairs(stripped: list[str], texts: list[int], owner: bool) -> list[tuple]:
    """Text lines -> (title, abstract) line pairs; with owner, the last pair is the owner's."""
    tail = None
    if owner:
        if (len(texts) >= 2 and abstract_like(stripped[texts[-1]])
                and (not abstract_like(stripped[texts[-2]]) or title_before_abstract(stripped[texts[-2]]))):
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
        if abstract_like(stripped[texts[i]]) and not (before_abstract and title_before_abstract(stripped[texts[i]])):
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


def line_groups(stripped: list[str], lo: int, hi: int, upvote_mode: bool, owner: bool,
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


def plain_group(stripped: list[str], nonblank: list[int], lo: int, hi: int,
                 upvote_mode: bool) -> list | None:
    """The group `line_groups` makes of lines lo..hi-1 (not at an edge, owned by the block at hi)
    when they are the common case: [upvote line] title abstract, nothing else; None otherwise.
    ~3x cheaper than `line_groups`, for ~95% of the entries of a capture."""
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

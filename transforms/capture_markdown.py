"""Markdown exports of huggingface.co/papers (scrape and reader tools, "save as Markdown").

Layout (docs/capture-formats.md): optional YAML front matter, site navigation, the header date
alone on a line, then per card

    [107](https://huggingface.co/login?next=...)            upvotes, as a link (or a bare number)
    ### [Title, maybe with \\ line breaks](https://huggingface.co/papers/ID)
    [abstract, hard-wrapped with \\ at line ends](https://huggingface.co/papers/ID)
    [![logo](...)Org Name](https://huggingface.co/org)      organization chip, or an avatar list
                                                            ending in "N authors"
    ·
    Nov 4[3](https://huggingface.co/papers/ID#community)     date, comment count

A card starts at a heading of the level the listing's paper titles have (the level of the
headings that link to a paper; h3 when none does). Everything of a card is read inside it:
wrapped abstract lines, avatar lines and chips are parts of that card, never cards of their
own. Text before the first card and after the last card's date is site navigation.
`read_cards(text)` -> (header line or None, cards); transforms/capture_cards.py decides which
cards are papers.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from transforms.capture_blocks import PAPER_ID_RE
from transforms.capture_cards import AUTHORS_RE, Card, leading_date, profile_handle
from transforms.capture_dates import HEADER_DATE_RE, MONTH_PATTERN
from transforms.capture_emphasis import unemphasised
from transforms.capture_line_joins import next_word_overflows
from transforms.capture_org_lines import ALT_ORG_LINE_RE, logo_stand_in

HEADING_RE = re.compile(r"\s*(#{1,6})\s+\S")
_BARE_UPVOTE_RE = re.compile(r"-|\d[\d,.]*[kKmM]?")
_ESCAPE_RE = re.compile(r"\\(\n|[ \t]|[!-/:-@\[-`{-~])")
_BREAK_RE = re.compile(r"\\+[ \t]*\n")
_LEADING_ALT_RE = re.compile(r"^\[[^\]]*\]\s*")
# an organization's chip with its link dropped (markdownify strip=["a"]): its logo, whose alt
# text is the handle, then its name ("![acme](https://cdn-avatars.huggingface.co/...)Acme Labs")
# (wherever the logo is: the site's, a saved page's folder "./Daily Papers_files/acme.png" with
# spaces, a URL the converter wrapped at its hyphens)
_LOGO_CHIP_RE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\([^()]{0,400}\)[ \t]*(?P<name>[^\n]{1,150})")
_HANDLE_RE = re.compile(r"[A-Za-z0-9][\w.-]*")
_WORD_RE = re.compile(r"\w")


def _close(s: str, i: int, opening: str, closing: str) -> int | None:
    """Index of the bracket closing s[i] (an opening one), skipping backslash escapes."""
    depth, k = 0, i
    while k < len(s):
        c = s[k]
        if c == "\\":
            k += 2
            continue
        if c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return k
        k += 1
    return None


SITE = "https://huggingface.co"   # what a page's relative links ("/papers/ID") are relative to


def links(s: str) -> list[tuple[int, int, str, str]]:
    """Top-level inline links and images of s: (start, end, text, target), in order; a
    relative target ("/papers/2511.00001", as a converter of a saved page writes it) made whole."""
    found, i = [], 0
    while (i := s.find("[", i)) >= 0:
        if i and s[i - 1] == "\\":
            i += 1
            continue
        close = _close(s, i, "[", "]")
        if close is None:
            break
        if close + 1 < len(s) and s[close + 1] == "(":
            end = _close(s, close + 1, "(", ")")
            if end is not None:
                start = i - 1 if i and s[i - 1] == "!" else i
                target = s[close + 2:end].split(" ")[0]
                if target.startswith("/") and not target.startswith("//"):   # relative to the page
                    target = SITE + target
                found.append((start, end + 1, s[i + 1:close], target))
                i = end + 1
                continue
        i += 1
    return found


# A line a tool wrapped after a word's hyphen ("Chain-of-" / "Thought", as html2text does):
# the hyphen joins the two lines without a space.
_HYPHEN_WRAP_RE = re.compile(r"(?<=\w-)[ \t]*\n[ \t]*(?=\w)")


def unwrap(s: str) -> str:
    """A text a tool wrapped, on one line: line breaks as spaces, but none after a word's hyphen."""
    return " ".join(_HYPHEN_WRAP_RE.sub("", s).split("\n")) if "\n" in s else s


def plain(s: str) -> str:
    """The text a reader sees: images dropped, links as their text, escapes and breaks undone
    (a line broken after a word's hyphen joins without a space)."""
    s = _HYPHEN_WRAP_RE.sub("", s) if "\n" in s else s
    parts, last = [], 0
    for start, end, text, _ in links(s):
        parts.append(_unescape(s[last:start]))
        if s[start] != "!":
            parts.append(plain(text))
        last = end
    parts.append(_unescape(s[last:]))
    return " ".join("".join(parts).split())


def _unescape(s: str) -> str:
    """Backslash escapes and character references ("&amp;", "&#39;", as CommonMark writers
    give "&" and "'") undone; backslashes ending a line (a hard line break, written "\\"
    or "\\\\" by tools) are a line break."""
    if "&" in s and ";" in s:
        s = html.unescape(s)
    if "\\" not in s:
        return s
    return _ESCAPE_RE.sub(lambda m: " " if m[1] in "\n \t" else m[1], _BREAK_RE.sub("\n", s))


def strip_front_matter(lines: list[str]) -> list[str]:
    """The lines after a leading YAML front matter block (--- ... ---), blanked in place."""
    if lines and lines[0].strip() == "---":
        for k in range(1, min(len(lines), 200)):
            if lines[k].strip() in ("---", "..."):
                return [""] * (k + 1) + lines[k + 1:]
    return lines


def upvote_shown(line: str) -> str | None:
    """The count an upvote line shows ("[107](login...)", "107", "[-](...)"), else None."""
    s = line.strip()
    found = links(s)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(s) and s[0] == "[":
        s = found[0][2].strip()
    if s == "\\-":   # Turndown escapes the "-" of no votes, which Markdown would read as a list
        s = "-"
    if len(s) <= 12 and _BARE_UPVOTE_RE.fullmatch(s):
        return s
    return None


def _heading_lines(lines: list[str]) -> list[int]:
    """The lines where cards start: headings of the level paper titles have."""
    headings = [(i, len(m[1])) for i, line in enumerate(lines) if (m := HEADING_RE.match(line))]
    levels = Counter(level for i, level in headings
                     if PAPER_ID_RE.search(" ".join(lines[i:i + 3])))
    level = levels.most_common(1)[0][0] if levels else 3
    return [i for i, lvl in headings if lvl == level]


def _paragraphs(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def _comment_link(line: str) -> str | None:
    """The count of a line that is only a comment link ("[3](https://.../papers/ID#community)")."""
    found = links(line.strip())
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(line.strip()):
        label, target = plain(found[0][2]), found[0][3]
        if "#community" in target and label.isdecimal():
            return label
    return None


def _who(card: Card, text: str) -> bool:
    """Read a who paragraph (an organization chip or an author count); False if it is none."""
    for _, _, label, target in links(text):
        handle = profile_handle(target)
        if handle is not None and not AUTHORS_RE.search(plain(label)):
            card.organization = handle
            card.organization_name = _LEADING_ALT_RE.sub("", plain(label)) or None
            return True
    chip = _LOGO_CHIP_RE.fullmatch(text.strip())
    if chip is not None and _WORD_RE.search(chip["name"]) and not AUTHORS_RE.search(chip["name"]):
        alt = chip["alt"]
        card.organization = alt if _HANDLE_RE.fullmatch(alt) and not logo_stand_in(alt) else None
        card.organization_name = plain(chip["name"]).strip() or None
        return True
    m = AUTHORS_RE.search(plain(text))
    if m is not None and len(plain(text)) < 40 + 4 * len(text.split("\n")):
        card.n_authors = m["n"]
        return True
    return False


def _linkless_heading_end(heading: str, mark: int) -> int:
    """Where a heading without a link ends: its line, or the lines a converter wrapped it onto
    (html2text --ignore-links wraps a heading as any paragraph): lines right under it, up to a
    blank line, either one to three no wider than it and its "### " and a word, or each
    line ended where a wrap at the block's width ends it (the next line's first word would not
    have fitted: `next_word_overflows`; `mark`: the width of the "### " before the heading).
    (Every converter puts a blank line under a heading it leaves whole.)"""
    first = heading.find("\n")
    if first == -1:
        return len(heading)
    block = heading.split("\n\n", 1)[0]
    rest = block[first + 1:].split("\n")
    if len(block) > _TITLE_MAX or "\n\n" not in heading or not all(line.strip() for line in rest):
        return first
    if len(rest) <= 3 and all(len(line.strip()) <= first + _HEADING_SLACK for line in rest):
        return len(block)
    lines = [" " * mark + heading[:first], *rest]
    width = max(map(len, lines))
    return len(block) if all(next_word_overflows(line, below, width)
                             for line, below in zip(lines, lines[1:])) else first


_HEADING_SLACK = 12   # a wrapped heading's later line may run past its first: the "### " and a word
_TITLE_MAX = 400      # characters: the longest titles listed are under 300


def _named_who(card: Card, paragraph: list[str]) -> bool:
    """A who paragraph that is an organization's display name alone, without its chip's link
    (a converter told to drop links writes the chip's text, never its logo's alt text): one
    short line that is no abstract (it ends without a full stop)."""
    text = plain(paragraph[0]) if len(paragraph) == 1 and not links(paragraph[0]) else ""
    if not text or len(text) > 150 or text.endswith((".", "…")) or not _WORD_RE.search(text):
        return False
    if (m := ALT_ORG_LINE_RE.fullmatch(text)) is not None and logo_stand_in(m["handle"]):
        text = m["name"]   # a text browser's "[logo]", "[IMG]", "[]" for the logo
    card.organization_name = text
    return True


def _card(lines: list[str], start: int, head: int, end: int, upvote: str | None) -> Card:
    """One card: upvote line at start (or none), title heading at head, up to end."""
    body = "\n".join(lines[head:end])
    heading = body.lstrip()[len(HEADING_RE.match(body.lstrip())[1]):].lstrip()
    offset = len(body) - len(heading)
    card = Card(raw_text="", upvotes=upvote)
    found = links(heading)
    lead = len(heading) - len(heading.lstrip("*_"))   # emphasis around the title's link
    if found and found[0][0] == lead:
        _, stop, text, target = found[0]
        card.title, card.urls = plain(unemphasised(text)), [target]
        if lead:
            stop += len(heading[stop:stop + lead]) - len(heading[stop:stop + lead].lstrip("*_"))
    else:
        stop = _linkless_heading_end(heading, offset)
        # a link whose closing bracket was lost (a line of a wrapped title deleted): no title
        cut = heading.startswith("[") and _close(heading, 0, "[", "]") is None
        card.title = None if cut else plain(unemphasised(heading[:stop]))
    rest = body[offset + stop:].split("\n")
    last = head + body[:offset + stop].count("\n")  # the heading's last line
    sep = next((k for k, line in enumerate(rest) if line.strip() == "·"), None)
    date_at = None
    for k in range(0 if sep is None else sep + 1, len(rest)):
        dated = leading_date(rest[k])
        if dated and (sep is not None or not dated[1] or dated[1].lstrip()[:1] in "[0123456789"):
            date_at, (card.date_text, tail) = k, dated
            comments = plain(tail)
            card.comments = comments if comments.isdecimal() else None
            card.urls += [t for _, _, _, t in links(tail)]
            below = next((j for j in range(k + 1, len(rest)) if rest[j].strip()), None)
            if not tail.strip() and below is not None and (count := _comment_link(rest[below])):
                # the count a converter wrapped onto the next line: "· Nov 10" / "[3](...#community)"
                card.comments, date_at = count, below
                card.urls += [t for _, _, _, t in links(rest[below])]
            elif not tail.strip() and below == k + 1 and rest[below].strip().isdecimal():
                # the same, its link dropped (markdownify strip=["a"]): the number on the very
                # next line, where another card's count would stand a paragraph apart
                card.comments, date_at = rest[below].strip(), below
            break
        if sep is not None and rest[k].strip():
            break
    inner = rest[:sep if sep is not None else date_at if date_at is not None else len(rest)]
    paragraphs = _paragraphs(inner)
    if paragraphs:
        # the who: the shortest end of the last paragraph that reads as one (a who line right
        # under the abstract, no blank line between), else the whole paragraph; with the
        # word-less lines above it (avatar bullets "* ![](...)", a text browser's "• [x]")
        closing = paragraphs[-1]
        ends = [*range(len(closing) - 1, max(len(closing) - 4, 0), -1), 0]
        cut = next((j for j in ends if _who(card, "\n".join(closing[j:]))), None)
        if cut is None and len(paragraphs) > 1 and _named_who(card, closing):   # (see _named_who)
            cut = 0   # an organization's name alone, as a converter told to drop links writes it
        if cut is not None:
            while cut > 0 and not _WORD_RE.search(plain(closing[cut - 1]).replace("[x]", "")):
                cut -= 1
            paragraphs[-1:] = [closing[:cut]] if cut else []
    # (a paragraph without a word, e.g. the "*" bullets of an avatar list whose images are
    # dropped, is no abstract text)
    abstract = [text for p in paragraphs if _WORD_RE.search(text := plain("\n".join(p)))]
    card.abstract = " ".join(a for a in abstract if a) or None
    for paragraph in paragraphs:
        card.urls += [t for _, _, _, t in links("\n".join(paragraph)) if PAPER_ID_RE.search(t)]
    used = last + (date_at if date_at is not None else len(inner))
    card.raw_text = "\n".join(lines[start:min(used + 1, end)]).strip("\n")
    return card


# A card's who, "·" and date on one line, as converters of the saved page write them
# ("5 authors·Oct 29[3](/papers/...#community)"): a who showing at most 150 characters (a chip's
# logo URL not counted), then a date
# whose day is not followed by another digit ("Oct 307", a date and a count run together, stays
# unread: it cannot be told from "Oct 3" and "07"). The plain-text reader's counterpart
# (capture_block_lines._ONE_LINE_BLOCK_RE) asks for spaces around "·" and only a count after the date.
_ONE_LINE_BLOCK_RE = re.compile(
    rf"(?P<indent>[ \t]*)(?P<who>\S[^·]*?)[ \t]*·[ \t]*"
    rf"(?P<date>{MONTH_PATTERN}[ \t]+\d{{1,2}}(?!\d)(?:,[ \t]*\d{{4}})?(?:[^\d,].*)?)")

def _one_line_block(line: str) -> re.Match | None:
    m = _ONE_LINE_BLOCK_RE.fullmatch(line)
    return m if m is not None and len(plain(m["who"])) <= 150 else None


# "·" and the date on one line, the who on the line above ("16 authors" / "· Nov 10")
_DOT_DATE_RE = re.compile(
    rf"[ \t]*·[ \t]*(?:Published on[ \t]+)?"
    rf"(?P<date>{MONTH_PATTERN}[ \t]+\d{{1,2}}(?!\d)(?:,[ \t]*\d{{4}})?(?:[^\d,].*)?)")


def _blocks_on_their_own_lines(lines: list[str]) -> list[str]:
    """The lines with each one-line who · date block written as its three lines (also one a
    tool wrapped onto the next line: "...·Oct" / "29[6](...)")."""
    out, k = [], 0
    while k < len(lines):
        line, used = lines[k], 1
        m = _one_line_block(line) if "·" in line else None
        if m is None and "·" in line and k + 1 < len(lines) and lines[k + 1].strip():
            m, used = _one_line_block(f"{line} {lines[k + 1].strip()}"), 2
        if m is None and (lone := _DOT_DATE_RE.fullmatch(line)):   # "· Nov 10" under its who
            out += ["·", lone["date"]]
            k += 1
            continue
        out += [line] if m is None else [m["indent"] + m["who"], "·", m["indent"] + m["date"]]
        k += used if m is not None else 1
    return out


# A line that ends inside a link's target ("...](/papers/2411.04997#c"): a tool that wraps at a
# fixed width and breaks long words (Python's textwrap, `fold`) cut the target there. Markdown
# allows no line break in a target, so the next line's start, up to the ")" closing it, is the
# rest of the same target ("ommunity){.comments}").
_OPEN_TARGET_RE = re.compile(r"\]\([^\s()]+[ \t]*$")   # (a soft break's space after it: format=flowed)
_TARGET_REST_RE = re.compile(r"[^\s()]+\)")


def _targets_whole(lines: list[str]) -> list[str]:
    """The lines with each link target a wrap cut in two joined again."""
    out: list[str] = []
    for line in lines:
        if out and "](" in out[-1] and _OPEN_TARGET_RE.search(out[-1]) and _TARGET_REST_RE.match(line.lstrip()):
            out[-1] = out[-1].rstrip() + line.lstrip()
        else:
            out.append(line)
    return out


def read_cards(text: str) -> tuple[str | None, list[Card]]:
    """(the header date line, the cards in page order) of a Markdown capture."""
    lines = _blocks_on_their_own_lines(_targets_whole(strip_front_matter(text.split("\n"))))
    heads = _heading_lines(lines)
    header = None
    for line in lines[:heads[0] if heads else len(lines)]:
        s = line.strip().strip("#*_ ").strip()
        if HEADER_DATE_RE.fullmatch(s):
            header = s
    cards: list[Card] = []
    starts = []
    for n, head in enumerate(heads):
        j = head - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        shown = upvote_shown(lines[j]) if j >= 0 and (n == 0 or j > heads[n - 1]) else None
        starts.append((j if shown is not None else head, shown))
    for n, head in enumerate(heads):
        end = starts[n + 1][0] if n + 1 < len(heads) else len(lines)
        cards.append(_card(lines, starts[n][0], head, end, starts[n][1]))
    return header, cards


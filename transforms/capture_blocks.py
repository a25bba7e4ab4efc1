"""The who · date block of a page-capture entry, and the shapes of the lines around it.

In a capture of huggingface.co/papers (docs/capture-formats.md) every listed paper ends with

    <who>     "  • N authors" | "[" + "N authors](url)" | "<handle> <display name>"
              | " <display name>" + "https://huggingface.co/<handle>"
    ·
    <date>    "Oct 3, 2023" | "Aug 26", then the comment count ("Aug 26 2", or on its own
              line, possibly followed by https://huggingface.co/papers/<id>#community)

`read_who` and `read_date` read the lines before and after one "·" line into a Block; the
parser (transforms/capture_parser.py) decides what the text between blocks is. Nothing here
raises: unreadable values become None plus a note in Block.problems.
"""

from __future__ import annotations

import re
from datetime import date

from transforms.capture_dates import HEADER_DATE_RE, MONTH_PATTERN, calendar_date, month_number, resolve_month_day
from transforms.capture_org_lines import ALT_ORG_LINE_RE, agreement, logo_stand_in, org_line
from transforms.capture_run_on import RUN_ON_REASON, name_after_text, run_on_who
from transforms.errors import SnapshotError

DATE_RE = re.compile(
    rf"{MONTH_PATTERN}\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{1,9}}))?(?:\s+(?P<comments>\d+))?")
_DATEISH_RE = re.compile(rf"{MONTH_PATTERN}\s+\d")
AUTHORS_RE = re.compile(r"\[?(?:•\s*|[-*+]\s+)?(?P<n>-?\d+)\s+authors?(?:\]\(\S*\))?")
_ORG_URL_RE = re.compile(
    r"<?https?://(?:www\.)?huggingface\.co/(?P<handle>[A-Za-z0-9][\w.-]*)/?>?")
UPVOTE_RE = re.compile(r"(?:\[-\]\s*)?(?P<n>-|-?\d+)")
# In a capture that shows upvotes: a short single token where an upvote line stands ("1.2k",
# "n/a") is an unreadable upvote count, not a title (see capture_groups.line_groups).
LOOSE_UPVOTE_RE = re.compile(r"(?:\[-\]\s*)?(?P<n>\S{1,12})")
_NUMBER_LINE_RE = re.compile(r"\n[ \t]*((?:\[-\][ \t]*)?(?:-|-?\d+))[ \t]*(?=\n|$)")
URL_LINE_RE = re.compile(r"<?https?://\S+|\[[^\]]*\]\(\S*\)")
_COMMUNITY_RE = re.compile(r"<?https?://\S*#community>?")
PAPER_ID_RE = re.compile(
    r"(?:huggingface\.co/papers/|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})")
WORD_RE = re.compile(r"\w")  # (a str.isalnum() character or "_": test s[0].isalnum() first)
NAV_LINES = frozenset("""new|get trending papers in your email inbox!|subscribe|daily papers
|byak and the research community|hugging face|models|datasets|spaces|community|docs|enterprise
|pricing|log in|sign up|previous|next|system theme|company|tos|privacy|about|jobs|careers
|website|learn|discord|forum|github|papers|collections|search|daily|weekly|monthly|trending
""".replace("\n", "").split("|"))
# a card's link labels, after its upvote count or its date ("GitHub 857 arXiv Page")
LINK_LABELS_RE = re.compile(r"(?:(?:GitHub|arXiv Page|Project Page|Code|Demo)(?:\s+[\d.,]+[kK]?)?\s*)+",
                            re.IGNORECASE)
_BRACKETED_LABEL_RE = re.compile(r"\[[^\]\s]{1,24}\]")
_MAX_WHO_LINE = 150  # characters; a longer line before "·" is an abstract, not a who line


def parse_int(digits: str) -> int | None:
    """int(digits) as written, or None when Python refuses the string."""
    try:
        return int(digits)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        return None


def may_be_upvote(line: str) -> bool:
    """False for a non-blank line UPVOTE_RE cannot match: a cheap test before the regex."""
    return line[0] in "[-" or line[0].isdecimal()  # (\d is a str.isdecimal() character)


def upvote_line(line: str) -> bool:
    """A non-blank line that is an upvote count ("12", "-", "[-] 12")."""
    return may_be_upvote(line) and UPVOTE_RE.fullmatch(line) is not None


def url_line(line: str) -> bool:
    """A non-blank line that is a URL or a Markdown link."""
    return line[0] in "h<[" and URL_LINE_RE.fullmatch(line) is not None


def text_like(line: str) -> bool:
    """A non-blank line with a word character (str.isalnum() first: it spares most regex calls)."""
    return line[0].isalnum() or WORD_RE.search(line) is not None


def link_labels(line: str) -> bool:
    """A line of a card's link labels ("GitHub 145 arXiv Page", "arXiv Page"), lynx's mark of
    its upvote button ("(BUTTON)") or a lone bracketed label a text browser wrote for an image
    or a link ("[2306]" for a thumbnail, "[IMG]", w3m's "• [a]" for an author's avatar in a
    list), not a title. A single bare word ("GitHub", "Code") is left to the reader: a title
    can be one word."""
    line = line.strip()
    if line[:1] in "•*+" and line[1:2] == " ":   # (not "- ": a lone "-" is an upvote line)
        line = line[2:].lstrip()
    return (line == "(BUTTON)" or (bool(LINK_LABELS_RE.fullmatch(line)) and " " in line)
            or (line[:1] == "[" and _BRACKETED_LABEL_RE.fullmatch(line) is not None))


def abstract_like(line: str) -> bool:
    """Titles are short and end without a full stop; abstracts are long or end with one."""
    return len(line) >= 200 or line.endswith((".", "…"))


# A sentence ending inside the text: ". " after a word (not "vs.", "et al.", "e.g.", an
# initial) and a capital after it. A title is one sentence.
_SENTENCE_BREAK_RE = re.compile(r"[a-z0-9)\]]{2}(?<!vs)(?<!al)\.\s+[A-Z]")


def reads_as_prose(text: str) -> bool:
    """Text of more than one sentence ("... on bar. We show ..."): an abstract even when it is
    short and ends without a full stop, where a title could stand instead."""
    return ". " in text and _SENTENCE_BREAK_RE.search(text) is not None


# The longest title of the real history runs to 206 characters: past the 200 that make a line
# an abstract. Validation refuses titles longer than this (transforms/validation.py).
LONG_TITLE_MAX = 300


def long_title(line: str) -> bool:
    """A title of 200+ characters (up to LONG_TITLE_MAX), not an abstract: one sentence without a
    closing full stop. Taken for a title only where an abstract follows it."""
    return (len(line) <= LONG_TITLE_MAX and not line.endswith((".", "…"))
            and not reads_as_prose(line))


def title_before_abstract(line: str) -> bool:
    """A card's title ending in a full stop, or a long one, where an abstract follows it."""
    return stop_ended_title(line) or long_title(line)


def stop_ended_title(line: str) -> bool:
    """A title that ends with a full stop ("... et al."), not an abstract: short, one sentence.
    Taken for a title only where an abstract follows it."""
    return len(line) < 150 and line.endswith(".") and ". " not in line and not line.endswith("..")


class Block:
    """One "·" line with the who line(s) before it and the date line(s) after it."""
    __slots__ = ("start", "end", "fields", "problems", "invalid", "urls", "has_date", "split_who", "run_on")

    def __init__(self, sep: int):
        self.start = self.end = sep
        self.fields, self.problems, self.urls, self.has_date = {}, [], [], False
        self.invalid: list[str] = []  # values that exist but cannot be true: quarantine
        self.split_who: str | None = None  # a who line read as "<handle> <display name>"
        self.run_on = 0  # the who line carries the card's text before it: 2 surely, 1 likely


def _wrapped_who(stripped: list[str], j: int, lower: int) -> str | None:
    """A long organization name a tool wrapped onto two lines ("acme-nlp Acme - Natural Language
    Processing Group at the" / "University of Nowhere · Nov 1 1"): the two lines joined, when
    the one above the who line is a paragraph's first line (a blank line above it), short enough
    together and no abstract, and the card keeps its title above them; else None."""
    above = stripped[j - 1] if j - 1 >= lower else ""
    if not above or j - 2 < lower or stripped[j - 2] or abstract_like(above) or not text_like(above):
        return None
    joined = f"{above} {stripped[j]}"
    if len(joined) > _MAX_WHO_LINE or url_line(above) or link_labels(above):
        return None
    titled = any(line and text_like(line) and not upvote_line(line) and not link_labels(line)
                 for line in stripped[lower:j - 2])
    return joined if titled else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _indented_more(raw: list[str], j: int, lower: int) -> bool:
    """Whether the who line at j stands indented under the text above it: a display name alone
    (" Acme Labs" over its link; inscriptis indents the who under the abstract). A tool that
    indents all of its text alike (links -dump) marks nothing by it."""
    if not raw[j][:1].isspace():
        return False
    # (the text above: the abstract or title, not an avatar list's bullets without their images)
    above = next((raw[k] for k in range(j - 1, lower - 1, -1) if WORD_RE.search(raw[k])), "")
    return not above or _indent(raw[j]) > _indent(above)


def read_who(raw: list[str], stripped: list[str], sep: int, lower: int, block: Block) -> bool:
    """Fill the who fields; True when the who line is an unmistakable one (count or URL)."""
    j = sep - 1
    while j >= lower and not stripped[j]:
        j -= 1
    s = stripped[j] if j >= lower else ""
    head = s[:1]  # (cheap tests of the first character spare most regex calls)
    if (head in "[•-*+" or head.isdecimal()) and (m := AUTHORS_RE.fullmatch(s)):
        block.fields["n_authors"], block.start = parse_int(m["n"]), j
        block.urls.append(j)
        k = j - 1
        while k >= lower and not stripped[k]:
            k -= 1
        if k >= lower and stripped[k] == "[":
            block.start = k
        return True
    if head in "<h" and (m := _ORG_URL_RE.fullmatch(s)):
        block.fields["organization"], block.start = m["handle"], j
        k = j - 1
        while k >= lower and not stripped[k]:
            k -= 1
        if k >= lower and len(stripped[k]) <= _MAX_WHO_LINE and not abstract_like(stripped[k]):
            block.fields["organization_name"], block.start = stripped[k], k
        return True
    if s and len(s) <= _MAX_WHO_LINE and not abstract_like(s) and text_like(s) and not url_line(s):
        block.start = j
        block.run_on = run_on_who(s)
        if block.run_on == 2:   # (no organization named from the abstract's last words)
            tail = AUTHORS_RE.search(s)
            block.fields["n_authors"] = parse_int(tail["n"]) if tail else None
            block.invalid.append(RUN_ON_REASON)
            return False
        if block.run_on:   # the name after the abstract's last sentence
            s = name_after_text(s)
        if (wrapped := _wrapped_who(stripped, j, lower)) is not None:
            block.start, s = j - 1, wrapped
        if s[:1] == "[" and (m := ALT_ORG_LINE_RE.fullmatch(s)) is not None:
            block.fields.update(organization=None if logo_stand_in(m["handle"]) else m["handle"],
                                organization_name=m["name"])
        elif _indented_more(raw, block.start, lower) or (org := org_line(s)) is None:
            block.fields["organization_name"] = s
        else:
            block.fields.update(organization=org[0], organization_name=org[1])
            block.split_who = s
    else:
        block.problems.append("unreadable authors/organization line" if s else "no authors line")
    return False


def names_alone(blocks: list[Block]) -> None:
    """Who lines that are display names alone, read back as names. A capture that drops the
    chip's logo (inscriptis, a text extraction) writes "ByteDance Seed", which read_who splits as
    handle "ByteDance", name "Seed". A handle and the display name it stands for nearly always
    share their letters (84% of the organization papers of 2023-2025, e.g. "nvidia NVIDIA"), a
    name's first word and the rest almost never (1 in 239): when three or more different lines
    of a capture were split and at most one in ten of them agrees, the lines are names (lines,
    not papers: three papers of one organization whose handle is unlike its name are one line)."""
    split = [block for block in blocks if block.split_who is not None]
    lines = {block.split_who: block for block in split}
    if len(lines) < 3:
        return
    allowed, agreeing = len(lines) // 10, 0
    for block in lines.values():   # (a capture that writes handles agrees within a few lines)
        agreeing += agreement(block.fields["organization"], block.fields["organization_name"]) > 0
        if agreeing > allowed:
            return
    for block in split:
        del block.fields["organization"]
        block.fields["organization_name"], block.split_who = block.split_who, None


def read_date(stripped: list[str], sep: int, upper: int, upvote_mode: bool, block: Block,
              snapshot_date: date, cache: dict) -> None:
    """Fill published_on and comments from the lines after the "·" at sep (before upper).

    A lone number after the date is the comment count, except in a capture that shows upvote
    lines when entry text follows it: then it is the next entry's upvote line. The card's link
    labels ("arXiv Page") after it are no entry text: they end the card, whose count it is."""
    k = sep + 1
    while k < upper and not stripped[k]:
        k += 1
    s = stripped[k] if k < upper else ""
    m = DATE_RE.fullmatch(s)
    if m is None:
        if _DATEISH_RE.match(s):
            block.end, block.has_date = k, True
            block.problems.append(f"unreadable date line {s[:40]!r}")
        else:
            block.problems.append("no date line")
        return
    block.end, block.has_date = k, True
    month, day, year, shown = m.group("month", "day", "year", "comments")
    key = (month, day, year)
    if key not in cache:
        cache[key] = (calendar_date(int(year), month_number(month), int(day)) if year else
                      resolve_month_day(month_number(month), int(day), snapshot_date))
    if cache[key] is None:
        block.invalid.append(f"date {s[:40]!r} is not a calendar day")
    block.fields["published_on"] = cache[key]
    nxt = k + 1
    while nxt < upper and not stripped[nxt]:
        nxt += 1
    if shown is None and nxt < upper and stripped[nxt].isdecimal():  # (\d+: str.isdecimal)
        after = nxt + 1
        while after < upper and not stripped[after]:
            after += 1
        after_s = stripped[after] if after < upper else ""
        if (not upvote_mode or not after_s or after_s.lower() in NAV_LINES or link_labels(after_s)
                or _community_link(after_s) or UPVOTE_RE.fullmatch(after_s)):
            shown, block.end, nxt = stripped[nxt], nxt, after
    if nxt < upper and _community_link(stripped[nxt]):
        block.end = nxt
        block.urls.append(nxt)
    block.fields["comments"] = 0 if shown is None else parse_int(shown)
    if shown is not None and block.fields["comments"] is None:
        block.invalid.append("comment count too long to read")


def _community_link(line: str) -> bool:
    return "#community" in line and _COMMUNITY_RE.fullmatch(line) is not None


def shows_upvotes(text: str, first: int, last: int) -> bool:
    """True when text[first:last] holds an upvote line: a line "-" or "[-] ...", or a number
    line anywhere but straight after a date line without a count (that one may be a count)."""
    for m in _NUMBER_LINE_RE.finditer(text, max(first - 1, 0), last):
        if not m[1][0].isdigit():
            return True
        before = text[max(0, m.start() - 300):m.start()].rstrip()
        if first > 0 and max(0, m.start() - 300) + len(before) < first:
            return True   # right under the page's header date, which no count follows
        line = before[before.rfind("\n") + 1:].strip()
        date_line = DATE_RE.fullmatch(line) if "\n" in before or m.start() <= 300 else None
        if date_line is None or date_line["comments"] is not None:
            return True
    return False


def _first_listing_separator(stripped: list[str], seps: list[int]) -> int:
    """The first "·" line followed by a date line (the page header comes before it)."""
    for n, sep in enumerate(seps):
        upper = seps[n + 1] if n + 1 < len(seps) else len(stripped)
        k = sep + 1
        while k < upper and not stripped[k]:
            k += 1
        if k < upper and DATE_RE.fullmatch(stripped[k]):
            return sep
    return seps[0] if seps else len(stripped)


_PICKER_RE = re.compile(r"^Previous\s+|\s+Next$")
_PICKER_WORDS = frozenset(("next", "previous", ""))


def without_picker(line: str) -> str:
    """A stripped line without the date picker's link words around its day ("Previous Sep 14
    Next" -> "Sep 14")."""
    return _PICKER_RE.sub("", line) if line[:1] == "P" else line


def page_header(stripped: list[str], seps: list[int], snapshot_date: date) -> tuple[date | None, int]:
    """(the page header's date, its line; None, -1 when there is none) of a plain capture's
    stripped lines, `seps` its "·" lines. Raises SnapshotError when the header's date is no
    calendar day."""
    header_date, header_line = None, -1
    for i in range(_first_listing_separator(stripped, seps)):
        # the date picker's day, alone or between its links ("Previous Sep 14 Next", a browser's
        # copy of the inline picker)
        shown = without_picker(stripped[i])
        m = HEADER_DATE_RE.fullmatch(shown) if shown[:1].isupper() else None
        if m is None:
            continue
        header_date, header_line = (
            resolve_month_day(month_number(m["month"]), int(m["day"]), snapshot_date), i)
        if header_date is None:
            raise SnapshotError(f"the page header date {stripped[i]!r} is not a calendar day")
        while header_line + 1 < len(stripped) and stripped[header_line + 1].lower() in _PICKER_WORDS:
            header_line += 1   # the picker's "Next" on a line of its own is no entry
        break
    return header_date, header_line

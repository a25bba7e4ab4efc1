"""Text-browser dumps of huggingface.co/papers (lynx -dump, w3m and the like).

Links are reference numbers whose targets are listed at the end of the dump:

    [                          the upvote box, over three lines
    172
    ][13]
    ### [Title][14]            (or "[14]Title")
       abstract, hard-wrapped at a fixed width
       [[BAAI] Beijing Academy of Artificial Intelligence][16]     or  "* 3 authors"
       ·
       Nov 23 [ 3][17]

    References
       14. https://huggingface.co/papers/2511.18423

`to_markdown(text)` resolves the references into inline links, joins the upvote box into one
"[172](url)" line, drops the reference list and escapes its backslashes and any inline
"[text](target)" (text, in a dump: an abstract quoting Markdown); the result has the Markdown
export's card shape, read by transforms/capture_markdown.py. "[BAAI]" in an organization chip
is the text browser's rendering of the logo image (its alt text), not part of the name.
"""

from __future__ import annotations

import re

from transforms.capture_blocks import PAPER_ID_RE
from transforms.capture_cards import Card, profile_handle
from transforms.capture_line_joins import join_wrapped
from transforms.capture_markdown import read_cards, unwrap

REF_LINE_RE = re.compile(r"\s*(?:(\d{1,6})\.|\[(\d{1,6})\])\s+(\S+)\s*")   # lynx "14. url", w3m "[14] url"
_REFS_HEADING = frozenset(("references", "references:", "visible links", "visible links:", "hidden links:"))
_UPVOTE_BOX_RE = re.compile(r"^[ \t]*\[[ \t]*\n[ \t]*([^\n\]]{1,12}?)[ \t]*\n[ \t]*\]\[(\d+)\][ \t]*$",
                            re.MULTILINE)
# "[14]Title" on a line of its own ("[14][Re] Title" too: a bracketed word, a space and a word,
# unlike a thumbnail's label "[16][2405] Upvote"), and the lines a narrow dump wrapped it onto:
# at the same indent, no blank line between, up to six (a long title at 40 columns), not a count,
# "(BUTTON)", a list item or a quote, no link, no full stop at the end (an abstract's line)
_INLINE_REF_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<head>(?:#{1,6}\s+)?)\[(\d+)\]"
    r"((?:[^\s\[]|\[[^\]\n]{0,19}[A-Za-z][^\]\n]{0,19}\][ \t]+[A-Za-z])[^\n]*"
    r"(?:\n(?P=indent)(?!\d+[ \t]*(?:\n|$)|\(BUTTON\))[^\s\[\]*•·+>|#-][^\n\[]{0,200}(?<![.…])(?=\n|$)){0,6})$",
    re.MULTILINE)
REFERENCE_RE = re.compile(r"\[(\d{1,6})\]")
_REF_NUMBER_RE = re.compile(r"(\d{1,6})\.")
_URL_RE = re.compile(r"[a-z][a-z0-9+.-]*://\S+")
_LITERAL_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(")


def references(lines: list[str]) -> tuple[dict[str, str], int]:
    """The reference list at the end ({number: target}) and the line where it starts."""
    refs: dict[str, str] = {}
    start, target = len(lines), None   # target: a URL line whose number is on the line above
    for k in range(len(lines) - 1, -1, -1):
        s = lines[k].strip()
        if not s:
            continue
        m = REF_LINE_RE.fullmatch(lines[k])
        number = _REF_NUMBER_RE.fullmatch(s)
        if m:
            refs.setdefault(m[1] or m[2], _on_the_site(m[3]))
        elif number and target:   # "14." / "https://..." (the line was wrapped)
            refs.setdefault(number[1], _on_the_site(target))
        elif s.lower() in _REFS_HEADING:
            pass
        elif _URL_RE.fullmatch(s) and target is None:
            target = s
            continue
        else:
            break
        start, target = k, None
    return refs, start


def _on_the_site(url: str) -> str:
    """A saved page's link to "/papers/ID" as a browser resolves it against the local file
    ("file:///papers/ID"): the link on huggingface.co it stood for."""
    return "https://huggingface.co/" + url[len("file:///"):] if url.startswith("file:///") else url


def _resolve(text: str, refs: dict[str, str]) -> str:
    """"[label][N]" -> "[label](target)", brackets in the label balanced, across lines; "label"
    when N is not in the list."""
    out, last, i = [], 0, 0
    while (i := text.find("][", i)) >= 0:
        m = REFERENCE_RE.match(text, i + 1)
        if m is None:
            i += 1
            continue
        depth, k = 0, i  # the "[" opening the label
        while k >= last:
            c = text[k]
            if c == "]":
                depth += 1
            elif c == "[":
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        if k < last:
            i += 1
            continue
        if m[1] in refs:
            out.append(text[last:i + 1] + f"({refs[m[1]]})")
        else:   # its target is not in the list (a damaged dump): the label as text, on one
            # line as it is one label (a title wrapped over two lines stays one title)
            out.append(text[last:k] + unwrap(text[k + 1:i]))
        last = i = m.end()
    out.append(text[last:])
    return "".join(out)


# lynx writes a link as "[N]label", the number first, and does not mark where the label ends:
# a title flush left (wrapped onto flush-left lines; a count under a thumbnail's link is no part
# of it), an organization chip up to " · ", a comment count after the date
_WRAPPED_TITLE_RE = re.compile(r"^(\[\d{1,6}\]\S[^\n]*)\n(?=[^\s\[])(?!\d+[ \t]*$)([^\n]+)$", re.MULTILINE)
_CHIP_RE = re.compile(r"\[(\d{1,6})\]([^\[\]·\n]+?)(?=[ \t]*·)")
_COUNT_RE = re.compile(r"\[(\d{1,6})\](\d+)[ \t]*$", re.MULTILINE)


def _number_first_links(body: str, refs: dict[str, str]) -> str:
    """lynx's "[N]label" links of a card, as "[label][N]": a wrapped title joined, the
    organization chip ("[17]acme Acme Labs · Nov 5": the logo's alt text, the handle, dropped)
    and the comment count ("· Nov 5 [18]3")."""
    lines = [line.strip() for line in body.split("\n")]   # (a word broken at a line's end: the evidence)
    body = _WRAPPED_TITLE_RE.sub(lambda m: join_wrapped([m[1].strip(), m[2].strip()], lines) if PAPER_ID_RE.search(
        refs.get(m[1][1:m[1].index("]")], "")) else m[0], body)

    def chip(m: re.Match) -> str:
        handle = profile_handle(refs.get(m[1], ""))
        if handle is None:
            return m[0]
        return f"[{_without_logo_text(m[2].strip(), handle)}][{m[1]}]"

    body = _CHIP_RE.sub(chip, body)
    return _COUNT_RE.sub(lambda m: f"[{m[2]}][{m[1]}]" if "#community" in refs.get(m[1], "") else m[0], body)


def _without_logo_text(label: str, handle: str) -> str:
    """An organization chip's name without the logo's alt text before it, which text browsers
    write as the handle: "tencent Tencent", "ECNUEast China ..." (w3m runs them together). As
    for a plain capture's "<handle> <display name>" line, a first word equal to the handle is
    taken for it: every organization on the site shows a logo."""
    rest = label[len(handle):].strip()
    if label.startswith(handle) and rest and not label[len(handle)].isspace():
        return rest   # w3m: the alt text and the name run together
    first, _, rest = label.partition(" ")
    return rest.strip() if rest.strip() and first.lower() == handle.lower() else label


def _title_link(m: re.Match, refs: dict[str, str], lines: list[str]) -> str:
    """A line that is one link to a paper ("[14]Title"): the card's title, a heading as in a
    Markdown export (lynx and w3m write an <h3> without "###")."""
    lead, number, label = m["indent"] + m["head"], m[3], m[4]
    target = refs.get(number)
    if target is None:
        return lead + label
    if not PAPER_ID_RE.search(target) or "#" in target:   # (not "Previous": /papers/date/...)
        return m[0]
    title = join_wrapped([line.strip() for line in label.split("\n") if line.strip()], lines)
    return f"{lead if '#' in lead else m['indent'] + '### '}[{title}]({target})"


def to_markdown(text: str) -> str:
    """The dump with its references as inline links (see the module docstring)."""
    lines = text.split("\n")
    refs, start = references(lines)
    body = "\n".join(lines[:start]).replace("\\", "\\\\")  # a dump has no escapes: "\\" is text
    # a text browser writes its links as "[label][N]": an inline "[text](target)" is text of the
    # page (an abstract quoting Markdown), kept as text
    body = _LITERAL_LINK_RE.sub(lambda m: f"\\[{m[1]}\\](", body)
    body = _UPVOTE_BOX_RE.sub(lambda m: f"[{m[1]}][{m[2]}]", body)
    body = _number_first_links(body, refs)
    lines = [line.strip() for line in body.split("\n")]
    body = _INLINE_REF_RE.sub(lambda m: _title_link(m, refs, lines), body)
    return _resolve(body, refs)


def read_cards_textbrowser(text: str) -> tuple[str | None, list[Card]]:
    return read_cards(to_markdown(text))

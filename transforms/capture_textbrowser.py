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

from transforms.capture_cards import Card
from transforms.capture_markdown import read_cards, unwrap

REF_LINE_RE = re.compile(r"\s*(\d{1,6})\.\s+(\S+)\s*")
_REFS_HEADING = frozenset(("references", "visible links", "visible links:", "hidden links:"))
_UPVOTE_BOX_RE = re.compile(r"^[ \t]*\[[ \t]*\n[ \t]*([^\n\]]{1,12}?)[ \t]*\n[ \t]*\]\[(\d+)\][ \t]*$",
                            re.MULTILINE)
_INLINE_REF_RE = re.compile(r"^(\s*(?:#{1,6}\s+)?)\[(\d+)\]([^\s\[][^\n]*)$", re.MULTILINE)
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
            refs.setdefault(m[1], m[2])
        elif number and target:   # "14." / "https://..." (the line was wrapped)
            refs.setdefault(number[1], target)
        elif s.lower() in _REFS_HEADING:
            pass
        elif _URL_RE.fullmatch(s) and target is None:
            target = s
            continue
        else:
            break
        start, target = k, None
    return refs, start


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


def to_markdown(text: str) -> str:
    """The dump with its references as inline links (see the module docstring)."""
    lines = text.split("\n")
    refs, start = references(lines)
    body = "\n".join(lines[:start]).replace("\\", "\\\\")  # a dump has no escapes: "\\" is text
    # a text browser writes its links as "[label][N]": an inline "[text](target)" is text of the
    # page (an abstract quoting Markdown), kept as text
    body = _LITERAL_LINK_RE.sub(lambda m: f"\\[{m[1]}\\](", body)
    body = _UPVOTE_BOX_RE.sub(lambda m: f"[{m[1]}][{m[2]}]", body)
    body = _INLINE_REF_RE.sub(
        lambda m: f"{m[1]}[{m[3]}]({refs[m[2]]})" if m[2] in refs and "/papers/" in refs[m[2]]
        else m[0] if m[2] in refs else m[1] + m[3], body)
    return _resolve(body, refs)


def read_cards_textbrowser(text: str) -> tuple[str | None, list[Card]]:
    return read_cards(to_markdown(text))

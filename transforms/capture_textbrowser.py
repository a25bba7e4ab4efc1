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
"[172](url)" line, drops the reference list and escapes its backslashes (text, in a dump); the result has the Markdown export's card
shape, read by transforms/capture_markdown.py. "[BAAI]" in an organization chip is the text
browser's rendering of the logo image (its alt text), not part of the name.
"""

from __future__ import annotations

import re

from transforms.capture_cards import Card
from transforms.capture_markdown import read_cards

REF_LINE_RE = re.compile(r"\s*(\d{1,6})\.\s+(\S+)\s*")
_REFS_HEADING = frozenset(("references", "visible links", "visible links:", "hidden links:"))
_UPVOTE_BOX_RE = re.compile(r"^[ \t]*\[[ \t]*\n[ \t]*([^\n\]]{1,12}?)[ \t]*\n[ \t]*\]\[(\d+)\][ \t]*$",
                            re.MULTILINE)
_INLINE_REF_RE = re.compile(r"^(\s*(?:#{1,6}\s+)?)\[(\d+)\]([^\s\[][^\n]*)$", re.MULTILINE)
REFERENCE_RE = re.compile(r"\[(\d{1,6})\]")


def references(lines: list[str]) -> tuple[dict[str, str], int]:
    """The reference list at the end ({number: target}) and the line where it starts."""
    refs: dict[str, str] = {}
    start = len(lines)
    for k in range(len(lines) - 1, -1, -1):
        s = lines[k].strip()
        if not s:
            continue
        m = REF_LINE_RE.fullmatch(lines[k])
        if m:
            refs[m[1]] = m[2]
            start = k
        elif s.lower() in _REFS_HEADING:
            start = k
        else:
            break
    return refs, start


def _resolve(text: str, refs: dict[str, str]) -> str:
    """"[label][N]" -> "[label](target)", brackets in the label balanced, across lines."""
    out, last, i = [], 0, 0
    while (i := text.find("][", i)) >= 0:
        m = REFERENCE_RE.match(text, i + 1)
        if m is None or m[1] not in refs:
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
        out.append(text[last:i + 1] + f"({refs[m[1]]})")
        last = i = m.end()
    out.append(text[last:])
    return "".join(out)


def to_markdown(text: str) -> str:
    """The dump with its references as inline links (see the module docstring)."""
    lines = text.split("\n")
    refs, start = references(lines)
    body = "\n".join(lines[:start]).replace("\\", "\\\\")  # a dump has no escapes: "\\" is text
    body = _UPVOTE_BOX_RE.sub(lambda m: f"[{m[1]}][{m[2]}]", body)
    body = _INLINE_REF_RE.sub(
        lambda m: f"{m[1]}[{m[3]}]({refs[m[2]]})" if m[2] in refs and "/papers/" in refs[m[2]]
        else m[0], body)
    return _resolve(body, refs)


def read_cards_textbrowser(text: str) -> tuple[str | None, list[Card]]:
    return read_cards(to_markdown(text))

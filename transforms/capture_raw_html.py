"""Markdown that keeps part of the page as raw HTML, written as Markdown only.

Converters keep what Markdown has no syntax for as the page's own tags: `pandoc -t gfm` (or
`-t commonmark`) of a saved papers page writes every `<div>` around a card, and a heading's
link or an organization chip as `<a href=...>` spread over several lines:

    <div class="leading-none">

    95

    </div>
    ...
    ### <a href="https://huggingface.co/papers/2511.00001"
    class="line-clamp-3">A Made-Up Title Wrapped by the
    Converter onto Two Lines</a>

`as_markdown(text)` rewrites those elements as the Markdown the other converters write:
`<a href="U">x</a>` becomes `[x](U)`, `<img src="S" alt="A">` becomes `![A](S)`, and every
other tag of the page's own elements (div, span, p, lists, buttons, ...) is dropped, leaving its
text where it stood. Only the elements a papers page is built of are touched: a title's
`<think>` or `a < b` stays as written. transforms/capture_markdown.py reads the result.
"""

from __future__ import annotations

import html
import re

# the elements of a papers page; a tag of any other name is text
_PAGE_TAGS = ("a|abbr|article|aside|b|br|button|code|div|em|figure|footer|form|h[1-6]|header|hr|i|img"
              "|input|label|li|main|nav|ol|p|path|section|small|span|strong|sup|sub|svg|time|ul")
# a tag, its attributes possibly over several lines (a data: URI holds no "<" or ">")
TAG_RE = re.compile(rf"<(?P<close>/?)(?P<name>{_PAGE_TAGS})(?=[\s/>])(?P<attrs>[^<>]*)>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# a line that starts with one of the page's tags: Markdown holding raw HTML blocks
# (a pattern starting with "\n" is searched for quickly; "^" in MULTILINE mode is tried everywhere)
# a raw link to a paper's page on the site, its attributes possibly over several lines
_PAPER_LINK_TAG_RE = re.compile(r"""<a\s[^<>]*?href=["'](?:https://huggingface\.co)?/papers/\d{4}\.\d{4,5}""",
                                re.IGNORECASE)
_BLOCK_LINE_RE = re.compile(rf"\n[ \t]*</?(?:{_PAGE_TAGS})(?=[\s/>])", re.IGNORECASE)


def holds_raw_html(text: str) -> bool:
    """Whether a (non-HTML) capture has lines that open or close the page's own elements, or
    links to a paper's page as raw `<a>` tags inside its lines in its first 20,000 characters
    (Markdown with no syntax for a link's attributes, such as pandoc's `markdown_strict`, keeps
    the whole link as HTML; its first cards are there)."""
    if "<" not in text:   # (one character: found or not at a tenth of the regexes' cost)
        return False
    return (_BLOCK_LINE_RE.search("\n" + text[:200]) is not None or _BLOCK_LINE_RE.search(text) is not None
            or _PAPER_LINK_TAG_RE.search(text, 0, 20_000) is not None)   # (the first cards' links)


def _attributes(attrs: str) -> dict[str, str]:
    return {m[1].lower(): html.unescape(m[2] if m[2] is not None else m[3] if m[3] is not None else m[4])
            for m in _ATTR_RE.finditer(attrs)}


def as_markdown(text: str) -> str:
    """The text with the page's raw HTML elements written as Markdown (see the module doc)."""
    tags = list(TAG_RE.finditer(text))
    closing: dict[int, int] = {}   # an <a>'s place in tags -> its </a>'s; an unclosed <a> is dropped
    opened: list[int] = []
    for k, m in enumerate(tags):
        if m["name"].lower() == "a":
            if not m["close"]:
                opened.append(k)
            elif opened:
                closing[k] = opened.pop()
    hrefs = {k: _attributes(tags[k]["attrs"]).get("href", "") for k in closing.values()}
    out, last = [], 0
    for k, m in enumerate(tags):
        out.append(text[last:m.start()])
        last = m.end()
        name = m["name"].lower()
        if k in hrefs:
            out.append("[")
        elif k in closing:
            out.append(f"]({hrefs[closing[k]]})")
        elif name == "img" and not m["close"]:
            attrs = _attributes(m["attrs"])
            out.append(f"![{attrs.get('alt', '')}]({attrs.get('src', '')})")
        elif name == "br":
            out.append(" ")
    out.append(text[last:])
    return "".join(out)

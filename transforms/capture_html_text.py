"""HTML that is not the site's own markup, written as the Markdown text it shows.

A papers page saved by the browser keeps the site's `<article>` cards (capture_html.py). Other
tools keep the page's text and links in markup of their own: a Google Docs or OneNote copy of
the page (every line a `<p>`, the titles links), a reader view, an e-mail whose only body is
HTML. `html_as_markdown(tree)` writes such a page as a converter such as markdownify would:
each block element (paragraph, heading, list item, table cell, ...) on lines of its own, a
heading as `### text`, a link as `[text](URL)`, preformatted text as written, and the contents
of `<head>`, scripts, styles, images, form fields and hidden elements dropped. The capture
readers then read that text (transforms/capture_formats.py) when it shows one day's papers page
(transforms/capture_page_tops.py), with the same checks as any Markdown capture: text that is
not recognisably a paper's card is no paper.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure"
    " footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p section summary table tbody td tfoot th"
    " thead tr ul".split())
_BLOCK_SELECTOR = ", ".join(sorted(_BLOCK_TAGS))
_DROPPED_TAGS = frozenset(("head script style template noscript svg img picture video audio iframe object"
                           " select textarea input").split())
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HEADINGS = {f"h{level}": "#" * level + " " for level in range(1, 7)}
_SPACE_RE = re.compile(r"\s+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_BREAK, _EMPTY = "\x00", "\x01"   # where a block starts or ends; a block showing no text
_BREAKS_RE = re.compile("[\x00\x01]+")
_NO_MARKS = {0: None, 1: None}


def _link_target(href: str) -> str:
    """A link's address as the page meant it: the site's own paths made whole, and a Google
    redirect (`https://www.google.com/url?q=<address>&...`, as Google Docs writes every link)
    replaced by the address it leads to."""
    href = href.strip()
    if href.startswith("/"):
        return "https://huggingface.co" + href
    parts = urlsplit(href)
    if (parts.netloc == "google.com" or parts.netloc.endswith(".google.com")) and parts.path == "/url":
        target = parse_qs(parts.query).get("q")
        if target:
            return target[0]
    return href


def _hidden(node: Node) -> bool:
    """Whether an element is not shown: `hidden`, `aria-hidden`, or a style that hides it."""
    attributes = node.attributes
    return ("hidden" in attributes or attributes.get("aria-hidden") == "true"
            or _HIDDEN_STYLE_RE.search(attributes.get("style") or "") is not None)


def html_as_markdown(tree: HTMLParser) -> str:
    """The text a page's HTML shows, as Markdown (see the module docstring)."""
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []
    opened = blocks = empty = shown = links = 0   # blocks opened; those without blocks inside; of them those
    # showing no text; text nodes showing text
    # (an explicit stack, not recursion: a page may nest deeper than Python's recursion limit)
    stack: list[tuple[Node, str | tuple[int, int] | None]] = [(root, None)]
    while stack:
        node, closing = stack.pop()
        if isinstance(closing, tuple):   # a block ends: was it a leaf, and did it show anything?
            if closing[0] == opened:
                blocks += 1
                if closing[1] == shown:
                    empty += 1
                    out.append(_EMPTY)
            out.append(_BREAK)
            continue
        if closing is not None:
            out.append(closing)
            links -= closing.startswith("](")
            continue
        tag = node.tag
        if tag == "-text":
            text = _SPACE_RE.sub(" ", (node.text_content or "").translate(_NO_MARKS))
            out.append(text)
            shown += text != " " and text != ""
            continue
        if tag in _DROPPED_TAGS or tag is None or tag.startswith("-") or _hidden(node):
            continue
        if tag == "br":
            out.append(" " if links else "\n")   # (a line break inside a link's text: its text goes on)
            continue
        if tag == "pre":   # preformatted text (a paste site's page of a copied capture): as written
            opened, blocks, shown = opened + 1, blocks + 1, shown + 1
            out.append(_BREAK + (node.text(deep=True) or "").translate(_NO_MARKS) + _BREAK)
            continue
        if tag in _BLOCK_TAGS:
            opened += 1
            out.append(_BREAK + _HEADINGS.get(tag, ""))
            stack.append((node, (opened, shown)))
        elif tag == "a" and (href := node.attributes.get("href")) and node.css_first(_BLOCK_SELECTOR) is None:
            if not node.text(strip=True):
                continue   # (a link around an image or an icon: nothing a reader sees as text)
            out.append("[")
            links += 1
            stack.append((node, f"]({_link_target(href)})"))
        stack.extend((child, None) for child in reversed(list(node.iter(include_text=True))))
    # Lines pasted into a document editor are a paragraph each, a blank line an empty one (a tenth
    # of them or more, as transforms/office_documents.py tells them): a line each. Otherwise each
    # block is a paragraph of its own, a blank line after it, as Markdown writes it.
    lines_pasted = empty * 10 >= blocks > 0
    text = _BREAKS_RE.sub(lambda m: "\n" * (1 + m[0].count(_EMPTY)) if lines_pasted else "\n\n", "".join(out))
    lines = (line.strip() for line in text.split("\n"))
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip() + "\n"

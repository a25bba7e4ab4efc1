"""Markdown's reference-style links, `[Title][17]`, `[Title][]` or `[Title]` with `[17]: https://...`
or `[Title]: https://...` at the end (html2text with inline links off, pandoc --reference-links),
written as the inline links `[Title](https://...)` the Markdown reader knows.

Labels match as CommonMark matches them: case-insensitive, whitespace folded. A definition's
URL that html2text wrapped after a hyphen ("https://cdn.example/social-" / "thumbnails/...") is
joined again. The definitions that links used are removed (a list of paper URLs at the end of
the capture would otherwise be read as the last card's links); a link whose label has no
definition is left as written.
"""

from __future__ import annotations

import re

# A definition on a line of its own: "   [17]: https://..." or "  [Sparse Widgets]: <https://...>"
# (pandoc puts the URL of a long label on the next line, indented; html2text at a narrow width
# at the start of the next line, as CommonMark allows)
_DEFINITION_RE = re.compile(
    r"(?:^|(?<=\n))[ \t]{0,3}\[((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*(?:\n[ \t]*)?<?([^\s>]+)>?[^\n]*(?:\n|$)")
# The same test, cheap, for a capture that has none (most)
_ANY_DEFINITION_RE = re.compile(r"\n[ \t]{0,3}\[[^\]\n]{1,999}\]:[ \t]*(?:\n[ \t]*)?\S")
_WRAPPED_URL_RE = re.compile(r"([^\s<>]+-)\n([^\s\[\]<>]+)(?=\n|$)")
_IMAGE_RE = re.compile(r"!\[((?:[^\]\\\n]|\\.)*)\]\[((?:[^\]\\\n]|\\.)*)\]")
# the text may hold an inline image, a bracketed word ("[Re] ...") and single line breaks
_LINK_RE = re.compile(
    r"\[((?:[^\[\]\\\n]|\\.|!\[[^\]\n]*\]\([^)\s]*\)|\[[^\[\]\n]*\](?![(\[])|\n(?!\n))*)\]\[((?:[^\]\\\n]|\\.)*)\]")


# a shortcut reference, `[Title]` or `![alt]` with no link or label after it (pandoc
# --reference-links writes a link whose text is its label so), not a definition
_SHORTCUT_RE = re.compile(r"(!?)\[((?:[^\[\]\\\n]|\\.){1,999})\](?![(\[:])")


def inline_shortcut(m: re.Match, urls: dict[str, str], used: set[str]) -> str:
    key = _key(m[2])
    url = urls.get(key)
    if url is None:
        return m[0]
    used.add(key)
    return f"{m[1]}[{m[2]}]({url})"


def has_reference_links(text: str) -> bool:
    return _ANY_DEFINITION_RE.search(text) is not None   # (a regex: faster than `"]:" in text`)


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


def inline_reference_links(text: str) -> str:
    """The text with every resolvable reference-style link and image written inline."""
    text = _WRAPPED_URL_RE.sub(lambda m: m[1] + m[2] if _DEFINITION_RE.fullmatch(
        text[text.rfind("\n", 0, m.start()) + 1:m.end(1)] + "\n") else m[0], text)
    urls: dict[str, str] = {}
    for m in _DEFINITION_RE.finditer(text):
        urls.setdefault(_key(m[1]), m[2])
    used: set[str] = set()

    def inline(m: re.Match, image: bool) -> str:
        key = _key(m[2] or m[1])
        url = urls.get(key)
        if url is None:
            return m[0]
        used.add(key)
        return f"{'!' if image else ''}[{m[1]}]({url})"

    text = _IMAGE_RE.sub(lambda m: inline(m, True), text)
    text = _LINK_RE.sub(lambda m: inline(m, False), text)
    if urls.keys() - used:   # shortcut links, `[Title]`, may remain
        text = _SHORTCUT_RE.sub(lambda m: inline_shortcut(m, urls, used), text)
    return _DEFINITION_RE.sub(lambda m: "" if _key(m[1]) in used else m[0], text)

"""Markdown emphasis around a title's words: what a reader of the rendered Markdown never sees."""

from __future__ import annotations

import re

# Emphasis a writer put on a title ("**Title**", "_Title_", Google Docs' Markdown bolds every
# heading): a reader sees no markers. Escaped markers ("\\*", converters' way of writing a "*"
# of the text) and a lone "*" ("A* Search") stay.
_EMPHASIS_RE = re.compile(r"(?<![\\\w*])(\*\*\*|___|\*\*|__|\*|_)(?=[^\s*_])(.+?)(?<=[^\s\\*_])\1(?![\w*])")


def unemphasised(s: str) -> str:
    """The text without Markdown emphasis markers around its words."""
    if "*" not in s and "_" not in s:
        return s
    while (stripped := _EMPHASIS_RE.sub(r"\2", s)) != s:   # ("**_Title_**": two layers)
        s = stripped
    return s

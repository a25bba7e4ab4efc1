"""The page's "Submitted by <name>" lines in a plain capture: no paper, whatever follows them.

The page shows who submitted each paper above its card; tools that keep the name on that line
(inscriptis, a printed page's text) give the plain reader (capture_parser) a short line before
the upvote count that it would otherwise take for the title of a card without its who and date.
The select-all reader reads the "Submitted by" / name pair itself (capture_selectall).
"""

from __future__ import annotations

import re

from transforms.capture_blocks import abstract_like, upvote_line, url_line

_SUBMITTER_LINE_RE = re.compile(r"Submitted by\s+[^.!?]{1,100}")
_SUBMITTER_HEAD = 10_000   # characters: a search of a whole long capture costs a fiftieth of its reading


def drop_submitter_lines(text: str, stripped: list[str]) -> None:
    """Blank the "Submitted by <name>" lines above a card in `stripped`, the stripped lines of
    `text` (in place: line numbers stay as they are): those followed by the card's upvote
    count, or by a title line and then its abstract. A title that starts so, followed by its
    abstract or its paper's URL, stays."""
    if "Submitted by" not in text[:_SUBMITTER_HEAD]:   # (on every card: the first is near the top)
        return
    lines = [n for n, line in enumerate(stripped) if line]
    for k, n in enumerate(lines):
        line = stripped[n]
        if not (line.startswith("Submitted by") and _SUBMITTER_LINE_RE.fullmatch(line)):
            continue
        after = [stripped[m] for m in lines[k + 1:k + 3]]
        if after and (upvote_line(after[0]) or (
                len(after) == 2 and not url_line(after[0]) and not abstract_like(after[0])
                and abstract_like(after[1]))):
            stripped[n] = ""

"""A page capture holding the page twice (pasted again below itself): where the second copy's
top is, so that its site navigation is not read as cards."""

from __future__ import annotations


def page_header_repeats(stripped: list[str], header_line: int) -> list[int]:
    """Lines after the page header that repeat it with the line before it ("byAK and the
    research community" / "Oct 3"): the page pasted again below itself. The text before such a
    line back to the last card is that copy's site navigation, read as the text after the last
    card is (an entry only with a title and an abstract)."""
    before = header_line - 1
    while before >= 0 and not stripped[before]:
        before -= 1
    if before < 0:
        return []
    repeats, i = [], header_line
    try:
        while True:
            i = stripped.index(stripped[header_line], i + 1)
            j = i - 1
            while j > 0 and not stripped[j]:
                j -= 1
            if stripped[j] == stripped[before]:
                repeats.append(i)
    except ValueError:
        return repeats

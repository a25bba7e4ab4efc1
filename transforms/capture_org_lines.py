"""An organization's chip as a capture writes it: "<handle> <display name>", the handle glued
to the name ("acmeAcme Labs", a text browser showing the logo's alt text), the alt text in
brackets ("[acme]Acme Labs"), or a tool's stand-in for a logo without alt text ("[logo]",
"[IMG]", "[]"). The who line of a card (transforms/capture_blocks.py) and the card readers of
other layouts use these."""

from __future__ import annotations

import re
from functools import lru_cache

_ORG_LINE_RE = re.compile(r"(?P<handle>[A-Za-z0-9][\w.-]{0,95})\s+(?P<name>\S.*)")
_HANDLE_RE = re.compile(r"[A-Za-z0-9][\w.-]{0,95}")
_NOT_ALNUM_RE = re.compile(r"[\W_]+")
# a word that joins the words of a name and never starts a display name: a line whose second
# word is one is a name alone ("University of ...", "Institute for ..."), not "<handle> <name>"
_CONNECTIVE_RE = re.compile(r"(?:of|for|and|at|in|on|the|de|der|des|du|di|del|la|le|&)\s")
_CASE_TURN_RE = re.compile(r"(?<=[a-z0-9])[A-Z]|(?<=[A-Z])[A-Z](?=[a-z])")
# the chip as pandoc -t plain writes it: the logo's alt text (the handle) in brackets, the name;
# or a text browser's stand-in for a logo without alt text ("[logo]", "[IMG]", "[]")
ALT_ORG_LINE_RE = re.compile(r"\[(?P<handle>(?:[A-Za-z0-9][\w.-]{0,95})?)\]\s*(?P<name>\S.*)")
# what tools write for an image that has no alt text: its file's name (w3m: "[logo]" for
# logo.png, an upload's hash for the site's avatars), a word (links: "[IMG]"), the file itself
_LOGO_STAND_IN_RE = re.compile(r"(?i)img|image|logo|icon|avatar|[\w.-]*\.(?:png|jpe?g|gif|svg|webp|avif|ico)"
                               r"|(?=[\da-f-]*\d)[\da-f-]{12,}")


def logo_stand_in(alt: str) -> bool:
    """Whether the text a tool shows for an organization's logo is a stand-in for an image
    without alt text, not the alt text the page gives it (the organization's handle)."""
    return not alt or _LOGO_STAND_IN_RE.fullmatch(alt) is not None


def agreement(handle: str, name: str) -> int:
    """How well a handle fits a display name, on their letters and digits in lower case: 3 the
    same ("ByteDance-Seed", "ByteDance Seed"), 2 one the start of the other ("acme-ai", "Acme"),
    1 the handle's letters in order in the name, from its first ("wdg", "Widget Lab"), else 0."""
    a, b = _NOT_ALNUM_RE.sub("", handle).lower(), _NOT_ALNUM_RE.sub("", name).lower()
    if not a or not b:
        return 0
    if a == b:
        return 3
    if a.startswith(b) or b.startswith(a):
        return 2
    rest = iter(b)
    return int(a[0] == b[0] and all(c in rest for c in a))


@lru_cache(maxsize=4096)   # (an organization's line repeats from day to day)
def org_line(s: str) -> tuple[str, str] | None:
    """An organization line, "<handle> <display name>", as (handle, name); None if it is none
    (a display name alone: its second word joins it, "University of ...").
    A text browser that shows the logo's alt text (w3m) glues the handle to the name
    ("wdgWidget Lab"): a split inside the first word where the case turns ("wdg|Widget",
    "ACME|Labs") is taken instead when the handle and the name it gives agree better; and when
    the first word is glued to a name whose second word joins it ("facebookAI at Meta",
    "DM2-NDUniversity of ..."), at the last turn even where they do not agree."""
    m = _ORG_LINE_RE.fullmatch(s)
    joined = m is not None and _CONNECTIVE_RE.match(m["name"]) is not None
    if joined:
        m = None   # "University of Notre Dame": a display name alone, no handle before it
    turns = [t.start() for t in _CASE_TURN_RE.finditer(s, 2, (s + " ").index(" "))]
    if not turns:
        return (m["handle"], m["name"]) if m else None
    best = (agreement(m["handle"], m["name"]), m["handle"], m["name"]) if m else (0, "", "")
    for i in turns:
        if best[0] < 3 and _HANDLE_RE.fullmatch(s, 0, i) and (score := agreement(s[:i], s[i:])) > best[0]:
            best = (score, s[:i], s[i:].strip())
    if not best[1] and joined and _HANDLE_RE.fullmatch(s, 0, turns[-1]):
        return s[:turns[-1]], s[turns[-1]:].strip()
    return (best[1], best[2]) if best[1] else None

"""Links written inside a capture's text, as the plain layout reads them.

- Firefox's "Save Page As > Text Files" writes each link's URL after its text, "Title
  <https://huggingface.co/papers/ID>" (`angle_links`).
- Text with its links written as Markdown but no Markdown heading (inscriptis with its links
  shown, a converter that writes headings as bold text): "[Title](/papers/ID)" on a line of its
  own (`markdown_title_links`), each link then read as Firefox writes it.
"""

from __future__ import annotations

import re

_CHIP_LINK_RE = re.compile(
    r"(?m)^([ \t]*)(\S[^<\n]{0,148}?)[ \t]+<https?://huggingface\.co/([A-Za-z0-9][\w.-]*)/?>(?=[ \t]*·)")
# (each "[ \t]+<" is tried only where a run of blanks starts, "(?<![ \t])": tried at every blank
# of a long run, it took time in the square of the run's length)
_PAPER_LINK_RE = re.compile(
    r"(?m)^([ \t]*\S[^\n]*?)(?<![ \t])[ \t]+<(https?://(?:huggingface\.co/papers|arxiv\.org/abs)/[^\s>#]+)>[ \t]*$")
_LONE_LINK_RE = re.compile(r"(?m)^([ \t]*)<(https?://[^\s>]+)>[ \t]*$")
_INLINE_LINK_RE = re.compile(r"(?<![ \t])[ \t]+<https?://[^\s>]+>")


def angle_links(text: str) -> str:
    """Firefox's "Save Page As > Text Files" writes each link's URL after its text, "Title
    <https://huggingface.co/papers/ID>": as the plain layout has them, an organization chip's link
    gives its handle ("acme Acme Labs · Nov 5"), a paper's link a URL line under its text, a
    link alone on its line a URL line, and any other URL is dropped (site navigation, the
    #community link after a comment count)."""
    text = _CHIP_LINK_RE.sub(lambda m: f"{m[1]}{m[3]} {m[2]}", text)
    text = _PAPER_LINK_RE.sub(lambda m: f"{m[1]}\n{m[2]}", text)
    text = _LONE_LINK_RE.sub(lambda m: f"{m[1]}{m[2]}", text)
    return _INLINE_LINK_RE.sub("", text)


# a Markdown link or image, its URL on the site (absolute or from the site's root) or elsewhere
_BRACKET_LINK_RE = re.compile(r"\[([^\[\]\n]*)\]\(((?:https?://huggingface\.co)?/[^()\s]*|https?://[^()\s]+)\)")
_IMAGE_RE = re.compile(r"!\[[^\[\]\n]*\]\([^()\s]*\)")
# a link on a line of its own in bold or italics ("**[Title](URL)**"): the link, its marks dropped
_EMPHASIZED_LINK_LINE_RE = re.compile(r"(?m)^([ \t]*)(\*\*|__|\*|_)(\[[^\[\]\n]+\]\([^()\s]+\))\2[ \t]*$")
# a line that is a link to a paper's page and nothing else, its text no image: a card's title
_TITLE_LINK_LINE_RE = re.compile(
    r"(?m)^[ \t]*\[[^\[\]\n]+\]\((?:https?://huggingface\.co)?/papers/\d{4}\.\d{4,5}\)[ \t]*$")


def _bracket_links(text: str) -> str:
    """Text with its links written as Markdown but no Markdown heading (inscriptis with its
    links shown: "[Title](/papers/ID)" on a line of its own, "· Nov 5 [3](/papers/ID#community)";
    two such title lines at least, so that Markdown whose headings were lost is not read so):
    each link as
    Firefox's text writes it ("Title <https://huggingface.co/papers/ID>"), read as that is
    (angle_links); an image is dropped, an organization's avatar inside its link too
    ("[![acme](logo.png)Acme Labs](/acme)"), and a link right after a word stands apart from it
    ("Nov 2[1](/papers/ID#community)": the date Nov 2, 1 comment)."""
    def as_angle(m: re.Match) -> str:
        url = m[2] if m[2].startswith("http") else "https://huggingface.co" + m[2]
        apart = " " if m.start() > 0 and not m.string[m.start() - 1].isspace() else ""
        return f"{apart}{m[1]} <{url}>"
    return angle_links(_BRACKET_LINK_RE.sub(as_angle, _IMAGE_RE.sub("", text)))


def markdown_title_links(text: str) -> str | None:
    """The text with its Markdown links as Firefox's text writes them (_bracket_links) when two
    lines at least are a title's link and nothing else, bold or italic or not; else None."""
    if text.find("](", 0, 5_000) == -1:
        return None
    linked = _EMPHASIZED_LINK_LINE_RE.sub(r"\1\3", text)
    return _bracket_links(linked) if len(_TITLE_LINK_LINE_RE.findall(linked)) >= 2 else None

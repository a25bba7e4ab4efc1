"""Render Daily Papers API items (the dicts of the API JSON) as page-capture text.

For round-trip tests and benchmarks of transforms.capture_parser. The layouts follow
docs/capture-formats.md; each style is one way people's captures of huggingface.co/papers
come out:

  plain          like the bundled sample: title, abstract, "  • N authors" (or the organization
                 line "<handle> <display name>" when the paper has one), "·", date + comments
  upvotes        plain with an upvote line before each title ("12", " [-] 12"; "-" for 0)
  links          site navigation around the listing, a papers URL after each title, an arXiv
                 URL after each abstract, the "[\\n\\nN authors](url)" wrapper, organization as
                 " <display name>" + https://huggingface.co/<handle>, comment count on its own
                 line (every other one followed by its #community URL)
  links_upvotes  links with upvote lines
  crlf_bom       plain with a UTF-8 BOM, CRLF line endings, trailing spaces, extra blank lines
"""

from __future__ import annotations

from datetime import date

STYLES = ("plain", "upvotes", "links", "links_upvotes", "crlf_bom")

HEADER = ["new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
          "byAK and the research community"]
SITE_NAV = ["Hugging Face", "[Models](https://huggingface.co/models)", "Datasets", "Spaces",
            "Docs", "Pricing", "Log In", "Sign Up"]
SITE_FOOTER = ["Previous", "1", "2", "Next", "System theme", "Company",
               "[TOS](https://huggingface.co/terms-of-service)", "Privacy", "About", "Jobs",
               "Website", "Models", "Datasets", "Spaces", "Pricing", "Docs"]


def fold(text: str) -> str:
    """Whitespace folded to single spaces, as the page shows titles and abstracts."""
    return " ".join(text.split())


def page_date(day: date, snapshot_date: date) -> str:
    """'Oct 3, 2023'; 'Aug 26' when the day is in the snapshot's year (and not after it)."""
    text = f"{day:%b} {day.day}"
    if day.year == snapshot_date.year and day <= snapshot_date:
        return text
    return f"{text}, {day.year}"


def _upvote_line(upvotes: int, index: int) -> str:
    shown = "-" if upvotes == 0 else str(upvotes)
    return shown if index % 2 == 0 else f" [-] {shown}"


def _entry_lines(item: dict, index: int, snapshot_date: date, style: str) -> list[str]:
    paper = item["paper"]
    arxiv_id, org = paper["id"], paper.get("organization")
    links, upvotes = style.startswith("links"), style in ("upvotes", "links_upvotes")
    out = [_upvote_line(paper["upvotes"], index), ""] if upvotes else []
    out += [fold(paper["title"])]
    out += [f"https://huggingface.co/papers/{arxiv_id}", ""] if links else [""]
    abstract = fold(paper.get("summary") or "")
    if abstract:
        out += [abstract] + ([f"https://arxiv.org/abs/{arxiv_id}v1"] if links else []) + [""]
    if org and links:
        out += [f" {org['fullname']}", f"https://huggingface.co/{org['name']}"]
    elif org:
        out += [f"{org['name']} {org['fullname']}"]
    elif links:
        link = f"https://huggingface.co/papers/{arxiv_id}#authors"
        out += ["[", "", f"{len(paper['authors'])} authors]({link})"]
    else:
        out += [f"  • {len(paper['authors'])} authors"]
    published = date.fromisoformat(paper["publishedAt"][:10])
    out += ["·", page_date(published, snapshot_date)]
    comments = item["numComments"]
    if comments and links:
        out += [str(comments)]
        if index % 2 == 0:
            out += [f"https://huggingface.co/papers/{arxiv_id}#community"]
    elif comments:
        out[-1] += f" {comments}"
    return out + [""]


def render_capture(items: list[dict], snapshot_date: date, style: str = "plain") -> str:
    """Page-capture text of a Daily Papers page dated snapshot_date listing these items."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {STYLES}")
    links = style.startswith("links")
    lines: list[str] = []
    for line in (SITE_NAV if links else []) + HEADER + [f"{snapshot_date:%b} {snapshot_date.day}"]:
        lines += [line, ""]
    for index, item in enumerate(items):
        lines += _entry_lines(item, index, snapshot_date, style)
    if links:
        for line in SITE_FOOTER:
            lines += [line, ""]
    if style == "crlf_bom":
        lines = [line + " " * (i % 3) + ("\r\n" if i % 7 == 0 else "")
                 for i, line in enumerate(lines)]
        return "\ufeff" + "\r\n".join(lines)
    return "\n".join(lines)

"""Render Daily Papers API items as the tools people save huggingface.co/papers with write them.

For tests of the tool-capture readers (docs/capture-formats.md); the renderings are made at
test time from the real days in ../shared/data and never committed. Formats:

  markdown     a reader/scrape tool's Markdown export: front matter, navigation lists, upvotes
               as a login link, "### [title](paper URL)" with arXiv's line breaks as "\\ ",
               the abstract as one link hard-wrapped with "\\\\" at line ends, an organization
               chip or an avatar list ending in "N authors", "·", "Nov 4[3](...#community)"
  textbrowser  a lynx/w3m-style dump: a note with URL and capture time, reference numbers
               ("[14]") resolved in a reference list at the end, the upvote box over three
               lines, abstracts wrapped at `width` columns, "[[BAAI] Org Name][16]" or
               "* 3 authors", "Nov 23 [ 3][17]"
  selectall    a browser's select-all copy of the card layout: no URLs; "Submitted by" / name,
               title, abstract, "Org · Published on Nov 23" or "15 authors" / "· Published on
               Nov 24", "Upvote" / count, link labels ("GitHub 857 arXiv Page")
  html         a saved page: the listing JSON in data-props of the DailyPapers element (when
               `embed`), and one <article> card per paper

Who submitted each paper shows where data-formats.md (../shared/docs) has it: the select-all
card's "Submitted by" / name, and the API items in the HTML's JSON. The Markdown, text-browser and
HTML card layouts described there show no submitter, and neither do their renderings.

`variant` (an int) changes incidental choices (wrap width, blank lines, which cards show a
submitter) so tests can run renderings the parser was not tuned on.
"""

from __future__ import annotations

import html
import json
import textwrap
from datetime import date

from tests.capture_render import fold, page_date

FORMATS = ("markdown", "textbrowser", "selectall", "html")
NAV = ["Hugging Face", "Models", "Datasets", "Spaces", "Community", "Docs", "Enterprise", "Pricing"]
FOOTER = ["System theme", "Company", "TOS", "Privacy", "About", "Jobs", "Website", "Models"]
HF = "https://huggingface.co"


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _title_lines(title: str) -> list[str]:
    """The title's own (arXiv) line breaks, each line folded."""
    return [fold(part) for part in title.split("\n") if part.strip()]


def _upvotes(paper: dict) -> str:
    return "-" if paper["upvotes"] == 0 else str(paper["upvotes"])


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("*", "\\*")


def render_markdown(items: list[dict], day: date, variant: int = 0) -> str:
    url = f"{HF}/papers/date/{day}" if variant % 2 == 0 else f"{HF}/papers?date={day}"
    out = ["---", "title: Daily Papers - Hugging Face", f"url: {url}",
           f"retrieved: {day}T18:0{variant % 10}:00Z", "---", "",
           f"[![Hugging Face's logo]({HF}/front/assets/huggingface_logo-noborder.svg) Hugging Face]({HF}/)", ""]
    out += [f"*   [{name}]({HF}/{_slug(name)})" for name in NAV[1:]] + [""]
    out += ["# Daily Papers", "", "by [AK](https://huggingface.co/akhaliq) and the research community", "",
            f"{day:%b} {day.day}", ""]
    for n, item in enumerate(items):
        paper, pid = item["paper"], item["paper"]["id"]
        link = f"{HF}/papers/{pid}"
        up = _upvotes(paper)
        out += [f"[{up}]({HF}/login?next=%2Fpapers%2F{pid})" if (n + variant) % 4 else up, ""]
        title = "\\ ".join(_md_escape(t) for t in _title_lines(paper["title"]))
        out += [f"### [{title}]({link})", ""]
        abstract = _wrap(_md_escape(fold(paper.get("summary") or "")), 70 + 10 * (variant % 3))
        out += ["[" + "\\\\\n".join(abstract) + f"]({link})", ""]
        org = paper.get("organization")
        if org:
            out += [f"[![{org['name']}](https://cdn-avatars.huggingface.co/v1/production/uploads/"
                    f"{n}/logo.png){_md_escape(org['fullname'].strip())}]({HF}/{org['name']})", ""]
        else:
            avatars = [f"*   ![]({HF}/avatars/{k:032x}.svg)\\\\" for k in range(min(4, len(paper["authors"])))]
            out += ["[" + "\n".join(avatars + [f"*   {len(paper['authors'])} authors"]) + f"]({link})", ""]
        published = page_date(date.fromisoformat(paper["publishedAt"][:10]), day)
        comments = item["numComments"]
        out += ["·", "", published + (f"[{comments}]({link}#community)" if comments else ""), ""]
    out += ["", *[f"*   [{name}]({HF}/{_slug(name)})" for name in FOOTER]]
    return "\n".join(out) + "\n"


def render_textbrowser(items: list[dict], day: date, variant: int = 0) -> str:
    refs: list[str] = []

    def ref(url: str) -> int:
        refs.append(url)
        return len(refs)

    width = 120 - 8 * (variant % 3)
    out = ["Daily Papers - Hugging Face", f"URL: {HF}/papers/date/{day}",
           f"Captured: {day} 18:03 UTC", "", f"   [{ref(HF + '/')}]Hugging Face"]
    out += [f"     * [{ref(HF + '/' + _slug(name))}]{name}" for name in NAV[1:]] + [""]
    out += ["Daily Papers", "", f"   by[{ref(HF + '/akhaliq')}]AK and the research community", "",
            f"   {day:%b} {day.day}", ""]
    for item in items:
        paper, pid = item["paper"], item["paper"]["id"]
        link = f"{HF}/papers/{pid}"
        out += ["   [", f"   {_upvotes(paper)}", f"   ][{ref(HF + '/login?next=%2Fpapers%2F' + pid)}]", ""]
        title = " ".join(_title_lines(paper["title"]))
        title_lines = _wrap(f"### [{title}][{ref(link)}]", width)
        out += title_lines + [""]
        out += ["   " + line for line in _wrap(fold(paper.get("summary") or ""), width - 3)] + [""]
        org = paper.get("organization")
        if org:
            out += [f"   [[{org['name']}] {org['fullname'].strip()}][{ref(HF + '/' + org['name'])}]"]
        else:
            out += [f"     * {len(paper['authors'])} authors"]
        published = page_date(date.fromisoformat(paper["publishedAt"][:10]), day)
        comments = item["numComments"]
        out += ["   ·", f"   {published}" + (f" [ {comments}][{ref(link + '#community')}]" if comments else ""), ""]
    out += [f"     * [{ref(HF + '/' + _slug(name))}]{name}" for name in FOOTER] + ["", "References", ""]
    out += [f"{n:>4}. {url}" for n, url in enumerate(refs, 1)]
    return "\n".join(out) + "\n"


def selectall_submitter(item: dict, n: int, variant: int = 0) -> str | None:
    """The name the select-all card of the n-th item (from 0) shows under "Submitted by" (the
    submitter's display name, as the card layout shows it), or None when that card shows none:
    the item has no submitter, or `variant` leaves it out (one card in three)."""
    by = item.get("submittedBy") or item["paper"].get("submittedOnDailyBy") or {}
    return by["fullname"] if by.get("fullname") and (n + variant) % 3 else None


def shown_submitter(item: dict, fmt: str, n: int = 0, variant: int = 0) -> dict:
    """submitted_by / submitted_by_name as the rendering of `item` (the n-th card, from 0) in
    `fmt` shows them: the user name and display name in the HTML's embedded JSON, the shown name
    in a select-all card that has a "Submitted by", nothing in the Markdown, text-browser and
    HTML card layouts."""
    by = item.get("submittedBy") or item["paper"].get("submittedOnDailyBy")
    if fmt == "html" and by:
        return {"submitted_by": by["name"], "submitted_by_name": fold(by["fullname"])}
    shown = selectall_submitter(item, n, variant) if fmt == "selectall" else None
    return {"submitted_by": None, "submitted_by_name": fold(shown) if shown else None}


def render_selectall(items: list[dict], day: date, variant: int = 0) -> str:
    gap = [""] if variant % 2 else []
    out = NAV + ["Daily Papers", "by AK and the research community", f"{day:%b} {day.day}",
                 "Search any paper with AI"] + gap
    for n, item in enumerate(items):
        paper = item["paper"]
        if (name := selectall_submitter(item, n, variant)) is not None:
            out += ["Submitted by", name] + gap
        out += [" ".join(_title_lines(paper["title"]))] + gap
        out += [fold(paper.get("summary") or "")] + gap
        published = page_date(date.fromisoformat(paper["publishedAt"][:10]), day)
        org = paper.get("organization")
        if org:
            out += [f"{org['fullname'].strip()} · Published on {published}"]
        else:
            out += [f"{len(paper['authors'])} authors", f"· Published on {published}"]
        out += gap + ["Upvote", _upvotes(paper)] + gap
        labels = ([f"GitHub {paper['githubStars']}"] if paper.get("githubStars") else []) + ["arXiv Page"]
        out += [" ".join(labels)] + gap
    return "\n".join(out + FOOTER) + "\n"


def _article(item: dict, day: date) -> str:
    paper, pid = item["paper"], item["paper"]["id"]
    esc = html.escape
    title = " ".join(_title_lines(paper["title"]))
    published = page_date(date.fromisoformat(paper["publishedAt"][:10]), day)
    org = paper.get("organization")
    who = (f'<a href="/{esc(org["name"])}" class="org-chip"><img alt="" src="/logo.png">'
           f'<span>{esc(org["fullname"].strip())}</span></a>' if org
           else f'<ul class="avatars"><li><img src="/avatars/a.svg"></li></ul>'
                f'<span>{len(paper["authors"])} authors</span>')
    comments = item["numComments"]
    return (f'<article class="card"><div class="vote"><button type="button"><svg></svg>'
            f'<div class="count">{_upvotes(paper)}</div></button></div>'
            f'<div><h3><a href="/papers/{pid}" class="line-clamp-3">{esc(title)}</a></h3>'
            f'<p class="abstract">{esc(fold(paper.get("summary") or ""))}</p>'
            f'<div class="meta">{who}<span>·</span><span>{published}</span>'
            f'<a href="/papers/{pid}#community" class="comments"><svg></svg>{comments}</a>'
            f'</div></div></article>')


def render_html(items: list[dict], day: date, embed: bool = True, variant: int = 0) -> str:
    props = html.escape(json.dumps({"date": str(day), "dailyPapers": items}), quote=True)
    data = f' data-props="{props}"' if embed else ""
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    cards = "\n".join(_article(item, day) for item in items)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Daily Papers - Hugging Face</title>'
            f'<link rel="canonical" href="{HF}/papers/date/{day}">'
            f'<meta property="og:url" content="{HF}/papers/date/{day}"></head><body>'
            f'<header><nav><ul>{nav}</ul></nav></header><main>'
            f'<h1>Daily Papers</h1><p>by AK and the research community</p><div class="picker">{day:%b} {day.day}</div>'
            f'<div data-target="DailyPapers"{data}>\n{cards}\n</div></main>'
            f'<footer>{"".join(f"<a>{n}</a>" for n in FOOTER)}</footer></body></html>')


def render_tool_capture(items: list[dict], day: date, fmt: str, variant: int = 0) -> str:
    if fmt == "markdown":
        return render_markdown(items, day, variant)
    if fmt == "textbrowser":
        return render_textbrowser(items, day, variant)
    if fmt == "selectall":
        return render_selectall(items, day, variant)
    if fmt in ("html", "html_cards"):
        return render_html(items, day, embed=fmt == "html", variant=variant)
    raise ValueError(f"unknown format {fmt!r}; one of {FORMATS}")

"""Saved HTML of huggingface.co/papers or /papers/date/DAY ("Save page as", crawlers).

The page embeds its listing for the browser: the element with data-target="DailyPapers"
carries a data-props attribute whose JSON holds the day's items in the API's shape
(transforms/api_parser.py). When it is there, those items are the entries (read like API JSON:
authors, organization, upvotes, comments, listing day). When it is not, each <article> card is
read: the title link in its h3, the count in its vote button, the organization chip (a link to
huggingface.co/<handle>), "N authors", the date, the #community link's count. Parsed with
selectolax (an HTML5 parser), never with patterns over markup.
"""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import accumulate

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from transforms.api_parser import parse_api_items
from transforms.capture_cards import AUTHORS_RE, Card, entries_of, leading_date, profile_handle
from transforms.capture_markdown import upvote_shown
from transforms.errors import SnapshotError
from transforms.observations import mark_repeats

_ISO_DAY_RE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_DATE_META = ("article:published_time", "article:modified_time", "og:updated_time", "date",
              "dc.date", "dcterms.modified", "last-modified")


_FRAGMENT_START_RE = re.compile(r"<(?:main|section|article|div|body|ul|ol)[\s>]")
_CARD_MARKUP = ("<article", "<h3", "<h2")


def looks_like_html(text: str) -> bool:
    """A saved page (a doctype, <html>, <head> or <body> first), or a fragment of one (its
    listing's outer HTML, copied from a browser's inspector: an element first, and the cards'
    <article> or heading elements in it; Markdown keeping raw <div>s writes headings as "###")."""
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<!--")) and "<" in head[1:]:
        return True
    if head.startswith("<?xml") and "<html" in head:   # XHTML: an XML declaration first
        return True
    if _CLIPBOARD_HTML_RE.match(head):   # Windows' clipboard HTML: a header of offsets, then the page
        return True
    return bool(_FRAGMENT_START_RE.match(head)) and any(tag in text for tag in _CARD_MARKUP)


_CLIPBOARD_HTML_RE = re.compile(r"version:\d+\.\d+\s+starthtml:-?\d+\s+endhtml:")
_END_OF_PAGE_RE = re.compile(r"</html\s*>", re.IGNORECASE)
_PAGE_START_RE = re.compile(r"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)


def html_pages(text: str) -> list[str]:
    """The saved pages an HTML file holds (a file of several pages: cat a.html b.html): the whole
    text, or each page that starts after another's `</html>`, past blank space and comments."""
    cuts, unclosed = [], len(text)   # (a comment opened at or after `unclosed` never closes)
    for end in _END_OF_PAGE_RE.finditer(text):
        at = end.end()
        while True:   # (blank space and whole comments: one pass over them, no backtracking)
            while at < len(text) and text[at].isspace():
                at += 1
            if not text.startswith("<!--", at) or at >= unclosed:
                break
            if (close := text.find("-->", at + 4)) < 0:
                unclosed = at
                break
            at = close + 3
        if _PAGE_START_RE.match(text, at):
            cuts.append(at)
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]


_LISTING_KEYS = ("dailyPapers", "papers")   # where the listing's list stands


def _is_item(value: object) -> bool:
    return isinstance(value, dict) and "paper" in value


def _items(props: object, depth: int = 0) -> list | None:
    """The first list of API items ({"paper": {...}}) inside the props JSON: a list under a
    listing's own key with an item or none (a day listing no paper), or any list most of whose
    items are. An item that is none (null, {"foo": 1}) stays in it: it is quarantined, as in
    the API's JSON, and the listing's other items are read."""
    if isinstance(props, list) and props and sum(_is_item(i) for i in props) * 2 > len(props):
        return props
    if depth < 4 and isinstance(props, dict):
        for key in _LISTING_KEYS:
            listing = props.get(key)
            if isinstance(listing, list) and (not listing or any(map(_is_item, listing))):
                return listing
        for value in props.values():
            found = _items(value, depth + 1)
            if found is not None:
                return found
    return None


def embedded_items(tree: HTMLParser) -> list | None:
    """The API items of the page's DailyPapers data-props, or None when it has none."""
    for node in tree.css('[data-target="DailyPapers"]'):
        raw = node.attributes.get("data-props")
        if not raw:
            continue
        try:
            found = _items(json.loads(raw))
        except ValueError:
            continue
        if found is not None:
            return found
    return None


def page_urls(tree: HTMLParser) -> list[str]:
    """The page's own address as the saved file states it (canonical link, og:url)."""
    urls = [n.attributes.get("href") or "" for n in tree.css('link[rel="canonical"]')]
    urls += [n.attributes.get("content") or "" for n in tree.css('meta[property="og:url"]')]
    return [u for u in urls if u]


def meta_day(tree: HTMLParser) -> date | None:
    """The day an HTML meta element gives as the page's time, if any."""
    for node in tree.css("meta"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").lower()
        if key in _DATE_META and (m := _ISO_DAY_RE.match(node.attributes.get("content") or "")):
            try:
                return date.fromisoformat(m[1])
            except ValueError:
                return None
    return None


_NOT_IN_TITLE = "div, p, ul, ol, li, img, svg, button, article, section"


def _texts(node: Node) -> list[str]:
    return [t for t in (s.strip() for s in node.text(separator="\n").split("\n")) if t]


def _card(article: Node) -> Card:
    card = Card(raw_text=" ".join(_texts(article))[:4000])
    title = article.css_first("h3") or article.css_first("h2")
    # the heading's paper link; a heading holding other parts of the card, or only other
    # links, is broken markup (a tag left open): no title
    if title is not None and title.css_first(_NOT_IN_TITLE) is None:
        link = next((a for a in title.css("a[href]") if "/papers/" in site_address(a.attributes["href"] or "")),
                    None)
        if link is not None or title.css_first("a") is None:
            card.title = (link or title).text(separator=" ")
    for link in article.css("a[href]"):
        href = site_address(link.attributes.get("href") or "", chip=link.css_first("img") is not None)
        if "/papers/" in href:
            card.urls.append(href)
            if href.endswith("#community"):
                shown = link.text().strip()
                card.comments = shown if shown else None
        elif card.organization is None and (handle := profile_handle(href)):
            card.organization, card.organization_name = handle, link.text(separator=" ").strip() or None
    button = article.css_first("button")
    if button is not None:
        card.upvotes = upvote_shown(button.text().strip() or "?") or _count_beside(button, article)
    abstract = article.css_first("p")
    card.abstract = abstract.text(separator=" ") if abstract is not None else None
    for text in _texts(article):
        if card.n_authors is None and (m := AUTHORS_RE.fullmatch(text)):
            card.n_authors = m["n"]
        elif card.date_text is None and (dated := leading_date(text)) and not dated[1]:
            card.date_text = dated[0]
    return card


# a link a mirroring tool rewrote to its local copy of a page (wget -k: "../2511.00001.html",
# "2511.00001.html#community", "../../acme.html"; with no -E, "../2511.00001", "../../acme")
_LOCAL_PAPER_RE = re.compile(r"(?:\.{1,2}/)*(?:papers/)?(\d{4}\.\d{4,5})(?:\.html?|/index\.html?)?(#[\w-]*)?")
_LOCAL_PAGE_RE = re.compile(r"(?:\.{1,2}/)*([A-Za-z][\w-]*)(?:\.html?|/index\.html?)"
                            r"|(?:\.{1,2}/)+([A-Za-z][\w-]*)")


def site_address(href: str, chip: bool = False) -> str:
    """A card's link as an address on the site: a path from the site's root made whole, a
    mirror's local copy of a paper's page as the page's address, and of a profile too when the
    link is an organization chip (`chip`: it holds the logo's image); any other link as written."""
    if href.startswith("/"):
        return "https://huggingface.co" + href
    if (m := _LOCAL_PAPER_RE.fullmatch(href)) is not None:
        return f"https://huggingface.co/papers/{m[1]}{m[2] or ''}"
    if chip and (m := _LOCAL_PAGE_RE.fullmatch(href)) is not None and (name := m[1] or m[2]) != "index":
        return f"https://huggingface.co/{name}"
    return href


def _count_beside(button: Node, article: Node) -> str | None:
    """The count next to a vote button that shows a label ("<button>Upvote</button><div>28</div>"):
    the one count in the button's own box (its parent, when that is not the whole card); else None."""
    box = button.parent
    if box is not None and box is not article and box.css_first("h1, h2, h3, p, a") is None:
        counts = [shown for text in _texts(box) if (shown := upvote_shown(text)) is not None]
        if len(counts) == 1:
            return counts[0]
    return None


# Elements a page always closes. The HTML parser's time grows with the square of how deep
# elements nest (100,000 nested <div>s: ~15 s a parse); a saved papers page nests a few dozen
# deep, so a file nested deeper than this is refused before it is parsed.
_CONTAINER_TAG_RE = re.compile(
    r"<(/?)(?:div|span|section|article|main|nav|header|footer|aside|figure|blockquote|ul|ol|dl|table"
    r"|form|button|label|a|b|i|em|strong|h[1-6]|svg|g|details|summary)[\s>/]", re.IGNORECASE)
MAX_NESTING = 2000


def refuse_deep_nesting(text: str) -> None:
    """Raise SnapshotError for HTML whose elements nest more than MAX_NESTING deep (~2 ms for
    2 MB of a real page's markup: once a capture, before it is parsed)."""
    depth = max(accumulate(-1 if closing else 1 for closing in _CONTAINER_TAG_RE.findall(text)), default=0)
    if depth > MAX_NESTING:
        raise SnapshotError(
            f"the HTML nests its elements {depth:,} deep or more, where a saved papers page nests a few dozen: "
            "not a capture of huggingface.co/papers, or a damaged one; save the page again, as HTML, "
            "text or Markdown")


def page_tree(text: str) -> HTMLParser:
    """The page's parsed tree, nothing read from it yet (page_urls, meta_day, read_html); the
    caller has refused text nested too deep to parse (refuse_deep_nesting)."""
    return HTMLParser(text)


def read_html(text: str) -> tuple[list | None, list[Card], HTMLParser]:
    """(the embedded API items or None, the article cards, the parsed tree). With items, the
    cards are read only when some card's title is not among the items' (page_entries)."""
    tree = page_tree(text)
    items = embedded_items(tree)
    articles = tree.css("article")
    if items is not None:
        # (an <article> without a heading is no paper's card: an advertisement, a notice)
        articles = [a for a in articles if _heading_text(a) is not None]
        listed = {_title_key(i["paper"].get("title")) for i in items
                  if isinstance(i, dict) and isinstance(i.get("paper"), dict)}
        if all(_title_key(_heading_text(a)) in listed for a in articles):
            articles = []
    return items, [_card(a) for a in articles], tree


def page_entries(items: list, cards: list[Card], snapshot_date: date) -> tuple[list[dict], list[str]]:
    """The entries of a page that embeds its listing (items) and shows cards not in it, with
    what to note: the page changed after it loaded (another day opened in it, more papers
    shown), and its embedded listing is no longer what it shows. The cards are the entries, in
    their order, each taken from the listing where the listing has its title (its fuller data),
    else as the card shows it. With no such card, the listing's entries."""
    listed = parse_api_items(items)
    if not cards:
        return listed, []
    by_title = {_title_key(e.get("title")): e for e in listed}
    shown = entries_of(cards, snapshot_date)
    entries = [dict(by_title.get(_title_key(e.get("title")), e)) for e in shown]
    for position, entry in enumerate(entries, 1):
        entry["position"] = position
    missing = sum(_title_key(e.get("title")) not in by_title for e in shown)
    return mark_repeats(entries), [
        f"the page's embedded listing ({len(listed)} papers) is not what its cards show ({len(shown)} "
        f"cards, {missing} of them not in it): the page changed after it loaded (another day opened "
        "in it, or more papers shown); the cards are read, with the listing's data for the papers it has"]


def _heading_text(article: Node) -> str | None:
    title = article.css_first("h3") or article.css_first("h2")
    return title.text(separator=" ") if title is not None else None


def _title_key(title: object) -> str:
    """A title as compared across the embedded listing and the cards: letters and digits only,
    case folded."""
    return _NOT_WORD_RE.sub("", title.casefold()) if isinstance(title, str) else ""


_NOT_WORD_RE = re.compile(r"[\W_]+")

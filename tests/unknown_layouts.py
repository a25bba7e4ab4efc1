"""Files in layouts papertrends does not read, made from real Daily Papers items at test time:
what people might drop into landing/ by mistake. Each mentions real papers (titles, links,
dates, numbers), and none is a capture of the papers page, so none may add a paper to a mart.

  blog        a blog post: "## Title" headings, excerpts, an arXiv link in the text
  newsletter  a newsletter whose headings link the papers ("### [Title](.../papers/ID)")
  readme      a GitHub README: a list of papers with links, dates and star counts
  links       a list of paper URLs
  csv         a CSV of papers
  prose       prose with dates and numbers, "·" lines between the paragraphs
"""

from __future__ import annotations

from datetime import date

from tests.capture_render import fold

LAYOUTS = ("blog", "newsletter", "readme", "links", "csv", "prose")


def _day(paper: dict) -> str:
    day = date.fromisoformat(paper["publishedAt"][:10])
    return f"{day:%b} {day.day}"


def render_unknown(items: list[dict], day: date, layout: str) -> str:
    papers = [item["paper"] for item in items]
    if layout == "blog":
        return (f"# What I read this week\n\nPosted on {day:%b} {day.day}, {day.year}\n\n" + "\n\n".join(
            f"## {fold(p['title'])}\n\n{fold(p['summary'])[:400]}\n\nRead it [on arXiv]"
            f"(https://arxiv.org/abs/{p['id']}). {p['upvotes']} people liked it." for p in papers)
            + "\n\nThanks for reading!\n")
    if layout == "newsletter":
        return ("# AI newsletter\n\nHello! Here is what caught my eye.\n\n" + "\n\n".join(
            f"### [{fold(p['title'])}](https://huggingface.co/papers/{p['id']})\n\n"
            f"{fold(p['summary'])[:300]}\n\nMy take: {n + 2} out of 10." for n, p in enumerate(papers))
            + "\n\nSee you next week!\n")
    if layout == "readme":
        return ("# Awesome papers\n\n![badge](https://img.shields.io/badge/papers-list-blue)\n\n"
                "## Papers\n\n" + "\n".join(
                    f"- **{fold(p['title'])}** ({_day(p)}) [[paper]](https://huggingface.co/papers/"
                    f"{p['id']}) [[code]](https://github.com/example/code) {p['upvotes']} stars"
                    for p in papers) + "\n\n## License\n\nMIT\n")
    if layout == "links":
        return "\n".join(f"https://huggingface.co/papers/{p['id']}" for p in papers) + "\n"
    if layout == "csv":
        return "arxiv_id,title,published,upvotes,authors\n" + "\n".join(
            f"{p['id']},\"{fold(p['title'])}\",{p['publishedAt'][:10]},{p['upvotes']},{len(p['authors'])}"
            for p in papers) + "\n"
    if layout == "prose":
        return "\n\n".join(
            f"On {_day(p)} a team of {len(p['authors'])} authors published {fold(p['title'])}, which"
            f" got {p['upvotes']} upvotes and {n} comments.\n·\n{_day(p)}" for n, p in enumerate(papers)) + "\n"
    raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")

"""`papertrends similar`: the papers most like one paper, or like a piece of text.

`papertrends similar 2404.19756` reads marts.similar_papers (the 10 neighbours the pipeline
keeps per paper), or, for a paper that has no list there yet (the oldest papers after a backfill
over years, see dbt_project/models/intermediate/int_paper_neighbours.py), ranks every paper's
vector against the paper's own, the same exact search; `papertrends similar --text "..."`
embeds the text the way papers are embedded (transforms/paper_vectors.py) and ranks every
paper's vector by cosine similarity. All read the published copy of the warehouse, so they never
wait for a running pipeline.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from orchestration.storage.settings import data_dir

NOT_BUILT = ("the warehouse has no similar papers yet; run the pipeline once with this version "
             "(make run, or papertrends ingest / fetch)")


class SimilarError(Exception):
    """A one-line reason the command could not answer."""


def add_parser(commands) -> None:
    from orchestration.cli.help import COMMANDS

    similar = commands.add_parser("similar", **COMMANDS["similar"])
    similar.add_argument("paper", nargs="?", metavar="ARXIV_ID",
                         help="a paper's arXiv id (or its paper_id)")
    similar.add_argument("--text", help="find papers like this text instead (a title, an abstract)")
    similar.add_argument("--limit", type=int, default=10, metavar="N",
                         help="how many papers to print (default: 10; at most 10 for a paper)")
    similar.set_defaults(func=similar_command)


def similar_command(args: argparse.Namespace) -> int:
    from orchestration.storage.publish import published_path

    if args.paper is not None and not args.paper.strip():
        print("papertrends: the paper id is empty; give an arXiv id (papertrends similar 2404.19756)",
              file=sys.stderr)
        return 2
    if (args.paper is None) == (args.text is None):
        print("papertrends: give either an arXiv id (papertrends similar 2404.19756) or "
              "--text \"...\"", file=sys.stderr)
        return 2
    if args.limit < 1:
        print("papertrends: --limit must be at least 1", file=sys.stderr)
        return 2
    try:
        if args.text is not None:
            header, rows = like_text(published_path(data_dir().warehouse), args.text, args.limit)
        else:
            header, rows = like_paper(published_path(data_dir().warehouse), args.paper, args.limit)
    except SimilarError as exc:
        print(f"papertrends: {exc}", file=sys.stderr)
        return 1
    print(header)
    for rank, score, arxiv_id, title in rows:
        print(f"{rank:>3}  {score:.3f}  {arxiv_id or '-':<12}  {title}")
    return 0


def _connect(database: Path):
    from orchestration.cli.query import QueryError, connect_read_only

    try:
        return connect_read_only(database)
    except QueryError as exc:
        raise SimilarError(str(exc)) from None


def _query(con, sql: str, parameters: list) -> list[tuple]:
    import duckdb

    try:
        return con.execute(sql, parameters).fetchall()
    except duckdb.CatalogException:
        raise SimilarError(NOT_BUILT) from None


# arXiv's version suffix ("2404.19756v2"): the warehouse keys a paper without it
_VERSION_RE = re.compile(r"(?<=\d)v\d+$")


def like_paper(database: Path, paper: str, limit: int) -> tuple[str, list[tuple]]:
    """(header, [(rank, score, arxiv_id, title)]) for the paper with this arXiv id or paper_id."""
    con = _connect(database)
    try:
        found = _query(con, "select paper_id, arxiv_id, title from marts.papers "
                            "where arxiv_id = $1 or paper_id = $1 order by paper_id limit 1",
                       [_VERSION_RE.sub("", paper.strip())])
        if not found:
            raise SimilarError(f"no paper {paper!r} in the warehouse: give the arXiv id of a paper it holds "
                               "(papertrends sql \"select arxiv_id, title from marts.papers limit 5\"), or "
                               "compare a title or abstract with papertrends similar --text \"...\"")
        paper_id, arxiv_id, title = found[0]
        rows = _query(con, "select rank, score, neighbour_arxiv_id, neighbour_title "
                           "from marts.similar_papers where paper_id = $1 order by rank limit $2",
                      [paper_id, limit])
        if not rows:
            rows = _ranked(con, "(select vector from intermediate.int_paper_vectors where paper_id = $1)",
                           [paper_id, min(limit, 10)], exclude=True)
            if rows:
                print("(no stored list for this paper yet: compared with every paper now)", file=sys.stderr)
    finally:
        con.close()
    return f"Papers like {arxiv_id or paper_id} \"{title}\":", rows


def _ranked(con, vector_sql: str, parameters: list, exclude: bool = False) -> list[tuple]:
    """(rank, score, arxiv_id, title) of the papers whose vectors are nearest to the vector
    vector_sql gives ($1: its parameter, $2: how many; exclude: leave out paper $1 itself)."""
    return _query(con, f"""
        with scored as (
            select paper_id, array_inner_product(vector, {vector_sql}) as score
            from intermediate.int_paper_vectors
            {"where paper_id <> $1" if exclude else ""}
        ),

        best as (
            select scored.paper_id, scored.score from scored
            semi join marts.papers as papers using (paper_id)
            order by scored.score desc, scored.paper_id
            limit $2
        )
        select
            cast(row_number() over (order by best.score desc, best.paper_id) as integer),
            round(cast(best.score as double), 4), papers.arxiv_id, papers.title
        from best
        inner join marts.papers as papers using (paper_id)
        order by best.score desc, best.paper_id
    """, parameters)


CANDIDATES = 50   # papers ranked for a text, before those that share none of its words go


def like_text(database: Path, text: str, limit: int) -> tuple[str, list[tuple]]:
    """(header, [(rank, score, arxiv_id, title)]) of the papers nearest to the text that share
    at least one of its words: a word the papers never use still lands, through the vectors'
    hashing, on positions other words use, and ranks papers it has nothing to do with."""
    from transforms.paper_vectors import DIMENSIONS, embed_one, paper_text, words

    vector = embed_one(text)
    if not vector.any():
        raise SimilarError("the text has no words to compare (give a title or an abstract)")
    wanted = set(words(text))
    con = _connect(database)
    try:
        ranked = _ranked(con, f"$1::float[{DIMENSIONS}]", [vector.tolist(), max(limit, CANDIDATES)])
        found = _query(con, "select title, abstract, ai_keywords from marts.papers"
                            " where title in (select unnest($1::varchar[]))", [[row[3] for row in ranked]])
    finally:
        con.close()
    texts: dict[str, str] = {}
    for title, abstract, keywords in found:
        texts[title] = f"{texts.get(title, '')} {paper_text(title, abstract, keywords)}"
    if not ranked:
        raise SimilarError("the warehouse has no papers yet; ingest some first (make run, or "
                           "papertrends ingest / fetch)")
    rows = [row for row in ranked if wanted & set(words(texts.get(row[3], "")))][:limit]
    if not rows:
        raise SimilarError("no paper in the warehouse shares a word with the text (common words such "
                           "as 'model' or 'method' left out); try other words")
    rows = [(rank, *rest) for rank, (_, *rest) in enumerate(rows, 1)]
    shown = text if len(text) <= 60 else text[:57] + "..."
    return f"Papers like \"{shown}\":", rows

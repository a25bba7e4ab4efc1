"""Write transforms/word_shares.tsv: the share of papers that use each common word (the fixed
IDF of transforms/paper_vectors.py), from a warehouse's marts.papers.

    python -m bench.word_shares /path/to/warehouse.duckdb

The shipped table was made from the real listings of May 2023 to April 2025; it holds words and
shares only (words used by at least 0.5% of the papers), no text of any paper.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import duckdb

from transforms.paper_vectors import WORD_SHARES, paper_text, words

MIN_SHARE = 0.005


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    args = parser.parse_args()
    con = duckdb.connect(str(args.warehouse), read_only=True)
    rows = con.sql("select title, abstract, ai_keywords from marts.papers").fetchall()
    used = Counter()
    for title, abstract, keywords in rows:
        used.update(set(words(paper_text(title, abstract, keywords))))
    shares = sorted(((word, count / len(rows)) for word, count in used.items()
                     if count / len(rows) >= MIN_SHARE), key=lambda item: (-item[1], item[0]))
    WORD_SHARES.write_text("".join(f"{word}\t{share:.4f}\n" for word, share in shares), encoding="utf-8")
    print(f"{len(shares)} words from {len(rows)} papers -> {WORD_SHARES}")


if __name__ == "__main__":
    main()

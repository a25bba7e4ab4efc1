"""An entry whose title and abstract do not read as research is quarantined, one entry at a
time (a capture of one or two cards of something else is too small for the file-level rule);
every real paper of ../shared/data reads as research."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tests.shared_data import api_day_files, history_day_files
from transforms.api_parser import parse_api_json
from transforms.observations import empty_entry, observations_frame
from transforms.validation import NOT_RESEARCH, split_valid

# Made up for this test: cards of other kinds, laid out as a paper's card would be.
NOT_PAPERS = [
    ("Grandma's Chocolate Cake", "Preheat the oven to 180 degrees. Mix the flour, sugar, cocoa and eggs in "
     "a large bowl, then pour into a buttered tin and bake for forty minutes until a skewer comes out "
     "clean. Let it cool before icing."),
    ("Hey everyone, remember to buy milk on the way home tonight", "I think the weather will be nice "
     "tomorrow, we should go to the park and have a picnic with the kids."),
]
# Made up too: short texts (under 20 words in all) and a card without an abstract are not judged.
NOT_JUDGED = [("Buy milk", "Then the bread, and call grandma on Sunday."), ("Lemon Drizzle Cake", None)]
PAPER = ("Sparse Mixture-of-Experts Language Models Learn Faster with Curriculum Data",
         "We propose a curriculum for training sparse mixture-of-experts language models. Ordering the "
         "training data by difficulty reduces the loss reached for a fixed compute budget across three "
         "model sizes and improves accuracy on reasoning benchmarks.")


def _cards(pairs: list[tuple[str, str | None]]) -> pl.DataFrame:
    entries = [empty_entry(i + 1, "") for i in range(len(pairs))]
    for entry, (title, abstract) in zip(entries, pairs):
        entry.update(title=title, abstract=abstract, n_authors=2, published_on=date(2025, 11, 3), invalid=[])
    return observations_frame(entries, "s1", date(2025, 11, 4), "capture")


def test_cards_of_another_kind_are_quarantined_one_by_one():
    valid, quarantined = split_valid(_cards([PAPER, *NOT_PAPERS, *NOT_JUDGED]))
    assert quarantined["title"].to_list() == [title for title, _ in NOT_PAPERS]
    assert quarantined["reasons"].to_list() == [[NOT_RESEARCH]] * len(NOT_PAPERS)
    assert valid["title"].to_list() == [PAPER[0]] + [title for title, _ in NOT_JUDGED]


@pytest.mark.needs_shared_data
def test_every_real_paper_reads_as_research():
    """6,667 papers of 510 listing days (2023-2025): none is quarantined as not research."""
    frames = [observations_frame(parse_api_json(path.read_bytes()), f"s{k}", date.fromisoformat(path.stem), "api")
              for k, path in enumerate(history_day_files() + api_day_files())]
    assert len(frames) == 510
    _, quarantined = split_valid(pl.concat(frames, how="diagonal_relaxed"))
    refused = quarantined.filter(pl.col("reasons").list.contains(NOT_RESEARCH))
    assert refused["title"].to_list() == []

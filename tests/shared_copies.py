"""Find text taken from the real data in ../shared/data (titles, abstracts) inside other files.

The papers' titles and abstracts are not ours to redistribute, so no file of the project may
hold one. Text is compared as words: lower-cased runs of letters and digits (`\\w+`), so
whitespace, line breaks, quotes and punctuation between words do not hide a copy (a title
split over two Python string literals is still found).

- An abstract is found by any WINDOW (8) consecutive words of it.
- A title is found whole, or by any WINDOW consecutive words when it is longer. Titles of fewer
  than MIN_TITLE_WORDS (4) words are left out: a title like "Video World Models" is an ordinary
  phrase that the project's own docs and code may use, not a copy.

Every window of the real text goes into a set as one hash; a file is read once and each of its
windows of 4 to WINDOW words is looked up in that set, so ~6,700 papers are checked against a
file in one pass instead of 13,000 substring searches.

    detector = CopyDetector.from_shared_data(SHARED_DATA)
    detector.allow(bundled_capture_text)
    detector.find(text) -> [the real text's words that were found, ...]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

WINDOW = 8
MIN_TITLE_WORDS = 4
WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def listing_files(shared: Path) -> list[Path]:
    """Every API listing file of the real data (hf_api_daily/ and hf_api_history/*/)."""
    return sorted(shared.glob("hf_api_daily/*.json")) + sorted(shared.glob("hf_api_history/*/*.json"))


def real_texts(shared: Path) -> Iterator[tuple[str, str]]:
    """("title" | "abstract", text) for every paper of every listing file."""
    for path in listing_files(shared):
        for item in json.loads(path.read_bytes()):
            if not isinstance(item, dict):
                continue
            paper = item.get("paper") or {}
            for kind, text in (("title", paper.get("title")), ("title", item.get("title")),
                               ("abstract", paper.get("summary")), ("abstract", item.get("summary"))):
                if isinstance(text, str) and text.strip():
                    yield kind, text


class CopyDetector:
    def __init__(self, texts: Iterable[tuple[str, str]]):
        self.windows: dict[int, dict[int, str]] = {}  # window length -> hash -> the real text
        for kind, text in texts:
            ws = words(text)
            if kind == "title" and len(ws) < MIN_TITLE_WORDS:
                continue
            if kind == "title" and len(ws) < WINDOW:
                self._add(ws, len(ws), text)
            else:
                self._add(ws, WINDOW, text)

    @classmethod
    def from_shared_data(cls, shared: Path) -> CopyDetector:
        return cls(real_texts(shared))

    def _add(self, ws: list[str], n: int, text: str) -> None:
        table = self.windows.setdefault(n, {})
        for i in range(len(ws) - n + 1):
            table.setdefault(hash(tuple(ws[i:i + n])), text)

    def allow(self, text: str) -> None:
        """Stop reporting every window that `text` holds (text that is ours, such as the bundled
        page capture, may repeat a real title or abstract)."""
        ws = words(text)
        for n, table in self.windows.items():
            for i in range(len(ws) - n + 1):
                table.pop(hash(tuple(ws[i:i + n])), None)

    def __len__(self) -> int:
        return sum(len(table) for table in self.windows.values())

    def find(self, text: str) -> list[str]:
        """The real titles and abstracts of which `text` holds a window (each once, in order)."""
        ws = words(text)
        found: dict[str, None] = {}
        for n, table in self.windows.items():
            for i in range(len(ws) - n + 1):
                real = table.get(hash(tuple(ws[i:i + n])))
                if real is not None:
                    found[real] = None
        return list(found)

"""The trend report's charts: PNG files drawn with matplotlib's Agg canvas.

Figures are made with `matplotlib.figure.Figure` (no pyplot), so drawing keeps no global state
and needs no display; `Figure.savefig` renders with Agg.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

DPI = 110
GREY, ACCENT = "#9aa4b1", "#e4572e"
PALETTE = ["#1f77b4", "#e4572e", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]


def _figure(width: float = 8.0, height: float = 4.5):
    from matplotlib.figure import Figure  # imported here: ~1 s, only when a chart is drawn

    fig = Figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="both", alpha=0.25)
    return fig, ax


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def _no_data(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, color=GREY,
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def topic_lines(weeks: list[date], series: dict[str, list[int]], title: str, path: Path,
                grain: str = "week") -> Path:
    """One line per topic: listed papers per ISO week (grain "week") or per month ("month")."""
    fig, ax = _figure(9, 5)
    if not weeks or not series:
        _no_data(ax, "no listed papers")
    for i, (topic, counts) in enumerate(series.items()):
        ax.plot(weeks, counts, marker="o", linewidth=2, color=PALETTE[i % len(PALETTE)], label=topic)
    if weeks and series:
        ax.set_xticks(weeks, [w.strftime("%b %Y" if grain == "month" else "%b %d") for w in weeks])
        ax.set_ylabel("papers listed (month)" if grain == "month" else "papers listed (week starting)")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.set_title(title, loc="left", fontsize=12)
    return _save(fig, path)


def hbars(labels: list[str], values: list[float], title: str, xlabel: str, path: Path,
          highlight: list[bool] | None = None, notes: list[str] | None = None) -> Path:
    """Horizontal bars, first item on top; `highlight` paints some bars in the accent colour."""
    fig, ax = _figure(8, max(2.6, 0.42 * len(labels) + 1.4))
    if not labels:
        _no_data(ax, "no data for this period")
    else:
        colours = [ACCENT if h else PALETTE[0] for h in (highlight or [False] * len(labels))]
        positions = list(range(len(labels)))[::-1]
        bars = ax.barh(positions, values, color=colours, height=0.65)
        ax.set_yticks(positions, [_short(label) for label in labels], fontsize=9)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", alpha=0)
        texts = notes or [_number(v) for v in values]
        for bar, text in zip(bars, texts):
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {text}",
                    va="center", fontsize=8)
        ax.set_xlim(0, max(values + [1]) * 1.15)
    ax.set_title(title, loc="left", fontsize=12)
    return _save(fig, path)


def columns(labels: list[str], values: list[int], title: str, xlabel: str, path: Path) -> Path:
    """Vertical bars in the given order (team-size buckets)."""
    fig, ax = _figure(8, 4.2)
    if not any(values):
        _no_data(ax, "no author counts for this period")
    else:
        bars = ax.bar(labels, values, color=PALETTE[0], width=0.7)
        ax.bar_label(bars, fontsize=9)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("papers")
        ax.grid(axis="x", alpha=0)
        ax.set_ylim(0, max(values) * 1.15)
    ax.set_title(title, loc="left", fontsize=12)
    return _save(fig, path)


def label(text: str, fallback: str) -> str:
    """`text`, or `fallback` when the charts' font has no glyph for one of its characters: the
    bundled DejaVu Sans has no CJK, so an organization named '北京奇虎科技有限公司' was drawn as
    a row of boxes (and matplotlib warned on stderr); its handle 'qihoo360' is readable. When
    neither can be drawn (an author known by a CJK name alone), the chart says to read the
    table, which keeps every name."""
    for candidate in (text, fallback):
        if _drawable(candidate):
            return candidate
    return UNDRAWABLE


UNDRAWABLE = "(name in the table)"


def _drawable(text: str) -> bool:
    font = _chart_font()
    return all(font.get_char_index(ord(ch)) for ch in text if ch.isprintable() and not ch.isspace())


@lru_cache(maxsize=1)
def _chart_font():
    from matplotlib import font_manager, ft2font

    return ft2font.FT2Font(font_manager.findfont(font_manager.FontProperties()))


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)

"""The trend report's charts: SVG files written from the numbers, with no plotting library.

Three kinds: lines (a topic's papers per period), horizontal bars (top authors, organizations,
rising topics) and columns (team sizes). Each is a small standalone SVG that browsers, Markdown
viewers and the report's HTML show as it is; the text is real text, so any name shows in the
viewer's own fonts (Chinese, Japanese and Korean included) and can be searched and copied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

GREY, ACCENT, INK, GRID = "#9aa4b1", "#e4572e", "#222222", "#e3e6ea"
PALETTE = ["#1f77b4", "#e4572e", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CHAR_WIDTH = 0.6   # of the font size: a generous average width of a character, for layout


class Svg:
    """An SVG document built element by element."""

    def __init__(self, width: float, height: float, title: str):
        self.width, self.height, self.parts = width, height, []
        self.text(14, 24, title, size=15, anchor="start", weight="bold")

    def text(self, x: float, y: float, text: str, size: float = 11, anchor: str = "middle",
             colour: str = INK, weight: str = "normal", rotate: bool = False) -> None:
        turn = f' transform="rotate(-90 {x:.1f} {y:.1f})"' if rotate else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                          f'fill="{colour}" font-weight="{weight}" dominant-baseline="middle"{turn}>'
                          f'{escape(text)}</text>')

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str = GRID, width: float = 1) -> None:
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                          f'stroke="{colour}" stroke-width="{width}"/>')

    def rect(self, x: float, y: float, width: float, height: float, colour: str, label: str) -> None:
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
                          f'height="{max(height, 0):.1f}" fill="{colour}"><title>{escape(label)}</title></rect>')

    def polyline(self, points: list[tuple[float, float]], colour: str, label: str) -> None:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2" '
                          f'data-series={quoteattr(label)}/>')
        for x, y in points:
            self.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="{colour}"/>')

    def no_data(self, text: str) -> None:
        self.text(self.width / 2, self.height / 2, text, size=16, colour=GREY)

    def save(self, path: Path) -> Path:
        path.write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" height="{self.height:.0f}" '
            f'viewBox="0 0 {self.width:.0f} {self.height:.0f}" font-family="{FONT}">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(self.parts) + "\n</svg>\n",
            encoding="utf-8")
        return path


@dataclass(frozen=True)
class Scale:
    """A linear map from values (low..high) to pixels (start..end; end < start for a y axis,
    whose pixels grow downwards)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (self.end - self.start) * (value - self.low) / (self.high - self.low)


def ticks(top: float, low: float = 0.0, most: int = 6) -> list[float]:
    """Round axis values from `low` (at most 0) to at least `top`: steps of 1, 2 or 5 times a
    power of ten, whole numbers when the values are."""
    top, low = max(top, 1), min(low, 0)
    raw = (top - low) / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and float(top).is_integer() and float(low).is_integer():
        step = 1
    first, last = math.floor(low / step + 1e-9), math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def topic_lines(weeks: list[date], series: dict[str, list[int]], title: str, path: Path,
                grain: str = "week") -> Path:
    """One line per topic: listed papers per ISO week (grain "week") or per month ("month")."""
    legend = max((text_width(topic, 11) for topic in series), default=0) + 40
    svg = Svg(720 + legend, 440, title)
    if not weeks or not series:
        svg.no_data("no listed papers")
        return svg.save(path)
    left, top, right, bottom = 64, 48, svg.width - legend, svg.height - 56
    values = ticks(max(max(counts) for counts in series.values()))
    y = Scale(0, values[-1], bottom, top)
    x = Scale(-0.5, len(weeks) - 0.5, left, right)   # each week in the middle of its slot
    _y_axis(svg, values, y, left, right)
    every = max(1, math.ceil(len(weeks) / 12))
    for i, week in enumerate(weeks):
        if i % every == 0:
            svg.text(x(i), bottom + 16, week.strftime("%b %Y" if grain == "month" else "%b %d"), size=10)
    svg.text(18, (top + bottom) / 2, "papers listed (month)" if grain == "month"
             else "papers listed (week starting)", size=11, rotate=True)
    for n, (topic, counts) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        svg.polyline([(x(i), y(v)) for i, v in enumerate(counts)], colour, topic)
        svg.line(right + 16, top + 8 + 20 * n, right + 34, top + 8 + 20 * n, colour, 3)
        svg.text(right + 40, top + 8 + 20 * n, topic, size=11, anchor="start")
    return svg.save(path)


def hbars(labels: list[str], values: list[float], title: str, xlabel: str, path: Path,
          highlight: list[bool] | None = None, notes: list[str] | None = None) -> Path:
    """Horizontal bars, first item on top; `highlight` paints some bars in the accent colour."""
    shown = [_short(label) for label in labels]
    texts = notes or [_number(v) for v in values]
    left = 24 + max((text_width(label, 10) for label in shown), default=0)
    width = max(720.0, left + 460)
    svg = Svg(width, max(260, 36 * len(labels) + 120), title)
    if not labels:
        svg.no_data("no data for this period")
        return svg.save(path)
    note_room = max(text_width(text, 10) for text in texts) + 16
    top, bottom, right = 48, svg.height - 56, width - note_room
    axis = ticks(max(values), min(values))
    x = Scale(axis[0], axis[-1], left, right)
    for v in axis:
        svg.line(x(v), top, x(v), bottom)
        svg.text(x(v), bottom + 14, _number(v), size=10)
    svg.text((left + right) / 2, bottom + 34, xlabel, size=11)
    row = (bottom - top) / len(labels)
    for i, (label, value, text) in enumerate(zip(shown, values, texts)):
        middle = top + row * (i + 0.5)
        colour = ACCENT if highlight and highlight[i] else PALETTE[0]
        start, end = sorted((x(0), x(value)))
        svg.rect(start, middle - row * 0.33, end - start, row * 0.66, colour, f"{labels[i]}: {text}")
        svg.text(left - 8, middle, label, size=10, anchor="end")
        svg.text(max(end, x(0)) + 6, middle, text, size=10, anchor="start")
    svg.line(x(0), top, x(0), bottom, GREY)
    return svg.save(path)


def columns(labels: list[str], values: list[int], title: str, xlabel: str, path: Path) -> Path:
    """Vertical bars in the given order (team-size buckets)."""
    svg = Svg(720, 400, title)
    if not any(values):
        svg.no_data("no author counts for this period")
        return svg.save(path)
    left, top, right, bottom = 64, 48, svg.width - 24, svg.height - 60
    axis = ticks(max(values) * 1.1)
    y = Scale(0, axis[-1], bottom, top)
    _y_axis(svg, axis, y, left, right)
    slot = (right - left) / len(labels)
    for i, (label, value) in enumerate(zip(labels, values)):
        centre = left + slot * (i + 0.5)
        svg.rect(centre - slot * 0.35, y(value), slot * 0.7, bottom - y(value), PALETTE[0], f"{label}: {value}")
        svg.text(centre, y(value) - 9, str(value), size=10)
        svg.text(centre, bottom + 14, label, size=10)
    svg.text((left + right) / 2, bottom + 36, xlabel, size=11)
    svg.text(18, (top + bottom) / 2, "papers", size=11, rotate=True)
    return svg.save(path)


def _y_axis(svg: Svg, values: list[float], y: Scale, left: float, right: float) -> None:
    for v in values:
        svg.line(left, y(v), right, y(v))
        svg.text(left - 8, y(v), _number(v), size=10, anchor="end")
    svg.line(left, y(0), right, y(0), GREY)


def label(text: str, fallback: str) -> str:
    """A chart's name for a row: the name, else the fallback (a handle), else a pointer to the
    table, which keeps every name."""
    return (text or "").strip() or (fallback or "").strip() or UNDRAWABLE


UNDRAWABLE = "(name in the table)"


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)

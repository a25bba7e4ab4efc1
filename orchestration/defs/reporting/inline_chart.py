"""Charts that the Dagster UI shows where an asset is opened, without a click.

Dagster 1.13's asset page (Overview tab, Metadata section) draws a Markdown metadata value in
place when it is shorter than 1,000 characters; a longer one, such as a chart embedded as a
base64 PNG, sits behind a "[Show Markdown]" button, and numeric metadata is plotted only behind
the section's "Plots" toggle. So a chart meant to be seen at a glance is Markdown kept under
that length: a table with one row per topic and its counts as a sparkline of the eight block
characters ▁▂▃▄▅▆▇█ (each row scaled to its own peak, with the latest and the peak counts beside
it). The full-size charts are the report's SVG files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dagster as dg

INLINE_MARKDOWN_CHARS = 1000  # the asset page shows Markdown metadata shorter than this in place
BLOCKS = "▁▂▃▄▅▆▇█"
NAME_CHARS = 28


def sparkline(values: Sequence[int | float]) -> str:
    """One block character per value, from ▁ (zero) to █ (the peak of `values`)."""
    peak = max(values, default=0)
    if peak <= 0:
        return BLOCKS[0] * len(values)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[max(0, min(top, round(v / peak * top)))] for v in values)


def _cell(text: str) -> str:
    text = text if len(text) <= NAME_CHARS else text[:NAME_CHARS - 1] + "…"
    return text.replace("|", "\\|")


def sparkline_table(title: str, series: Mapping[str, Sequence[int]],
                    limit: int = INLINE_MARKDOWN_CHARS) -> str | None:
    """Markdown: `title`, then one row per series (in the given order) with its sparkline, its
    last and its peak value; rows that would make it `limit` characters or longer are left out
    (and counted in a last line). None when no row fits or there is no series."""
    head = [title, "", "| topic | trend | latest | peak |", "| --- | --- | ---: | ---: |"]
    rows = [f"| {_cell(name)} | `{sparkline(values)}` | {values[-1] if values else 0} | "
            f"{max(values, default=0)} |" for name, values in series.items()]
    for shown in range(len(rows), 0, -1):
        left_out = len(rows) - shown
        tail = [f"\n({left_out} more not shown)"] if left_out else []
        text = "\n".join(head + rows[:shown] + tail)
        if len(text) < limit:
            return text
    return None


def topic_sparklines(series: Mapping[str, Sequence[int]], periods: Sequence, grain: str,
                     what: str = "Listed papers") -> dg.MetadataValue | None:
    """The inline topic chart: `series` maps each topic to its count in each of `periods`
    (dates, oldest first) of `grain` ('week' or 'month')."""
    if not series or not periods:
        return None
    label = (lambda d: d.strftime("%Y-%m")) if grain == "month" else (lambda d: f"week of {d}")
    span = label(periods[0]) if len(periods) == 1 else f"{label(periods[0])} to {label(periods[-1])}"
    title = f"**{what} per {grain}**, {span} ({len(periods)} {grain}{'s' if len(periods) != 1 else ''})"
    text = sparkline_table(title, series)
    return dg.MetadataValue.md(text) if text else None

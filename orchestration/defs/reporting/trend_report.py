"""The weekly trend report as a Dagster asset: Markdown + HTML + SVG charts in data_dir/reports."""

import dagster as dg

from orchestration.defs.reporting.inline_chart import topic_sparklines
from orchestration.defs.reporting.report import (
    PERIODS,
    NothingToReport,
    report_facts,
    without_images,
    write_report,
)
from orchestration.defs.reporting.terms import report_section
from orchestration.defs.warehouse.published import published_warehouse
from orchestration.storage.publish import published_path
from orchestration.storage.settings import data_dir


class ReportConfig(dg.Config):
    period: str = "week"
    """'week' (the ISO week of the latest listed day, up to that day) or 'month'."""


@dg.asset(
    deps=[published_warehouse],
    group_name="reporting",
    owners=["team:papertrends"],
    kinds={"markdown", "svg"},
    description=(
        "A Markdown digest (with an HTML rendering and SVG charts) of the latest week or month "
        "that has listed papers: snapshots covered, papers listed, topics over time, rising "
        "topics, rising terms and topic suggestions, top authors and organizations, team sizes, "
        "read from the published copy. Written to "
        "data_dir/reports as "
        "papertrends-<period>-<end date>.md/.html/-*.svg."
    ),
)
def trend_report(context: dg.AssetExecutionContext, config: ReportConfig) -> dg.MaterializeResult:
    if config.period not in PERIODS:
        raise dg.Failure(f"period must be one of {', '.join(PERIODS)} (got {config.period!r})")
    data = data_dir().ensure()
    progress = context.log.info
    try:
        facts = report_facts(published_path(data.warehouse), config.period, progress=progress)
    except NothingToReport as nothing:
        # Not a failure of the run: what was ingested is in the warehouse (search pages only).
        context.log.warning(str(nothing))
        return dg.MaterializeResult(metadata={"report": dg.MetadataValue.md(f"No report: {nothing}.")})
    path = write_report(facts, data.reports, progress=progress)
    markdown = path.read_text(encoding="utf-8")
    # The topic chart in place on the asset page; the whole report behind "[Show Markdown]".
    chart = topic_sparklines(facts["series"], facts["weeks"], config.period)
    return dg.MaterializeResult(metadata={
        **({"top_topics_chart": chart} if chart else {}),
        "path": dg.MetadataValue.path(str(path)),
        "html": dg.MetadataValue.path(str(path.with_suffix(".html"))),
        "report": dg.MetadataValue.md(without_images(markdown)),
        # the new directions beside the rising topics, each on its own in the UI
        **{key: dg.MetadataValue.md(without_images(report_section(markdown, heading)))
           for key, heading in (("rising_topics", "Rising topics"), ("rising_terms", "Rising terms"),
                                ("topic_suggestions", "Topic suggestions"))},
    })

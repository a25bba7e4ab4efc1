"""The Atom feed as a Dagster asset: data_dir/reports/feed.xml after each run."""

import dagster as dg

from orchestration.defs.reporting.feed import NothingToFeed, write_feed
from orchestration.defs.warehouse.published import published_warehouse
from orchestration.storage.publish import published_path
from orchestration.storage.settings import data_dir


@dg.asset(
    deps=[published_warehouse],
    group_name="reporting",
    owners=["team:papertrends"],
    kinds={"xml"},
    description=(
        "reports/feed.xml, an Atom feed: one entry per listing day (its most upvoted papers, "
        "with links) for the latest 30 days, one per ISO week (rising topics and terms, most "
        "upvoted papers) for the latest 8 weeks; entry ids stay the same from run to run. Read "
        "from the published copy."
    ),
)
def atom_feed(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    data = data_dir().ensure()
    try:
        path = write_feed(published_path(data.warehouse), data.reports)
    except NothingToFeed as nothing:
        context.log.warning(str(nothing))
        return dg.MaterializeResult(metadata={"feed": dg.MetadataValue.md(f"No feed: {nothing}.")})
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path))})

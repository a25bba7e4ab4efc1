"""What the ingest steps share: their group, owners and backfill policy, and the date ranges of
the run each step works on (its own months, then the months its archive step found archived but
never loaded)."""

from datetime import date

import dagster as dg

from orchestration.defs.ingest import reconcile, staging

GROUP = "ingest"
OWNERS = ["team:papertrends"]
POLICY = dg.BackfillPolicy.single_run()


def planned_ranges(data, start: date, end: date) -> list[tuple[date, date]]:
    """The run's own [start, end), then the ranges of unloaded months its archive step found."""
    return reconcile.read_plan(staging.run_folder(data, start, end), start, end)

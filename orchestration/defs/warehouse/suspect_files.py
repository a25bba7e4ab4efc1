"""The `suspect_files` asset check of raw.snapshots: files whose entries are mostly not cards
of a papers listing, or do not read as research (transforms/suspect_snapshots.py), named with
their reasons.

It warns (severity WARN, never blocking): the run goes on and the marts are rebuilt, without
the suspect files' observations (the dbt staging model leaves them out).
"""

from __future__ import annotations

import dagster as dg
import polars as pl

from transforms.suspect_snapshots import SUSPECT_MIN_ENTRIES

CHECK_NAME = "suspect_files"
MAX_NAMED = 20  # files named in the check's metadata

SPEC = dg.AssetCheckSpec(
    CHECK_NAME, asset=["raw", "snapshots"], blocking=False,
    description=("Files of the run's months that are no papers listing: page captures whose entries are "
                 f"mostly not cards of one (more than half, and at least {SUSPECT_MIN_ENTRIES}) or that show "
                 "nothing of the site, and captures or API files whose abstracts or titles do not read as "
                 "research: recorded with status 'suspect' and kept in raw, but counted in no mart. WARN "
                 "names the files and why."),
)


def suspect_rows(snapshots: pl.DataFrame) -> list[tuple[str, str]]:
    """(original name, reason) of the suspect snapshots of a frame of raw.snapshots rows."""
    rows = snapshots.filter(pl.col("status") == "suspect").sort("original_name")
    return list(zip(rows["original_name"].to_list(), rows["reason"].to_list()))


def counted_entries(snapshots: pl.DataFrame) -> tuple[int, int]:
    """(entries, quarantined) of the snapshots that are not suspect: the quarantine share the
    blocking quarantine_share check judges. A suspect file's unidentified cards are its own
    matter (this check warns about it); they do not stop the marts of the other files."""
    counted = snapshots.filter(pl.col("status") != "suspect")
    quarantined = int(counted["n_quarantined"].sum())
    return quarantined + int(counted["n_loaded"].sum()), quarantined


def check_result(snapshots: pl.DataFrame) -> dg.AssetCheckResult:
    """The check's result over the run's snapshot rows (raw.snapshots, as loaded)."""
    suspect = suspect_rows(snapshots)
    return dg.AssetCheckResult(
        check_name=CHECK_NAME, asset_key=["raw", "snapshots"], passed=not suspect,
        severity=dg.AssetCheckSeverity.WARN,
        description=("; ".join(name for name, _ in suspect[:MAX_NAMED]) + " suspect: counted in no"
                     " mart (see raw.snapshots.reason)") if suspect else None,
        metadata={"suspect_files": len(suspect),
                  "files": dg.MetadataValue.json({name: reason for name, reason in suspect[:MAX_NAMED]})},
    )

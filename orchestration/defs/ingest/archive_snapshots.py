"""Ingest step 2, archive (the first op of raw_tables): landing/ files moved into
archive/YYYY-MM/, byte for byte, and the plan of the months the run loads."""

from datetime import timedelta

import dagster as dg

from orchestration.defs.ingest import reconcile, staging
from orchestration.defs.partitions import partition_range
from orchestration.defs.resources import DataDirResource
from orchestration.storage.landing import archive_waiting, archived_files, downloads_in_landing, links_in_landing
from orchestration.storage.resource_errors import failing_in_words


@dg.op(
    ins={"listing": dg.In(dg.Nothing)}, out=dg.Out(dg.Nothing),
    description=("Snapshot files moved from landing/ into archive/YYYY-MM/, byte for byte. The "
                 "run also loads every other month holding a file waiting in landing/ or an "
                 "archived file that raw.snapshots lacks (an earlier run stopped before loading it)."),
)
@failing_in_words("archive landing files")
def archive_snapshots(context: dg.OpExecutionContext, data_dir: DataDirResource) -> dg.Output:
    data = data_dir.for_writing(context)
    start, end = partition_range(context)
    # every waiting file, whatever its month: those of other months are loaded with the
    # unloaded months below (a run that stopped while landing leaves files in landing/)
    left: list[str] = []
    undated: list[str] = []
    moved = archive_waiting(data, *reconcile.tracked_window(), left=left, undated=undated)
    # left in landing/: links are not followed; files still being written wait for a later run
    for refusal in links_in_landing(data) + downloads_in_landing(data) + left:
        context.log.warning(f"not archived: {refusal}")
    for note in undated:   # no day in the name or the content: check the day it was given
        context.log.warning(f"dated by modification time: {note}")
    held = archived_files(data, start, end)
    context.log.info(f"archived {len(moved)} new file(s); {len(held)} file(s) dated {start}..{end}")
    unloaded = reconcile.as_ranges(reconcile.unloaded_months(data), outside=(start, end))
    reconcile.write_plan(staging.run_folder(data, start, end), [(start, end), *unloaded])
    also = ", ".join(f"{a:%Y-%m}" if reconcile.month_after(a) == b
                     else f"{a:%Y-%m}..{b - timedelta(days=1):%Y-%m}" for a, b in unloaded)
    if unloaded:
        context.log.info(f"archived files of {also} were never loaded (an earlier run stopped): "
                         "this run loads those months too")
    return dg.Output(None, metadata={"new_files": len(moved), "files_in_range": len(held),
                                     "unloaded_months_loaded_too": also or "none",
                                     "dated_by_modification_time": "\n".join(undated) or "none"})

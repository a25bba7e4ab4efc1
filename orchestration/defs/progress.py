"""A Dagster logger that tells people which step of a run is going, one line a step."""

import logging
import sys
import time

import dagster as dg

# Steps that often have nothing to do: their lines show only when their materialization says
# they did something (api_listing fetches only when asked: the schedule, or PAPERTRENDS_FETCH=1).
_QUIET_UNLESS = {"api_listing": lambda metadata: not str(metadata.get("fetched", "no")).startswith("no")}

STEP_LABELS = {
    "api_listing": "fetch the latest listing (PAPERTRENDS_FETCH=1)",
    "published_warehouse": "publish the read-only copy",
    "trend_report": "write the trend report",
    "atom_feed": "write the Atom feed",
    "raw_tables.archive_snapshots": "archive landing files",
    "raw_tables.parse_snapshots": "parse snapshots",
    "raw_tables.validate_observations": "validate with Pandera",
    "raw_tables.load_raw_tables": "load raw tables into DuckDB",
    "dbt_models": "dbt build (models and tests)",
    "raw__snapshots_listing_is_current": "check that the listing is current",
}


class _StepHandler(logging.Handler):
    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.started: dict[str, float] = {}
        self.worked: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is None or not event.step_key:
            return
        label = STEP_LABELS.get(event.step_key, event.step_key)
        kind = event.event_type_value
        quiet = _QUIET_UNLESS.get(event.step_key)
        if kind == "ASSET_MATERIALIZATION" and quiet is not None:
            materialization = event.materialization
            metadata = {key: getattr(value, "value", value)
                        for key, value in (materialization.metadata if materialization else {}).items()}
            if quiet(metadata):
                self.worked.add(event.step_key)
            return
        if kind == "STEP_START":
            self.started[event.step_key] = time.monotonic()
            if quiet is None:
                self.stream.write(f"  ... {label}\n")
        elif kind == "STEP_SUCCESS" and quiet is not None and event.step_key not in self.worked:
            return
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            took = time.monotonic() - self.started.get(event.step_key, time.monotonic())
            word = "done" if kind == "STEP_SUCCESS" else "FAILED"
            self.stream.write(f"  {word:>4} {label} ({took:.1f} s)\n")
        self.stream.flush()


@dg.logger(description="One line per step start and end, to stderr.")
def step_progress(_init_context) -> logging.Logger:
    log = logging.getLogger("papertrends.progress")
    log.setLevel(logging.DEBUG)
    log.handlers = [_StepHandler(sys.stderr)]
    log.propagate = False
    return log


@dg.definitions
def loggers() -> dg.Definitions:
    """Dagster's console log and the step lines, for every job."""
    return dg.Definitions(loggers={"console": dg.colored_console_logger, "step_progress": step_progress})

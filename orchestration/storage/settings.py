"""Where papertrends keeps its state: under PAPERTRENDS_DATA_DIR (default data/), unless the
variables of docs/deployment.md put the warehouse, landing/ or archive/ elsewhere."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from orchestration.storage.resource_errors import ResourceError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = PROJECT_ROOT / "seeds"
# The first snapshot date papertrends tracks: the start of the monthly partitions, so the UI
# shows no months before the data can begin. Daily Papers began in May 2023; PAPERTRENDS_FIRST_DAY
# (YYYY-MM-DD, read when the code loads) moves it, say for older captures or the benchmarks'
# ten-year generated corpus. Snapshots dated earlier are refused with a message naming it.
DEFAULT_FIRST_DAY = "2023-05-01"


def _first_day() -> str:
    text = (os.environ.get("PAPERTRENDS_FIRST_DAY") or DEFAULT_FIRST_DAY).strip()
    try:
        return date.fromisoformat(text).replace(day=1).isoformat()
    except ValueError:
        raise SystemExit(f"papertrends: PAPERTRENDS_FIRST_DAY must be a date (YYYY-MM-DD), "
                         f"got {text!r}") from None


FIRST_DAY = _first_day()   # the first day of that month (the first partition's key)

DAGSTER_YAML = """\
# Written by papertrends; edit freely, it is not overwritten once it exists.
telemetry:
  enabled: false
nux:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
  pools:
    default_limit: 1
# Steps' stdout and stderr are not captured: capturing runs a `tail` and a watcher process per
# stream per step, and Ctrl-C made each watcher print a traceback. Dagster's events
# and logs (context.log) are kept, and dbt writes its own log to <data dir>/work/dbt-logs/dbt.log.
# Delete these three lines to capture them again.
compute_logs:
  module: dagster.core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
"""

# What earlier versions added to dagster.yaml to name their own event log class, which
# papertrends no longer has: ensure() takes these lines out of a data dir's file and leaves the
# rest of it (a person's settings) as it is.
OLD_EVENT_LOG_LINES = (
    "# Dagster's SQLite event log, keeping its database connections open "
    "(orchestration/dagster_event_log.py):\n"
    "# remove these four lines to go back to Dagster's own class; the files are the same.\n"
)
OLD_EVENT_LOG_MODULE = "orchestration.dagster_event_log"


# The warehouse papertrends derived from the data dir, set beside PAPERTRENDS_WAREHOUSE by
# export_environment: a PAPERTRENDS_WAREHOUSE equal to it was not set by the user, so another
# data dir (a test's, a benchmark's) derives its own.
DERIVED_WAREHOUSE_ENV = "PAPERTRENDS_DERIVED_WAREHOUSE"
# The same for Dagster's home (DAGSTER_HOME): a value equal to this one was derived, not set.
DERIVED_DAGSTER_HOME_ENV = "PAPERTRENDS_DERIVED_DAGSTER_HOME"
# Warehouses that are services, not files: DuckDB opens `md:NAME` in MotherDuck.
SERVICE_PREFIXES = ("md:", "motherduck:")


def is_service(warehouse: Path | str) -> bool:
    """Whether the warehouse is a database service (MotherDuck) rather than a local file."""
    return str(warehouse).lower().startswith(SERVICE_PREFIXES)


def signed_out(warehouse: Path | str) -> str | None:
    """Why a MotherDuck warehouse cannot be opened by a run no one watches: no access token in
    the environment (motherduck_token, MOTHERDUCK_TOKEN) or the name (?motherduck_token=...),
    where MotherDuck would wait for a sign-in in a browser. None for a file, or with a token."""
    if (not is_service(warehouse) or "motherduck_token=" in str(warehouse).lower()
            or os.environ.get("motherduck_token") or os.environ.get("MOTHERDUCK_TOKEN")):
        return None
    return (f"PAPERTRENDS_WAREHOUSE={warehouse} needs a MotherDuck access token: set motherduck_token "
            "in the environment (MotherDuck's settings, Access Tokens); without one MotherDuck waits for "
            "a sign-in in a browser (docs/deployment.md)")


def _location(text: str) -> Path:
    """A warehouse setting as a path: a file path made absolute, a service name kept as given."""
    return Path(text) if is_service(text) else Path(text).expanduser().resolve()


@dataclass(frozen=True)
class DataDir:
    root: Path
    # Set from PAPERTRENDS_WAREHOUSE / _LANDING_DIR / _ARCHIVE_DIR by data_dir(); None: under root.
    warehouse_setting: Path | None = field(default=None, compare=False)
    landing_setting: Path | None = field(default=None, compare=False)
    archive_setting: Path | None = field(default=None, compare=False)
    dagster_home_setting: Path | None = field(default=None, compare=False)   # from DAGSTER_HOME

    @property
    def landing(self) -> Path:
        return self.landing_setting or self.root / "landing"

    @property
    def archive(self) -> Path:
        return self.archive_setting or self.root / "archive"

    @property
    def work(self) -> Path:
        """Intermediate parquet files of the parsed and validated assets."""
        return self.root / "work"

    @property
    def warehouse(self) -> Path:
        """The warehouse file (or, for a service, its name as a Path: see is_service)."""
        return self.warehouse_setting or self.root / "warehouse.duckdb"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def dagster_home(self) -> Path:
        """Dagster's instance folder (dagster.yaml, SQLite storage, compute logs)."""
        return self.dagster_home_setting or self.root / "dagster"

    def ensure(self) -> DataDir:
        """Create the data dir's folders; ResourceError (one sentence naming the setting to
        change) when one cannot be made or the warehouse setting names a folder."""
        for folder in (self.landing, self.archive, self.work, self.reports, self.dagster_home):
            self.made(folder)
        if (why := signed_out(self.warehouse)) is not None:
            raise ResourceError(why)
        if not is_service(self.warehouse) and self.warehouse.is_dir():
            raise ResourceError(f"PAPERTRENDS_WAREHOUSE names a folder ({self.warehouse}), not a file: "
                                f"point it at a file, such as {self.warehouse / 'warehouse.duckdb'}")
        write_dagster_yaml(self.dagster_home / "dagster.yaml")
        return self

    def made(self, folder: Path) -> Path:
        """`folder` (one of the data dir's), created with its parents; ResourceError naming the
        setting that points there when it cannot be."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            settings = {self.landing_setting: "PAPERTRENDS_LANDING_DIR",
                        self.archive_setting: "PAPERTRENDS_ARCHIVE_DIR",
                        self.dagster_home_setting: "DAGSTER_HOME"}
            why = "a file stands there" if isinstance(exc, FileExistsError) else (exc.strerror or str(exc))
            raise ResourceError(f"the folder {folder} cannot be made ({why}): point "
                                f"{settings.get(folder) or 'PAPERTRENDS_DATA_DIR'} at a folder papertrends "
                                "can create and write, and run again") from None
        return folder


def data_dir() -> DataDir:
    """The data dir named by PAPERTRENDS_DATA_DIR (absolute), created on first use, with the
    warehouse, landing/, archive/ and Dagster's home the user put elsewhere (docs/deployment.md).
    A PAPERTRENDS_WAREHOUSE or DAGSTER_HOME equal to what export_environment derived for a data
    dir was not set by the user: another data dir derives its own."""
    # (empty or blank: unset, as for the other folders; a relative path: from the current folder)
    root = Path(os.environ.get("PAPERTRENDS_DATA_DIR", "").strip() or PROJECT_ROOT / "data")
    warehouse = _set_by_user("PAPERTRENDS_WAREHOUSE", DERIVED_WAREHOUSE_ENV)
    home = _set_by_user("DAGSTER_HOME", DERIVED_DAGSTER_HOME_ENV)
    folders = [os.environ.get(f"PAPERTRENDS_{name}_DIR", "").strip() for name in ("LANDING", "ARCHIVE")]
    landing, archive = (Path(f).expanduser().resolve() if f else None for f in folders)
    return DataDir(root.expanduser().resolve(), _location(warehouse) if warehouse else None,
                   landing, archive, Path(home).expanduser().resolve() if home else None)


def _set_by_user(name: str, derived: str) -> str:
    """The variable's value, or "" when unset or equal to the value papertrends derived."""
    value = os.environ.get(name, "").strip()
    return "" if value == os.environ.get(derived) else value


def export_environment(data: DataDir) -> None:
    """Point Dagster and dbt at this data dir (both read these variables)."""
    os.environ["PAPERTRENDS_DATA_DIR"] = str(data.root)
    os.environ["PAPERTRENDS_WAREHOUSE"] = str(data.warehouse)
    if data.warehouse_setting is None:
        os.environ[DERIVED_WAREHOUSE_ENV] = str(data.warehouse)
    else:
        os.environ.pop(DERIVED_WAREHOUSE_ENV, None)
    os.environ["DAGSTER_HOME"] = str(data.dagster_home)
    if data.dagster_home_setting is None:
        os.environ[DERIVED_DAGSTER_HOME_ENV] = str(data.dagster_home)
    else:
        os.environ.pop(DERIVED_DAGSTER_HOME_ENV, None)
    from orchestration.storage.dagster_storage import export_postgres_url

    export_postgres_url()
    # One "materialization planned" event per asset for a run over many partitions, instead of
    # one per partition per asset (33 assets x 120 months = 3,960 events, ~40 s with SQLite). The
    # price, in Dagster's words: partitions of a run that fails are not marked failed.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "1")


def write_dagster_yaml(config: Path) -> None:
    """Write dagster.yaml when missing; in an existing one drop only the old event log lines and
    add the Postgres storage when PAPERTRENDS_DAGSTER_PG_URL is set and the file names no storage
    (orchestration/storage/dagster_storage.py). Nothing a person wrote is changed."""
    from orchestration.storage.dagster_storage import refuse_a_lost_postgres_url, with_postgres_storage

    text = config.read_text() if config.exists() else DAGSTER_YAML
    refuse_a_lost_postgres_url(text, str(config))
    new = with_postgres_storage(without_old_event_log(text) if OLD_EVENT_LOG_MODULE in text else text)
    if not config.exists() or new != text:
        config.write_text(new)


def without_old_event_log(text: str) -> str:
    """dagster.yaml without the `event_log_storage:` block that names the event log class of
    earlier versions (and the comment they wrote above it); every other line as it was."""
    lines = text.replace(OLD_EVENT_LOG_LINES, "").splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.startswith("event_log_storage:"):
            skipping = True
        elif skipping and line.strip() and not line[0].isspace():
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)

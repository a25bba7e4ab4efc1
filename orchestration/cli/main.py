"""`papertrends`: parse, ingest and query Daily Papers snapshots. `papertrends -h` for help."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path

from orchestration.cli.help import USAGE_ERROR
from orchestration.defs.interrupts import deliver_interrupts_lost_in_finalizers
from orchestration.storage.input_paths import notes_text, readable
from orchestration.storage.landing import LandingError, date_outside_window, dated, land, modification_day_note
from orchestration.storage.resource_errors import ResourceError, resource_step
from orchestration.storage.settings import data_dir


def _folder(text: str) -> Path:
    """argparse type of a folder option: a path, not "" (which would mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path; give a folder (--out reports/)")
    return Path(text)


def _day(text: str) -> date:
    """argparse type of a date: YYYY-MM-DD as the help says (Python would also take 20251104
    and 2025-W45-2)."""
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_parse(args: argparse.Namespace) -> int:
    from transforms.snapshot_files import NoCalendarDay
    from transforms.snapshot_reader import read_snapshot
    from transforms.validation import split_valid

    path: Path = args.path
    if path.is_dir():
        return _fail(f"{path} is a folder; parse reads one file (papertrends ingest takes folders)")
    if not path.is_file():
        return _fail(f"{path}: not a regular file (a pipe, socket or device)" if path.exists()
                     else f"{path}: a symbolic link to {os.readlink(path)}, which does not exist"
                     if path.is_symlink() else f"{path}: no such file")
    try:
        day, by_modification = (args.snapshot_date, False) if args.snapshot_date else dated(path)
    except NoCalendarDay as exc:
        return _fail(f"{path}: {exc}; rename it YYYY-MM-DD_... or pass --snapshot-date")
    try:
        data = path.read_bytes()
    except OSError as exc:   # (a permission, a disk or network error: the file, not the data dir)
        return _fail(f"{path}: the file cannot be read ({exc.strerror or exc}); check that it can be"
                     " opened (its permissions, its disk or network share) and run parse again")
    snap = read_snapshot(data, day, str(path))
    if snap.status == "failed":
        return _fail(f"{path}: {snap.reason}")
    if by_modification:
        print(f"note: {modification_day_note(path, day)}", file=sys.stderr)
    if (outside := date_outside_window(day)) is not None:   # parse shows what an ingest would give
        print(f"note: {outside}: papertrends ingest would refuse this file", file=sys.stderr)
    for problem in snap.problems:
        print(f"note: {problem}", file=sys.stderr)
    if snap.status == "suspect":
        print(f"note: suspect: {snap.reason}", file=sys.stderr)
    # what an ingest would quarantine, and why: the same validation (transforms/validation.py)
    _, quarantined = split_valid(snap.observations)
    reasons = dict(zip(quarantined["position"].to_list(), quarantined["reasons"].to_list()))
    for row in snap.observations.drop("raw_text", "invalid").iter_rows(named=True):
        row["quarantine_reasons"] = reasons.get(row["position"])
        print(json.dumps(row, default=str, ensure_ascii=False))
    held = f"; {len(reasons)} would go to quarantine (quarantine_reasons)" if reasons else ""
    print(f"{snap.n_entries} entries ({snap.listing_kind} listing, snapshot date {day}){held}", file=sys.stderr)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from orchestration.cli import summary
    from orchestration.defs.ingest.parse_ahead import ParseAhead

    data = data_dir()   # its folders are made once a file lands: a refused ingest makes none
    if data.landing_setting and data.landing.exists() and not data.landing.is_dir():
        data.made(data.landing)   # (a file where landing/ must be: says which setting names it)
    _import_the_stack_meanwhile()
    planned, ahead = ParseAhead(data), None
    try:
        try:
            with resource_step("land the files in landing/", data.landing):
                landed, refused, skipped, undated = land(args.paths, data, args.snapshot_date, planned.on_landed)
        except LandingError as exc:
            return _fail(str(exc))
        finally:
            ahead = planned.landed_all()
        for message in refused:
            print(f"papertrends: not ingested: {message}", file=sys.stderr)
        if not landed:
            if refused or skipped:
                print(notes_text(refused, skipped))
            return _fail("nothing to ingest in " + ", ".join(readable(str(p)) for p in args.paths))
        seen = summary.loaded_before(data, [f.sha256 for f in landed])
        known = [readable(str(f.source)) for f in landed if f.sha256 in seen]
        status = _run_and_summarize(data.ensure(), [f.day for f in landed], ahead)
        if refused or skipped or known or undated:   # the end of the summary: what it left out, and why
            print("\n" + notes_text(refused, skipped, known, undated))
        if status == 0 and (copies := summary.refused_copies_text(data, [f.sha256 for f in landed])):
            print("\n" + copies)
        if status == 0 and (unread := summary.unreadable_of(data, [f.sha256 for f in landed])):
            print(f"papertrends: {unread} of the {len(landed)} file(s) ingested could not be read: "
                  "they are kept in the archive, listed above with their reasons", file=sys.stderr)
            return 1
        return status or (1 if refused else 0)
    finally:   # workers whose results no parse step took (a run that failed before it)
        if ahead is not None:
            ahead.cancel()


# The libraries the pipeline imports (~3.5 s: dagster_dbt imports dbt-core, pandera imports
# pandas), in import order.
STACK = ("dagster", "dagster_dbt", "dagster_duckdb", "pandera.polars", "polars", "duckdb")


def _import_the_stack_meanwhile() -> None:
    """Import the pipeline's libraries on a thread while files are landed: landing thousands of
    files spends much of its time in system calls. The two share the interpreter, so landing
    gets slower, but a ten-year backfill's first step comes ~0.4 s earlier (BENCHMARKS.md).
    (Imports have no side effect on the run: the settings, the dbt manifest and the definitions
    are still made after landing, in order. A failed import here is left for the pipeline's own
    import to report.)"""
    import importlib
    import threading

    def run() -> None:
        for name in STACK:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - reported by the import that needs it
                return

    threading.Thread(target=run, name="import-stack", daemon=True).start()


def _run_and_summarize(data, days: list[date], parsed_ahead=None) -> int:
    """Run the pipeline over the months of the landed files' days; print the summary."""
    from orchestration.cli.summary import summary_text
    from orchestration.defs.dbt.build import DbtProjectError
    from orchestration.runs.runner import failure_words, run_pipeline

    print(f"Ingesting {len(days)} file(s) dated {min(days)} .. {max(days)} into {data.root}",
          file=sys.stderr)
    try:
        result = run_pipeline(data, min(days), max(days), parsed_ahead=parsed_ahead)
    except DbtProjectError as exc:  # dbt_project/ itself is broken: say so, no traceback
        return _fail(str(exc))
    if not result.success:
        return _fail(failure_words(result, data)
                     or f"the pipeline run failed; see it in the UI (make ui), run {result.run_id}")
    print(summary_text(data))
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from orchestration.cli.fetch import FetchOptions, fetch_command, utc_today

    if args.date and (args.start or args.end):
        return _fail("give either --date D or --from A [--to B], not both", USAGE_ERROR)
    if args.end and not args.start:
        return _fail("--to needs --from: papertrends fetch --from YYYY-MM-DD --to YYYY-MM-DD", USAGE_ERROR)
    for name, value, low in (("--timeout", args.timeout, 0.1), ("--interval", args.interval, 0.0)):
        if not low <= value < 86_400:   # (nan and inf too: no request waits a day)
            return _fail(f"{name} must be at least {low:g} seconds and under a day (86400), got {value:g}", USAGE_ERROR)
    for name, value, low in (("--retries", args.retries, 1), ("--batch-days", args.batch_days, 1)):
        if value < low:
            return _fail(f"{name} must be at least {low:g}, got {value:g}", USAGE_ERROR)
    first = args.date or args.start
    last = args.date or (args.end or utc_today() if args.start else None)
    hint = ("papertrends fetch" if first is None else
            f"papertrends fetch --date {first}" if args.date else
            f"papertrends fetch --from {first} --to {last}")
    options = FetchOptions(first, last, timeout=args.timeout, retries=args.retries,
                           interval=args.interval, batch_days=args.batch_days,
                           offline_ok=args.offline_ok, again=args.again, rerun_hint=hint)
    return fetch_command(data_dir(), options)   # (it makes the folders once it fetches)


def cmd_sql(args: argparse.Namespace) -> int:
    from orchestration.cli.sql import sql_command

    return sql_command(args)


def cmd_report(args: argparse.Namespace) -> int:
    from orchestration.defs.reporting.report import report_command
    from orchestration.storage.publish import published_path

    data = data_dir()   # (not ensure(): a report that cannot be made creates no folders)
    return report_command(args.period, published_path(data.warehouse), args.out or data.reports)


def _fail(message: str, status: int = 1) -> int:
    print(f"papertrends: {message}", file=sys.stderr)
    return status


def build_parser() -> argparse.ArgumentParser:
    from orchestration.cli.help import COMMANDS, MAIN, Parser, version

    parser = Parser(prog="papertrends", epilog=MAIN,
                    description="Track where machine-learning research is going, from the "
                    "Hugging Face Daily Papers digests: ingest snapshots, query the warehouse, "
                    "write trend reports.")
    parser.add_argument("--version", action="version", version=f"papertrends {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    parse = commands.add_parser("parse", **COMMANDS["parse"])
    parse.add_argument("path", type=Path, metavar="FILE",
                       help="a page capture (text, Markdown, HTML, .mhtml, .webarchive, .eml, .docx/.odt) "
                       "or API JSON file, e.g. seeds/captures/*.txt")
    parse.add_argument("--snapshot-date", type=_day, metavar="YYYY-MM-DD",
                       help="the day the snapshot was taken (default: from the file name, else "
                       "from what the file says, else its modification time)")
    parse.set_defaults(func=cmd_parse)

    ingest = commands.add_parser("ingest", **COMMANDS["ingest"])
    ingest.add_argument("paths", type=Path, nargs="+", metavar="PATH",
                        help="snapshot files or folders of them, e.g. seeds/")
    ingest.add_argument("--snapshot-date", type=_day, metavar="YYYY-MM-DD",
                        help="the day the snapshots were taken (default: from each file's name, else "
                        "from what the file says, else its modification time)")
    ingest.set_defaults(func=cmd_ingest)

    fetch = commands.add_parser("fetch", **COMMANDS["fetch"])
    fetch.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                       help="one listing day, e.g. 2025-11-28")
    fetch.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                       help="first day of a range (the first Daily Papers month is 2023-05)")
    fetch.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                       help="last day of a range (default: today)")
    fetch.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                       help="give up on a request after this long (default: 30)")
    fetch.add_argument("--retries", type=int, default=5, metavar="N",
                       help="attempts per request before the day counts as failed (default: 5)")
    fetch.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                       help="at least this long between two requests (default: 0.5)")
    fetch.add_argument("--batch-days", type=int, default=31, metavar="N",
                       help="ingest after every N fetched days (default: 31)")
    fetch.add_argument("--again", action="store_true",
                       help="fetch the days even when fetched before or their answers are archived "
                            "(a partial answer saved by hand); a different answer is a new snapshot")
    fetch.add_argument("--offline-ok", action="store_true",
                       help="when the API cannot be reached, say so and exit 0 (make run)")
    fetch.set_defaults(func=cmd_fetch)

    report = commands.add_parser("report", **COMMANDS["report"])
    report.add_argument("--period", choices=["week", "month"], default="week",
                        help="the ISO week or the calendar month of the latest listed day "
                        "(default: week)")
    report.add_argument("--out", type=_folder, metavar="DIR",
                        help="folder for the report (default: <data dir>/reports)")
    report.set_defaults(func=cmd_report)

    from orchestration.cli.sql import rows, seconds

    sql = commands.add_parser("sql", **COMMANDS["sql"])
    sql.add_argument("query", nargs="?", metavar="QUERY",
                     help="SQL statements separated by ';', or a dot command such as .tables "
                     "(default: the interactive prompt)")
    sql.add_argument("--file", type=Path, metavar="FILE",
                     help="read the query from a .sql file, e.g. queries/rising_topics.sql")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table",
                     help="table (fitted to the terminal, the default), or csv / json: every "
                     "row, nothing cut")
    sql.add_argument("--max-rows", type=rows, default=40, metavar="N",
                     help="rows a table shows (default: 40; 0: all)")
    sql.add_argument("--timeout", type=seconds, metavar="SECONDS",
                     help="stop a statement that runs longer than this (default: no limit; Ctrl-C "
                     "stops one too)")
    sql.set_defaults(func=cmd_sql)

    from orchestration.cli.similar import add_parser as add_similar

    add_similar(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # A log handler that cannot write (dbt's file log on a full disk) prints no traceback: the
    # step's own failure says what happened, in words (the documented switch of the logging module).
    logging.raiseExceptions = False
    # SQLAlchemy's pool logs a connection it could not close, with a traceback, when Ctrl-C lands
    # inside the close (Dagster's SQLite storage); the command says what became of the run in words.
    pool_log = logging.getLogger("sqlalchemy.pool")
    pool_log.addHandler(logging.NullHandler())
    pool_log.propagate = False
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_as_ctrl_c)
        deliver_interrupts_lost_in_finalizers()
    try:   # a full disk, a read-only data dir, a warehouse another program holds: in words
        with resource_step(args.command):   # (said as "papertrends: <command>: ...")
            return args.func(args)
    except ResourceError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:   # Ctrl-C: what is done is kept; say so, no traceback
        how = "stopped (SIGTERM)" if _TERMINATED else "interrupted (Ctrl-C)"
        _fail(f"{how}; nothing is lost: run the same command again to finish (it, or the next "
              "scheduled run, loads the files already taken in)" if args.command in ("ingest", "fetch") else how)
        return 143 if _TERMINATED else 130


_TERMINATED: list[int] = []   # the SIGTERMs this process received


def _stop_as_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM (a service manager, `kill`, a container stopping) stops a command as Ctrl-C
    does, and one line says so (during a run Dagster does the same: it maps SIGTERM to SIGINT,
    and the step in progress fails as interrupted)."""
    _TERMINATED.append(signum)
    signal.raise_signal(signal.SIGINT)


def run() -> None:
    """The `papertrends` command: main(); a reader that leaves early (`papertrends parse FILE |
    head -1`) ends it quietly."""
    try:
        code = main()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:   # before the command began (while it read its arguments)
        code = _fail("interrupted (Ctrl-C)", 130)
    # The command is done and has closed what it opened. Python's last garbage collection at
    # exit would walk every object still alive (Dagster's definitions, dbt's parsed project:
    # ~0.8 s after an ingest, docs/performance.md) only to free memory the OS takes back anyway;
    # gc.freeze() keeps them out of its sight (reference counting still frees objects as usual).
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()

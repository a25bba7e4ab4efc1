"""The texts of `papertrends --help` and of each command's `--help`: what it does, its
arguments, the date format, the environment variables, and examples to copy."""

from __future__ import annotations

import argparse
from importlib import metadata

DATE = "YYYY-MM-DD"
USAGE_ERROR = 2   # the exit status of a command given wrongly, as argparse's own errors

ENVIRONMENT = """\
environment variables:
  PAPERTRENDS_DATA_DIR       where all state lives (default: data/ in the checkout): landing/,
                             archive/, the warehouse, its read-only copy, reports/, Dagster's home
  PAPERTRENDS_FIRST_DAY      the first snapshot date tracked, YYYY-MM-DD (default: 2023-05-01,
                             the month Daily Papers began); earlier snapshots are refused
  PAPERTRENDS_API_URL        the Daily Papers API's server (default: https://huggingface.co)
  PAPERTRENDS_WAREHOUSE      the warehouse: any DuckDB file, or md:NAME in MotherDuck (with
                             motherduck_token set) (default: <data dir>/warehouse.duckdb); sql,
                             report, similar read it
  PAPERTRENDS_LANDING_DIR    where files wait to be ingested (default: <data dir>/landing)
  PAPERTRENDS_ARCHIVE_DIR    where ingested files are kept (default: <data dir>/archive)
  DAGSTER_HOME               Dagster's runs and settings (default: <data dir>/dagster)
  PAPERTRENDS_DAGSTER_PG_URL Dagster's storage in Postgres instead of SQLite (postgresql://...)
  PAPERTRENDS_FETCH          unset: the daily schedule fetches; 0: it fetches nothing, it ingests
                             landing/ only; 1: every run fetches first (ingest too)
  PAPERTRENDS_SCHEDULE_CRON, PAPERTRENDS_SCHEDULE_TIMEZONE, PAPERTRENDS_UI_HOST, PAPERTRENDS_UI_PORT
                             the daily run's time, where make ui / make serve listen
  COLUMNS                    the width `papertrends sql` fits its tables to (default: the terminal's)
Details and defaults: docs/deployment.md."""

MAIN = f"""\
examples:
  papertrends ingest seeds/                       ingest the bundled sample capture
  papertrends fetch                               catch up on the recent listing days
  papertrends sql "select * from reporting.topic_trends limit 5"
  papertrends report --period month               a Markdown + HTML digest with charts

Dates are {DATE}. `papertrends COMMAND --help` explains each command.

{ENVIRONMENT}"""

COMMANDS = {
    "parse": dict(
        help="print one JSON object per entry of a snapshot file (touches no warehouse)",
        description="Parse one snapshot file (a text capture of the Daily Papers page or the "
        "JSON of the daily_papers API) and print its entries as JSON lines on stdout; notes and "
        "a count go to stderr. Nothing is stored.",
        epilog=f"""\
examples:
  papertrends parse seeds/captures/2025-12-10_75ea5f93878b491f.txt | head -1
  papertrends parse capture.txt --snapshot-date 2025-12-10

The snapshot date is --snapshot-date, else the file name ({DATE}...), else what the file says
(an API listing's day; a capture's page URL day, else its header "Mon D" read against the capture
time it states or the file's modification time), else the modification time. Refused only when
the name or --snapshot-date and the page URL name different days."""),
    "ingest": dict(
        help="land files (or folders) and run the pipeline on them",
        description="Copy snapshot files (or every file of the folders given) into the data "
        "dir's landing/, run the pipeline in this process for the months they span, and print "
        "what the warehouse holds. Links are refused; hidden files are skipped.",
        epilog=f"""\
examples:
  papertrends ingest seeds/
  papertrends ingest ~/captures/*.txt --snapshot-date 2025-12-10

Snapshot dates ({DATE}) must be between PAPERTRENDS_FIRST_DAY and today.

{ENVIRONMENT}"""),
    "fetch": dict(
        help="fetch listing days from the Daily Papers API and ingest them",
        description="Fetch listing days from the Daily Papers API into landing/ and ingest them, "
        "every --batch-days days. Days fetched before are skipped (the data dir's "
        "fetch-log.tsv), so a rerun fetches only what is missing; a day that fails does not "
        "stop the others. Without a date: catch up (the last 30 days on a first run, the days "
        f"missing since then afterwards). Dates are {DATE} (UTC days).",
        epilog=f"""\
examples:
  papertrends fetch                               catch up on the recent days
  papertrends fetch --date 2025-11-28             one listing day
  papertrends fetch --from 2023-05-01             the whole history, to today

{ENVIRONMENT}"""),
    "sql": dict(
        help="run a read-only SQL query against the published copy of the warehouse",
        description="Run SQL (DuckDB dialect) read-only against <data dir>/"
        "warehouse-readonly.duckdb. Without a query: a prompt like the DuckDB CLI's (.tables, "
        ".schema NAME, .help, .quit; end statements with ';'). Tables fit the terminal; long "
        "values end in '…'; results too wide for it print one column per line.",
        epilog="""\
examples:
  papertrends sql "show tables"
  papertrends sql "select * from marts.papers order by upvotes desc limit 5"
  papertrends sql --file queries/rising_topics.sql --format csv > rising.csv
  papertrends sql .tables
  papertrends sql                                  the interactive prompt
  echo "select count(*) from marts.papers;" | papertrends sql

Tables and columns: docs/data-dictionary.md. For a full SQL IDE:
  uvx harlequin -r <data dir>/warehouse-readonly.duckdb"""),
    "report": dict(
        help="write a Markdown + HTML trend digest with charts",
        description="Write reports/papertrends-<period>-<end>.md and .html with SVG charts, for "
        "the week or month of the latest listed day in the published copy.",
        epilog="""\
examples:
  papertrends report
  papertrends report --period month --out /tmp/reports"""),
    "similar": dict(
        help="print the papers most like a paper or a text",
        description="Print the papers most like one paper (its 10 nearest, kept by the "
        "pipeline in marts.similar_papers) or like a piece of text, with their similarity "
        "(cosine: 1 for the same words, near 0 for none in common) and titles. Reads the "
        "published copy, so it never waits for a run; "
        "papers are compared by the words of their title, keywords and abstract "
        "(docs/trends.md). A text is matched only to papers that share one of its words.",
        epilog="""\
examples:
  papertrends similar 2404.19756                  the 10 papers most like this one
  papertrends similar 2404.19756 --limit 5
  papertrends similar --text "sparse mixture of experts for long-context inference"

A paper's id is its arXiv id as the listing shows it."""),
}


def version() -> str:
    try:
        return metadata.version("papertrends")
    except metadata.PackageNotFoundError:
        return "unknown (not installed: run make setup)"


class Parser(argparse.ArgumentParser):
    """argparse with examples kept as written, and with the unknown options named even when
    the command is missing (`papertrends --bogus`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        known, unknown = self.parse_known_args(args, namespace)
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}")
        if getattr(known, "func", None) is None:
            self.error("choose a command (papertrends --help lists them)")
        return known

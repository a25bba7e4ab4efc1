"""The `papertrends` console script's entry point. Importing the command takes a second or more
(Dagster, polars, Pandera); this module imports nothing of that at its top, so Ctrl-C at any
moment, while the command is still loading too, ends with one line and exit code 130, never
with a traceback."""

from __future__ import annotations

import sys

INTERRUPTED = "papertrends: interrupted (Ctrl-C)\n"


def run() -> None:
    try:
        from orchestration.cli.main import run as run_command
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED)
        sys.exit(130)
    run_command()

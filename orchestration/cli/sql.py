"""The `papertrends sql` command: one query (an argument or --file), or a prompt reading
statements from the terminal or from piped input.

Exit codes: 0 when every statement ran (empty and comment-only text runs nothing and is fine);
1 when there is no warehouse to query (at the prompt too, even for empty piped input), or when
a statement failed or ran out of time (--timeout), for piped input too, after running the rest;
2 for an empty query argument, or a query and --file both (usage errors); 130 when Ctrl-C
cancelled a one-shot query or piped input. At the interactive prompt Ctrl-C cancels the running
statement (or the one being typed) and the prompt goes on.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from orchestration.cli.query_output import OutputOptions
from orchestration.storage.settings import data_dir

USAGE = ("the query is empty; give a statement (papertrends sql \"select ...\"), a file "
         "(--file q.sql), or no argument for the interactive prompt")
CANCELLED = "papertrends: query cancelled (Ctrl-C)"
LEAVE = ("quit", "exit")


def seconds(text: str) -> float:
    """argparse type of --timeout: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def rows(text: str) -> int:
    """argparse type of --max-rows: 0 (every row) or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of rows: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (every row) or more: {text!r}")
    return 0 if value >= 2**31 else value   # more rows than any result holds: every row


def sql_command(args: argparse.Namespace) -> int:
    from orchestration.storage.publish import published_path

    database = published_path(data_dir().warehouse)
    out = OutputOptions(args.format, args.max_rows)
    if args.file and args.query is not None:   # (the query would go unrun without a word)
        print("papertrends: give a query or --file, not both: papertrends sql \"select ...\", or "
              "papertrends sql --file q.sql", file=sys.stderr)
        return 2
    if args.file:
        if not args.file.is_file():
            return _fail(f"{args.file}: not a file" if args.file.exists() else f"{args.file}: no such file")
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            return _fail(f"{args.file}: not UTF-8 text; save the SQL as UTF-8 and run it again")
    elif args.query is not None:
        if not args.query.strip():
            print(f"papertrends: {USAGE}", file=sys.stderr)
            return 2
        text = args.query
    else:
        return prompt(database, out, args.timeout)
    try:
        if text.strip().startswith("."):   # papertrends sql .tables
            return _dot(database, text, out, args.timeout) or 0
        return _run(database, text, out, args.timeout)
    except KeyboardInterrupt:
        print(CANCELLED, file=sys.stderr)
        return 130


def prompt(database: Path, out: OutputOptions, timeout: float | None) -> int:
    """Statements end with ';' at the end of a line; a line starting with '.' between statements
    is a dot command (.tables, .schema, .help, .quit); the end of input leaves. Piped input
    runs to its end and the exit code says whether a statement failed."""
    from orchestration.storage.publish import missing_words
    from orchestration.storage.settings import is_service, signed_out

    if not is_service(database) and not database.exists():   # (before any input: none could run)
        return _fail(missing_words(database))
    if (why := signed_out(database)) is not None:
        return _fail(why)
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"papertrends sql on {database} (read-only). End statements with ';', .help for "
              "help, .quit to leave, Ctrl-C cancels.")
    failed = False
    buffer: list[str] = []
    while True:
        try:
            line = input("papertrends> " if not buffer else "        ...> ") if interactive else input()
        except EOFError:
            break
        except KeyboardInterrupt:   # at the prompt: drop what was typed
            if not interactive:
                print(CANCELLED, file=sys.stderr)
                return 130
            print()
            buffer = []
            continue
        if not buffer and line.strip().rstrip(";").lower() in LEAVE:
            break
        if not buffer and not line.strip():
            continue
        if not buffer and line.strip().startswith("."):
            status = _dot(database, line, out, timeout)
            if status is None:
                break
            failed = failed or status != 0
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            status = _run_at_prompt(database, "\n".join(buffer), out, timeout, interactive)
            if status == 130:
                return 130
            failed = failed or status != 0
            buffer = []
    if buffer:   # the last statement of piped input may lack its ';'
        status = _run_at_prompt(database, "\n".join(buffer), out, timeout, interactive)
        failed = failed or status != 0
        if status == 130:
            return 130
    return 1 if failed and not interactive else 0


def _run_at_prompt(database: Path, text: str, out: OutputOptions, timeout: float | None,
                   interactive: bool) -> int:
    try:
        return _run(database, text, out, timeout)
    except KeyboardInterrupt:
        print(CANCELLED, file=sys.stderr)
        return 1 if interactive else 130


def _run(database: Path, text: str, out: OutputOptions, timeout: float | None) -> int:
    from orchestration.cli.query import QueryError, run_script
    from orchestration.cli.query_output import render

    try:
        text.encode("utf-8")
    except UnicodeEncodeError:   # bytes Python could not decode, kept as lone surrogates
        return _fail("the statement is not UTF-8 text (a byte of another encoding in it); give "
                     "the SQL as UTF-8 and run it again")
    try:
        keep = out.max_rows or None if out.fmt == "table" else None   # csv and json print every row
        run_script(database, text, lambda frame, total: print(render(frame, out, total), flush=True),
                   timeout, keep)
    except QueryError as exc:
        return _fail(str(exc))
    return 0


def _dot(database: Path, line: str, out: OutputOptions, timeout: float | None) -> int | None:
    """Run a dot command: 0 or 1 (failed), None for .quit."""
    from orchestration.cli.query import QueryError, run_sql
    from orchestration.cli.query_output import render
    from orchestration.cli.sql_shell import DotCommandError, dot_command

    try:
        command = dot_command(line)
        if command is None or isinstance(command, str):
            if command:
                print(command)
            return None if command is None else 0
        # a listing (.tables, .schema) shows every row: --max-rows is for query results
        found = run_sql(database, command, timeout)
        words = line.split()
        if words[0].lower() == ".schema" and len(words) > 1 and found.height == 0:
            return _fail(f"no table or view named {words[1].rstrip(';')}; .tables lists them")
        print(render(found, replace(out, max_rows=None)), flush=True)
    except (DotCommandError, QueryError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print(CANCELLED, file=sys.stderr)
        return 1
    return 0


def _fail(message: str) -> int:
    print(f"papertrends: {message}", file=sys.stderr)
    return 1

"""Errors of the machine, not of the data, in words: a full disk, a read-only or forbidden data
dir, a file where the data dir (or a folder in it) should be, a warehouse file another program
holds.

`explain` turns such an exception (an OSError with its errno, SQLite's "database or disk is
full" or "disk I/O error" from Dagster's storage, DuckDB's lock and disk errors, or the text of one a Dagster step
recorded) into one sentence naming the step, the path and what to do; anything else gives None
and stays the error it is. `resource_step` raises ResourceError with that sentence, which the
`papertrends` command prints as its one line; `step_failure` raises a Dagster Failure with it,
which a run's step records instead of a traceback (and which is not retried, but for a lock: a
full disk does not empty itself in five seconds).
"""

from __future__ import annotations

import errno
import functools
import inspect
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

FULL = ("out of disk space", "free some space there (or point PAPERTRENDS_DATA_DIR at a larger "
        "disk) and run again: the next run loads every file already landed or archived")
READ_ONLY = ("the data dir is on a read-only file system",
             "point PAPERTRENDS_DATA_DIR at a writable folder, or remount it read-write")
FORBIDDEN = ("permission denied",
             "give this user access to it (write access in the data dir), or point "
             "PAPERTRENDS_DATA_DIR elsewhere")
IO_ERROR = ("the disk could not be written (SQLite's \"disk I/O error\", which a full disk also gives)",
            "check the free space there (or point PAPERTRENDS_DATA_DIR at a larger disk) and run "
            "again: the next run loads every file already landed or archived")
LOCKED = ("the warehouse is held by another program",
          "close that program (a DuckDB client, a notebook, a BI tool: they can query "
          "warehouse-readonly.duckdb instead) and run again")

NOT_A_FOLDER = ("a file stands where a folder must be",
                "point PAPERTRENDS_DATA_DIR at a folder (or move that file away) and run again")
NOT_DUCKDB = ("the file is not a DuckDB database (damaged, or another file in its place)",
              "move it aside and ingest again: the warehouse is rebuilt from archive/, and the "
              "read-only copy is written anew by every run")
NOT_SQLITE = ("Dagster's run history is damaged (an SQLite file of it is not a database)",
              "move the data dir's dagster/history folder aside and run again: the run history starts "
              "anew; the warehouse and the archive are not touched")
BAD_DAGSTER_YAML = ("dagster.yaml cannot be read (not valid YAML, or settings Dagster does not accept)",
                    "fix it (docs/deployment.md shows what papertrends writes there), or move it aside: "
                    "papertrends writes a new one")

POSTGRES_GONE = ("Dagster's Postgres storage cannot be reached",
                 "start the server, or check PAPERTRENDS_DAGSTER_PG_URL (unset it to keep Dagster's runs "
                 "in SQLite under the data dir) and run again")

BY_ERRNO = {errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EROFS: READ_ONLY,
            errno.EACCES: FORBIDDEN, errno.EPERM: FORBIDDEN, errno.ENOTDIR: NOT_A_FOLDER}
# The same errors as other libraries word them (SQLite, DuckDB, polars' Rust I/O, the errno
# text of an error a Dagster step recorded as text).
BY_TEXT = [
    (re.compile(r"No space left on device|database or disk is full|Disk quota exceeded|"
                r"\[Errno (28|122)\]|os error (28|122)", re.I), FULL),
    (re.compile(r"Read-only file system|attempt to write a readonly database|\[Errno 30\]|os error 30",
                re.I), READ_ONLY),
    (re.compile(r"Could not set lock on file|Conflicting lock is held", re.I), LOCKED),
    (re.compile(r"Permission denied|\[Errno 13\]|os error 13", re.I), FORBIDDEN),
    (re.compile(r"disk I/O error", re.I), IO_ERROR),
    (re.compile(r"Not a directory|\[Errno 20\]|os error 20", re.I), NOT_A_FOLDER),
    (re.compile(r"not a valid DuckDB database file"), NOT_DUCKDB),
    (re.compile(r"too many retries for DB connection|psycopg2\.OperationalError"), POSTGRES_GONE),
    (re.compile(r"\(sqlite3\.DatabaseError\) file is not a database|^file is not a database$"), NOT_SQLITE),
    (re.compile(r"dagster instance config at .*dagster\.yaml|in \"[^\"]*dagster\.yaml\", line \d+"),
     BAD_DAGSTER_YAML),
]
_QUOTED_PATH = re.compile(r"""["'](/[^"']+)["']""")
_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class ResourceError(RuntimeError):
    """The machine cannot do what a step needs; the message says which, where and what to do."""


def explain(error: BaseException | str, step: str, path: Path | str | None = None) -> str | None:
    """One sentence for a resource error (an exception, or the text of one), else None."""
    for text, number, filename in _causes(error):
        words = BY_ERRNO.get(number) if number is not None else None
        words = words or next((w for pattern, w in BY_TEXT if pattern.search(text)), None)
        if words is None:
            continue
        where = filename or _quoted_path(text) or path
        if words is IO_ERROR and _nearly_full(where or os.environ.get("PAPERTRENDS_DATA_DIR")):
            words = FULL
        if words is NOT_A_FOLDER and where:
            where = _file_in_the_way(where)
        where = _shown(str(where)) if where else None
        what, todo = words
        holder = _HOLDER.search(text)
        if holder:
            what = f"{what} ({holder[1]}, process {holder[2]})"
        return f"{step}: {what}" + (f" ({where})" if where else "") + f"; {todo}"
    return None


def _causes(error: BaseException | str) -> Iterator[tuple[str, int | None, str | None]]:
    """(text, errno, filename) of the error and of every error it was raised from or during."""
    if isinstance(error, str):
        yield error, None, None
        return
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError):
            yield str(error), error.errno, error.filename and str(error.filename)
        else:
            yield str(error), None, None
        error = error.__cause__ or error.__context__


def _nearly_full(path: Path | str | None) -> bool:
    """Whether the file system holding `path` (or its nearest existing parent) has < 1 MiB free."""
    folder = Path(path) if path else None
    while folder is not None and not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return folder is not None and shutil.disk_usage(folder).free < (1 << 20)
    except OSError:
        return False


def _file_in_the_way(path: Path | str) -> Path | str:
    """The file among `path` and its parents (the one standing where a folder must be), else
    `path`."""
    for folder in (Path(path), *Path(path).parents):
        if folder.is_file():
            return folder
    return path


def _quoted_path(text: str) -> str | None:
    match = _QUOTED_PATH.search(text)
    return match[1] if match else None


def _shown(path: str) -> str:
    """A file being written aside (`.<name>.part`) is shown as its folder."""
    name = Path(path).name
    return str(Path(path).parent) if name.startswith(".") and name.endswith(".part") else path


@contextmanager
def resource_step(step: str, path: Path | str | None = None) -> Iterator[None]:
    """Raise ResourceError (a sentence) for a resource error in the block; others pass."""
    try:
        yield
    except ResourceError:
        raise
    except Exception as exc:
        words = explain(exc, step, path)
        if words is None:
            raise
        raise ResourceError(words) from exc


@contextmanager
def step_failure(step: str, path: Path | str | None = None) -> Iterator[None]:
    """In a Dagster step: a resource error in the block fails the step with the sentence, retried
    (by the step's retry policy, if any) only for a lock, which its holder may release; others
    pass as they are. Ctrl-C or SIGTERM (Dagster raises its interrupt in the step in progress)
    fails the step as interrupted, never retried: the user stopped the run (a retry policy
    would otherwise run the step again, and the run would go on to its end)."""
    import dagster as dg

    try:
        yield
    except (KeyboardInterrupt, dg.DagsterExecutionInterruptedError) as exc:
        raise dg.Failure(description=f"interrupted (Ctrl-C or SIGTERM) during {step}", allow_retries=False) from exc
    except Exception as exc:
        words = explain(exc, step, path or os.environ.get("PAPERTRENDS_DATA_DIR"))
        if words is None:
            raise
        raise dg.Failure(description=words, allow_retries=LOCKED[0] in words) from exc


def failing_in_words(step: str) -> Callable:
    """A Dagster step's function (or generator) run inside `step_failure(step)`."""
    def decorate(function: Callable) -> Callable:
        if inspect.isgeneratorfunction(function):
            @functools.wraps(function)
            def generator(*args, **kwargs):
                with step_failure(step):
                    yield from function(*args, **kwargs)
            return generator

        @functools.wraps(function)
        def call(*args, **kwargs):
            with step_failure(step):
                return function(*args, **kwargs)
        return call
    return decorate

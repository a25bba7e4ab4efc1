"""Where Dagster keeps runs, events and schedules: SQLite under the data dir's dagster/ folder
by default; Postgres (dagster-postgres) when PAPERTRENDS_DAGSTER_PG_URL is set.

The URL itself is not written into dagster.yaml: the file names the variable (`env:`), and
Dagster reads it when the instance loads, so a password stays in the environment.
"""

from __future__ import annotations

import os
import re

PG_URL_ENV = "PAPERTRENDS_DAGSTER_PG_URL"

POSTGRES_STORAGE = f"""\
# Added by papertrends because {PG_URL_ENV} was set: runs, events and schedules in Postgres.
# Remove these lines (and unset the variable) to go back to SQLite under this folder.
storage:
  postgres:
    postgres_url:
      env: {PG_URL_ENV}
"""

# Top-level keys of dagster.yaml that choose a storage: a file with any of them says where its
# storage is, and papertrends leaves it as it is.
STORAGE_KEYS = ("storage", "run_storage", "event_log_storage", "schedule_storage")


def postgres_url() -> str | None:
    """The Postgres URL for Dagster's storage, or None for SQLite."""
    return (os.environ.get(PG_URL_ENV) or "").strip() or None


def with_driver(url: str) -> str:
    """The URL naming psycopg2, the driver dagster-postgres brings: SQLAlchemy 2.1 reads a bare
    `postgresql://` as psycopg 3, which is not installed."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url[len(scheme):]
    return url


def export_postgres_url() -> None:
    """Name the driver in PAPERTRENDS_DAGSTER_PG_URL for this process and its children (the
    same database, user and password); ResourceError when it is no Postgres URL."""
    from orchestration.storage.resource_errors import ResourceError

    url = postgres_url()
    if url is None:
        return
    if not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg2://")):
        shown = f"its scheme is {url.split('://')[0][:20]!r}" if "://" in url else "it names no scheme"
        raise ResourceError(f"{PG_URL_ENV} is not a Postgres URL ({shown}): set it to "
                            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or unset it to keep Dagster's "
                            "runs in SQLite under the data dir")
    os.environ[PG_URL_ENV] = with_driver(url)


def refuse_a_lost_postgres_url(text: str, config: str) -> None:
    """ResourceError when dagster.yaml keeps Dagster's storage in Postgres through
    PAPERTRENDS_DAGSTER_PG_URL and the variable is no longer set (Dagster would fail to load)."""
    from orchestration.storage.resource_errors import ResourceError

    if postgres_url() is None and f"env: {PG_URL_ENV}" in text:
        raise ResourceError(f"{config} keeps Dagster's runs in Postgres through {PG_URL_ENV}, which is "
                            "not set: set it again, or remove the storage lines papertrends added there "
                            "to go back to SQLite")


def names_storage(text: str) -> bool:
    """Whether a dagster.yaml's text sets any storage at its top level."""
    return any(re.search(rf"^{key}\s*:", text, re.MULTILINE) for key in STORAGE_KEYS)


def with_postgres_storage(text: str) -> str:
    """dagster.yaml's text with the Postgres storage block added when PAPERTRENDS_DAGSTER_PG_URL
    is set and the file names no storage of its own; otherwise the text as it was."""
    if postgres_url() is None or names_storage(text):
        return text
    return text + ("" if text.endswith("\n") or not text else "\n") + POSTGRES_STORAGE

"""dbt's JSON schemas, kept on disk from one process to the next.

dbt checks the project, the profile, selectors and test results against JSON schemas that it
builds from its dataclasses (mashumaro's `build_json_schema`) once in every process
(`dbtClassMixin.json_schema` keeps them in an lru_cache): ~0.7 s of every papertrends run's
dbt step, to get the same schemas every time. `install()` makes dbt read a schema from
`dbt_project/target/dbt-json-schemas-<versions>.json` when it is there, and write it there the
first time it is built. Like the pickled project beside it (orchestration/dbt_build.py), it is
a cache of code, not of data: its name carries the versions of the packages the schemas come
from, so an upgrade builds them again. dbt validates exactly as before: only where the schema
comes from changes (tests/test_dbt_schemas.py).
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

from orchestration.settings import DBT_PROJECT_DIR

CACHE_DIR = DBT_PROJECT_DIR / "target"
PACKAGES = ("dbt-core", "dbt-common", "dbt-adapters", "dbt-duckdb", "mashumaro")


class _Built:
    """What `build_json_schema` returns, as far as dbt uses it: `.to_dict()`."""

    def __init__(self, schema: dict):
        self.schema = schema

    def to_dict(self) -> dict:
        return self.schema


def cache_path() -> Path:
    versions = "-".join(version(package) for package in PACKAGES)
    return CACHE_DIR / f"dbt-json-schemas-{versions}.json"


def install(path: Path | None = None) -> None:
    """Route dbt's schema building through the file at `path` (cache_path() by default), for
    the rest of this process. Calling it again changes nothing."""
    from dbt_common import dataclass_schema

    if getattr(dataclass_schema.build_json_schema, "cached_in", None) is not None:
        return
    build = dataclass_schema.build_json_schema
    path = path or cache_path()
    schemas = _read(path)

    def build_json_schema(cls: type, *args: Any, **kwargs: Any):
        if args or kwargs:   # (dbt asks with the class alone)
            return build(cls, *args, **kwargs)
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name not in schemas:
            schemas[name] = build(cls).to_dict()
            _write(path, schemas)
        return _Built(schemas[name])

    build_json_schema.cached_in = path
    dataclass_schema.build_json_schema = build_json_schema


def _read(path: Path) -> dict[str, dict]:
    try:
        schemas = json.loads(path.read_text())
    except (OSError, ValueError):   # none yet, or unreadable: build them again
        return {}
    return schemas if isinstance(schemas, dict) else {}


def _write(path: Path, schemas: dict[str, dict]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps(schemas, sort_keys=True))
        partial.replace(path)
    except OSError:   # a read-only checkout: dbt builds them in each process, as before
        pass

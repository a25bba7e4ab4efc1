"""The dbt project as Dagster sees it: its manifest, made by `dbt parse` when missing or stale.

`ensure_manifest()` is called by the CLI, `make` targets and the tests before the Dagster
definitions are imported, so nothing runs dbt at import time; `make setup` runs this module
(`python -m orchestration.defs.dbt.manifest`), so `dg dev` and `dg check defs` find it too.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from orchestration.storage.settings import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


def dbt_executable() -> str:
    """The dbt of the environment this Python runs in (not whatever dbt is first on PATH)."""
    return str(Path(sys.executable).parent / "dbt")


GENERATED = ("target", "logs", "dbt_packages", ".user.yml")


def project_files() -> list[Path]:
    """The dbt project's own files (not what dbt generates), sorted."""
    return [path for path in sorted(DBT_PROJECT_DIR.rglob("*"))
            if path.is_file() and path.relative_to(DBT_PROJECT_DIR).parts[0] not in GENERATED]


def _newest_source_mtime() -> float:
    return max(path.stat().st_mtime for path in project_files())


def ensure_manifest() -> Path:
    """manifest.json, parsed again (in this process) when a project file is newer or the partial
    parse saved beside it, which the runs of every data dir start from, is gone."""
    from orchestration.defs.dbt.build import PARTIAL_PARSE, SHARED_PARTIAL_PARSE, parse_project

    if (MANIFEST.exists() and SHARED_PARTIAL_PARSE.exists()
            and MANIFEST.stat().st_mtime >= _newest_source_mtime()):
        return MANIFEST
    # dbt_project/target's own partial parse may have been made with other settings (dbt run
    # by hand, sqlfluff): the parse starts from the shared one, and its result is shared
    (MANIFEST.parent / PARTIAL_PARSE).unlink(missing_ok=True)
    parse_project(MANIFEST.parent, logs=DBT_PROJECT_DIR / "logs")
    written = MANIFEST.parent / PARTIAL_PARSE
    if written.exists():   # (dbt writes none when the shared one it started from was current)
        shutil.copyfile(written, SHARED_PARTIAL_PARSE)
    MANIFEST.touch()
    return MANIFEST


if __name__ == "__main__":
    print(ensure_manifest())

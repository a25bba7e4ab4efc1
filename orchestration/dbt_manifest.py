"""The dbt project as Dagster sees it: its manifest, made by `dbt parse` when missing or stale.

`ensure_manifest()` is called by the CLI, `make` targets and the tests before the Dagster
definitions are imported, so nothing runs dbt at import time.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


def dbt_executable() -> str:
    """The dbt of the environment this Python runs in (not whatever dbt is first on PATH)."""
    return str(Path(sys.executable).parent / "dbt")


def _newest_source_mtime() -> float:
    files = [p for p in DBT_PROJECT_DIR.rglob("*") if p.is_file() and "target" not in p.parts
             and "logs" not in p.parts]
    return max(p.stat().st_mtime for p in files)


def ensure_manifest() -> Path:
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST
    result = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR)],
        capture_output=True, text=True,
        # dbt parse connects to nothing, but names relations after the file: "warehouse".
        env={**os.environ, "PAPERTRENDS_WAREHOUSE": str(Path(tempfile.gettempdir()) / "warehouse.duckdb")},
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed; fix the dbt project:\n{result.stdout}{result.stderr}")
    MANIFEST.touch()
    return MANIFEST

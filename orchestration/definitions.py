"""The papertrends Dagster code location: `defs`, every definition in the folders under
orchestration/defs/, loaded the way Dagster's project layout does (pyproject.toml's [tool.dg];
`dg dev`, `dg check defs`).

dbt's manifest must exist before this module is imported: the command line, `make ui`, `make
serve` and the tests make it first (orchestration/defs/dbt/manifest.py), so loading the
definitions never runs dbt."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)

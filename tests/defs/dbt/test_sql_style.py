"""The dbt SQL passes the checked-in .sqlfluff (lower-case keywords, trailing commas, explicit
aliases, jaffle-shop layout)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration.storage.settings import PROJECT_ROOT


def test_dbt_models_pass_sqlfluff():
    sqlfluff = str(Path(sys.executable).parent / "sqlfluff")
    result = subprocess.run([sqlfluff, "lint", "dbt_project/models", "--nofail",
                             "--format", "github-annotation-native"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    problems = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert problems == [], "\n".join(problems[:30]) + "\nfix with: uv run sqlfluff fix dbt_project/models"

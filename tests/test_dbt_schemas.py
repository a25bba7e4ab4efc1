"""dbt's JSON schemas kept on disk (orchestration/dbt_schemas.py): the first process builds and
writes them, the next one reads them and builds none, each is the schema dbt builds itself, and
dbt still refuses what they refuse."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap

from mashumaro.jsonschema import build_json_schema

from orchestration.dbt_schemas import cache_path

# In a fresh interpreter: count the schemas dbt builds while it parses the project, with the
# cache at argv[1]; then check that a project setting of the wrong type is still refused.
PARSE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from dbt_common import dataclass_schema
    built = []
    original = dataclass_schema.build_json_schema
    def counting(cls, *args, **kwargs):
        built.append(cls.__qualname__)
        return original(cls, *args, **kwargs)
    dataclass_schema.build_json_schema = counting
    from orchestration import dbt_schemas
    from orchestration.dbt_build import project_args
    dbt_schemas.install(Path(sys.argv[1]))
    from dbt.cli.main import dbtRunner
    result = dbtRunner().invoke(["parse", "--quiet", "--no-write-json", *project_args(Path(sys.argv[2]))])
    assert result.success, result.exception
    from dbt.contracts.project import Project
    from dbt_common.dataclass_schema import ValidationError
    try:
        Project.validate({"name": "papertrends", "version": "1", "profile": 7})
        refused = False
    except ValidationError:
        refused = True
    print(len(built), refused)
""")


def _parse(cache, target) -> tuple[int, bool]:
    env = {**os.environ, "PAPERTRENDS_WAREHOUSE": str(target / "warehouse.duckdb")}
    out = subprocess.run([sys.executable, "-c", PARSE, str(cache), str(target)], env=env,
                         capture_output=True, text=True, timeout=300, check=True).stdout
    built, refused = out.split()[-2:]
    return int(built), refused == "True"


def test_the_second_process_builds_no_schema_and_dbt_validates_the_same(tmp_path):
    cache = tmp_path / "schemas.json"
    built_first, refused_first = _parse(cache, tmp_path / "target")
    stored = json.loads(cache.read_text())
    built_again, refused_again = _parse(cache, tmp_path / "target")
    assert built_first == len(stored) >= 4 and built_again == 0
    assert "dbt.contracts.project.Project" in stored
    assert refused_first and refused_again   # a profile name of the wrong type
    for name, schema in stored.items():   # each as dbt builds it
        module, _, qualname = name.rpartition(".")
        assert schema == build_json_schema(getattr(importlib.import_module(module), qualname)).to_dict(), name


def test_the_cache_is_named_for_the_versions_it_comes_from():
    from importlib.metadata import version

    assert version("dbt-core") in cache_path().name and version("mashumaro") in cache_path().name
    assert cache_path().parent.name == "target"   # dbt_project/target/: git-ignored

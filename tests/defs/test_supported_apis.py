"""papertrends uses its libraries through their public APIs only: no underscore-prefixed module or
attribute of Dagster, dagster-dbt, dbt, SQLAlchemy or multiprocessing, no replacing a library's
functions at run time, no subclass of Dagster's storage. A private API changes without notice in
any release; these tests fail when one comes back."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.shared_data import ROOT

FOLDERS = ("orchestration", "transforms", "tests")
LIBRARIES = r"(dagster|dagster_dbt|dbt|dbt_common|dbt_duckdb|sqlalchemy|multiprocessing)"
PRIVATE = re.compile(LIBRARIES + r"[A-Za-z_.]*\._[a-z]")
# `module.attribute = ...` or setattr(module, ...) on a library: replacing its code at run time.
ASSIGNED = re.compile(r"^\s*(?:" + LIBRARIES + r"[A-Za-z_.]*\.[A-Za-z_]\w*\s*=[^=]"
                      r"|setattr\(\s*" + LIBRARIES + r"\b)", re.MULTILINE)
# Names a module binds to a library's private parts through `from X import _y` or `import X._y`.
FROM_PRIVATE = re.compile(r"^\s*from\s+" + LIBRARIES + r"[\w.]*\s+import\s+.*\b_[a-z]", re.MULTILINE)
STORAGE_SUBCLASS = re.compile(r"class\s+\w+\([^)]*(EventLogStorage|RunStorage|ScheduleStorage)")
THIS_FILE = Path(__file__).resolve()


def _sources() -> list[Path]:
    return [path for folder in FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))
            if path.resolve() != THIS_FILE]


def _findings(pattern: re.Pattern) -> list[str]:
    found = []
    for path in _sources():
        text = path.read_text()
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    return found


def test_the_sources_are_scanned():
    names = {path.relative_to(ROOT).as_posix() for path in _sources()}
    assert {"orchestration/defs/dbt/build.py", "orchestration/cli/main.py", "transforms/capture_parser.py"} <= names


def test_no_private_module_or_attribute_of_a_library_is_used():
    assert _findings(PRIVATE) == []
    assert _findings(FROM_PRIVATE) == []


def _library_names(tree: ast.AST) -> set[str]:
    """Names a module binds to a library or to something imported from one."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names
                         if re.match(LIBRARIES + r"\b", a.name))
        elif isinstance(node, ast.ImportFrom) and node.module and re.match(LIBRARIES + r"\b", node.module):
            names.update(a.asname or a.name for a in node.names)
    return names


def _replaced(path: Path, root: Path = ROOT) -> list[str]:
    """Assignments to an attribute of a library (or of anything imported from one), and
    setattr() on one: library code replaced at run time."""
    tree = ast.parse(path.read_text())
    names, found = _library_names(tree), []
    for node in ast.walk(tree):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            targets = node.args[:1]
        for target in targets:
            base = target.value if isinstance(target, ast.Attribute) else target
            while isinstance(base, ast.Attribute):
                base = base.value
            if (isinstance(target, ast.Attribute) or isinstance(node, ast.Call)) \
                    and isinstance(base, ast.Name) and base.id in names:
                found.append((node.lineno, f"{path.relative_to(root)}:{node.lineno}"))
    return [hit for _, hit in sorted(found)]


def test_no_library_function_is_replaced_at_run_time():
    assert _findings(ASSIGNED) == []
    assert [hit for path in _sources() for hit in _replaced(path)] == []


def test_replacing_a_function_imported_from_a_library_is_caught(tmp_path):
    module = tmp_path / "patching.py"
    module.write_text("from dbt_common import dataclass_schema\n"
                      "import multiprocessing.util as mp\n"
                      "from dagster import DagsterInstance\n"
                      "dataclass_schema.build_json_schema = len\n"
                      "setattr(mp, 'x', 1)\n"
                      "DagsterInstance.get = None\n"
                      "local = dict()\nlocal.x = 1\n")
    assert _replaced(module, tmp_path) == ["patching.py:4", "patching.py:5", "patching.py:6"]


def test_no_subclass_of_dagster_storage():
    assert _findings(STORAGE_SUBCLASS) == []


def test_the_patterns_catch_what_they_are_for():
    assert PRIVATE.search("from dagster._core.events import ASSET_EVENTS")
    assert PRIVATE.search("multiprocessing.util._run_finalizers")
    assert PRIVATE.search("DuckDBConnectionManager._ENV") is None   # (caught by name below)
    assert FROM_PRIVATE.search("from dagster_dbt.asset_utils import _get_subset")
    assert ASSIGNED.search("    dbt_common.dataclass_schema.build_json_schema = cached\n")
    assert ASSIGNED.search("setattr(dagster, 'x', 1)")
    assert ASSIGNED.search("    dagster_event == other\n") is None
    assert STORAGE_SUBCLASS.search("class Pooled(SqliteEventLogStorage):")


def test_no_private_attribute_of_dbt_duckdb_connection_state():
    assert _findings(re.compile(r"DuckDBConnectionManager\._[A-Za-z]")) == []

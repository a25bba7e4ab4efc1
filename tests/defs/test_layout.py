"""The layout of orchestration/: Dagster's project layout (`dg check defs` loads the definitions
under orchestration/defs/, `make ui` serves them with `dg dev` and prints no deprecation
warning), imports without a circle and only downwards from folder to folder, and transforms/
free of Dagster and of the orchestration. And the layout of tests/: its folders mirror the
code's."""

from __future__ import annotations

import ast
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.storage.settings import PROJECT_ROOT, DataDir

BIN = Path(sys.executable).parent
# The folders of orchestration/, each importing only from itself and the folders before it:
# where state lives, the API, the Dagster definitions, the code location, the ways to run them.
LAYERS = ("storage", "fetch", "defs", "definitions", "runs", "cli")
# What Dagster, dg and Python print when something is deprecated or superseded (`dagster dev`
# says that `dg dev` supersedes it), and the class names of Python's warnings.
WARNING = re.compile(r"deprecat|supersed|\b\w*Warning\b", re.IGNORECASE)


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: str = "orchestration") -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports, anywhere in its code (inside functions
    too: an import put off until a call still needs the other module)."""
    paths = {module_name(path): path for path in sorted((PROJECT_ROOT / package).rglob("*.py"))}

    def known(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in paths.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.update(known(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:   # `from package import module` names a module
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in paths else known(node.module))
        graph[name] = {other for other in found if other and other != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each circle of imports, as the path that closes it (depth-first search)."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for other in sorted(graph[node]):
            if state.get(other) == "open":
                found.append(path[path.index(other):] + [other])
            elif other not in state:
                visit(other, path + [other])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_the_import_graph_is_read_from_every_module():
    graph = import_graph()
    assert "orchestration.definitions" in graph and "orchestration.cli.main" in graph
    assert "orchestration.runs.runner" in graph["orchestration.cli.fetch"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_orchestration_imports_no_module_in_a_circle():
    assert cycles(import_graph()) == []


def test_each_folder_imports_only_from_itself_and_the_folders_before_it():
    rank = {name: i for i, name in enumerate(LAYERS)}
    graph = import_graph()
    assert {name.split(".")[1] for name in graph if name != "orchestration"} == set(LAYERS)
    upwards = [f"{module} -> {other}" for module, imported in sorted(graph.items()) for other in sorted(imported)
               if rank[other.split(".")[1]] > rank[module.split(".")[1]]]
    assert upwards == []


def test_transforms_import_neither_dagster_nor_the_orchestration():
    found = []
    for path in sorted((PROJECT_ROOT / "transforms").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            found += [f"{path.name}: {name}" for name in names
                      if name.split(".")[0] in ("orchestration", "dagster") or name.startswith("dagster_")]
    assert found == []


# Folders of tests/ that mirror no code folder: runs of whole flows through the pipeline, and
# the browser tests of the Dagster UI.
UNMIRRORED_TEST_FOLDERS = ("end_to_end", "ui")


def misplaced_tests(root: Path = PROJECT_ROOT) -> list[str]:
    """Each test module under root/tests/ that is not in a folder mirroring a code folder
    (tests/cli/ for orchestration/cli/, tests/defs/dbt/ for orchestration/defs/dbt/, tests/transforms/
    for transforms/) or under one of UNMIRRORED_TEST_FOLDERS, and each folder on the way to a
    test module that is no package (test modules of one name in two folders would clash)."""
    tests, found = root / "tests", []
    for path in sorted(tests.rglob("test_*.py")):
        folder = path.parent.relative_to(tests)
        name = path.relative_to(root).as_posix()
        if not folder.parts:
            found.append(f"{name}: at the top of tests/")
        elif not ((root / "orchestration" / folder).is_dir() or (root / folder / "__init__.py").is_file()
                  or folder.parts[0] in UNMIRRORED_TEST_FOLDERS):
            found.append(f"{name}: tests/{folder.as_posix()}/ mirrors no code folder")
        for depth in range(1, len(folder.parts) + 1):
            package = Path("tests", *folder.parts[:depth])
            if not (root / package / "__init__.py").is_file():
                found.append(f"{package.as_posix()}/: no __init__.py")
    return sorted(set(found))


def test_each_test_module_sits_in_a_tests_folder_mirroring_the_code():
    assert len(list((PROJECT_ROOT / "tests").rglob("test_*.py"))) > 50   # the modules are found
    assert misplaced_tests() == []


def test_a_test_module_out_of_place_is_caught(tmp_path):
    for name in ("orchestration/__init__.py", "orchestration/defs/dbt/__init__.py", "transforms/__init__.py",
                 "tests/__init__.py", "tests/test_top.py", "tests/defs/__init__.py",
                 "tests/defs/dbt/__init__.py", "tests/defs/dbt/test_models.py", "tests/transforms/test_parser.py",
                 "tests/reports/__init__.py", "tests/reports/test_report.py",
                 "tests/end_to_end/__init__.py", "tests/end_to_end/test_daily_runs.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
    assert misplaced_tests(tmp_path) == [
        "tests/reports/test_report.py: tests/reports/ mirrors no code folder",
        "tests/test_top.py: at the top of tests/",
        "tests/transforms/: no __init__.py",
    ]


def environment(tmp_path: Path) -> dict[str, str]:
    """A scratch data dir's variables, for a Dagster process started as a person would."""
    data = DataDir(tmp_path / "data").ensure()
    env = {key: value for key, value in os.environ.items()
           if key not in ("PAPERTRENDS_WAREHOUSE", "PAPERTRENDS_DAGSTER_PG_URL")}
    # The project's virtual environment as the active one, as `uv run` and `make` give it (dg
    # warns when the active environment is not the project's).
    env.update(PAPERTRENDS_DATA_DIR=str(data.root), DAGSTER_HOME=str(data.dagster_home),
               VIRTUAL_ENV=str(BIN.parent))
    return env


def test_dg_check_defs_loads_the_definitions(tmp_path):
    ensure_manifest()   # (make setup makes it)
    done = subprocess.run([str(BIN / "dg"), "check", "defs"], cwd=PROJECT_ROOT, env=environment(tmp_path),
                          capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "All definitions loaded successfully" in output
    assert not WARNING.search(output), output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
            return True
    except OSError:
        return False


def test_make_ui_serves_the_code_location_with_dg_dev_and_no_warning(tmp_path):
    port = free_port()
    env = environment(tmp_path) | {"PAPERTRENDS_UI_PORT": str(port)}
    log = open(tmp_path / "ui.log", "w+")
    ui = subprocess.Popen([sys.executable, "-m", "orchestration.runs.ui"], cwd=tmp_path, env=env,
                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not answers(port) and ui.poll() is None and time.monotonic() < deadline:
            time.sleep(1)
        served = answers(port)
        time.sleep(5)   # the daemon's first lines, sensor ticks included
    finally:
        ui.send_signal(signal.SIGINT)   # Ctrl-C
        try:
            ui.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(ui.pid, signal.SIGKILL)
            ui.wait()
        log.seek(0)
        output = log.read()
        log.close()
    assert served, output
    assert f"Dagster UI on http://127.0.0.1:{port}" in output
    assert "Serving dagster-webserver" in output, output
    assert "Traceback" not in output, output
    assert not WARNING.search(output), output

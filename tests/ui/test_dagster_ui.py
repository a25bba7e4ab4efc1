"""Browser test of the Dagster UI: the web server on a temporary data dir into which
`papertrends ingest` (the command line, in its own process) first ingested the November 2025
API days of ../shared/data and the bundled capture; pages rendered by headless Chromium
(Debian's `chromium`; `install_chromium.sh` installs it when missing, as root or through
sudo). Where it cannot be installed the tests skip with the reason; with CI=true they fail
instead.

Chromium's `--dump-dom` gives the DOM after the JS app has rendered (`--virtual-time-budget`
lets it fetch and draw), and `--screenshot` in the same call keeps a PNG of the same page.
Screenshots go to $PAPERTRENDS_UI_SCREENSHOTS when set, else to pytest's temp dir; their paths
are listed at the end of the pytest run.

Pages (Dagster 1.13):
- /assets                                    the catalog, a virtualised list: the window is made
                                             tall enough for every row to be rendered
- /asset-groups?expanded=global@global:<g>,...  the global lineage graph with every group open
                                             (without `expanded` the groups show collapsed)
- /locations/<location>/asset-groups/<group> one group's lineage graph at a readable zoom
- /assets/<key path>                         one asset's page (its Overview tab)
- /runs                                      the Runs page
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.defs.reporting.inline_chart import INLINE_MARKDOWN_CHARS
from orchestration.storage.settings import DataDir
from tests.shared_data import API_DAY_DIR, ROOT, in_ci, require_shared_data
from tests.ui.chromium import Browser, installed_chromium

pytestmark = pytest.mark.ui

SERVER_TIMEOUT_S = 120
INGEST_TIMEOUT_S = 600

ASSET_NAMES = ("api_listing", "paper_observations", "quarantine", "topic_counts", "papers")

WORKSPACE_QUERY = """
{
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
    ... on PythonError { message }
  }
  assetNodes { assetKey { path } groupName }
}
"""


# ---------------------------------------------------------------------------------------------
# The web server


@dataclass
class Server:
    base_url: str
    log: Path
    location: str
    groups: dict[str, str]  # asset key path ("marts/topic_counts") -> group name

    def key_of(self, name: str) -> str:
        keys = [key for key in self.groups if key.rsplit("/", 1)[-1] == name]
        assert len(keys) == 1, f"asset {name!r}: expected one key, the server has {keys}"
        return keys[0]


def _log_tail(log: Path, chars: int = 6000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 5) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def _graphql(base_url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        payload = json.loads(response.read())
    assert "errors" not in payload, payload["errors"]
    return payload["data"]


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's whole process group (the web server and its code server)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def _ingest_from_the_command_line(data: DataDir, env: dict) -> None:
    """`papertrends ingest` of the API days and the bundled capture, as a user runs it."""
    require_shared_data()
    papertrends = Path(sys.executable).parent / "papertrends"
    result = subprocess.run([str(papertrends), "ingest", str(API_DAY_DIR), str(ROOT / "seeds")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=INGEST_TIMEOUT_S,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"papertrends ingest failed:\n{result.stderr[-4000:]}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = DataDir(tmp_path_factory.mktemp("ui-data")).ensure()  # dagster.yaml: nux disabled
    ensure_manifest()
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = data.root / "webserver.log"
    env = {
        **os.environ,
        "PAPERTRENDS_DATA_DIR": str(data.root),
        "PAPERTRENDS_WAREHOUSE": str(data.warehouse),
        "DAGSTER_HOME": str(data.dagster_home),
    }
    _ingest_from_the_command_line(data, env)
    webserver = Path(sys.executable).parent / "dagster-webserver"
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [str(webserver), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed as a whole below
        )
    try:
        started = time.monotonic()
        while True:
            if proc.poll() is not None:
                pytest.fail(f"dagster-webserver exited with {proc.returncode} before answering;"
                            f" its log:\n{_log_tail(log)}")
            try:
                _get(f"{base_url}/server_info")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() - started > SERVER_TIMEOUT_S:
                pytest.fail(f"dagster-webserver did not answer /server_info within {SERVER_TIMEOUT_S} s;"
                            f" its log:\n{_log_tail(log)}")
            time.sleep(0.5)
        print(f"\ndagster-webserver answered after {time.monotonic() - started:.1f} s on {base_url}")

        data_ = _graphql(base_url, WORKSPACE_QUERY)
        workspace = data_["workspaceOrError"]
        assert workspace["__typename"] == "Workspace", workspace
        entries = workspace["locationEntries"]
        assert len(entries) == 1, entries
        loaded = entries[0]["locationOrLoadError"]
        assert loaded and loaded["__typename"] == "RepositoryLocation", (
            f"the code location did not load: {loaded}\nserver log:\n{_log_tail(log)}")
        groups = {"/".join(node["assetKey"]["path"]): node["groupName"] for node in data_["assetNodes"]}
        yield Server(base_url, log, entries[0]["name"], groups)
    finally:
        _stop(proc)


# ---------------------------------------------------------------------------------------------
# Headless Chromium (tests/ui/chromium.py)


@pytest.fixture(scope="module", autouse=True)
def chromium() -> Path:
    """Chromium for every test of this module, checked before the web server starts. Without it
    the tests skip, saying why; with CI=true they fail instead, so CI never passes without them."""
    path, why = installed_chromium()
    if path is None:
        if in_ci():
            pytest.fail(f"browser tests cannot run: {why}", pytrace=False)
        pytest.skip(why)
    return path


@pytest.fixture(scope="module")
def screenshots_dir(tmp_path_factory) -> Path:
    configured = os.environ.get("PAPERTRENDS_UI_SCREENSHOTS")
    path = Path(configured).expanduser().resolve() if configured else tmp_path_factory.mktemp("ui-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser(chromium, server, screenshots_dir, tmp_path, record_property) -> Browser:
    return Browser(chromium, server.base_url, screenshots_dir, tmp_path, record_property)


# ---------------------------------------------------------------------------------------------
# The tests


def test_catalog_lists_the_assets(server, browser):
    # A virtualised table draws only the rows in the window: make it tall enough for all.
    height = max(1000, 300 + 60 * len(server.groups))
    page = browser.load("/assets", "assets-catalog", size=(1600, height), expect=ASSET_NAMES)
    assert not page.missing_names(ASSET_NAMES), (
        f"not in the catalog: {page.missing_names(ASSET_NAMES)}; {page.describe()}")


def test_lineage_graph_shows_the_pipeline(server, browser):
    groups = sorted(set(server.groups.values()))
    # The whole graph, its groups collapsed to one box each (the screenshot kept as an
    # overview). With every group expanded, laying out all the assets at once outlasted the
    # browser's render budget on a loaded machine ("Loading assets..."); each group's assets are
    # drawn and asserted below, a group at a time.
    page = browser.load("/asset-groups", "lineage-graph", expect=groups)
    assert set(groups) <= set(page.texts), f"groups {groups} not all shown; {page.describe()}"

    # Each group at a readable zoom: every asset name drawn as a full node.
    location = urllib.parse.quote(server.location, safe="")
    for group in sorted({server.groups[server.key_of(name)] for name in ASSET_NAMES}):
        names = [name for name in ASSET_NAMES if server.groups[server.key_of(name)] == group]
        page = browser.load(f"/locations/{location}/asset-groups/{urllib.parse.quote(group)}",
                            f"lineage-group-{group}", expect=names)
        assert not page.missing_names(names), (
            f"group {group}: {page.missing_names(names)} not drawn; {page.describe()}")


def test_asset_page_of_topic_counts(server, browser):
    key = server.key_of("topic_counts")
    page = browser.load(f"/assets/{key}", "asset-topic_counts", expect=["topic_counts"])
    assert "topic_counts" in page.texts, f"asset name not shown; {page.describe()}"
    for broken in ("No assets were found", "Asset not found", "Error"):
        assert broken not in page.texts, f"{broken!r} on the asset page; {page.describe()}"
    for section in ("Description", "Definition"):
        assert section in page.texts, f"no {section!r} section on the asset page; {page.describe()}"
    assert server.groups[key] in page.texts, f"group {server.groups[key]!r} not shown; {page.describe()}"


CHART_QUERY = """
query Chart($path: [String!]!) {
  assetOrError(assetKey: {path: $path}) {
    ... on Asset {
      assetMaterializations(limit: 1) {
        metadataEntries { label ... on MarkdownMetadataEntry { mdStr } }
      }
    }
  }
}
"""


def _latest_markdown(server: Server, key: str, label: str) -> str:
    request = urllib.request.Request(
        f"{server.base_url}/graphql", headers={"Content-Type": "application/json"},
        data=json.dumps({"query": CHART_QUERY, "variables": {"path": key.split("/")}}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        payload = json.loads(response.read())
    assert "errors" not in payload, payload["errors"]
    events = payload["data"]["assetOrError"]["assetMaterializations"]
    assert events, f"{key} was never materialized"
    entries = {entry["label"]: entry.get("mdStr") for entry in events[0]["metadataEntries"]}
    assert entries.get(label), f"{key}: no Markdown {label!r} in {sorted(entries)}"
    return entries[label]


@pytest.mark.parametrize("name", ["topic_counts", "trend_report"])
def test_the_topic_chart_is_shown_where_the_asset_is_opened(server, browser, name):
    key = server.key_of(name)
    chart = _latest_markdown(server, key, "top_topics_chart")
    assert len(chart) < INLINE_MARKDOWN_CHARS
    # (topic, sparkline) of each row of the chart's table
    rows = [(cells[0], cells[1].strip("`")) for cells in
            ([c.strip() for c in line.strip("|").split("|")] for line in chart.splitlines()
             if line.startswith("| ") and "`" in line)]
    assert len(rows) >= 3, chart
    # Tall enough for the Metadata section below Status, Description and Columns.
    page = browser.load(f"/assets/{key}", f"asset-{name}-chart", size=(1600, 2400),
                        expect=[name, "top_topics_chart"])
    assert "top_topics_chart" in page.texts, f"no top_topics_chart entry; {page.describe()}"
    # A "[Show Markdown]" dialog renders its Markdown only once clicked: the sparklines and
    # topics in the page's DOM are drawn in place.
    missing = [row for row in rows if row[0] not in page.texts or row[1] not in page.texts]
    assert not missing, f"chart rows not shown on the page: {missing}; {page.describe()}"


RUNS_QUERY = """
{
  runsOrError {
    ... on Runs {
      results { runId status jobName repositoryOrigin { repositoryName } tags { key value } }
    }
  }
}
"""


def test_a_command_line_run_is_on_the_runs_page(server, browser):
    runs = _graphql(server.base_url, RUNS_QUERY)["runsOrError"]["results"]
    assert [(run["jobName"], run["status"]) for run in runs] == [("daily_pipeline", "SUCCESS")], runs
    run = runs[0]
    # The Overview timeline draws only runs launched through a code location (the UI, the
    # schedule, the sensor): a run executed in the command's own process has no repository
    # origin, which is why the README points to the Runs page for them.
    assert run["repositoryOrigin"] is None, run
    page = browser.load("/runs", "runs-page", expect=["daily_pipeline"])
    assert run["runId"][:8] in page.texts, f"run {run['runId']} not listed; {page.describe()}"
    assert "daily_pipeline" in page.texts, page.describe()


def _column_descriptions(model_yml: Path) -> dict[str, str]:
    """column -> description, read from the model's dbt YAML (what the UI should show)."""
    import yaml

    model = yaml.safe_load(model_yml.read_text())["models"][0]
    return {c["name"]: " ".join(c["description"].split()) for c in model["columns"] if c.get("description")}


def test_the_asset_page_shows_every_columns_description(server, browser):
    described = _column_descriptions(ROOT / "dbt_project" / "models" / "marts" / "papers.yml")
    key = server.key_of("papers")
    page = browser.load(f"/assets/{key}", "asset-papers-columns", size=(1600, 4000),
                        expect=["papers", "Columns"])
    text = " ".join(" ".join(page.texts).split())
    missing = [name for name, description in described.items()
               if name not in page.texts or description.split("`")[0][:40] not in text]
    assert not missing, f"columns without their description on the page: {missing}; {page.describe()}"


def test_the_partitions_start_at_the_first_tracked_month(server, browser):
    key = server.key_of("quarantine")
    page = browser.load(f"/assets/{key}?view=partitions", "asset-raw-quarantine-partitions",
                        size=(1600, 1400), expect=["quarantine"])
    text = page.text
    assert "2023-05-01" in text, f"the first month (2023-05) is not shown; {page.describe()}"
    assert not [t for t in page.texts if t.startswith(("2023-04", "2022-", "2015-"))], page.describe()
    # one partition a month from May 2023 to this month; the ingest filled two (Nov, Dec 2025)
    today = datetime.now(UTC).date()
    months = (today.year - 2023) * 12 + today.month - 5 + 1
    assert f"{months} Partitions Selected" in text, page.describe()
    assert "Missing (" in text and f"Missing ({months - 2})" in text, page.describe()

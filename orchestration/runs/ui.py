"""`make ui`: the Dagster UI (dagster dev) on this data dir, so CLI runs show up in it."""

import os
import sys

from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.storage.settings import PROJECT_ROOT, data_dir, export_environment


def main() -> None:
    data = data_dir().ensure()
    export_environment(data)
    ensure_manifest()
    host = os.environ.get("PAPERTRENDS_UI_HOST", "127.0.0.1")
    port = os.environ.get("PAPERTRENDS_UI_PORT", "3000")
    print(f"Dagster UI on http://{host}:{port} (data dir {data.root}); Ctrl-C stops it.", flush=True)
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    os.chdir(PROJECT_ROOT)  # `dagster dev` reads [tool.dagster] in pyproject.toml: code location "papertrends"
    os.execv(dagster, [dagster, "dev", "-h", host, "-p", port])


if __name__ == "__main__":
    main()

"""`make ui`: the Dagster UI and its daemon (`dg dev`) on this data dir, so CLI runs show up in it."""

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
    dg_command = os.path.join(os.path.dirname(sys.executable), "dg")
    os.chdir(PROJECT_ROOT)  # `dg dev` reads [tool.dg] in pyproject.toml: the project and its definitions
    os.execv(dg_command, [dg_command, "dev", "--host", host, "--port", port])


if __name__ == "__main__":
    main()

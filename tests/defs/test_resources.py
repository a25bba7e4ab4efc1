"""The warehouse resource the pipeline's steps open DuckDB through (orchestration/defs/resources.py)."""

from __future__ import annotations

import subprocess
import sys
import threading

from orchestration.defs.resources import WarehouseResource
from orchestration.storage.warehouse import create_if_missing


def test_the_resource_waits_for_another_process_holding_the_file(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    create_if_missing(path)
    holder = subprocess.Popen(   # holds the file until its stdin is closed
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    got: list = []

    def through_the_resource() -> None:
        try:
            with WarehouseResource(database=str(path)).get_connection() as con:
                got.append(con.execute("select 42").fetchall())
        except Exception as exc:   # (a resource that gives up at once: the assert below says so)
            got.append(exc)

    try:
        assert holder.stdout.readline().strip() == "held"
        waiting = threading.Thread(target=through_the_resource, daemon=True)
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive() and got == [], "the resource did not wait while the file was held"
        holder.stdin.close()   # the other process lets go of the file
        waiting.join(timeout=120)
    finally:
        if not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(timeout=30)
    assert holder.returncode == 0 and got == [[(42,)]]

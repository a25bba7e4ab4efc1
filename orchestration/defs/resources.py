"""Dagster resources: the data dir (and, for writers, its pipeline lock and warehouse file), the
warehouse, and the files `papertrends ingest` parsed ahead."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from orchestration.storage.run_lock import hold_pipeline_lock
from orchestration.storage.settings import DataDir, data_dir, is_service
from orchestration.storage.stale_runs import claim_run
from orchestration.storage.warehouse import create_if_missing, open_for_writing


class DataDirResource(dg.ConfigurableResource):
    """The PAPERTRENDS_DATA_DIR this code location works on."""

    def get(self) -> DataDir:
        return data_dir().ensure()

    def for_writing(self, context: dg.AssetExecutionContext | dg.OpExecutionContext) -> DataDir:
        """The data dir, once this process holds its pipeline lock (orchestration/storage/run_lock.py),
        with the run recorded as this process's (orchestration/storage/stale_runs.py)."""
        data = self.get()
        try:
            run = context.run
        except dg.DagsterError:   # an asset invoked directly (a test): no run to claim
            run = None
        if run is not None:   # before waiting for the lock: a worker dying there is found too
            claim_run(context.instance, run)
        hold_pipeline_lock(data.dagster_home, context.log.info)
        if not is_service(data.warehouse):
            create_if_missing(data.warehouse)
        return data


class WarehouseResource(DuckDBResource):
    """dagster-duckdb's resource, whose connections open the warehouse as every writer must: with
    the row group size of orchestration/storage/warehouse.py (ROW_GROUP_SIZE)."""

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = open_retrying(self.database, self.connection_config)
        try:
            yield con
        finally:
            con.close()


def open_retrying(database: str, config: dict, attempts: int = 11) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, retrying as DuckDBResource does while another process holds the file
    (waits doubling from 0.1 s: ~100 s in all)."""
    for attempt in range(attempts - 1):
        try:
            return open_for_writing(database, config)
        except (RuntimeError, duckdb.IOException):
            time.sleep(0.1 * 2 ** attempt)
    return open_for_writing(database, config)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={
        "data_dir": DataDirResource(),
        "duckdb": WarehouseResource(database=dg.EnvVar("PAPERTRENDS_WAREHOUSE")),
        # Files `papertrends ingest` parsed while landing them: its run passes them in
        # (orchestration/runs/runner.py); other runs parse every file in the step.
        "parsed_ahead": dg.ResourceDefinition.none_resource(),
    })

"""Dagster resources: the data dir (and, for writers, its pipeline lock and warehouse file)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import dagster as dg
import duckdb
from dagster._utils.backoff import backoff
from dagster_duckdb import DuckDBResource

from orchestration.run_lock import hold_pipeline_lock
from orchestration.settings import DataDir, data_dir
from orchestration.warehouse import create_if_missing, open_for_writing


class DataDirResource(dg.ConfigurableResource):
    """The PAPERTRENDS_DATA_DIR this code location works on."""

    def get(self) -> DataDir:
        return data_dir().ensure()

    def for_writing(self, log: Callable[[str], None]) -> DataDir:
        """The data dir, once this process holds its pipeline lock (orchestration/run_lock.py)."""
        data = self.get()
        hold_pipeline_lock(data.dagster_home, log)
        create_if_missing(data.warehouse)
        return data


class WarehouseResource(DuckDBResource):
    """dagster-duckdb's resource, whose connections open the warehouse as every writer must: with
    the row group size of orchestration/warehouse.py (ROW_GROUP_SIZE)."""

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        # Retried as DuckDBResource retries: a file another process holds, for ~100 s.
        con = backoff(fn=open_for_writing, retry_on=(RuntimeError, duckdb.IOException),
                      args=[self.database, self.connection_config], max_retries=10)
        try:
            yield con
        finally:
            con.close()

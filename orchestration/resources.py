"""Dagster resources: the data dir (and, for writers, its pipeline lock and warehouse file)."""

from __future__ import annotations

import dagster as dg

from typing import Callable

from orchestration.run_lock import hold_pipeline_lock
from orchestration.settings import DataDir, data_dir
from orchestration.warehouse import create_if_missing


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

"""Dagster resources: the data dir, the warehouse connection, dbt."""

from __future__ import annotations

import dagster as dg

from orchestration.settings import DataDir, data_dir


class DataDirResource(dg.ConfigurableResource):
    """The PAPERTRENDS_DATA_DIR this code location works on."""

    def get(self) -> DataDir:
        return data_dir().ensure()

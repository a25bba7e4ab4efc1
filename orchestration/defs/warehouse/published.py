"""The read-only copy of the warehouse that people query (see orchestration/storage/publish.py)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.dbt.assets import MODEL_KEYS
from orchestration.defs.resources import DataDirResource
from orchestration.defs.warehouse.raw_comments import describe_raw_tables
from orchestration.storage.publish import publish
from orchestration.storage.resource_errors import failing_in_words
from orchestration.storage.settings import is_service
from orchestration.storage.warehouse import STORAGE_VERSION


@dg.asset(
    deps=MODEL_KEYS, group_name="reporting", owners=["team:papertrends"], kinds={"duckdb"},
    pool="duckdb",
    description=(
        "warehouse-readonly.duckdb: a copy of the raw, marts, reporting and reference schemas, "
        f"published after each run (built aside, renamed atomically) in DuckDB's {STORAGE_VERSION} "
        "storage format so DuckDB 1.4+ clients open it. Ad-hoc SQL reads this, never the "
        "warehouse, so no reader can block the pipeline."
    ),
)
@failing_in_words("publish the read-only copy")
def published_warehouse(context: dg.AssetExecutionContext, data_dir: DataDirResource,
                        duckdb: DuckDBResource) -> dg.MaterializeResult:
    data = data_dir.for_writing(context)
    if is_service(data.warehouse):   # readers query the service itself (docs/deployment.md)
        return dg.MaterializeResult(metadata={"skipped": f"{data.warehouse} is a service"})
    with duckdb.get_connection() as con:
        described = describe_raw_tables(con)   # dbt does not comment its sources
        path = publish(con, data.warehouse)
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "size_mb": round(path.stat().st_size / 1e6, 2),
        "storage_version": STORAGE_VERSION,
        "raw_comments_written": described,
    })

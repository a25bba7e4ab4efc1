"""What the raw tables' materializations carry (orchestration/defs/warehouse/table_metadata.py)."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.warehouse.table_metadata import for_partitions


def test_a_long_backfill_keeps_counts_but_not_a_schema_and_preview_per_partition():
    full = {"dagster/row_count": 7, "dagster/column_schema": dg.TableSchema(columns=[]),
            "preview": dg.MetadataValue.md("| a |"), "quarantined": 0}
    assert for_partitions(full, 1) == full  # the daily run: everything
    assert for_partitions(full, 120) == {"dagster/row_count": 7, "quarantined": 0}

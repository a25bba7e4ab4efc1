"""A folder whose contents cannot be looked up, inside a folder given to `papertrends ingest`,
does not fail the whole ingest: the check for another data dir in it (a warehouse.duckdb and an
archive/) once raised there, for a folder the user may not read (EACCES) as for one whose
warehouse.duckdb path is longer than the system allows (ENAMETOOLONG, made here: root reads
every folder), and the command failed naming a warehouse.duckdb that does not exist."""

from __future__ import annotations

import os

from orchestration.storage.input_paths import collect


def test_a_folder_that_cannot_be_looked_into_leaves_the_files_beside_it_collected(tmp_path):
    given = tmp_path / "snapshots"
    given.mkdir()
    (given / "2025-11-05.json").write_text("[]")
    deep = given
    limit = os.pathconf(str(tmp_path), "PC_PATH_MAX")
    while len(str(deep)) + len("/warehouse.duckdb") <= limit:   # the folder itself still opens
        deep = deep / ("d" * min(200, limit - len(str(deep)) - 2))
    deep.parent.mkdir(parents=True, exist_ok=True)
    if len(str(deep)) < limit:
        deep.mkdir()
    found = collect([given])
    assert [path.name for path in found.files] == ["2025-11-05.json"]

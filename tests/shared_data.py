"""Where tests and benchmarks find the real Daily Papers data: ../shared/data beside the checkout.

The real API responses (titles, abstracts, author names) are not ours to redistribute, so the
repository holds none of them; development machines and CI have the folder next to the checkout
(see its README.md). Fixtures made from it are generated at test time into temporary folders.

Where the folder is absent (a clone on a user's machine) the tests that need it skip with
MISSING as the reason; with CI=true in the environment they fail with it instead, so CI never
passes without having run them.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
API_DAY_DIR = SHARED_DATA / "hf_api_daily"  # 20 listing days of November 2025, one JSON array each
HISTORY_DIR = SHARED_DATA / "hf_api_history"  # 490 listing days, May 2023 to April 2025, by month
MISSING = "../shared/data not found: real Daily Papers data for tests; see README"


def api_day_files() -> list[Path]:
    """The November 2025 API days, in date order (empty without ../shared/data)."""
    return sorted(API_DAY_DIR.glob("*.json"))


def history_day_files() -> list[Path]:
    """The listing days of hf_api_history/, in date order (empty without ../shared/data)."""
    return sorted(HISTORY_DIR.glob("*/*.json"))


def in_ci() -> bool:
    """CI=true (or 1) in the environment: tests that would skip must fail instead."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def have_shared_data() -> bool:
    return bool(api_day_files())


def require_shared_data() -> Path:
    """SHARED_DATA; in a test without it: skipped, or failed when CI=true."""
    if not have_shared_data():
        import pytest

        if in_ci():
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)
    return SHARED_DATA

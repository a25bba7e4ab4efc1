"""The browser tests of the Dagster UI are marked `ui`: `pytest -m ui` runs only them.

They also run in the normal suite (three to four minutes: a `papertrends ingest` of the
November 2025 days, then the web server's start-up); `pytest -m "not ui"` leaves them out.
They install Debian's chromium when it is missing (install_chromium.sh); where that cannot be
done they skip, and the reason shows in pytest's summary (`-ra`); with CI=true they fail instead.
"""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "ui: browser test of the Dagster web UI (starts dagster-webserver and headless Chromium)",
    )


def pytest_terminal_summary(terminalreporter):
    """List the screenshots the UI tests kept (recorded as the `screenshot` user property)."""
    shots = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()) or ():
                if name == "screenshot" and getattr(report, "when", None) == "call" and value not in shots:
                    shots.append(value)
    if shots:
        terminalreporter.write_sep("-", "Dagster UI screenshots")
        for path in shots:
            terminalreporter.write_line(path)

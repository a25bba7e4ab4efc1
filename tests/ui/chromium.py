"""Headless Chromium for the browser tests: Debian's `chromium`, installed by
`install_chromium.sh` when missing (as root or through sudo); a page rendered with `--dump-dom`
(the DOM after the JS app has drawn, `--virtual-time-budget` lets it fetch) and `--screenshot`
in the same call, its visible text and PNG checked."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
INSTALL_SCRIPT = HERE / "install_chromium.sh"
CHROMIUM = Path("/usr/bin/chromium")
# The flags that work on this machine (docs: field notes, Dagster section); without the
# networking ones Chromium tries to reach hosts it cannot reach.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--hide-scrollbars", "--force-device-scale-factor=1",
]
VIRTUAL_TIME_MS = 15_000
PAGE_TIMEOUT_S = 90
MIN_SCREENSHOT_BYTES = 10_000
SIGN_UP_DIALOG = "Join the Dagster community"


class _VisibleText(HTMLParser):
    """The text nodes of a DOM, without scripts and styles."""

    SKIPPED = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(data.strip())


def _label_shows(label: str, name: str) -> bool:
    """Whether a label shows the asset `name`: "marts / papers", or middle-truncated as the
    zoomed-out graph draws it ("pars…_observations")."""
    label = label.rsplit(" / ", 1)[-1]
    if label == name:
        return True
    if label.count("…") == 1:
        left, right = label.split("…")
        return len(left) + len(right) < len(name) and name.startswith(left) and name.endswith(right)
    return False


@dataclass
class Page:
    url: str
    texts: list[str]
    screenshot: Path

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def missing_names(self, names) -> list[str]:
        return [name for name in names if not any(_label_shows(label, name) for label in self.texts)]

    def describe(self) -> str:
        return f"{self.url} (screenshot {self.screenshot}); its text:\n{self.text[:3000]}"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def installed_chromium() -> tuple[Path | None, str]:
    """Debian's chromium, installed by INSTALL_SCRIPT when missing (apt-get, as root or through
    sudo); (None, why not) when it cannot be had."""
    if CHROMIUM.exists():
        return CHROMIUM, ""
    try:
        result = subprocess.run(["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True,
                                timeout=900, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, f"{INSTALL_SCRIPT} did not finish within 900 s"
    print(result.stdout[-2000:])
    if result.returncode == 0 and CHROMIUM.exists():
        return CHROMIUM, ""
    lines = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()
    return None, (f"no {CHROMIUM} and {INSTALL_SCRIPT.name} could not install it "
                  f"(exit {result.returncode}): " + " | ".join(lines[-4:]))


class Browser:
    """Pages of the web server at `base_url` rendered by headless Chromium: their visible text,
    and a screenshot of each kept in `shots` (recorded as a test property)."""

    def __init__(self, chromium: Path, base_url: str, shots: Path, profiles: Path,
                 record_property) -> None:
        self.chromium = chromium
        self.base_url = base_url
        self.shots = shots
        self.profiles = profiles
        self.record_property = record_property

    def load(self, path: str, name: str, size=(1600, 1000), expect=()) -> Page:
        """Render `path`; again with twice, then four times the budget while an `expect`ed name
        is not shown (on a loaded machine the server may answer the graph's query late)."""
        page = self._render(path, name, size, VIRTUAL_TIME_MS)
        for longer in (2, 4):
            if not page.missing_names(expect):
                break
            page = self._render(path, name, size, longer * VIRTUAL_TIME_MS)
        return page

    def _render(self, path: str, name: str, size, budget_ms: int) -> Page:
        url = f"{self.base_url}/{path.lstrip('/')}"
        png = self.shots / f"{name}.png"
        png.unlink(missing_ok=True)
        profile = self.profiles / f"{name}-{budget_ms}"  # a fresh profile for every page
        command = [
            str(self.chromium), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}", f"--window-size={size[0]},{size[1]}",
            f"--screenshot={png}", "--dump-dom", url,
        ]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            dom, errors = proc.communicate(timeout=PAGE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"chromium did not finish {url} within {PAGE_TIMEOUT_S} s")
        assert proc.returncode == 0, (
            f"chromium failed on {url} ({proc.returncode}):\n{errors.decode(errors='replace')[-3000:]}")
        parser = _VisibleText()
        parser.feed(dom.decode(errors="replace"))
        page = Page(url, parser.texts, png)

        assert png.exists(), f"chromium wrote no screenshot of {url}"
        assert png.stat().st_size > MIN_SCREENSHOT_BYTES, (
            f"{png} is only {png.stat().st_size} bytes: a blank page? {page.describe()}")
        assert _png_size(png) == tuple(size), f"{png}: {_png_size(png)}, expected {size}"
        print(f"screenshot of {url}: {png} ({png.stat().st_size // 1024} KB)")
        self.record_property("screenshot", str(png))
        assert SIGN_UP_DIALOG not in page.text, f"the sign-up dialog covers the page: {page.describe()}"
        return page

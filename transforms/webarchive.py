"""Safari's "Save As > Web Archive" (`.webarchive`): a binary property list whose main
resource is the page's HTML, beside its images and styles. The HTML is the capture, read as
saved HTML is."""

from __future__ import annotations

import plistlib

MAGIC = b"bplist00"


def webarchive_html(data: bytes) -> bytes | None:
    """The bytes of the page a web archive holds; None when the file is no web archive (another
    property list, or a damaged one)."""
    try:
        archive = plistlib.loads(data)
    except Exception:  # noqa: BLE001 - plistlib raises several kinds on damaged input
        return None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    page = main.get("WebResourceData") if isinstance(main, dict) else None
    return page if isinstance(page, bytes) else None

"""What `papertrends ingest` takes from the paths it is given, and what it leaves, with why.

It takes regular files, and the regular files of folders (recursively). It follows no symbolic
link, named or found in a folder: a link is refused with its target named (a link to a system
file must not end up in the archive for good); pass the target itself to ingest it. Hidden
entries (names starting with ".") and entries that are not regular files (pipes, sockets,
devices) are skipped, and listed too; so are the data dir and the archive when a folder given
holds them (papertrends' own state: `papertrends ingest ~/` takes the captures, not the warehouse),
and any other data dir (a backup: a folder holding `warehouse.duckdb` and `archive/`), given or
found in a folder given: its archive is what to give to ingest the snapshots it holds. Inside a
folder given, two more are skipped and listed: the folder of a page saved "complete" (`<page>_files`
beside `<page>.html`: its images, scripts and styles, no capture) and the files an operating
system leaves in folders (`Thumbs.db`, `desktop.ini`, the `Icon` file of a macOS folder).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from orchestration.storage.unfinished import download_in_progress

# the folder a browser saves a page's resources in, "<page>_files" beside "<page>.html" (Chrome,
# Edge, Safari; Firefox names it in its own language)
RESOURCE_FOLDER_ENDINGS = ("_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "_file", "_bestanden")
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})


def readable(text: str) -> str:
    """A file name or path as text: bytes that are not UTF-8 (Linux allows them in names) as
    \\xNN escapes instead of characters no output can print."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class InputError(ValueError):
    """A path the user gave does not exist; the message says which."""


class Inputs(NamedTuple):
    files: list[Path]     # regular files to land, in path order
    refused: list[str]    # "<path>: <why>": links and unreadable entries; not ingested
    skipped: list[str]    # "<path>: <why>": hidden and special entries; left alone


def collect(paths: list[Path], own: tuple[Path, ...] = ()) -> Inputs:
    """The files of `paths`; folders in `own` (papertrends' own state: the data dir, the
    archive), found inside a folder given, are skipped whole."""
    found = Inputs([], [], [])
    own_folders = frozenset(folder.resolve() for folder in own)
    for path in paths:
        if path.is_symlink():
            found.refused.append(link_refusal(path))
        elif path.is_dir():
            if _data_dir_like(path):
                found.skipped.append(_data_dir_note(path))
            else:
                _walk(path, found, own_folders)
        elif path.is_file():
            found.files.append(path)
        elif path.exists():
            found.skipped.append(f"{readable(str(path))}: not a regular file (a pipe, socket or device)")
        else:
            raise InputError(f"{readable(str(path))}: no such file or folder")
    once = {file.resolve(): file for file in reversed(found.files)}   # a file named twice: taken once
    found.files[:] = [file for file in found.files if once[file.resolve()] is file]
    return found


def link_refusal(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return (f"{readable(str(path))}: a symbolic link (to {readable(target)}); links are not "
            "followed: ingest the file it points to by its own path if you mean it")


def _data_dir_like(folder: Path) -> bool:
    """A papertrends data dir other than this one (a backup, a copy): a warehouse and an archive.
    A folder that cannot be looked into is none: the walk then refuses it as unreadable."""
    try:
        return (folder / "warehouse.duckdb").is_file() and (folder / "archive").is_dir()
    except OSError:
        return False


def _data_dir_note(folder: Path) -> str:
    return (f"{readable(str(folder))}: another papertrends data dir (warehouse.duckdb, archive/), not "
            f"snapshots; to ingest the snapshots it holds, give its archive: "
            f"papertrends ingest {readable(str(folder / 'archive'))}")


def _walk(folder: Path, found: Inputs, own: frozenset[Path] = frozenset()) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        found.refused.append(f"{readable(str(folder))}: the folder cannot be read ({exc.strerror})")
        return
    names = {entry.name for entry in entries}
    for entry in entries:
        path = Path(entry.path)
        if entry.is_symlink():
            found.refused.append(link_refusal(path))
        elif entry.name.startswith("."):
            kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            found.skipped.append(f"{readable(str(path))}: a hidden {kind} (its name starts with '.')")
        elif entry.is_dir(follow_symlinks=False):
            if (page := _page_of_resources(entry.name, names)) is not None:
                found.skipped.append(f"{readable(str(path))}: the images, scripts and styles of the page "
                                     f"saved beside it ({readable(page)}), not snapshots")
            elif own and path.resolve() in own:
                found.skipped.append(f"{readable(str(path))}: papertrends' own state (its data dir or "
                                     "archive), not snapshots")
            elif _data_dir_like(path):
                found.skipped.append(_data_dir_note(path))
            else:
                _walk(path, found, own)
        elif entry.is_file(follow_symlinks=False):
            if entry.name.lower() in SYSTEM_FILES:
                found.skipped.append(f"{readable(str(path))}: a file the operating system keeps in folders, "
                                     "not a snapshot")
            elif unfinished := download_in_progress(path, names):
                found.skipped.append(f"{readable(str(path))}: {unfinished}; ingest it once the download is done")
            else:
                found.files.append(path)
        else:
            found.skipped.append(f"{readable(str(path))}: not a regular file (a pipe, socket or device)")


def _page_of_resources(folder: str, names: set[str]) -> str | None:
    """The saved page whose resources folder `folder` is (a sibling <page>.html or .htm), else None."""
    for ending in RESOURCE_FOLDER_ENDINGS:
        if folder.endswith(ending) and len(folder) > len(ending):
            stem = folder[:-len(ending)]
            for suffix in (".html", ".htm", ".HTML", ".HTM"):
                if stem + suffix in names:
                    return stem + suffix
    return None


def notes_text(refused: list[str], skipped: list[str], known: list[str] = (), undated: list[str] = ()) -> str:
    """The part of the ingest summary that lists what was not ingested, the files given that
    an earlier run had loaded already, and those dated by their modification time ('' when
    nothing)."""
    lines: list[str] = []
    if undated:
        lines += ["", f"Dated by modification time ({len(undated)}: check their days)", *[f"  {m}" for m in undated]]
    if known:
        lines += ["", f"Loaded before ({len(known)}: the same bytes were in the warehouse, nothing new from them)",
                  *[f"  {m}" for m in known]]
    if refused:
        lines += ["", f"Refused ({len(refused)}, not ingested)", *[f"  {m}" for m in refused]]
    if skipped:
        lines += ["", f"Skipped ({len(skipped)})", *[f"  {m}" for m in skipped]]
    return "\n".join(lines).lstrip("\n")

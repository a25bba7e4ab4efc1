"""A throwaway local PostgreSQL for tests: Debian's `postgresql` package (installed with apt-get
when missing and the tests run as root), a new cluster in a temp folder, on a free port,
trusting local connections; stopped and removed afterwards.

    with PostgresServer() as pg:
        pg.url   # postgresql://postgres@127.0.0.1:PORT/postgres

Where PostgreSQL cannot be installed the tests that need it are skipped with the reason, except
under CI=true, where they fail.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(Path(p).parent.parent.name))
    return Path(versions[-1]).parent if versions else None


def require_postgres() -> Path:
    """PostgreSQL's bin folder, installing Debian's package when missing; a skip (a failure
    under CI=true) saying why when it cannot be had."""
    folder = postgres_bin()
    reason = None
    if folder is None and os.geteuid() == 0 and shutil.which("apt-get"):
        install = subprocess.run(
            "apt-get install -y postgresql || (apt-get update && apt-get install -y postgresql)",
            shell=True, capture_output=True, text=True, timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        folder = postgres_bin()
        if folder is None:
            reason = ("apt-get install -y postgresql failed: "
                      + (install.stderr.strip().splitlines() or ["no output"])[-1])
    elif folder is None:
        reason = "PostgreSQL is not installed (apt-get install postgresql, as root)"
    if folder is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is needed under CI: {reason}")
        print(f"skipping: {reason}")
        pytest.skip(reason)
    return folder


class PostgresServer:
    def __init__(self) -> None:
        self.bin = require_postgres()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="papertrends-pg-"))
        self.cluster = self.root / "cluster"
        self.user = "postgres" if os.geteuid() == 0 else None   # initdb refuses to run as root

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")

    def __enter__(self) -> PostgresServer:
        if self.user:
            shutil.chown(self.root, self.user)
        self._run("initdb", "-D", str(self.cluster), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.cluster), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "start")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.cluster), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

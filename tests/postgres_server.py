"""A throwaway local PostgreSQL for the tests and the benchmarks: Debian's `postgresql` package
(installed with apt-get when missing and the process runs as root), a new cluster in a temp
folder, on a free port, trusting local connections; stopped and removed afterwards.

    with PostgresServer() as pg:
        pg.url   # postgresql://postgres@127.0.0.1:PORT/postgres

Where PostgreSQL cannot be installed the tests that need it are skipped with the reason
(require_postgres), except under CI=true, where they fail; find_postgres says why to anyone else
(bench/dagster_storage.py).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.shared_data import in_ci


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed and cannot be installed here; the message says why."""


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


def find_postgres() -> Path:
    """PostgreSQL's bin folder, installing Debian's package when missing and running as root;
    PostgresUnavailable saying why when it cannot be had."""
    folder = postgres_bin()
    if folder is not None:
        return folder
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise PostgresUnavailable("PostgreSQL is not installed (apt-get install postgresql, as root)")
    install = subprocess.run(
        "apt-get install -y postgresql || (apt-get update && apt-get install -y postgresql)",
        shell=True, capture_output=True, text=True, timeout=600,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    folder = postgres_bin()
    if folder is None:
        raise PostgresUnavailable("apt-get install -y postgresql failed: "
                                  + (install.stderr.strip().splitlines() or ["no output"])[-1])
    return folder


def require_postgres() -> Path:
    """find_postgres for a test: a skip saying why (a failure under CI=true) when it fails."""
    import pytest

    try:
        return find_postgres()
    except PostgresUnavailable as exc:
        if in_ci():
            pytest.fail(f"PostgreSQL is needed under CI: {exc}")
        print(f"skipping: {exc}")
        pytest.skip(str(exc))


class PostgresServer:
    """durable=False (the tests) runs the cluster with fsync off; durable=True keeps
    PostgreSQL's defaults, fsync and synchronous commits, as a deployment runs it."""

    def __init__(self, bin_dir: Path | None = None, durable: bool = False) -> None:
        self.bin = bin_dir or require_postgres()
        self.durable = durable
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="papertrends-pg-"))
        self.cluster = self.root / "cluster"
        self.user = "postgres" if os.geteuid() == 0 else None   # initdb refuses to run as root

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    @property
    def pid(self) -> int:
        """The postmaster's process id (the server's other processes are its children)."""
        return int((self.cluster / "postmaster.pid").read_text().split()[0])

    def _run(self, *args: str) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def _client(self, *args: str) -> str:
        return self._run(*args[:1], "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args[1:])

    def create_database(self, name: str, template: str | None = None, wait: float = 30) -> str:
        """A new database (a copy of `template` when given); its URL. A template must have no
        connections: those of a process that just ended can linger a moment, so this retries."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self._client("createdb", *(["-T", template] if template else []), name)
                return self.database_url(name)
            except RuntimeError as exc:
                if not template or "being accessed" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def query(self, database: str, sql: str) -> str:
        """One value: psql's unaligned output of `sql` in `database`."""
        return self._client("psql", "-d", database, "-At", "-c", sql).strip()

    def __enter__(self) -> PostgresServer:
        if self.user:
            shutil.chown(self.root, self.user)
        self._run("initdb", "-D", str(self.cluster), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        if not self.durable:
            options += " -c fsync=off"
        self._run("pg_ctl", "-D", str(self.cluster), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "start")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.cluster), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

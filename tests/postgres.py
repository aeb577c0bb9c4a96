"""A throwaway PostgreSQL server from Debian's package: ``initdb`` + ``pg_ctl`` in a temp dir."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """A private cluster on a free loopback port, trust auth; ``stop()`` shuts it down and deletes it."""

    def __init__(self) -> None:
        bins = bin_dir()
        if bins is None:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (scripts/test does)")
        self.bins = bins
        self.root = Path(tempfile.mkdtemp(prefix="postguard-pg-"))
        self.data = self.root / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        # initdb refuses to run as root: run the server as Debian's postgres user then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o700)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "60",
            "-o", f"-p {self.port} -h 127.0.0.1 -k {self.root} -F", "start",
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "postguard")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postguard"

    def _run(self, tool: str, *args: str) -> str:
        done = subprocess.run(
            [*self.as_user, str(self.bins / tool), *args], capture_output=True, text=True, cwd=self.root
        )
        if done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def dump(self) -> str:
        """``pg_dump`` of the database: schema and every row, as SQL text."""
        return self._run("pg_dump", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "postguard")

    def reset(self) -> None:
        """Drop every table, so each test starts from an empty database."""
        self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postguard", "-q",
            "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

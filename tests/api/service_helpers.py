"""Helpers for the service tests: the one error shape, readiness, the real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2
from fastapi.testclient import TestClient


def wait_ready(client: TestClient, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while client.get("/readyz").status_code != 200:
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready: {client.get('/readyz').text}")
        time.sleep(0.02)


def assert_error(response: httpx2.Response, status: int, code: str | None = None) -> dict:
    """The one error shape: ``{"error": {"code", "message"}}`` as JSON, nothing else."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


#: The ``postguard`` command, run by this interpreter.
POSTGUARD = (sys.executable, "-c", "import sys; from postguard.cli import main; sys.exit(main())")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``postguard serve`` in a subprocess on a free port; stopped by ``stop()``."""

    def __init__(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 120, command: list[str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("POSTGUARD_")}
        full_env.update(env or {})
        if "POSTGUARD_DATA_DIR" not in full_env and "POSTGUARD_DATABASE_URL" not in full_env:
            self._data = tempfile.TemporaryDirectory(prefix="postguard-data-")
            full_env["POSTGUARD_DATA_DIR"] = self._data.name
        cmd = [*(command or [*POSTGUARD, "serve"]), "--port", str(self.port), *args]
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"postguard-serve-{self.port}.log"
        self._log_file = open(self.log, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log_file, stderr=subprocess.STDOUT, env=full_env)
        self.started = time.monotonic()
        deadline = self.started + timeout
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited {self.proc.returncode}: {self.output()}")
            try:
                if httpx2.get(self.url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx2.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"server not ready in {timeout} s: {self.output()}")
            time.sleep(0.05)
        self.ready_after = time.monotonic() - self.started

    def output(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()
        if getattr(self, "_data", None) is not None:
            self._data.cleanup()

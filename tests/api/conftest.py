"""Fixtures for the service tests: in-process apps (TestClient) and the real server process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))  # for ``from service_helpers import ...``

from service_helpers import Server, wait_ready  # noqa: E402

from postguard.api.app import create_app
from postguard.api.settings import Settings
from postguard.engine import Checker


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch) -> None:
    """Every app a test makes keeps its decision log in the test's temp dir, not the user's data dir."""
    monkeypatch.setenv("POSTGUARD_DATA_DIR", str(tmp_path))


@pytest.fixture(scope="session")
def checker() -> Checker:
    """One Checker (models loaded once) shared by every in-process app."""
    return Checker()


@pytest.fixture
def make_client(checker: Checker, tmp_path):
    """``make_client(**settings)``: a ready TestClient for an app with those settings (its data in tmp_path)."""
    stack: list[TestClient] = []

    def make(ready: bool = True, **settings) -> TestClient:
        settings.setdefault("data_dir", tmp_path)
        app = create_app(Settings(**settings), checker=checker)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        stack.append(client)
        if ready:
            wait_ready(client)
        return client

    yield make
    for client in reversed(stack):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One real server for the session, with a rate limit high enough for the fuzzing tests."""
    srv = Server(env={"POSTGUARD_RATE_LIMIT_PER_MINUTE": "1000000", "POSTGUARD_RATE_LIMIT_BURST": "100000"})
    yield srv
    srv.stop()

"""Shared fixtures; also puts this folder on sys.path so tests can ``import helpers``."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def no_network(monkeypatch):
    """Make every attempt to open a network connection fail loudly."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during a test that forbids it")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (Debian's package), stopped and deleted afterwards."""
    from postgres import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """An empty decision-log database: a SQLite file, then the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'postguard.db'}"
    server = request.getfixturevalue("postgres")
    server.reset()
    return server.url

"""Run the app under uvicorn: logging, workers, and TCP_NODELAY on every accepted connection."""

from __future__ import annotations

import copy
import socket

import uvicorn
from uvicorn.config import LOGGING_CONFIG

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - httptools is a dependency
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]


class NoDelayHTTPProtocol(_Base):  # type: ignore[misc,valid-type]
    """Uvicorn's HTTP protocol with Nagle's algorithm off on each connection.

    With ``--workers`` > 1 uvicorn hands the listening socket to the workers, and connections
    accepted there may come without TCP_NODELAY; a small keep-alive response then waits for the
    client's delayed ACK (~40 ms). Setting it here covers one worker and many alike.
    """

    def connection_made(self, transport) -> None:  # noqa: ANN001
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # pragma: no cover - the peer may already be gone
                pass
        super().connection_made(transport)


def log_config(level: str) -> dict:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["line"] = {"format": "%(message)s"}
    config["handlers"]["line"] = {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}
    config["loggers"]["postguard.access"] = {"handlers": ["line"], "level": level.upper(), "propagate": False}
    config["loggers"]["postguard.api"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def serve(host: str, port: int, workers: int, log_level: str = "info") -> int:
    """Serve until interrupted; settings come from ``POSTGUARD_*`` in the environment."""
    uvicorn.run(
        "postguard.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http="postguard.api.server:NoDelayHTTPProtocol",
        log_config=log_config(log_level),
        log_level=log_level,
        access_log=False,  # our own line per request, without paths' query strings or text
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    return 0

"""Run the app under uvicorn: logging, workers, and TCP_NODELAY on every accepted connection.

One worker is plain uvicorn. Several workers are forked from one process that has already loaded
the models and rules, so they start in the time of one and share those pages copy-on-write
(uvicorn's own multi-worker mode spawns fresh interpreters that each load everything again).
"""

from __future__ import annotations

import asyncio
import copy
import http
import json
import logging
import logging.config
import os
import signal
import socket
import time

import uvicorn
from uvicorn.config import LOGGING_CONFIG

log = logging.getLogger("postguard.api")

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - httptools is a dependency
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]


class NoDelayHTTPProtocol(_Base):  # type: ignore[misc,valid-type]
    """Uvicorn's HTTP protocol with Nagle's algorithm off, read deadlines, and JSON errors.

    TCP_NODELAY: with ``--workers`` > 1 uvicorn hands the listening socket to the workers, and
    connections accepted there may come without it; a small keep-alive response then waits for
    the client's delayed ACK (~40 ms). Setting it here covers one worker and many alike.

    Deadlines: uvicorn has none while a request arrives, so headers or a body sent a byte a second
    hold a connection (and its memory) for as long as the client likes. A request's headers must
    arrive within ``header_timeout_s`` of its first byte (or of the connection, for one that sends
    nothing), its body within ``body_timeout_s`` of its headers; and no more than
    ``max_slow_connections`` requests may still be arriving a second after they began. Past any
    of these the connection gets a 408 and is closed.
    """

    #: Requests of this worker still arriving more than SLOW_AFTER_S after their first byte.
    slow: set["NoDelayHTTPProtocol"] = set()
    SLOW_AFTER_S = 1.0

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - uvicorn's own signature
        super().__init__(*args, **kwargs)
        from postguard.api.settings import get_settings

        settings = get_settings()
        self._header_s = settings.header_timeout_s
        self._body_s = settings.body_timeout_s
        self._max_slow = settings.max_slow_connections
        self._deadline: asyncio.TimerHandle | None = None
        self._slow_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # noqa: ANN001
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # pragma: no cover - the peer may already be gone
                pass
        super().connection_made(transport)
        self._arm(self._header_s, "the request's headers")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(self._header_s, "the request's headers")
        self._slow_timer = self.loop.call_later(self.SLOW_AFTER_S, self._turned_slow)

    def on_headers_complete(self) -> None:
        self._arm(self._body_s, "the request's body")
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def _arm(self, seconds: float, what: str) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(seconds, self._too_slow, f"{what} did not arrive within {seconds:g} s")

    def _disarm(self) -> None:
        for timer in (self._deadline, self._slow_timer):
            if timer is not None:
                timer.cancel()
        self._deadline = self._slow_timer = None
        NoDelayHTTPProtocol.slow.discard(self)

    def _turned_slow(self) -> None:
        self._slow_timer = None
        if len(NoDelayHTTPProtocol.slow) >= self._max_slow:
            self._too_slow(f"more than {self._max_slow} requests are arriving slowly")
            return
        NoDelayHTTPProtocol.slow.add(self)

    def _too_slow(self, message: str) -> None:
        self._disarm()
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:  # pragma: no cover - an answer before its body: just close
                self.transport.close()
                return
            cycle.disconnected = True  # the app, if it is reading the body, sees a disconnect
            cycle.message_event.set()
        self._send_error(408, "request_timeout", message)

    def send_400_response(self, msg: str) -> None:
        # uvicorn's is text/plain; every error here is the service's JSON
        self._send_error(400, "bad_request", "invalid HTTP request (request line, headers or Content-Length)")

    def _send_error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": {"code": code, "message": message}}).encode("ascii")
        reason = http.HTTPStatus(status).phrase.encode("ascii")
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, reason, len(body), body)
        )
        self.transport.close()


def log_config(level: str) -> dict:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["line"] = {"format": "%(message)s"}
    config["handlers"]["line"] = {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}
    config["loggers"]["postguard.access"] = {"handlers": ["line"], "level": level.upper(), "propagate": False}
    config["loggers"]["postguard.api"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def serve(host: str, port: int, workers: int, log_level: str = "info") -> int:
    """Serve until interrupted; settings come from ``POSTGUARD_*`` in the environment."""
    if workers > 1:
        return _serve_forked(host, port, workers, log_level)
    uvicorn.run(
        "postguard.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        http=NoDelayHTTPProtocol,
        log_config=log_config(log_level),
        log_level=log_level,
        access_log=False,  # our own line per request, without paths' query strings or text
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    return 0


def _serve_forked(host: str, port: int, workers: int, log_level: str) -> int:
    """Load once, bind once, fork ``workers`` uvicorn servers on the shared socket; restart any
    that dies; on SIGTERM/SIGINT stop them all gracefully."""
    from postguard.api.app import create_app
    from postguard.api.service import Service
    from postguard.api.settings import get_settings

    logging.config.dictConfig(log_config(log_level))
    settings = get_settings()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    log.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", host if family == socket.AF_INET else f"[{host}]", port)

    # Bound first: connections made while loading wait in the backlog instead of being refused.
    t0 = time.perf_counter()
    preload = Service(settings)
    preload._load()  # models, rules, every offered policy and platform, warm-up: before any fork
    log.info("postguard loaded in %.2f s; starting %d workers", time.perf_counter() - t0, workers)
    # Migrate the decision log once here, so workers starting together find it ready (and closed:
    # no connection crosses the fork).
    from postguard.api.decision_log import open_log

    decision_log = open_log(settings)
    if decision_log is not None:
        decision_log.close()

    def worker() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        config = uvicorn.Config(
            lambda: create_app(settings, checker=preload.checker),
            factory=True,
            http=NoDelayHTTPProtocol,
            log_config=log_config(log_level),
            log_level=log_level,
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=10,
        )
        uvicorn.Server(config).run(sockets=[sock])

    children: dict[int, float] = {}
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 0
            try:
                worker()
            except BaseException:  # noqa: BLE001 - a worker never returns into the parent's loop
                code = 1
            finally:
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        spawn()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:  # pragma: no cover - PEP 475 retries os.wait
            continue
        started = children.pop(pid, None)
        if not stopping:
            log.warning("worker %d exited (status %d); starting another", pid, status)
            if started is not None and time.monotonic() - started < 1:
                time.sleep(1)  # a worker that dies at once would otherwise be restarted in a tight loop
            spawn()
    sock.close()
    log.info("Finished server process [%d]", os.getpid())
    return 0

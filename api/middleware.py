"""Pure ASGI middleware: request limits before any body is read, and one log line per request."""

from __future__ import annotations

import email.message
import functools
import json
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from postguard.api.errors import BodyTooLarge, error_response
from postguard.api.metrics import Metrics
from postguard.api.settings import Settings

access_log = logging.getLogger("postguard.access")
log = logging.getLogger("postguard.api")

#: Where route handlers leave what the log line should say (verdicts, counts): scope[LOG_KEY].
LOG_KEY = "postguard.log"


class LimitsMiddleware:
    """413 for a body over the limit (by Content-Length, or while streaming, never reading it all);
    415 for a POST to a /v1 route that is not JSON (an unknown path or method is still 404 / 405)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, routes: Callable[[], Sequence[BaseRoute]] = list) -> None:
        self.app = app
        self.max = max_body_bytes
        self._routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await error_response(400, "bad_request", "invalid Content-Length")(scope, receive, send)
                return
            if int(length) > self.max:
                message = f"the request body is {int(length):,} bytes; at most {self.max:,} are accepted"
                await error_response(413, "payload_too_large", message, {"Connection": "close"})(scope, receive, send)
                return
        if (
            scope["path"].startswith("/v1/")
            and not _is_json(headers.get("content-type"))
            and self._routed(scope["method"], scope["path"])
        ):
            await error_response(
                415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'"
            )(scope, receive, send)
            return

        received = 0
        limit = self.max

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one middleware per app; a few paths, over and over
    def _routed(self, method: str, path: str) -> bool:
        """A route takes ``method`` on ``path`` (so the body's type is what is wrong)."""
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        return any(route.matches(scope)[0] == Match.FULL for route in self._routes())


class MetricsKeyMiddleware:
    """Once API keys are configured, ``/metrics`` needs one too, unless ``metrics_public`` is set."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/metrics" and not self.settings.metrics_public:
            if self.settings.auth_enabled:
                scheme, _, key = _headers(scope).get("authorization", "").partition(" ")
                if scheme.lower() != "bearer" or not key.strip():
                    message = "/metrics needs an API key: send 'Authorization: Bearer <key>'"
                    await error_response(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})(scope, receive, send)
                    return
                if self.settings.key_id(key.strip()) is None:
                    await error_response(403, "forbidden", "the API key is not valid")(scope, receive, send)
                    return
        await self.app(scope, receive, send)


class JSONCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, with a rejected preflight answered in the one error shape (it sends
    ``400 text/plain``)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        headers = {k: v for k, v in response.headers.items() if k not in ("content-type", "content-length")}
        message = response.body.decode("ascii", "replace").lower()  # e.g. "disallowed cors origin"
        return error_response(response.status_code, "cors_rejected", f"the CORS preflight was refused: {message}", headers)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


@functools.lru_cache(maxsize=64)  # clients send the same few headers again and again
def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    msg = email.message.Message()
    msg["content-type"] = content_type
    if msg.get_content_maintype() != "application":
        return False
    sub = msg.get_content_subtype()
    charset = msg.get_param("charset")
    return (sub == "json" or sub.endswith("+json")) and (charset is None or str(charset).lower() in ("utf-8", "utf8"))


class AccessMiddleware:
    """Times each request; logs one JSON line (route, status, latency, verdicts, counts — never
    text) and records the Prometheus metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        info: dict[str, Any] = {}
        scope[LOG_KEY] = info

        started = False

        async def send_status(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = message["status"]
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        except Exception as exc:
            # Answered (or answer) here and stop: re-raised, uvicorn would log a traceback, and an
            # exception's message may quote the post.
            log.error("unhandled %s on %s", type(exc).__name__, scope.get("path", "?"))
            if not started:
                status = 500
                await error_response(500, "internal_error", "internal error")(scope, receive, send)
        finally:
            elapsed = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", None) or "(unmatched)"
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            if access_log.isEnabledFor(logging.INFO):
                line = {"method": method, "route": route, "status": status, "latency_ms": round(elapsed * 1000, 2)}
                line.update(info)
                access_log.info(json.dumps(line, separators=(",", ":")))

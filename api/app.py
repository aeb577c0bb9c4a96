"""The app factory: ``create_app(settings)`` builds one FastAPI app over one Service."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from postguard import __version__
from postguard.engine import Checker
from postguard.api.errors import install_error_handlers
from postguard.api.metrics import Metrics
from postguard.api.middleware import AccessMiddleware, JSONCORSMiddleware, LimitsMiddleware, MetricsKeyMiddleware
from postguard.api.ratelimit import create_limiter
from postguard.api.routes import check, decisions, health, meta, page, stats
from postguard.api.service import Service
from postguard.api.settings import Settings, get_settings

DESCRIPTION = """\
Check an organisation's social-media drafts before they are posted: personal data, secrets,
profanity, toxicity, tone, policy rules and platform limits.

Start with `POST /v1/check`. Offsets are code points into the text as sent; pass
`offsets=utf16` for JavaScript string indices. Every error is `{"error": {"code", "message"}}`.
"""


def create_app(settings: Settings | None = None, checker: Checker | None = None) -> FastAPI:
    """Build the app; models and rules load in the background at start-up (see ``/readyz``).

    ``checker``: an already-built Checker to serve (tests share one); by default the app builds
    its own for ``settings.policy``.
    """
    settings = settings or get_settings()
    settings.key_hashes  # read the key file now: a missing or bad one fails at start, not per request
    service = Service(settings, checker)
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.loader = asyncio.get_running_loop().create_task(service.start(), name="postguard-load")
        try:
            yield
        finally:
            app.state.loader.cancel()
            await service.stop()

    # FastAPIOffline serves the /docs and /redoc assets from the installed package, not a CDN.
    app = FastAPIOffline(
        title="postguard",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "check", "description": "Check drafts."},
            {"name": "decisions", "description": "What happened after a check, and the stats (admin)."},
            {"name": "reference", "description": "What a client can choose from."},
            {"name": "operations", "description": "Health, readiness and metrics."},
        ],
    )
    app.state.service = service
    app.state.metrics = metrics
    app.state.limiter = create_limiter(settings)
    app.state.settings = settings
    service.batcher.batch_sizes = metrics.batch_size.observe

    _offer_policies_in_openapi(app, service)
    install_error_handlers(app)
    for module in (check, decisions, stats, meta, health, page):
        app.include_router(module.router)

    # Added last = outermost: the log line and metrics see every response, 413s and CORS included.
    app.add_middleware(LimitsMiddleware, max_body_bytes=settings.max_body_bytes, routes=lambda: app.router.routes)
    app.add_middleware(MetricsKeyMiddleware, settings=settings)
    if settings.cors_origins:
        app.add_middleware(
            JSONCORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(AccessMiddleware, metrics=metrics)
    return app


# Their ``policy`` filters what the decision log recorded, which may name a policy no longer offered
# (a filter for any name answers 200, empty when nothing matches), so no enum there.
_RECORDED_POLICY_FILTERS = frozenset({"/v1/stats"})


def _offer_policies_in_openapi(app: FastAPI, service: Service) -> None:
    """Once loaded, the spec lists the policies this service offers wherever a request names one,
    so a name it does not offer is invalid by the spec too (422 ``unknown_policy``)."""
    generate = app.openapi
    patched = False

    def openapi() -> dict[str, Any]:
        nonlocal patched
        schema = generate()
        if not patched and service.ready.is_set() and service.policies:
            names = sorted(service.policies)
            for component in schema.get("components", {}).get("schemas", {}).values():
                prop = component.get("properties", {}).get("policy")
                if prop is not None:
                    _enum(prop, names)
            for path, item in schema.get("paths", {}).items():
                if path in _RECORDED_POLICY_FILTERS:
                    continue
                for op in item.values():
                    for param in op.get("parameters", []) if isinstance(op, dict) else []:
                        if param.get("name") == "policy":
                            _enum(param["schema"], names)
            patched = True
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _enum(schema: dict[str, Any], names: list[str]) -> None:
    """Give the string branch of ``schema`` (``str`` or ``str | None``) an enum of ``names``."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            branch.pop("pattern", None)
            branch["enum"] = names


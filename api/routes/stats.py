"""GET /v1/stats (JSON) and GET /stats (the dashboard): what happened after the warnings; admin only."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from postguard.decisions import Stats

from postguard.api.dashboard import render
from postguard.api.deps import Admin, ServiceDep, admin_client
from postguard.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse, error_response
from postguard.api.service import Service

router = APIRouter(tags=["decisions"])

Since = Annotated[datetime | None, Query(description="From this time (ISO 8601 date or time; UTC when naive).")]
Until = Annotated[datetime | None, Query(description="Before this time.")]
PlatformQ = Annotated[str | None, Query(max_length=32, description="Only this platform.")]
PolicyQ = Annotated[str | None, Query(max_length=64, description="Only this policy.")]


def _unix(when: datetime | None) -> int | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp())


async def _stats(service: Service, since: datetime | None, until: datetime | None, platform, policy) -> Stats:
    await service.wait_ready()
    if not service.settings.decisions:
        raise ApiError(404, "decisions_off", "this service keeps no decision log (POSTGUARD_DECISIONS=false)")
    if service.decision_log is None:
        raise ApiError(503, "decisions_unavailable", "the decision log's database is not available")
    return await asyncio.to_thread(
        service.decision_log.stats, since=_unix(since), until=_unix(until), platform=platform, policy=policy
    )


@router.get(
    "/v1/stats", response_model=Stats, summary="Outcomes and nudge rates",
    responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "The decision log is off."}},
)
async def stats(
    service: ServiceDep, client: Admin, since: Since = None, until: Until = None,
    platform: PlatformQ = None, policy: PolicyQ = None,
) -> Response:
    """Checks, held posts and outcomes; per rule fired, edited away, posted anyway, cancelled and the nudge
    rate ((edited + cancelled) / held); per day and platform; the top reasons for posting anyway."""
    result = await _stats(service, since, until, platform, policy)
    return Response(result.model_dump_json(), media_type="application/json")


def _form_time(value: str | None, name: str) -> datetime | None:
    """A form field's date: empty means no bound (the form sends every field)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "validation_error", f"{name}: not an ISO 8601 date or time") from None


@router.get("/stats", include_in_schema=False)
async def dashboard(
    request: Request, service: ServiceDep, since: str | None = None, until: str | None = None,
    platform: PlatformQ = None, policy: PolicyQ = None,
) -> Response:
    try:
        await admin_client(request)
    except ApiError as exc:
        if exc.status == 401:  # the browser's own prompt: any user name, the admin key as password
            return error_response(401, exc.code, exc.message, {"WWW-Authenticate": 'Basic realm="postguard stats"'})
        raise
    since_at, until_at = _form_time(since, "since"), _form_time(until, "until")
    platform, policy = platform or None, policy or None
    result = await _stats(service, since_at, until_at, platform, policy)
    body, csp = render(result, {"since": since_at, "until": until_at, "platform": platform, "policy": policy})
    return Response(
        body, media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                 "Cache-Control": "no-store"},
    )

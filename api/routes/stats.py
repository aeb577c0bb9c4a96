"""GET /v1/stats (JSON) and GET /stats (the dashboard): what happened after the warnings; admin only."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BeforeValidator, WithJsonSchema
from starlette.responses import Response

from postguard.decisions import Stats

from postguard.api.dashboard import render
from postguard.api.deps import Admin, ServiceDep, admin_client
from postguard.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse, error_response
from postguard.api.service import Service

router = APIRouter(tags=["decisions"])

# RFC 3339's date-time and full-date, as the spec's formats say: pydantic's datetime also took
# "0.5" as a Unix time and naive times, which the declared date-time format refuses (ST201).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"([Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)


def _rfc3339(value: object) -> object:
    """An RFC 3339 date-time, or a date meaning its UTC midnight; anything else is refused."""
    if not isinstance(value, str):
        return value  # None, or a datetime given in Python
    try:
        if _DATE.fullmatch(value):
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), timezone.utc)
        if m := _DATE_TIME.fullmatch(value):
            day, hour, minute, second, frac, zone, sign, zh, zm = m.groups()
            if zone in "Zz":
                tz = timezone.utc
            elif int(zh) < 24 and int(zm) < 60:
                tz = timezone((-1 if sign == "-" else 1) * timedelta(hours=int(zh), minutes=int(zm)))
            else:
                raise ValueError
            # A leap second (:60) counts as the second before it: Python's datetime has none.
            return datetime.combine(date.fromisoformat(day), datetime.min.time(), tz).replace(
                hour=int(hour), minute=int(minute), second=min(int(second), 59),
                microsecond=int((frac or "0")[:6].ljust(6, "0")),
            )
    except (ValueError, OverflowError):
        pass
    raise ValueError("not an RFC 3339 date-time (2026-12-01T09:00:00Z) or date (2026-12-01)")


Time = Annotated[
    datetime,
    BeforeValidator(_rfc3339),
    WithJsonSchema({"anyOf": [{"type": "string", "format": f} for f in ("date-time", "date")]}),
]
Since = Annotated[Time | None, Query(description="From this time (RFC 3339 date-time, or a date: UTC midnight).")]
Until = Annotated[Time | None, Query(description="Before this time (as since).")]
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

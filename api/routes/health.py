"""GET /healthz (alive), /readyz (models and rules loaded) and /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from postguard.api.deps import ServiceDep
from postguard.api.errors import ErrorResponse
from postguard.api.models import Health

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz(service: ServiceDep) -> Health:
    status = "ok" if service.ready.is_set() else ("failed" if service.error else "loading")
    return Health(status=status, version=service.version, checks=service.check_names())


@router.get(
    "/readyz",
    response_model=Health,
    summary="Models and rules are loaded",
    responses={503: {"model": ErrorResponse, "description": "Still loading, or loading failed"}},
)
async def readyz(service: ServiceDep) -> Response:
    if service.ready.is_set():
        return JSONResponse(Health(status="ok", version=service.version, checks=service.check_names()).model_dump())
    code, message = ("load_failed", service.error) if service.error else ("not_ready", "models and rules are loading")
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=503, headers={"Retry-After": "1"})


@router.get(
    "/metrics",
    summary="Prometheus metrics (counts and timings; never text)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    m = request.app.state.metrics
    service = request.app.state.service
    m.ready.set(1 if service.ready.is_set() else 0)
    for step, seconds in list(service.start_steps.items()):
        m.start.labels(step).set(seconds)
    return Response(generate_latest(m.registry), media_type=CONTENT_TYPE_LATEST)

"""POST /v1/decisions: what the author did after a check, kept without the post's text."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from starlette.responses import Response

from postguard.api.deps import Client, ServiceDep
from postguard.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from postguard.api.models import DecisionRequest, DecisionResponse

router = APIRouter(prefix="/v1", tags=["decisions"], responses={
    **ERROR_RESPONSES,
    404: {"model": ErrorResponse, "description": "The decision log is off (decisions_off), or the check_id is not one "
          "this service issued or is older than 14 days (unknown_check_id)."},
})


@router.post(
    "/decisions", response_model=DecisionResponse, status_code=201, summary="Record what happened after a check",
    responses={200: {"model": DecisionResponse, "description": "Already recorded (a retried send)."}},
)
async def record_decision(body: DecisionRequest, request: Request, service: ServiceDep, client: Client) -> Response:
    """Keep the outcome, the check's platform, policy, verdict and rule ids, the reason, and a pseudonymous user key."""
    await service.wait_ready()
    if not service.settings.decisions:
        raise ApiError(404, "decisions_off", "this service keeps no decision log (POSTGUARD_DECISIONS=false)")
    store, ids = service.decision_log, service.check_ids
    if store is None or ids is None:
        raise ApiError(503, "decisions_unavailable", "the decision log's database is not available")
    decision = ids.read(
        body.check_id, body.outcome, reason=body.reason, rule_ids=body.rule_ids, user_key=store.user_key(client)
    )
    new = await asyncio.to_thread(store.record, decision)  # the database never blocks the event loop
    if new:
        request.app.state.metrics.decisions.labels(decision.outcome).inc()
    return Response(
        DecisionResponse(recorded=new).model_dump_json(), status_code=201 if new else 200, media_type="application/json"
    )

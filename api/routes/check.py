"""POST /v1/check and /v1/check/batch."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from postguard.api.deps import Client, ServiceDep, SettingsDep
from postguard.api.errors import ERROR_RESPONSES, ApiError
from postguard.api.middleware import LOG_KEY
from postguard.api.models import BatchRequest, BatchResponse, CheckRequest, CheckResponse, Offsets
from postguard.api.service import utf16_offsets
from postguard.report import Report

router = APIRouter(prefix="/v1", tags=["check"], responses=ERROR_RESPONSES)

OffsetsQuery = Annotated[
    Offsets | None, Query(description="'utf16': offsets in UTF-16 code units; overrides the body's 'offsets'.")
]


# The link lets a client, and Schemathesis's stateful phase, carry a check's id to its decision: a
# check_id cannot be made up, so without it POST /v1/decisions is only ever tried with unknown ids.
_DECISION_LINK = {"RecordDecision": {
    "operationId": "record_decision_v1_decisions_post",
    "requestBody": {"check_id": "$response.body#/check_id", "outcome": "edited"},
    "description": "Record what the author did after this check.",
}}


@router.post(
    "/check", response_model=CheckResponse, summary="Check one draft",
    responses={200: {"description": "Successful Response", "links": _DECISION_LINK}},
)
async def check(
    body: CheckRequest, request: Request, client: Client, offsets: OffsetsQuery = None
) -> Response:
    """The Report for one draft: findings sorted by span, scores and the verdict."""
    service = request.app.state.service  # not a dependency: this route is the hot path
    await service.wait_ready()
    policy = service.policy(body.policy)
    post = service.post(body.text, body.format, body.platform, body.metadata, policy)
    (report,) = await service.check([post], policy)
    _record(request, [report])
    mode = offsets or body.offsets or "python"
    ids = service.check_ids
    if mode == "python":
        data = report.model_dump_json()
        if ids is not None:  # spliced in: a second serialisation would cost more than the id
            data = f'{data[:-1]},"check_id":"{ids.issue(report)}"}}'
        return Response(data, media_type="application/json")
    out = _report_dict(report, body.text, mode)
    if ids is not None:
        out["check_id"] = ids.issue(report)
    return Response(_dumps(out), media_type="application/json")


@router.post("/check/batch", response_model=BatchResponse, summary="Check several drafts as one batch")
async def check_batch(
    body: BatchRequest,
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    client: Client,
    offsets: OffsetsQuery = None,
) -> Response:
    """One report per item, in order. Items may name different platforms, formats and policies."""
    if len(body.items) > settings.max_batch_items:
        raise ApiError(
            413, "batch_too_large", f"{len(body.items)} items; at most {settings.max_batch_items} per batch"
        )
    await service.wait_ready()
    by_policy: dict[str, list[int]] = {}
    posts = []
    for i, item in enumerate(body.items):
        policy = service.policy(item.policy)
        posts.append(service.post(item.text, item.format, item.platform, item.metadata, policy, i))
        by_policy.setdefault(policy.name, []).append(i)
    reports: list[Report | None] = [None] * len(posts)
    for name, idx in by_policy.items():
        got = await service.check([posts[i] for i in idx], service.policies[name])
        for i, rep in zip(idx, got):
            reports[i] = rep
    done = [r for r in reports if r is not None]
    _record(request, done)
    out = [
        _report_dict(rep, item.text, offsets or item.offsets or "python") for rep, item in zip(done, body.items)
    ]
    if service.check_ids is not None:
        for rep, data in zip(done, out):
            data["check_id"] = service.check_ids.issue(rep)
    return Response(_dumps({"reports": out}), media_type="application/json")


def _report_dict(report: Report, text: str, mode: str) -> dict:
    data = report.model_dump(mode="json")
    if mode == "utf16":
        to16 = utf16_offsets(text)
        for f in data["findings"]:
            f["start"], f["end"] = to16(f["start"]), to16(f["end"])
        for g in data["groups"]:
            g["start"], g["end"] = to16(g["start"]), to16(g["end"])
    return data


def _dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _record(request: Request, reports: list[Report]) -> None:
    """Metrics and the request's log line: verdicts and finding counts per category, never text."""
    metrics = request.app.state.metrics
    counts: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    for rep in reports:
        verdicts[rep.verdict] += 1
        for f in rep.findings:
            counts[f.category] += 1
    for category, n in counts.items():
        metrics.findings.labels(category).inc(n)
    for verdict, n in verdicts.items():
        metrics.verdicts.labels(verdict).inc(n)
    info = request.scope.get(LOG_KEY)
    if info is not None:
        if len(reports) == 1:
            info["verdict"] = reports[0].verdict
        else:
            info["items"] = len(reports)
            info["verdicts"] = dict(verdicts)
        info["findings"] = dict(counts)

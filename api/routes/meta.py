"""GET /v1/policies, /v1/rules and /v1/platforms: what a client can choose from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from postguard.api.deps import Client, ServiceDep
from postguard.api.errors import ERROR_RESPONSES
from postguard.api.models import (
    POLICY_NAME,
    PlatformInfo,
    PlatformsResponse,
    PoliciesResponse,
    PolicyInfo,
    PostAnyway,
    RuleInfo,
    RulesResponse,
)
from postguard.platforms import PLATFORMS

router = APIRouter(prefix="/v1", tags=["reference"], responses=ERROR_RESPONSES)


@router.get("/policies", response_model=PoliciesResponse, summary="Policies a request may name")
async def policies(service: ServiceDep, client: Client) -> PoliciesResponse:
    """Each policy with what the author must do to post despite findings (``post_anyway``)."""
    await service.wait_ready()
    return PoliciesResponse(
        policies=[
            PolicyInfo(
                name=name,
                description=" ".join(p.description.split()),
                post_anyway=PostAnyway(
                    allowed_on_block=p.post_anyway.allowed_on_block,
                    require_reason=p.post_anyway.require_reason,
                    reasons=list(p.post_anyway.reasons),
                ),
            )
            for name, p in sorted(service.policies.items())
        ],
        default=service.policy(None).name,
    )


@router.get("/rules", response_model=RulesResponse, summary="Rules a policy runs")
async def rules(
    service: ServiceDep,
    client: Client,
    policy: Annotated[str | None, Query(pattern=POLICY_NAME, description="Default: the service's policy.")] = None,
) -> RulesResponse:
    """Ids, kinds, severities and descriptions of the rules the policy's checks run."""
    await service.wait_ready()
    pol = service.policy(policy)
    return RulesResponse(policy=pol.name, rules=[RuleInfo(**r) for r in service.rules(pol)])


@router.get("/platforms", response_model=PlatformsResponse, summary="Platforms and their length limits")
async def platforms(client: Client) -> PlatformsResponse:
    return PlatformsResponse(
        platforms=[
            PlatformInfo(name=p.name, label=p.label, limit=p.limit, aliases=list(p.aliases))
            for p in PLATFORMS.values()
        ]
    )

"""Dependencies for route handlers, with ``Annotated`` aliases."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import Depends, Request

from postguard.api.errors import ApiError
from postguard.api.ratelimit import retry_after
from postguard.api.service import Service
from postguard.api.settings import Settings, get_settings

# Dependencies are coroutines although they never wait: FastAPI runs a plain function in the
# thread pool, a thread hop per dependency per request.


async def app_settings(request: Request) -> Settings:
    """The app's settings, or what a test put in place of ``get_settings``.

    Read here rather than through ``dependency_overrides``: FastAPI rebuilds every dependency of
    every request while any override is set.
    """
    override = request.app.dependency_overrides.get(get_settings)
    return override() if override is not None else request.app.state.settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


async def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


def authenticate(request: Request, settings: Settings) -> str:
    """The caller's identity: a short id of its API key, or its address when no keys are set."""
    if not settings.auth_enabled:
        client = request.client
        return f"addr:{client.host if client else 'unknown'}"
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() == "basic":  # browsers' own prompt (the /stats page): the key is the password
        try:
            key = base64.b64decode(key.strip(), validate=True).decode("utf-8").partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            key = ""
    elif scheme.lower() != "bearer":
        key = ""
    if not key.strip():
        raise ApiError(
            401, "unauthorized", "an API key is required: send 'Authorization: Bearer <key>'",
            {"WWW-Authenticate": "Bearer"},
        )
    key_id = settings.key_id(key.strip())
    if key_id is None:
        raise ApiError(403, "forbidden", "the API key is not valid")
    return f"key:{key_id}"


# One dependency, not a chain of three: FastAPI's dependency solving costs about as much per
# dependency as the rest of a small request's handling.
async def rate_limited_client(request: Request) -> str:
    """Authenticate, then take one request from the client's allowance (429 when it is used up)."""
    client = authenticate(request, await app_settings(request))
    limiter = request.app.state.limiter
    if limiter is not None:
        wait = await limiter.hit(client)
        if wait is not None:
            raise ApiError(
                429, "rate_limited", f"too many requests; retry after {retry_after(wait)} s",
                {"Retry-After": retry_after(wait)},
            )
    return client


Client = Annotated[str, Depends(rate_limited_client)]


async def admin_client(request: Request) -> str:
    """A client whose key has the admin scope (any client while no keys are configured)."""
    client = await rate_limited_client(request)
    settings = await app_settings(request)
    if settings.auth_enabled and client.removeprefix("key:") not in settings.admin_ids:
        raise ApiError(403, "forbidden", "this needs an API key with the admin scope (POSTGUARD_ADMIN_KEYS)")
    return client


Admin = Annotated[str, Depends(admin_client)]

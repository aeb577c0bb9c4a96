"""Every error the service returns, as JSON ``{"error": {"code", "message"}}`` — never a traceback.

Library errors map to HTTP here (the library itself knows nothing of HTTP):

    InputError -> 422 invalid_input       TextTooLongError -> 422 text_too_long
    PolicyError -> 422 invalid_policy     ModelError -> 503 model_unavailable
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from postguard.errors import InputError, ModelError, PolicyError, PostguardError, TextTooLongError

log = logging.getLogger("postguard.api")


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable, e.g. 'unauthorized', 'rate_limited'.")
    message: str = Field(description="What was wrong, for a person.")


class ErrorResponse(BaseModel):
    """The shape of every 4xx and 5xx response."""

    error: ErrorBody


class ApiError(Exception):
    """An error the service answers with directly."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class BodyTooLarge(StarletteHTTPException):
    """Raised from the receive channel once a body passes the limit (an HTTPException so FastAPI's
    body reader re-raises it instead of turning it into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes")


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
    504: "timeout",
}


def error_response(status: int, code: str | None, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one way an error leaves the service (ASCII JSON, so any input echoed back is safe)."""
    body = {"error": {"code": code or _CODES.get(status, "error"), "message": message}}
    return Response(
        json.dumps(body, ensure_ascii=True).encode("ascii"),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _library_error(exc: PostguardError) -> tuple[int, str]:
    if isinstance(exc, TextTooLongError):
        return 422, "text_too_long"
    if isinstance(exc, InputError):
        return 422, "invalid_input"
    if isinstance(exc, PolicyError):
        return 422, "invalid_policy"
    if isinstance(exc, ModelError):
        return 503, "model_unavailable"
    return 500, "internal_error"


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        msg = err.get("msg", "invalid")
        if err.get("type") == "json_invalid":
            msg = f"invalid JSON ({err.get('ctx', {}).get('error', 'decode error')})"
            loc = "body"
        parts.append(f"{loc}: {msg}")
    more = len(exc.errors()) - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(PostguardError)
    async def _library(request: Request, exc: PostguardError) -> Response:
        status, code = _library_error(exc)
        if status >= 500:
            log.error("library error: %s", type(exc).__name__)
        return error_response(status, code, str(exc) if status < 500 or status == 503 else "internal error")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return error_response(422, "validation_error", _describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if isinstance(exc.__cause__, UnicodeDecodeError):
            message = f"the body is not valid UTF-8 (byte {exc.__cause__.start})"
        if isinstance(exc.__cause__, RecursionError):  # FastAPI's body reader makes it a 400
            return error_response(422, "validation_error", "body: invalid JSON (nested too deeply)")
        return error_response(exc.status_code, None, message, dict(exc.headers or {}))

    # Anything else is answered with a bare 500 by AccessMiddleware, which logs only its type.


#: For route decorators: the error responses every /v1 route may give, in the OpenAPI spec.
ERROR_RESPONSES: dict[int | str, dict] = {
    status: {"model": ErrorResponse, "description": HTTPStatus(status).phrase}
    for status in (400, 401, 403, 413, 415, 422, 429, 503, 504)
}

"""Errors the API answers with: a stable ``error`` code for programs and a ``detail`` for people."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from navigator_server.api.schemas import ErrorOut

_MEANINGS = {
    400: "The request cannot be read (a malformed header).",
    401: "No valid device token, or enrolment refused.",
    403: "Not allowed for this user, or the device is revoked (then the body says wipe).",
    404: "No such thing, or not in the caller's scope.",
    413: "The request body is too large.",
    422: "The request is not valid: the body says which field and why.",
    429: "Too many attempts: wait (Retry-After says how long).",
    500: "Something went wrong on the server (the body names no data).",
}
# Every error any route can answer with, in one shape: declared on every router (and so on every
# route) so that the OpenAPI document describes every answer the API gives.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": meaning} for status, meaning in _MEANINGS.items()
}


class ApiError(Exception):
    def __init__(
        self, status: int, error: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
    ):
        self.status, self.error, self.detail, self.headers, self.extra = status, error, detail, headers, extra
        super().__init__(detail)


def device_revoked() -> ApiError:
    # Distinct from a bad token (401) and from a refusal (403 forbidden): the laptop must wipe itself.
    return ApiError(
        403,
        "device_revoked",
        "This device has been revoked. Its local data must be wiped.",
        headers={"X-Navigator-Action": "wipe"},
        wipe=True,
    )


def not_authenticated() -> ApiError:
    return ApiError(
        401,
        "not_authenticated",
        "A valid device token is needed (Authorization: Bearer ...).",
        headers={"WWW-Authenticate": "Bearer"},
    )


def forbidden(detail: str) -> ApiError:
    return ApiError(403, "forbidden", detail)


async def api_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    body = {"error": exc.error, "detail": exc.detail, **exc.extra}
    return JSONResponse(body, status_code=exc.status, headers=exc.headers)


async def validation_error_handler(_request: Request, exc: Exception) -> Response:
    """422 naming each field and what is wrong with it, without echoing the input back (it may be
    large, or text no encoder takes); written as ASCII JSON so any field name survives."""
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"loc": [str(part)[:60] for part in error.get("loc", ())], "msg": str(error.get("msg", ""))[:200]}
        for error in exc.errors()[:20]
    ]
    summary = "; ".join(f"{'.'.join(p['loc'])}: {p['msg']}" for p in problems) or "The request is not valid."
    body = {"error": "invalid", "detail": summary, "problems": problems}
    return Response(json.dumps(body, ensure_ascii=True), status_code=422, media_type="application/json")


_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """The framework's own errors in the API's one shape (ErrorOut). A body FastAPI cannot parse
    (its 400) is the documented 422; a 405 lists every method the path has, not only the first
    route's."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:
        body = {"error": "invalid", "detail": "The body is not JSON text in UTF-8."}
        return JSONResponse(body, status_code=422)
    headers = dict(exc.headers or {})
    documented = _documented_methods(request) if exc.status_code == 405 else []
    if documented:  # (the pages left out of the document keep the framework's header)
        headers["Allow"] = ", ".join(documented)
    error = _CODES.get(exc.status_code, "http_error")
    body = {"error": error, "detail": str(exc.detail)}
    return JSONResponse(body, status_code=exc.status_code, headers=headers or None)


def _documented_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document lists for the request's path (routes of one path are
    separate routes, and the framework's 405 names only the first one's)."""
    found: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if compile_path(template)[0].match(request.url.path):
            found.update(method.upper() for method in operations)
    return sorted(found)

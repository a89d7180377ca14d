"""Errors the API answers with: a stable ``error`` code for programs and a ``detail`` for people."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response


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

"""Enrolment, push, pull and break-glass: what a laptop calls."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from navigator_server import accounts, pull
from navigator_server.accounts import Principal
from navigator_server.api.deps import STAFF, PrincipalDep, ServicesDep, client_address, require_role
from navigator_server.api.errors import ERROR_RESPONSES, ApiError, forbidden
from navigator_server.api.schemas import (
    BreakGlassRequest,
    BreakGlassResponse,
    ChangesResponse,
    EnrolRequest,
    EnrolResponse,
    Me,
    PushRequest,
    PushResponse,
)
from navigator_server.metrics import PUSH_OPS
from navigator_server.settings import Settings

log = logging.getLogger("navigator_server.api")
router = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)
_NO_ADMIN_WRITES = "Administrators manage users and devices and do not write client records."
WriterDep = Annotated[Principal, Depends(require_role(*STAFF, refusal=_NO_ADMIN_WRITES))]
ReaderDep = Annotated[
    Principal, Depends(require_role(*STAFF, refusal="Administrators do not receive client records."))
]


@router.post("/enrol", response_model=EnrolResponse)
def enrol(body: EnrolRequest, request: Request, svc: ServicesDep) -> EnrolResponse:
    """Exchange a one-time enrolment code and the user's password for this device's token."""
    address = client_address(request)
    try:
        with svc.db.write() as conn:
            # The body's fields are enrol's own keywords (username, code, password, device name, id).
            result = accounts.enrol(conn, svc.passwords, svc.settings, address=address, **body.model_dump())
    except accounts.RateLimitError as exc:
        raise ApiError(429, "rate_limited", str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
    except accounts.EnrolmentError as exc:
        accounts.record_failure(svc.db.write, svc.settings, body.username, address)
        log.info("enrolment refused")
        raise ApiError(401, "enrolment_refused", str(exc), reason=exc.reason) from None
    return EnrolResponse(**result, **_laptop_policy(svc.settings))


@router.get("/me", response_model=Me)
def me(who: PrincipalDep, svc: ServicesDep) -> Me:
    return Me(
        user_id=who.user_id,
        team_id=who.team_id,
        role=who.role.value,
        device_id=who.device_id,
        **_laptop_policy(svc.settings),
    )


def _laptop_policy(settings: Settings) -> dict[str, Any]:
    """The laptop protection the organisation imposes, handed out at enrolment and in /me."""
    return {
        "retention_days": settings.retention_days,
        "wipe_after_failures": settings.wipe_after_failures,
        "idle_lock_minutes": settings.idle_lock_minutes,
    }


@router.post("/push", response_model=PushResponse)
async def push_ops(body: PushRequest, who: WriterDep, svc: ServicesDep) -> Response:
    """Apply a batch of operations; each is answered applied, already applied, conflict recorded
    or rejected with a reason. Replaying a batch changes nothing."""
    if len(body.ops) > svc.settings.max_batch_ops:
        raise ApiError(
            422, "batch_too_large", f"A batch may hold at most {svc.settings.max_batch_ops} operations."
        )
    PUSH_OPS.observe(len(body.ops))
    results = await svc.pushes.submit((who, body.ops))  # with the others waiting (push_queue.py)
    return _json({"results": [r.as_dict() for r in results]}, PushResponse)


@router.get("/changes", response_model=ChangesResponse)
def changes(
    who: ReaderDep,
    svc: ServicesDep,
    since: Annotated[int, Query(ge=0, le=2**62, description="the cursor from the last page; 0 at first")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> Response:
    """Changes after `since` within the caller's scope, oldest first, one page at a time."""
    page = min(limit or svc.settings.max_page, svc.settings.max_page)
    if svc.sweeper is not None:
        svc.sweeper.before_pull()  # overdue visits marked before the on-call laptop reads the feed
    with svc.db.read() as conn:
        body = pull.page_json(
            conn,
            who.actor,
            since,
            page,
            retention_days=svc.settings.retention_days,
            max_bytes=svc.settings.max_page_bytes,
        )
    return Response(body, media_type="application/json")


def _json(result: dict[str, Any], model: type[BaseModel]) -> Response:
    """The answer serialised by orjson straight from the dicts the server built: validating
    thousands of items into models and back (FastAPI's default) cost more than the query.
    (What orjson cannot write, such as an integer beyond 64 bits, goes the validated way.)"""
    try:
        body = orjson.dumps(result)
    except orjson.JSONEncodeError:
        body = model.model_validate(result).model_dump_json().encode()
    return Response(body, media_type="application/json")


@router.post("/break-glass", response_model=BreakGlassResponse)
def break_glass(body: BreakGlassRequest, who: PrincipalDep, svc: ServicesDep) -> BreakGlassResponse:
    """A client's full record outside one's caseload, online only; the reason is recorded."""
    try:
        with svc.db.write() as conn:
            result = pull.break_glass(conn, who.actor, who.device_id, body.client_id, body.reason)
    except pull.BreakGlassError as exc:
        # The refusal is audited too (its own transaction: the request fails), so a manager sees
        # who tried to look at whom; the reason typed, if any, is kept as it was given.
        with svc.db.write() as conn:
            accounts.audit(
                conn,
                "break_glass_refused",
                actor_id=who.user_id,
                device_id=who.device_id,
                target_kind="client",
                target_id=body.client_id,
                reason=body.reason.strip() or None,
            )
        raise forbidden(str(exc)) from None
    return BreakGlassResponse.model_validate(result)

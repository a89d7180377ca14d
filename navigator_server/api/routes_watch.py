"""A locked on-call laptop's narrow watch (live/watch.py): obtain a watch token with the device
token, then read counts with it. The watch token opens ``GET /v1/watch`` and nothing else."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from navigator_server import accounts
from navigator_server.api.deps import PrincipalDep, ServicesDep
from navigator_server.api.errors import ApiError, forbidden
from navigator_server.api.schemas import ErrorOut
from navigator_server.api.schemas_live import WatchCounts, WatchToken
from navigator_server.live import watch

router = APIRouter(prefix="/v1", responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}})


@router.post("/watch-token", response_model=WatchToken)
def watch_token(
    who: PrincipalDep,
    svc: ServicesDep,
    hours: Annotated[float | None, Query(gt=0, le=24 * 7, description="at most the server's maximum")] = None,
) -> WatchToken:
    """A short-lived token (the server's maximum by default: NAVIGATOR_WATCH_TOKEN_HOURS) whose
    only use is GET /v1/watch. The laptop keeps it in memory, never on disk."""
    if who.actor.role.value == "admin":
        raise forbidden("Administrators have no team to watch.")
    life = min(hours or svc.settings.watch_token_hours, svc.settings.watch_token_hours)
    with svc.db.write() as conn:
        token, expires = watch.issue(conn, who.device_id, life)
        accounts.audit(conn, "watch_token", actor_id=who.user_id, device_id=who.device_id)
    return WatchToken(token=token, expires_at=expires)


@router.get("/watch", response_model=WatchCounts)
def watch_counts(request: Request, svc: ServicesDep) -> WatchCounts:
    """With a watch token: how many of the team's visits are overdue now, and how many urgent
    handover notes for on call, the team or this user are valid and not acknowledged by them.
    Counts only: no ids, no names."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    with svc.db.read() as conn:
        who = watch.verify(conn, token.strip()) if scheme.lower() == "bearer" else None
        if who is None:
            raise ApiError(
                401,
                "not_authenticated",
                "A valid watch token is needed (POST /v1/watch-token with the device token).",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return WatchCounts.model_validate(watch.counts(conn, who))

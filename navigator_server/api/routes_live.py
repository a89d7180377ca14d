"""Live sync: ``GET /v1/changes/wait``, the long-poll a laptop holds while online and unlocked.

An async handler: the request is a coroutine parked in the process's notifier (live/notifier.py)
until its team's feed moves or the wait is over, never a thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request

from navigator_server.api.deps import PrincipalDep, ServicesDep
from navigator_server.api.errors import forbidden
from navigator_server.api.schemas import ErrorOut
from navigator_server.api.schemas_live import ChangesWait
from navigator_server.live.notifier import FeedNotifier


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    found = getattr(app.state, "live_notifier", None)
    if found is not None:
        await found.stop()


router = APIRouter(
    prefix="/v1", responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}}, lifespan=_lifespan
)


def notifier(request: Request, svc: ServicesDep) -> FeedNotifier:
    """The process's notifier, made at the first wait."""
    found: FeedNotifier | None = getattr(request.app.state, "live_notifier", None)
    if found is None:
        found = request.app.state.live_notifier = FeedNotifier(svc.db, svc.settings)
    return found


@router.get("/changes/wait", response_model=ChangesWait)
async def wait_for_changes(
    who: PrincipalDep,
    svc: ServicesDep,
    live: Annotated[FeedNotifier, Depends(notifier)],
    since: Annotated[int, Query(ge=0, le=2**62, description="the laptop's cursor (as for /v1/changes)")] = 0,
    timeout: Annotated[
        float | None,
        Query(gt=0, le=3600, description="seconds to wait (default and maximum: the server's settings)"),
    ] = None,
) -> ChangesWait:
    """Answers as soon as the caller's team feed has an entry after `since` (`changed: true`: pull
    now), else `changed: false` when the wait is over. The team's feed is what /v1/changes reads;
    the pull decides what of it the caller may hold."""
    if who.actor.role.value == "admin":
        raise forbidden("Administrators do not receive client records.")
    seconds = min(timeout or svc.settings.live_wait_seconds, svc.settings.live_wait_max_seconds)
    latest = await live.wait(who.team_id, since, seconds)
    if latest is None:
        return ChangesWait(changed=False, seq=since)
    return ChangesWait(changed=True, seq=latest)

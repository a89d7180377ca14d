"""The access audit, for a team's manager: who viewed which client, when, from where and why."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from navigator_core import timeutil
from navigator_core.policy import Role
from navigator_server import access_audit
from navigator_server.accounts import Principal
from navigator_server.api.deps import ServicesDep, require_role
from navigator_server.api.errors import ERROR_RESPONSES, ApiError
from navigator_server.api.schemas import UUID_PATTERN, AccessAudit, AccessEntry

router = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)
ManagerDep = Annotated[
    Principal, Depends(require_role(Role.MANAGER, refusal="Only a team manager may read the access audit."))
]


def _instant(text: str | None, name: str) -> str | None:
    if not text:
        return None
    try:
        return timeutil.to_text(timeutil.parse(text))
    except ValueError:
        raise ApiError(422, "invalid", f"{name} must be an ISO 8601 time with its zone.") from None


@router.get("/access-audit", response_model=AccessAudit)
def access_audit_log(
    who: ManagerDep,
    svc: ServicesDep,
    client_id: Annotated[str | None, Query(pattern=UUID_PATTERN)] = None,
    since: Annotated[str | None, Query(max_length=40, description="from this instant (inclusive)")] = None,
    until: Annotated[str | None, Query(max_length=40, description="before this instant")] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> AccessAudit:
    """Views, exports and break-glass reads of the manager's own team's clients, newest first.
    Only a manager reads it: it says who looked at whom, which is itself personal data."""
    query = access_audit.Query(
        team_id=who.team_id,
        client_id=client_id,
        since=_instant(since, "since"),
        until=_instant(until, "until"),
        limit=limit,
    )
    with svc.db.read() as conn:
        found, more = access_audit.entries(conn, query)
    return AccessAudit(entries=[AccessEntry.model_validate(e) for e in found], more=more)

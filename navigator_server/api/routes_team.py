"""The team directory and the on-call rota."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Path

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_core.policy import may_manage_rota
from navigator_server.api.deps import PrincipalDep, ServicesDep
from navigator_server.api.errors import ERROR_RESPONSES, ApiError, forbidden
from navigator_server.api.schemas import UUID_PATTERN, Directory, DirectoryUser, RotaIn, RotaShift
from navigator_server.schema import rota, teams, users

router = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)


@router.get("/directory", response_model=Directory)
def directory(who: PrincipalDep, svc: ServicesDep) -> Directory:
    """The caller's team: its people and its on-call rota from a day ago onwards."""
    since = timeutil.to_text(timeutil.utcnow().replace(hour=0, minute=0, second=0, microsecond=0))
    with svc.db.read() as conn:
        name = conn.execute(sa.select(teams.c.name).where(teams.c.id == who.team_id)).scalar_one()
        people = conn.execute(
            sa.select(users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.active)
            .where(users.c.team_id == who.team_id)
            .order_by(users.c.display_name)
        )
        shifts = conn.execute(
            sa.select(rota.c.id, rota.c.user_id, rota.c.starts_at, rota.c.ends_at)
            .where(rota.c.team_id == who.team_id, rota.c.ends_at >= since)
            .order_by(rota.c.starts_at)
        )
        return Directory(
            team_id=who.team_id,
            team_name=name,
            users=[DirectoryUser.model_validate(dict(r._mapping)) for r in people],
            rota=[RotaShift.model_validate(dict(r._mapping)) for r in shifts],
        )


@router.post("/rota", response_model=RotaShift, status_code=201)
def add_shift(body: RotaIn, who: PrincipalDep, svc: ServicesDep) -> RotaShift:
    """Put a member of the manager's team on call for a period."""
    if not may_manage_rota(who.actor, who.team_id):
        raise forbidden("Only the team's manager may change the on-call rota.")
    try:
        starts, ends = timeutil.parse(body.starts_at), timeutil.parse(body.ends_at)
    except ValueError:
        raise ApiError(
            422, "invalid", "starts_at and ends_at must be ISO 8601 times with their zone."
        ) from None
    if ends <= starts:
        raise ApiError(422, "invalid", "A shift must end after it starts.")
    with svc.db.write() as conn:
        member = conn.execute(
            sa.select(users.c.id).where(users.c.id == body.user_id, users.c.team_id == who.team_id)
        ).first()
        if member is None:
            raise ApiError(422, "invalid", "That person is not in your team.")
        shift_id = new_id()
        values = {
            "id": shift_id,
            "team_id": who.team_id,
            "user_id": body.user_id,
            "starts_at": timeutil.to_text(starts),
            "ends_at": timeutil.to_text(ends),
        }
        conn.execute(rota.insert().values(**values))
    return RotaShift(
        id=shift_id, user_id=body.user_id, starts_at=values["starts_at"], ends_at=values["ends_at"]
    )


@router.delete("/rota/{shift_id}", status_code=204)
def remove_shift(
    shift_id: Annotated[str, Path(pattern=UUID_PATTERN)], who: PrincipalDep, svc: ServicesDep
) -> None:
    if not may_manage_rota(who.actor, who.team_id):
        raise forbidden("Only the team's manager may change the on-call rota.")
    with svc.db.write() as conn:
        gone = conn.execute(rota.delete().where(rota.c.id == shift_id, rota.c.team_id == who.team_id))
        if gone.rowcount != 1:
            raise ApiError(404, "not_found", "No such shift in your team's rota.")

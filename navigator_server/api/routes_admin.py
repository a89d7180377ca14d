"""Administration: teams, users, enrolment codes, devices and the server's audit log. Admins only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query
from pydantic import TypeAdapter
from sqlalchemy.engine import Connection

from navigator_core.policy import Role
from navigator_server import accounts
from navigator_server.api.deps import AdminDep, Services, ServicesDep
from navigator_server.api.errors import ERROR_RESPONSES, ApiError
from navigator_server.api.schemas import (
    UUID_PATTERN,
    AuditOut,
    DeviceOut,
    EnrolmentCode,
    TeamIn,
    TeamOut,
    UserIn,
    UserOut,
)
from navigator_server.schema import audit_log

router = APIRouter(prefix="/v1/admin", responses=ERROR_RESPONSES)
IdPath = Annotated[str, Path(pattern=UUID_PATTERN)]


@contextmanager
def _account_write(svc: Services, status: int = 422, error: str = "invalid") -> Iterator[Connection]:
    """A write transaction whose AccountError becomes the API's `status` answer."""
    try:
        with svc.db.write() as conn:
            yield conn
    except accounts.AccountError as exc:
        raise ApiError(status, error, str(exc)) from None


def _list_route(name: str, rows: Callable[[Connection], list[dict[str, Any]]], answer: Any) -> None:
    """GET /v1/admin/<name>: every row `rows` reads, as `answer` (a list of one API model)."""
    adapter = TypeAdapter(answer)

    def listed(_who: AdminDep, svc: ServicesDep) -> Any:
        with svc.db.read() as conn:
            return adapter.validate_python(rows(conn))

    router.add_api_route(f"/{name}", listed, methods=["GET"], response_model=answer, name=f"list_{name}")


_list_route("teams", accounts.list_teams, list[TeamOut])
_list_route("users", accounts.list_users, list[UserOut])
_list_route("devices", accounts.list_devices, list[DeviceOut])


@router.post("/teams", response_model=TeamOut, status_code=201)
def create_team(body: TeamIn, who: AdminDep, svc: ServicesDep) -> TeamOut:
    with _account_write(svc) as conn:
        team_id = accounts.create_team(conn, body.name, actor_id=who.user_id)
    return TeamOut(id=team_id, name=body.name.strip())


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, who: AdminDep, svc: ServicesDep) -> UserOut:
    with _account_write(svc) as conn:
        user_id = accounts.create_user(
            conn,
            svc.passwords,
            svc.settings,
            username=body.username,
            team_id=body.team_id,
            role=Role.parse(body.role),
            password=body.password,
            display_name=body.display_name,
            actor_id=who.user_id,
        )
        found = next(u for u in accounts.list_users(conn) if u["id"] == user_id)
    return UserOut.model_validate(found)


@router.post("/users/{user_id}/enrolment-code", response_model=EnrolmentCode, status_code=201)
def enrolment_code(user_id: IdPath, who: AdminDep, svc: ServicesDep) -> EnrolmentCode:
    """A one-time code, expiring, for the user to enrol a new laptop with their password."""
    with _account_write(svc, 404, "not_found") as conn:
        code, expires = accounts.issue_enrolment_code(conn, svc.settings, user_id, actor_id=who.user_id)
    return EnrolmentCode(code=code, expires_at=expires)


@router.post("/devices/{device_id}/revoke", status_code=204)
def revoke_device(device_id: IdPath, who: AdminDep, svc: ServicesDep) -> None:
    """Refuse the device from now on; its next call tells it to wipe itself."""
    with _account_write(svc, 404, "not_found") as conn:
        accounts.revoke_device(conn, device_id, actor_id=who.user_id)


@router.get("/audit", response_model=list[AuditOut])
def audit(
    _who: AdminDep,
    svc: ServicesDep,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AuditOut]:
    """What the server did on people's behalf, newest first: enrolments, revocations, break-glass."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(audit_log.c.id < before)
    with svc.db.read() as conn:
        return [AuditOut.model_validate(dict(r._mapping)) for r in conn.execute(query)]

"""Route dependencies: the server's services, and the caller behind the device token."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request

from navigator_core import timeutil
from navigator_core.policy import Role
from navigator_server import accounts, push
from navigator_server.api.errors import device_revoked, forbidden, not_authenticated
from navigator_server.api.push_queue import Grouped
from navigator_server.db import Database
from navigator_server.escalation.runner import Runner
from navigator_server.overdue import Sweeper
from navigator_server.security import Passwords
from navigator_server.settings import Settings

_TOUCH_EVERY = timedelta(minutes=5)
Push = tuple[accounts.Principal, list[Any]]  # who pushes, and their batch as it came


@dataclass
class Services:
    settings: Settings
    db: Database
    passwords: Passwords
    sweeper: Sweeper | None = None  # the overdue sweep, throttled before pulls (overdue.py)
    runner: Runner | None = None  # sends the escalation chains' steps (escalation/runner.py)
    pushes: Grouped[Push, list[push.OpResult]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        most = self.settings.max_batch_ops  # operations in one group: no more than one push may carry
        self.pushes = Grouped(self._push_together, self._push_alone, lambda p: len(p[1]), most)

    def _push_together(self, pushes: Sequence[Push]) -> list[list[push.OpResult]]:
        with self.db.write() as conn:
            return push.push_many(conn, pushes, limits=self.settings.time_limits)

    def _push_alone(self, one: Push) -> list[push.OpResult]:
        with self.db.write() as conn:
            return push.push(conn, one[0], one[1], limits=self.settings.time_limits)


async def services(request: Request) -> Services:
    """Async because it does no I/O: FastAPI runs a plain function dependency on its thread pool,
    and each hop there cost a request more than the function does."""
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


def principal(request: Request, svc: ServicesDep) -> accounts.Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise not_authenticated()
    with svc.db.lookup() as conn:  # one statement: no transaction needed
        found = accounts.authenticate_seen(conn, token.strip())
    if found is None:
        raise not_authenticated()
    who, last_seen = found
    if who.revoked:
        raise device_revoked()
    stale = timeutil.to_text(timeutil.utcnow() - _TOUCH_EVERY)
    if last_seen is None or last_seen < stale:
        with svc.db.write() as conn:
            accounts.touch_device(conn, who.device_id)
    return who


PrincipalDep = Annotated[accounts.Principal, Depends(principal)]


def require_role(
    *roles: Role, refusal: str
) -> Callable[[accounts.Principal], Coroutine[Any, Any, accounts.Principal]]:
    """The one way a route limits itself to some roles: a dependency answering 403 `refusal` to
    anyone else (tests/server/test_layering.py: no route compares roles itself)."""
    allowed = frozenset(roles)

    async def check(who: PrincipalDep) -> accounts.Principal:  # no I/O: not on the thread pool
        if who.actor.role not in allowed:
            raise forbidden(refusal)
        return who

    return check


STAFF = (
    Role.NAVIGATOR,
    Role.ON_CALL,
    Role.MANAGER,
    Role.PEER_SUPPORT,
)  # everyone who works with client records
AdminDep = Annotated[
    accounts.Principal, Depends(require_role(Role.ADMIN, refusal="Only administrators may do this."))
]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"

"""The reporting period (whole London calendar months) and the scope (whose clients)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from navigator_core import timeutil
from navigator_core.policy import Access, ClientFacts, Role, client_access
from navigator_core.policy import Actor as PolicyActor
from navigator_desktop.store import codec, directory
from navigator_desktop.store.db import Database


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months from `start` (a 1st) up to, not including, `end` (a 1st)."""

    start: date
    end: date

    @classmethod
    def last_full_months(cls, count: int = 12, today: date | None = None) -> Period:
        end = (today or local_today()).replace(day=1)
        return cls(_add_months(end, -count), end)

    def months(self) -> list[date]:
        found, month = [], self.start
        while month < self.end:
            found.append(month)
            month = _add_months(month, 1)
        return found

    @property
    def label(self) -> str:
        last = _add_months(self.end, -1)
        return f"{self.start:%b %Y} to {last:%b %Y}" if last != self.start else f"{self.start:%B %Y}"


def local_today() -> date:
    return timeutil.local(timeutil.utcnow()).date()


def instant(day: date) -> str:
    """London midnight at the start of `day`, as stored instants are written (UTC text)."""
    return timeutil.to_text(datetime.combine(day, time(0), timeutil.LONDON))


@dataclass(frozen=True)
class Scope:
    kind: str  # "caseload" or "team"
    label: str
    role: Role
    client_ids: tuple[str, ...]


def scope_for(db: Database, user_id: str) -> Scope:
    """The clients `user_id` reports on: their caseload, or the team's for a manager."""
    me = directory.user(db, user_id)
    role = Role.parse(str(me["role"])) if me else Role.NAVIGATOR
    team_id = str(me["team_id"]) if me and me["team_id"] else None
    rows = db.query("SELECT id, team_id, status, key_worker_id, co_worker_ids FROM clients WHERE deleted = 0")
    ids = []
    for row in rows:
        co_workers = codec.loads(row["co_worker_ids"]) if row["co_worker_ids"] else []
        facts = ClientFacts.from_values(row["id"], {**row, "co_worker_ids": co_workers})
        actor = PolicyActor(user_id, team_id or facts.team_id, role)
        if client_access(actor, facts) is Access.FULL:
            ids.append(str(row["id"]))
    if role is Role.MANAGER:
        team = db.scalar("SELECT name FROM teams WHERE id = ?", (team_id,)) if team_id else None
        return Scope("team", f"The team{f': {team}' if team else ''}", role, tuple(sorted(ids)))
    return Scope("caseload", "My caseload", role, tuple(sorted(ids)))

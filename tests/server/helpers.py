"""Building blocks for server tests: a small world of teams and people, and operations as a
laptop would push them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_core.hlc import HybridClock
from navigator_core.ops import FieldChange, Operation, OpType
from navigator_core.policy import Role
from navigator_server import accounts, security
from navigator_server.accounts import Principal
from navigator_server.db import Database
from navigator_server.schema import devices, feed_counter, metadata
from navigator_server.settings import Settings

PASSWORD = "correct horse battery staple"


def empty_postgres(db: Database) -> None:
    """Every table emptied and the feed counter back at zero: a fresh store, without a new database."""
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with db.write() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(feed_counter.insert().values(id=1, last_seq=0))


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings for tests: cheap Argon2 so enrolment tests stay fast."""
    values: dict[str, object] = {
        "database_url": database_url,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
        "argon2_parallelism": 1,
        "min_password_length": 8,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@dataclass
class Laptop:
    """One enrolled device: its principal, its clock and what it knows of field stamps."""

    who: Principal
    token: str
    clock: HybridClock = field(init=False)
    stamps: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.clock = HybridClock(self.who.device_id)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _op(self, kind: str, record_id: str, op: OpType, **extra: Any) -> Operation:
        return Operation(
            op_id=new_id(),
            kind=kind,
            record_id=record_id,
            op=op,
            stamp=self.clock.now(),
            author_id=self.who.user_id,
            device_id=self.who.device_id,
            recorded_at=timeutil.now_text(),
            **extra,
        )

    def upsert(
        self, kind: str, record_id: str | None = None, *, create: bool = False, **values: Any
    ) -> dict[str, Any]:
        record_id = record_id or new_id()
        known = self.stamps.setdefault(record_id, {})
        changes = {}
        for name, value in values.items():
            stamp = self.clock.now()
            changes[name] = FieldChange(value, stamp, known.get(name, ""))
            known[name] = stamp
        op = self._op(kind, record_id, OpType.CREATE if create else OpType.UPDATE, changes=changes)
        return op.to_wire()

    def create(self, kind: str, record_id: str | None = None, **values: Any) -> dict[str, Any]:
        return self.upsert(kind, record_id, create=True, **values)

    def append(self, kind: str, record_id: str | None = None, **entry: Any) -> dict[str, Any]:
        return self._op(kind, record_id or new_id(), OpType.APPEND, entry=entry).to_wire()

    def delete(self, kind: str, record_id: str) -> dict[str, Any]:
        return self._op(kind, record_id, OpType.DELETE).to_wire()


def client_values(
    team_id: str, key_worker: str | None, *, status: str = "active", **more: Any
) -> dict[str, Any]:
    values = {
        "given_name": "Testy",
        "family_name": "Example",
        "date_of_birth": "1980-01-02",
        "team_id": team_id,
        "status": status,
        "address": "1 Example Street",
        "crisis_plan": "Call the crisis team.",
        "ethnicity": "prefer_not_to_say",
        "referral_source": "Ward 3",
    }
    if key_worker:
        values["key_worker_id"] = key_worker
    values.update(more)
    return values


def contact_entry(
    client_id: str, narrative: str = "Met at the cafe; talked about housing."
) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "occurred_at": timeutil.now_text(),
        "contact_type": "community",
        "narrative": narrative,
    }


def risk_values(client_id: str, **more: Any) -> dict[str, Any]:
    values = {
        "client_id": client_id,
        "category": "environment",
        "severity": "medium",
        "description": "Large dog at the property.",
        "raised_on": "2026-01-01",
        "status": "active",
        "review_date": "2026-12-01",
    }
    values.update(more)
    return values


@dataclass
class World:
    db: Database
    settings: Settings
    teams: dict[str, str] = field(default_factory=dict)
    laptops: dict[str, Laptop] = field(default_factory=dict)

    def team(self, name: str) -> str:
        with self.db.write() as conn:
            self.teams[name] = accounts.create_team(conn, name)
        return self.teams[name]

    def person(self, username: str, team: str, role: Role | str) -> Laptop:
        """A user with one enrolled laptop (the device row written directly: enrolment has its own tests)."""
        role = Role.parse(role) if isinstance(role, str) else role
        passwords = security.Passwords(self.settings)
        token = security.new_token()
        with self.db.write() as conn:
            user_id = accounts.create_user(
                conn,
                passwords,
                self.settings,
                username=username,
                team_id=self.teams[team],
                role=role,
                password=PASSWORD,
            )
            device_id = new_id()
            conn.execute(
                devices.insert().values(
                    id=device_id,
                    user_id=user_id,
                    name="test laptop",
                    token_hash=security.digest(token),
                    created_at=timeutil.now_text(),
                )
            )
        who = Principal(user_id, self.teams[team], role, device_id, False)
        self.laptops[username] = Laptop(who, token)
        return self.laptops[username]

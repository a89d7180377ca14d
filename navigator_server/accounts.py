"""Teams, users, devices and enrolment: the data functions behind the admin CLI and API.

A laptop is enrolled with a one-time, expiring code from an administrator plus the user's own
password; it receives a random device token, which the server keeps only as a hash.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.fields import is_uuid, new_id
from navigator_core.policy import Actor, Role
from navigator_server import security
from navigator_server.schema import audit_log, auth_failures, devices, enrolment_codes, rota, teams, users
from navigator_server.settings import Settings

log = logging.getLogger("navigator_server.accounts")


class AccountError(ValueError):
    """A request about accounts that cannot be met; the message says why, for the person asking."""


class EnrolmentError(AccountError):
    """Why an enrolment was refused: a sentence, and a stable `reason` (credentials, code_invalid,
    code_used, code_expired, account_disabled) for the laptop to say it in its own words. Before
    the password is proved the reason is always "credentials", whichever part was wrong."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class RateLimitError(AccountError):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__("too many failed attempts; wait before trying again")


@dataclass(frozen=True)
class Principal:
    """The caller behind a device token."""

    user_id: str
    team_id: str
    role: Role
    device_id: str
    revoked: bool
    on_rota: bool = False  # the team's rota has them on shift at the time of the request

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.team_id, self.role, on_rota=self.on_rota)


def audit(
    conn: Connection,
    action: str,
    *,
    actor_id: str | None = None,
    device_id: str | None = None,
    target_kind: str | None = None,
    target_id: str | None = None,
    reason: str | None = None,
) -> None:
    conn.execute(
        audit_log.insert().values(
            at=timeutil.now_text(),
            actor_id=actor_id,
            device_id=device_id,
            action=action,
            target_kind=target_kind,
            target_id=target_id,
            reason=reason,
        )
    )


def create_team(conn: Connection, name: str, *, actor_id: str | None = None) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise AccountError("a team needs a name of at most 200 characters")
    if conn.execute(sa.select(teams.c.id).where(teams.c.name == name)).first():
        raise AccountError("a team with that name exists already")
    team_id = new_id()
    conn.execute(teams.insert().values(id=team_id, name=name, created_at=timeutil.now_text()))
    audit(conn, "create_team", actor_id=actor_id, target_kind="team", target_id=team_id)
    return team_id


def team_id_by_name(conn: Connection, name: str) -> str:
    row = conn.execute(sa.select(teams.c.id).where(teams.c.name == name.strip())).first()
    if row is None:
        raise AccountError("no team with that name")
    return str(row.id)


def create_user(
    conn: Connection,
    passwords: security.Passwords,
    settings: Settings,
    *,
    username: str,
    team_id: str,
    role: Role,
    password: str,
    display_name: str = "",
    user_id: str | None = None,
    actor_id: str | None = None,
) -> str:
    username = username.strip()
    if not username or len(username) > 100 or any(ch.isspace() for ch in username):
        raise AccountError("a username is 1 to 100 characters with no spaces")
    if len(password) < settings.min_password_length:
        raise AccountError(f"a password needs at least {settings.min_password_length} characters")
    if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
        raise AccountError("that username is taken")
    if not conn.execute(sa.select(teams.c.id).where(teams.c.id == team_id)).first():
        raise AccountError("no such team")
    new = user_id or new_id()
    conn.execute(
        users.insert().values(
            id=new,
            username=username,
            display_name=(display_name or username)[:200],
            team_id=team_id,
            role=role.value,
            password_hash=passwords.hash(password),
            active=True,
            created_at=timeutil.now_text(),
        )
    )
    audit(conn, "create_user", actor_id=actor_id, target_kind="user", target_id=new)
    return new


def user_by_name(conn: Connection, username: str) -> Any:
    return conn.execute(sa.select(users).where(users.c.username == username.strip())).first()


def issue_enrolment_code(
    conn: Connection, settings: Settings, user_id: str, *, actor_id: str | None = None
) -> tuple[str, str]:
    """A new one-time code for `user_id` and when it expires. Only its hash is stored."""
    row = conn.execute(sa.select(users.c.active).where(users.c.id == user_id)).first()
    if row is None or not row.active:
        raise AccountError("no such active user")
    code = security.new_enrolment_code()
    now = timeutil.utcnow()
    expires = timeutil.to_text(now + timedelta(hours=settings.enrolment_code_hours))
    conn.execute(
        enrolment_codes.insert().values(
            code_hash=security.digest(code),
            user_id=user_id,
            created_at=timeutil.to_text(now),
            expires_at=expires,
        )
    )
    audit(conn, "issue_enrolment_code", actor_id=actor_id, target_kind="user", target_id=user_id)
    return code, expires


def _check_rate(conn: Connection, settings: Settings, keys: list[tuple[str, int]]) -> None:
    since = timeutil.to_text(timeutil.utcnow() - timedelta(minutes=settings.auth_window_minutes))
    for key, limit in keys:
        count = conn.execute(
            sa.select(sa.func.count())
            .select_from(auth_failures)
            .where(auth_failures.c.key == key, auth_failures.c.at > since)
        ).scalar_one()
        if count >= limit:
            raise RateLimitError(int(settings.auth_window_minutes * 60))


def record_failure(db_write: Any, settings: Settings, username: str, address: str) -> None:
    """Count a failed attempt in its own transaction, so it sticks although the request fails."""
    now = timeutil.now_text()
    with db_write() as conn:
        conn.execute(
            auth_failures.insert(),
            [
                {"key": security.rate_key("user", username), "at": now},
                {"key": security.rate_key("addr", address), "at": now},
            ],
        )
        old = timeutil.to_text(timeutil.utcnow() - timedelta(days=1))
        conn.execute(auth_failures.delete().where(auth_failures.c.at < old))


def enrol(
    conn: Connection,
    passwords: security.Passwords,
    settings: Settings,
    *,
    username: str,
    code: str,
    password: str,
    device_name: str,
    address: str,
    device_id: str | None = None,
) -> dict[str, Any]:
    """Exchange a code and the user's password for a device token. Raises EnrolmentError."""
    _check_rate(
        conn,
        settings,
        [
            (security.rate_key("user", username), settings.auth_max_failures),
            (security.rate_key("addr", address), settings.auth_max_failures_per_address),
        ],
    )
    user = user_by_name(conn, username)
    if not passwords.verify(user.password_hash if user else None, password):
        raise EnrolmentError("the username or password is wrong", "credentials")
    # Past this point the caller has proved who they are, so the message may be specific.
    if not user.active:
        raise EnrolmentError("this account is disabled; ask your organisation's IT", "account_disabled")
    row = conn.execute(
        sa.select(enrolment_codes).where(
            enrolment_codes.c.code_hash == security.digest(security.normalise_code(code))
        )
    ).first()
    now = timeutil.now_text()
    if row is None or row.user_id != user.id:
        raise EnrolmentError("this enrolment code is not valid for this user", "code_invalid")
    if row.used_at is not None:
        raise EnrolmentError("this enrolment code has been used already; ask for a new one", "code_used")
    if row.expires_at <= now:
        raise EnrolmentError("this enrolment code has expired; ask for a new one", "code_expired")
    if (
        device_id is None
        or not is_uuid(device_id)
        or conn.execute(sa.select(devices.c.id).where(devices.c.id == device_id)).first()
    ):
        device_id = new_id()
    token = security.new_token()
    used = conn.execute(
        enrolment_codes.update()
        .where(enrolment_codes.c.code_hash == row.code_hash, enrolment_codes.c.used_at.is_(None))
        .values(used_at=now, device_id=device_id)
    )
    if used.rowcount != 1:  # another request took it first
        raise EnrolmentError("this enrolment code has been used already; ask for a new one", "code_used")
    conn.execute(
        devices.insert().values(
            id=device_id,
            user_id=user.id,
            name=device_name.strip()[:200] or "laptop",
            token_hash=security.digest(token),
            created_at=now,
        )
    )
    audit(
        conn, "enrol_device", actor_id=user.id, device_id=device_id, target_kind="device", target_id=device_id
    )
    log.info("device enrolled device=%s user=%s", device_id, user.id)
    return {
        "device_id": device_id,
        "token": token,
        "user_id": user.id,
        "team_id": user.team_id,
        "role": user.role,
    }


def authenticate(conn: Connection, token: str) -> Principal | None:
    """The device and user behind a token, or None if the token is unknown."""
    found = authenticate_seen(conn, token)
    return found[0] if found else None


# One statement for what every request asks about its caller: the device and its user, whether
# the team's on-call rota has them on shift now (read on every request, so a shift starts and ends
# on time in every server process), and when the device was last seen. Built once (a statement
# object caches its compiled form): three queries built per request cost more than answering them.
_ON_SHIFT = (
    sa.select(rota.c.id)
    .where(
        rota.c.user_id == users.c.id,
        rota.c.team_id == users.c.team_id,
        rota.c.starts_at <= sa.bindparam("now"),
        rota.c.ends_at > sa.bindparam("now"),
    )
    .exists()
)
_CALLER = (
    sa.select(
        devices.c.id,
        devices.c.revoked_at,
        devices.c.last_seen_at,
        users.c.id.label("user_id"),
        users.c.team_id,
        users.c.role,
        users.c.active,
        _ON_SHIFT.label("on_rota"),
    )
    .join(users, users.c.id == devices.c.user_id)
    .where(devices.c.token_hash == sa.bindparam("digest"))
)


def authenticate_seen(conn: Connection, token: str) -> tuple[Principal, str | None] | None:
    """The caller behind a token and when their device was last seen, in one query; None if the
    token is unknown."""
    if not token.startswith(security.TOKEN_PREFIX) or len(token) > 200:
        return None
    row = conn.execute(_CALLER, {"digest": security.digest(token), "now": timeutil.now_text()}).first()
    if row is None:
        return None
    revoked = row.revoked_at is not None or not row.active
    who = Principal(row.user_id, row.team_id, Role.parse(row.role), row.id, revoked, bool(row.on_rota))
    return who, str(row.last_seen_at) if row.last_seen_at else None


def touch_device(conn: Connection, device_id: str) -> None:
    conn.execute(devices.update().where(devices.c.id == device_id).values(last_seen_at=timeutil.now_text()))


def list_devices(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(
            devices.c.id,
            devices.c.name,
            devices.c.created_at,
            devices.c.last_seen_at,
            devices.c.revoked_at,
            users.c.id.label("user_id"),
            users.c.username,
        )
        .join(users, users.c.id == devices.c.user_id)
        .order_by(users.c.username, devices.c.created_at)
    )
    return [dict(r._mapping) for r in rows]


def revoke_device(conn: Connection, device_id: str, *, actor_id: str | None = None) -> None:
    if not is_uuid(device_id):
        raise AccountError("a device id is a UUID (see list-devices)")
    result = conn.execute(
        devices.update()
        .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=timeutil.now_text(), revoked_by=actor_id)
    )
    if result.rowcount != 1:
        if conn.execute(sa.select(devices.c.id).where(devices.c.id == device_id)).first() is None:
            raise AccountError("no such device")
        return  # revoked already: revoking again changes nothing
    audit(conn, "revoke_device", actor_id=actor_id, target_kind="device", target_id=device_id)
    log.info("device revoked device=%s", device_id)


def list_users(conn: Connection, team_id: str | None = None) -> list[dict[str, Any]]:
    query = sa.select(
        users.c.id, users.c.username, users.c.display_name, users.c.team_id, users.c.role, users.c.active
    ).order_by(users.c.username)
    if team_id is not None:
        query = query.where(users.c.team_id == team_id)
    return [dict(r._mapping) for r in conn.execute(query)]


def list_teams(conn: Connection) -> list[dict[str, Any]]:
    return [
        dict(r._mapping) for r in conn.execute(sa.select(teams.c.id, teams.c.name).order_by(teams.c.name))
    ]

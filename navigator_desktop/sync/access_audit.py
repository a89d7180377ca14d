"""The access audit, fetched from the central store for a manager (no Qt): who viewed which
client of the team, when, from which device and why. Online only; nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from navigator_desktop.sync.break_glass import (
    NOT_ENROLLED,
    OFFLINE,
    ServerConfig,
    TransportFactory,
    call,
    refusal_detail,
)
from navigator_desktop.sync.errors import (
    AuthError,
    DeviceRevokedError,
    InsecureServerError,
    OfflineError,
    SyncError,
)
from navigator_desktop.sync.transport import Transport

ACTION_LABELS = {
    "view": "Viewed",
    "export": "Exported",
    "break_glass": "Break-glass",
    "break_glass_refused": "Break-glass refused",
}


class AccessAuditError(Exception):
    """Why the audit could not be fetched (not enrolled, offline, not a manager); fit to show."""


@dataclass(frozen=True)
class AccessEntry:
    at: str
    action: str
    source: str
    user_id: str | None
    user_name: str | None
    device_id: str | None
    device_name: str | None
    client_id: str | None
    client_name: str | None
    reason: str | None

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> AccessEntry:
        return cls(**{name: item.get(name) for name in cls.__dataclass_fields__})  # type: ignore[arg-type]

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class AccessAudit:
    entries: list[AccessEntry]
    more: bool


def fetch(
    config: ServerConfig,
    *,
    client_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
    transport_factory: TransportFactory | None = None,
) -> AccessAudit:
    if not config.url or not config.token:
        raise AccessAuditError(NOT_ENROLLED.replace("records outside your caseload", "the access audit"))
    make = transport_factory or (lambda url, token: Transport(url, token, retries=2))
    try:
        with make(config.url, config.token) as transport:
            answer = call(
                transport,
                "GET",
                "/v1/access-audit",
                client_id=client_id,
                since=since,
                until=until,
                limit=limit,
            )
    except OfflineError:
        raise AccessAuditError(OFFLINE.split(" Records")[0] + " Try again when you are connected.") from None
    except (DeviceRevokedError, AuthError, InsecureServerError) as exc:
        raise AccessAuditError(str(exc)) from None
    except SyncError as exc:
        raise AccessAuditError(refusal_detail(exc) + ".") from None
    items = answer.get("entries") or []
    return AccessAudit(
        [AccessEntry.from_wire(i) for i in items if isinstance(i, dict)], bool(answer.get("more"))
    )

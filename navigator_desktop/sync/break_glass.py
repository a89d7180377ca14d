"""Break-glass: one client's full record, fetched online for a stated reason (no Qt).

The central store checks the reason and the caller's on-call rights, records the read in its
audit log with this device's id, and answers with every record about the client the caller may
see. The answer is held **in memory only**: nothing of it is written to the vault, so it is gone
when its window closes or the app locks, and the laptop never carries more than its user's
caseload and the on-call summary (DOMAIN.md, "Hold the minimum").

Two halves, because they run on different threads: ``read_config`` needs the vault (the database
worker), ``fetch`` needs the network (never the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.store import settings
from navigator_desktop.sync.errors import (
    AuthError,
    DeviceRevokedError,
    InsecureServerError,
    OfflineError,
    SyncError,
)
from navigator_desktop.sync.transport import Transport

MIN_REASON = 10  # as the store's policy: fewer characters are refused there too

NOT_ENROLLED = (
    "This laptop is not enrolled with a central store, so records outside your caseload cannot be "
    "fetched. Ask IT to enrol it."
)
OFFLINE = (
    "The central store cannot be reached (no connection, or the server is down). Records outside "
    "your caseload are only ever fetched online and never kept on this laptop: try again when "
    "you are connected, or phone the office."
)


class BreakGlassError(Exception):
    """Why the record could not be fetched; the message is fit to show as it is."""


@dataclass(frozen=True)
class ServerConfig:
    url: str | None
    token: str | None


@dataclass(frozen=True)
class BreakGlassRecord:
    """What the store sent, held in memory for as long as its window is open."""

    client_id: str
    reason: str
    records: list[dict[str, Any]]
    fetched_at: str = field(default_factory=timeutil.now_text)

    @property
    def client(self) -> dict[str, Any]:
        found = next(
            (r for r in self.records if r.get("kind") == "client" and r.get("id") == self.client_id), None
        )
        return dict(found.get("data") or {}) if found else {}

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """The records of one kind (their values, with their id and meta), tombstones left out."""
        return [
            {**(r.get("data") or {}), "id": r.get("id"), **(r.get("meta") or {})}
            for r in self.records
            if r.get("kind") == kind and not r.get("deleted")
        ]

    @property
    def kinds(self) -> list[str]:
        return sorted({str(r.get("kind")) for r in self.records if r.get("kind") != "client"})


def read_config(session: Session) -> ServerConfig:
    """The server address and device token from the vault (runs on the database worker)."""
    db = session.db
    return ServerConfig(settings.get(db, settings.SERVER_URL), settings.get(db, settings.DEVICE_TOKEN))


def check_reason(reason: str) -> str | None:
    """Why a reason is not enough, or None: checked here first so nobody waits on the network."""
    if len(reason.strip()) < MIN_REASON:
        return f"Say why you need this record (at least {MIN_REASON} characters): it is audited."
    return None


TransportFactory = Callable[[str, str], Transport]


def fetch(
    config: ServerConfig,
    client_id: str,
    reason: str,
    transport_factory: TransportFactory | None = None,
) -> BreakGlassRecord:
    """Ask the store for the client's full record (on a network thread). Raises BreakGlassError
    with a plain message: not enrolled, offline or unreachable, refused (and why), or revoked."""
    problem = check_reason(reason)
    if problem:
        raise BreakGlassError(problem)
    if not config.url or not config.token:
        raise BreakGlassError(NOT_ENROLLED)
    make = transport_factory or (lambda url, token: Transport(url, token, retries=1))
    try:
        with make(config.url, config.token) as transport:
            answer = call(
                transport, "POST", "/v1/break-glass", {"client_id": client_id, "reason": reason.strip()}
            )
    except OfflineError:
        raise BreakGlassError(OFFLINE) from None
    except (DeviceRevokedError, AuthError, InsecureServerError) as exc:
        raise BreakGlassError(str(exc)) from None
    except SyncError as exc:
        raise BreakGlassError(f"The central store refused: {refusal_detail(exc)}.") from None
    found = answer.get("records")
    return BreakGlassRecord(client_id, reason.strip(), list(found) if isinstance(found, list) else [])


def call(
    transport: Transport, method: str, path: str, body: Any = None, *, retry_sent: bool = False, **params: Any
) -> dict[str, Any]:
    """One request through the device's transport (its TLS rules, timeouts and error mapping).
    Break-glass is not retried once sent: each try is audited on the store."""
    query = {k: v for k, v in params.items() if v} or None
    return transport.request(method, path, json=body, params=query, retry_sent=retry_sent)


def refusal_detail(exc: SyncError) -> str:
    """The store's own words from a refusal ("...refused the request (403): <detail>")."""
    text = str(exc)
    return (text.partition("): ")[2] or text).rstrip(".")

"""SOS: "I need help now" sent to the central store for a visit in progress (no Qt).

The store starts its SOS chain at once (on call and the manager alerted, marked urgent, then the
last resort). It is sent once, never retried blindly: the store answers a repeat with the same
chain, but a person waiting for help must be told at once when it did not go. Every failure
message says what happened and what to do instead, fit to show as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from navigator_desktop.sync.break_glass import ServerConfig, refusal_detail
from navigator_desktop.sync.errors import OfflineError, SyncError
from navigator_desktop.sync.transport import Transport

WHAT_TO_DO = "Ring the duty line now. If you are in danger, call 999."
NOT_ENROLLED = (
    "Your SOS was NOT sent: this laptop is not connected to a central store, so no one has been "
    f"alerted. {WHAT_TO_DO}"
)
OFFLINE = (
    "Your SOS was NOT sent: the central store cannot be reached (no connection, or the server is "
    f"down), so no one has been alerted. {WHAT_TO_DO}"
)
UNSENT = f"Your SOS was NOT sent, so no one has been alerted. {WHAT_TO_DO}"
NOT_KNOWN = (
    "Your SOS was NOT sent: the central store does not know this visit yet (its check-in has not "
    f"reached it), so no one has been alerted. {WHAT_TO_DO}"
)


class SosError(Exception):
    """Why the SOS was not sent; the message says what to do instead."""


@dataclass(frozen=True)
class SosSent:
    escalation_id: str
    started_at: str


TransportFactory = Callable[[str, str], Transport]


def send(config: ServerConfig, visit_id: str, transport_factory: TransportFactory | None = None) -> SosSent:
    """Raise the store's SOS for the visit (on a network thread, never the GUI thread)."""
    if not config.url or not config.token:
        raise SosError(NOT_ENROLLED)
    make = transport_factory or (lambda url, token: Transport(url, token, retries=1))
    try:
        with make(config.url, config.token) as transport:
            answer = transport.request("POST", f"/v1/visits/{visit_id}/sos", retry_sent=False)
    except OfflineError:
        raise SosError(OFFLINE) from None
    except SyncError as exc:
        if "(404)" in str(exc):
            raise SosError(NOT_KNOWN) from None
        raise SosError(
            f"Your SOS was NOT sent: the central store refused it ({refusal_detail(exc)}), so no one "
            f"has been alerted. {WHAT_TO_DO}"
        ) from None
    return SosSent(str(answer.get("escalation_id") or ""), str(answer.get("started_at") or ""))


def sent_message(clock: str) -> str:
    return (
        f"SOS sent at {clock}. On call and your manager are being alerted now, marked urgent. "
        "If you can, ring the duty line too. If you are in danger, call 999."
    )

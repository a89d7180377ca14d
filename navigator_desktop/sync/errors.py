"""Why a sync could not finish, split by what the person (or IT) can do about it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger("navigator.sync")


class SyncError(Exception):
    """A sync stopped; the message is fit to show and names no record content."""


class OfflineError(SyncError):
    """The central store could not be reached (after retries): try again later."""


class NotEnrolledError(SyncError):
    def __init__(self) -> None:
        super().__init__("This laptop is not enrolled with a central store yet.")


class AuthError(SyncError):
    """The store refused the device's token (or the enrolment details)."""


class EnrolmentRefused(AuthError):  # noqa: N818 - the store's word for it
    """The store refused an enrolment; `reason` is its stable code (credentials, code_invalid,
    code_used, code_expired, account_disabled), or "" from a store that gives none."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class DeviceRevokedError(SyncError):
    """The store says this device was revoked: its local data must be wiped."""

    def __init__(self) -> None:
        super().__init__(
            "This laptop's access was withdrawn by your organisation. Its records have been removed; "
            "ask IT to enrol it again."
        )


class TlsError(OfflineError):
    """No secure connection could be made: the certificate is not trusted (or has expired, or names
    another host), or the address does not answer TLS at all. Retrying would not change it."""


class RateLimitedError(OfflineError):
    """Too many failed attempts: the store asks to wait `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InsecureServerError(SyncError):
    """Plain HTTP to a host other than this machine."""


class SyncStopped(SyncError):  # noqa: N818 - a signal more than an error
    """The sync was asked to stop (lock, quit); what was done is kept, the rest waits."""


def optional(call: Callable[[], T], what: str) -> T | None:
    """The answer to a call a sync can do without (the organisation's settings, the directory), or
    None when the store could not give it this time (logged, without content). A revoked device
    is still told to wipe."""
    try:
        return call()
    except DeviceRevokedError:
        raise
    except SyncError as exc:
        log.info("could not refresh %s: %s", what, type(exc).__name__)
        return None

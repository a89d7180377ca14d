"""Why an enrolment failed, in one sentence with the next step (no Qt).

The app's "Connect to your organisation" dialog and `navigator-desktop enrol` say the same
sentences. Each comes from what actually happened: the transport's exception (nothing answered,
no secure connection) or the central store's answer (``enrolment_refused`` with its ``reason``,
``rate_limited``, ``device_revoked``); see navigator_server/accounts.py ``enrol``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from navigator_desktop.sync import errors

log = logging.getLogger("navigator.sync.enrolment")

# The field a person should look at again for each kind of failure ("" for none).
SERVER, CODE, PASSWORD = "server", "code", "password"


@dataclass(frozen=True)
class Failure:
    kind: str  # address, unreachable, unavailable, tls, credentials, code_*, disabled, rate_limited, other
    sentence: str
    field: str = ""


def _host(server: str) -> str:
    try:
        return urlsplit(server.strip()).hostname or "the server"
    except ValueError:
        return "the server"


def _refused(error: errors.EnrolmentRefused, username: str) -> Failure:
    reason = error.reason
    if reason == "credentials":
        return Failure(
            reason,
            "The username or password is wrong. Check both (the password is the one IT set up for you "
            "in Navigator) and try again; if you have forgotten it, ask IT to reset it.",
            PASSWORD,
        )
    if reason == "code_expired":
        return Failure(reason, "This one-time code has expired. Ask IT for a new code, then try again.", CODE)
    if reason == "code_used":
        return Failure(
            reason,
            "This one-time code has been used already: each code works once. Ask IT for a new code.",
            CODE,
        )
    if reason == "code_invalid":
        return Failure(
            reason,
            f"This one-time code was not issued for {username or 'this username'}. Check that you typed "
            "it as IT gave it (capitals and dashes do not matter), or ask IT for a new one.",
            CODE,
        )
    if reason == "account_disabled":
        return _disabled()
    return _other(str(error))


def _disabled() -> Failure:
    return Failure(
        "disabled",
        "Your organisation has disabled your account or withdrawn this laptop's access, so it cannot "
        "connect. Ask IT to enable your account and give you a new one-time code.",
    )


def _other(detail: str) -> Failure:
    said = detail.strip().rstrip(".") or "no reason given"
    return Failure(
        "other",
        f"The server refused the connection ({said}). Try again; if it happens again, tell IT "
        "what this says.",
    )


def explain(error: BaseException, server: str = "", username: str = "") -> Failure:
    """The sentence for an enrolment that raised `error` (a bug of ours is logged, not shown)."""
    host = _host(server)
    if isinstance(error, errors.InsecureServerError):
        return Failure("address", f"{error} Check the address IT gave you.", SERVER)
    if isinstance(error, errors.TlsError):
        return Failure(
            "tls",
            f"A secure connection to {host} could not be made: its certificate is not trusted by this "
            "laptop, or the address is not the server's secure (https://) one. Check the address; if "
            "it is right, ask IT to check the server's certificate.",
            SERVER,
        )
    if isinstance(error, errors.RateLimitedError):
        minutes = max(1, -(-error.retry_after // 60)) if error.retry_after else 15
        return Failure(
            "rate_limited",
            f"Too many failed attempts to connect. Wait {minutes} minutes, then try again (or ask IT).",
        )
    if isinstance(error, errors.OfflineError):
        if error.__cause__ is None:  # the server answered, with an error of its own
            return Failure(
                "unavailable",
                f"The server at {host} answered but could not enrol this laptop just now. Try again in "
                "a few minutes; if it goes on, tell IT.",
            )
        return Failure(
            "unreachable",
            f"Navigator could not reach {host}. Check that this laptop is online (and on your "
            "organisation's network or VPN, if it needs one) and that the server address is right, "
            "then try again.",
            SERVER,
        )
    if isinstance(error, errors.EnrolmentRefused):
        return _refused(error, username)
    if isinstance(error, errors.DeviceRevokedError):
        return _disabled()
    if isinstance(error, errors.SyncError):
        return _other(str(error))
    log.error("enrolment failed unexpectedly", exc_info=error)
    return Failure(
        "other",
        "Something went wrong inside Navigator while connecting; nothing was changed. The details "
        "are in the log for IT support.",
    )

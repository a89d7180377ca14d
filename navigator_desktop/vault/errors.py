"""What can go wrong when opening the vault, in words the person at the laptop can act on.

Every error carries a short ``title`` and a ``message`` saying what happened and what to do next.
Neither ever holds a traceback, a path's contents, a passphrase or a key: the UI shows them as they
are. A fault that is a bug of ours (not something the person can fix) is logged with its traceback
where it happens and surfaces here only as the plain message.
"""

# The names say what happened (WrongPassphrase, HeaderDamaged); an "Error" suffix would add nothing.
# ruff: noqa: N818

from __future__ import annotations

import math

_HELP = "If this keeps happening, contact your IT service desk."


class VaultError(Exception):
    title = "Navigator could not open your data"
    message = "Something went wrong while opening your data. " + _HELP

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class WeakPassphrase(VaultError):
    title = "Choose a stronger passphrase"

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(
            # The reasons end with what to do instead; no example passphrase is offered, as
            # one shown to everybody would be the first one tried.
            "This passphrase would be too easy to guess: " + " ".join(self.reasons)
        )


class WrongPassphrase(VaultError):
    title = "Wrong passphrase"
    message = (
        "That passphrase did not unlock Navigator. Check that Caps Lock is off and try again. "
        "If you have forgotten it, use your recovery key or contact your IT service desk."
    )


class WrongRecoveryKey(VaultError):
    title = "Recovery key not accepted"
    message = (
        "That recovery key did not unlock Navigator. Check each group of letters and digits "
        "against the copy you kept and try again."
    )


class NoRecoveryKey(VaultError):
    title = "No recovery key"
    message = (
        "No recovery key was set up for the data on this laptop, so it can only be opened with "
        "the passphrase. Contact your IT service desk."
    )


class TooManyAttempts(VaultError):
    title = "Too many attempts"

    def __init__(self, retry_after_seconds: float) -> None:
        self.retry_after_seconds = max(0.0, retry_after_seconds)
        seconds = math.ceil(self.retry_after_seconds)
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
        super().__init__(
            f"There have been several wrong passphrases. To protect your data, wait {wait} "
            "before trying again."
        )


class VaultWiped(VaultError):
    title = "Data removed from this laptop"
    message = (
        "There were too many wrong passphrases, so, as your organisation requires, Navigator has "
        "removed the data kept on this laptop. Records already sent to the central store are safe. "
        "Contact your IT service desk to set Navigator up again."
    )


class HeaderMissing(VaultError):
    title = "Key file missing"
    message = (
        "Navigator's key file (navigator.vault) is missing from its data folder, so your data "
        "cannot be opened. Do not delete anything: contact your IT service desk, who may be able "
        "to restore it from a backup."
    )


class HeaderDamaged(VaultError):
    title = "Key file damaged"
    message = (
        "Navigator's key file (navigator.vault) is damaged, so your data cannot be opened. "
        "Nothing has been changed. Do not delete anything: contact your IT service desk, who may "
        "be able to restore it from a backup."
    )


class HeaderTooNew(VaultError):
    title = "Navigator needs updating"
    message = (
        "Your data was set up by a newer version of Navigator. Install the latest version, then "
        "try again. Nothing has been changed."
    )


class DatabaseMissing(VaultError):
    title = "Data file missing"
    message = (
        "Navigator's data file (navigator.db) is missing from its data folder, so your records "
        "cannot be opened. Do not delete anything: contact your IT service desk. Records already "
        "sent to the central store are safe."
    )


class DatabaseDamaged(VaultError):
    title = "Data file damaged"
    message = (
        "Navigator's data file is damaged or was changed outside Navigator, so it cannot be "
        "opened safely. Nothing has been overwritten. Contact your IT service desk; records "
        "already sent to the central store are safe."
    )


class DatabaseTooNew(VaultError):
    title = "Navigator needs updating"

    def __init__(self, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            "Your data was saved by a newer version of Navigator than this one. Install the latest "
            "version, then try again. Nothing has been changed."
        )


class MigrationFailed(VaultError):
    title = "Update could not be finished"
    message = (
        "Navigator could not update your data for this version. Your data has not been changed. "
        "Contact your IT service desk."
    )


class VaultExists(VaultError):
    title = "Data already here"
    message = (
        "There is already Navigator data in this folder, so new data was not set up over it. "
        "Unlock it with your passphrase, or contact your IT service desk."
    )


class CannotWrite(VaultError):
    title = "Could not save"
    message = (
        "Navigator could not write to its data folder. The disk may be full or the folder "
        "read-only. Free some space or contact your IT service desk, then try again."
    )

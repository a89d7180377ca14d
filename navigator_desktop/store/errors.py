"""Database faults split by cause, as qutebrowser's misc/sql.py does.

A fault in the laptop's environment that the person can act on (the disk is full, the file is
read-only, the file is damaged, another program holds it) becomes a ``StoreError`` subclass with a
message to show as it is. Anything else (a typo in SQL, a broken constraint) is a bug of ours and
is left to raise with its traceback.
"""

from __future__ import annotations

from typing import ClassVar

_HELP = "If this keeps happening, contact your IT service desk."


class StoreError(Exception):
    """An environment fault while reading or writing records. Nothing half-written was kept."""

    title: ClassVar[str] = "Could not save or read your records"
    message: ClassVar[str] = "Navigator could not use its data file. " + _HELP

    def __init__(self, detail: str = "") -> None:
        # `detail` is SQLite's own wording, for the log; it never holds record content.
        self.detail = detail
        super().__init__(self.message)


class DiskFullError(StoreError):
    title = "The disk is full"
    message = (
        "There is no room left on this laptop's disk, so the change was not saved. "
        "Free some space, then try again. " + _HELP
    )


class ReadOnlyError(StoreError):
    title = "Cannot save"
    message = (
        "Navigator's data file cannot be written to (it, or its folder, is read-only), so the change "
        "was not saved. " + _HELP
    )


class DatabaseDamagedError(StoreError):
    title = "Data file damaged"
    message = (
        "Navigator's data file is damaged, so it cannot be used safely. Nothing has been overwritten. "
        "Contact your IT service desk; records already sent to the central store are safe."
    )


class DiskError(StoreError):
    title = "Could not read or write the disk"
    message = "The laptop's disk reported an error while Navigator was using it. " + _HELP


class DatabaseBusyError(StoreError):
    title = "Data file in use"
    message = (
        "Another program (perhaps a second copy of Navigator) is using the data file. Close it and try again."
    )


# SQLite's primary result code names (the extended ones, e.g. SQLITE_IOERR_WRITE, are matched by
# prefix) and the error each becomes.
_BY_CODE: dict[str, type[StoreError]] = {
    "SQLITE_FULL": DiskFullError,
    "SQLITE_READONLY": ReadOnlyError,
    "SQLITE_CORRUPT": DatabaseDamagedError,
    "SQLITE_NOTADB": DatabaseDamagedError,
    "SQLITE_IOERR": DiskError,
    "SQLITE_CANTOPEN": DiskError,
    "SQLITE_BUSY": DatabaseBusyError,
    "SQLITE_LOCKED": DatabaseBusyError,
}


def classify(exc: BaseException) -> type[StoreError] | None:
    """The StoreError an sqlite3/sqlcipher3 exception stands for; None when it is a bug."""
    name = getattr(exc, "sqlite_errorname", None)
    if not isinstance(name, str):
        return None
    for prefix, error in _BY_CODE.items():
        if name == prefix or name.startswith(prefix + "_"):
            return error
    return None

"""What a person is told when work fails, split as store/errors.py splits faults.

- A fault of the laptop's environment (``StoreError``: the disk is full, the file is read-only,
  damaged or held by another program) is said with its own title, message and next step. It is
  logged where it was met (store/db.py), without a traceback: it is not a bug.
- An error the person can act on (a wrong passphrase, nobody signed in, a record gone) is said as it is.
- Anything else is a bug of ours: the generic sentence, and the traceback goes to the log.
"""

from __future__ import annotations

import logging

from navigator_desktop.store.errors import StoreError
from navigator_desktop.store.records import RecordNotFoundError
from navigator_desktop.ui.flows.signed_in import NotSignedInError
from navigator_desktop.vault.errors import VaultError

log = logging.getLogger("navigator.ui.errors")

NOTHING_SAVED = (
    "Something went wrong inside Navigator; nothing was saved. The details are in the log for IT support."
)
NOTHING_CHANGED = (
    "Something went wrong inside Navigator (not anything you did). Nothing was changed. "
    "The details are in the log for IT support; please try again or restart Navigator."
)
RECORD_GONE = "This record is no longer on this laptop (it may have left your caseload). Nothing was saved."


def environment(error: StoreError) -> str:
    """A store fault in words: its title, then what happened and what to do next."""
    return f"{error.title}. {error.message}"


def explain(error: BaseException, unexpected: str = NOTHING_SAVED) -> str:
    """The sentence for `error`; `unexpected` is said (and the traceback logged) when it is a bug."""
    if isinstance(error, StoreError):
        return environment(error)
    if isinstance(error, NotSignedInError | VaultError):
        return str(error)
    if isinstance(error, RecordNotFoundError):
        return RECORD_GONE
    log.error("unexpected error", exc_info=error)
    return unexpected


def unfinished(job: str, error: BaseException) -> str:
    """For the status bar, when a job nobody handled failed (the runner logged its traceback)."""
    return environment(error) if isinstance(error, StoreError) else f"Could not finish: {job}."

"""The full integrity check after unlock, off the GUI thread and off the database worker.

``cipher_integrity_check`` reads and authenticates every page: seconds on a team's vault. It runs
on a read-only connection of its own in a thread of its own, so neither the screens nor the
database worker's queue wait for it (SQLite lets go of Python's interpreter lock while it reads).
When it finds damage, the caller has the unsent work saved to a rescue file (rescue.py,
``rescue_in_background``) at once, and tells the worker. No Qt here (ui/damage_notice.py shows it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from navigator_desktop import rescue
from navigator_desktop.vault import errors
from navigator_desktop.vault.integrity import check
from navigator_desktop.vault.vault import Vault

log = logging.getLogger("navigator.integrity")


@dataclass(frozen=True)
class Damage:
    """What was found, and the rescue file (None if even that could not be written)."""

    reason: str
    rescued: rescue.Rescued | None


def inspect(vault: Vault, data_key: bytes) -> str | None:
    """None for a healthy vault; otherwise what is wrong, in a sentence for the worker."""
    try:
        check(vault, data_key)
    except errors.DatabaseDamaged as exc:
        return exc.message
    except errors.VaultError:
        log.exception("the background integrity check could not run")
    return None


_rescuing = threading.Lock()


def rescue_after(vault: Vault, data_key: bytes, reason: str) -> Damage:
    with _rescuing:  # one rescue file at a time
        try:
            return Damage(reason, rescue.export(vault, data_key))
        except Exception:
            log.exception("the rescue file could not be written")
            return Damage(reason, None)


LOWEST = 19  # the nice value of the checking thread


def lowest_priority() -> None:
    """The calling thread runs at the lowest priority: seconds of reading every page must not take
    the processor from the window (profiled: the check ran through nine in ten of ui_bench's GUI
    stalls on a two-core machine). Linux gives each thread its own nice value; elsewhere, or when
    refused, nothing changes."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST)


def in_background(vault: Vault, data_key: bytes, report: Callable[[str | None], None]) -> threading.Thread:
    """Run ``inspect`` in a daemon thread at the lowest priority and hand its result to ``report``
    (from that thread)."""
    key = bytes(data_key)

    def run() -> None:
        lowest_priority()
        report(inspect(vault, key))

    thread = threading.Thread(target=run, name="navigator-integrity", daemon=True)
    thread.start()
    return thread


def rescue_in_background(
    vault: Vault, data_key: bytes, reason: str, report: Callable[[Damage | None], None]
) -> threading.Thread:
    """Damage already met in normal work: only the rescue file, in a daemon thread."""
    key = bytes(data_key)
    thread = threading.Thread(
        target=lambda: report(rescue_after(vault, key, reason)), name="navigator-rescue", daemon=True
    )
    thread.start()
    return thread

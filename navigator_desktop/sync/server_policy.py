"""What the organisation imposes on this laptop, learnt from the central store (no Qt).

Two settings come with the enrolment answer and with ``/v1/me`` (fetched on each sync):

* ``wipe_after_failures``: wrong passphrases in a row that destroy the vault. It must be readable
  *before* unlocking, so it is kept in the vault header (plain, integrity-checked), not in the
  encrypted database.
* ``idle_lock_minutes``: the longest the app may stay unlocked without use. It is needed only
  while unlocked, so it is kept in the vault's settings; the app uses the shorter of it and the
  person's own setting.

A key missing from the answer (an older store) leaves what the laptop knew; ``null`` turns the
policy off. A nonsensical value (not a positive whole number) is treated as ``null``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from navigator_desktop.store import settings
from navigator_desktop.store.db import Database
from navigator_desktop.sync import errors

log = logging.getLogger("navigator.policy")

WIPE_AFTER = "wipe_after_failures"
IDLE_LOCK = "idle_lock_minutes"


class _Local(Protocol):
    @property
    def db(self) -> Database: ...


class _Access(Protocol):
    def run(self, step: Callable[[Any], Any]) -> Any: ...


def _positive_int(value: object) -> int | None:
    return value if type(value) is int and value >= 1 else None


def save(local: _Local, answer: Mapping[str, Any]) -> None:
    """Keep what the store said. ``local`` is the Session in the app and the CLI; its vault
    gets the wipe policy. Runs on the database thread."""
    if IDLE_LOCK in answer:
        minutes = _positive_int(answer[IDLE_LOCK])
        if minutes is None:
            settings.remove(local.db, settings.SERVER_IDLE_LOCK_MINUTES)
        else:
            settings.put(local.db, settings.SERVER_IDLE_LOCK_MINUTES, str(minutes))
    vault = getattr(local, "vault", None)
    if WIPE_AFTER in answer and vault is not None:
        vault.set_wipe_after(_positive_int(answer[WIPE_AFTER]))


def idle_lock_minutes(db: Database) -> int | None:
    """The organisation's longest idle time, if it set one."""
    return _positive_int(_int_or_none(settings.get(db, settings.SERVER_IDLE_LOCK_MINUTES)))


def _int_or_none(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def refresh(transport: Any, access: _Access) -> None:
    """Ask the store for its current settings during a sync and keep them. Best effort: a store
    too old to answer ``/v1/me`` in this form leaves the laptop's settings as they were; a revoked
    device is still told to wipe."""
    answer = errors.optional(transport.me, "the organisation's settings")
    if isinstance(answer, dict):
        access.run(lambda local: save(local, answer))

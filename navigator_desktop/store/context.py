"""Who is writing, on which device, and the device's clock.

Every write is attributed to an ``Actor`` (the signed-in user on this laptop) and stamped by the
device's hybrid logical clock. The clock's last stamp is saved in ``settings`` in the same
transaction as the write that used it, so after a restart (even with the wall clock set back) the
device never issues a stamp at or below one it already wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_core.hlc import HybridClock
from navigator_desktop.store import settings
from navigator_desktop.store.db import Database


@dataclass(frozen=True)
class Actor:
    user_id: str
    device_id: str
    clock: HybridClock = field(compare=False, repr=False)
    # The wall clock; tests replace it to write "the next day".
    now: Callable[[], datetime] = field(default=timeutil.utcnow, compare=False, repr=False)

    def now_text(self) -> str:
        return timeutil.to_text(self.now())


def make_actor(
    user_id: str,
    device_id: str,
    *,
    last_stamp: str | None = None,
    now: Callable[[], datetime] = timeutil.utcnow,
) -> Actor:
    clock = HybridClock(device_id, wall_ms=lambda: int(now().timestamp() * 1000), last=last_stamp)
    return Actor(user_id, device_id, clock, now)


def device_id(db: Database) -> str:
    """This laptop's id, made on first use (enrolment may have set it already)."""
    existing = settings.get(db, settings.DEVICE_ID)
    if existing:
        return existing
    made = new_id()
    with db.transaction():
        settings.put(db, settings.DEVICE_ID, made)
    return made


def load_actor(db: Database, user_id: str, *, now: Callable[[], datetime] = timeutil.utcnow) -> Actor:
    """The actor for `user_id` on this device, its clock carrying on from the last saved stamp."""
    return make_actor(user_id, device_id(db), last_stamp=settings.get(db, settings.CLOCK_LAST), now=now)


def current_actor(db: Database) -> Actor | None:
    """The signed-in user on this device, with the device's clock; None before anyone signed in."""
    user_id = settings.get(db, settings.CURRENT_USER)
    return None if user_id is None else load_actor(db, user_id)


def next_stamp(db: Database, actor: Actor) -> str:
    """A new clock stamp, saved as the clock's last; call inside the write's transaction."""
    stamp = actor.clock.now()
    settings.put(db, settings.CLOCK_LAST, actor.clock.last)
    return stamp


def observe(db: Database, actor: Actor, remote_stamp: str) -> None:
    """Move the clock past a stamp received from another device (the sync apply path)."""
    actor.clock.observe(remote_stamp)
    settings.put(db, settings.CLOCK_LAST, actor.clock.last)

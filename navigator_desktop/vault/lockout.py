"""Slowing down repeated wrong passphrases, in a way that survives restarting the app.

The count and the time of the last failure live in the vault header (``navigator.vault``), which
is rewritten atomically on every failure and reset on success. Deleting it to reset the count
gains nothing, because without the header the data cannot be opened at all. (Until this release
the count lived in a plain ``navigator.lockout`` file that could simply be deleted; the vault
moves such a file's count into the header once and removes the file.)

The first few failures are free (typos happen); after that each attempt must wait, the wait
doubling up to a cap. The vault never sleeps: it refuses an early attempt with the seconds left,
and the unlock screen shows a countdown.

Clocks. A wait is measured from the failure time stored in the header. A clock set *backwards*
does not shorten it: the wait restarts from the new "now" (and that is saved), never from a time
that is suddenly hours in the future. Inside one running app the wait is also measured on the
monotonic clock, so moving the clock *forwards* does not shorten a wait imposed since the app
started either. Moving the clock forwards and restarting the app does shorten it: that takes
someone with control of the machine, and anyone who has that can copy the files and attack the
header offline, where the slow-down never applied. The real defence against that attacker is
Argon2id (and the organisation's wipe after N failures, which this count also drives).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from navigator_desktop.vault.header import LockoutState

log = logging.getLogger("navigator.vault")

Clock = Callable[[], float]
State = LockoutState  # the name this module used before the state moved into the header


@dataclass(frozen=True)
class Policy:
    free_attempts: int = 3
    first_delay: float = 2.0
    max_delay: float = 300.0

    def delay_after(self, failures: int) -> float:
        """How long to wait after the ``failures``-th failure in a row."""
        extra = failures - self.free_attempts
        if extra <= 0:
            return 0.0
        # min() before the power so a huge count from a tampered file cannot overflow.
        return min(self.max_delay, self.first_delay * 2.0 ** min(extra - 1, 64))


class Lockout:
    """The arithmetic of the slow-down, plus what this process saw itself.

    The header holds the state that survives restarts; this object also remembers the last
    failure it recorded (count and monotonic time), so that within one run neither a clock
    change nor a header that could not be written lets anyone skip a wait.
    """

    def __init__(self, clock: Clock, policy: Policy | None = None, monotonic: Clock | None = None) -> None:
        self.clock = clock
        self.monotonic = monotonic or clock
        self.policy = policy or Policy()
        self._seen: tuple[LockoutState, float] | None = None  # last failure recorded here, monotonic time

    def current(self, stored: LockoutState) -> LockoutState:
        """The count to go by: the header's, unless this process recorded more (a failed write)."""
        if self._seen is not None and self._seen[0].failures > stored.failures:
            return self._seen[0]
        return stored

    def wait(self, stored: LockoutState) -> tuple[float, LockoutState]:
        """Seconds until another attempt is allowed (0: now), and the state to keep, which differs
        from ``stored`` only when the clock went back and the wait restarts from now."""
        state = self.current(stored)
        delay = self.policy.delay_after(state.failures)
        if delay == 0:
            return 0.0, stored
        now = self.clock()
        if now < state.last_failure:
            state = LockoutState(state.failures, now)
        left = state.last_failure + delay - now
        if self._seen is not None and self._seen[0].failures == state.failures:
            left = max(left, self._seen[1] + delay - self.monotonic())
        return max(0.0, left), state

    def failed(self, stored: LockoutState) -> LockoutState:
        """One more failure after ``stored``; remembered here as well as returned for the header."""
        state = LockoutState(self.current(stored).failures + 1, self.clock())
        self._seen = (state, self.monotonic())
        log.info("wrong passphrase (%d in a row)", state.failures)
        return state

    def succeeded(self) -> None:
        self._seen = None


def read_legacy_file(text: str) -> LockoutState:
    """The count in an old ``navigator.lockout`` file; an unreadable one counts as none (someone
    at the keyboard cannot damage it, and whoever can could have deleted it)."""
    try:
        obj = json.loads(text)
        failures, last = obj["failures"], obj["last_failure"]
        if type(failures) is not int or failures < 0 or type(last) not in (int, float):
            raise ValueError("fields")
        if not math.isfinite(last):
            raise ValueError("last_failure")
        return LockoutState(failures, float(last))
    except (ValueError, KeyError, TypeError, RecursionError):
        log.warning("old lockout file unreadable; not carried over")
        return LockoutState()

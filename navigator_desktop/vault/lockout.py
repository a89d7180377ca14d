"""Slowing down repeated wrong passphrases, in a way that survives restarting the app.

State lives in ``navigator.lockout``: plain JSON with a failure count and the time of the last
failure, nothing else. The first few failures are free (typos happen); after that each attempt
must wait, the wait doubling up to a cap. The vault never sleeps: it refuses an early attempt with
the seconds left, and the unlock screen shows a countdown.

This only slows someone at the keyboard. Anyone who can copy the files can attack the header
offline, and that is what Argon2id is for.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from navigator_desktop.vault.header import write_atomically

log = logging.getLogger("navigator.vault")

Clock = Callable[[], float]


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


@dataclass(frozen=True)
class State:
    failures: int = 0
    last_failure: float = 0.0


class Lockout:
    def __init__(self, path: Path, clock: Clock, policy: Policy | None = None) -> None:
        self.path = path
        self.clock = clock
        self.policy = policy or Policy()

    def read(self) -> State:
        try:
            obj = json.loads(self.path.read_text("utf-8"))
            failures, last = obj["failures"], obj["last_failure"]
            if type(failures) is not int or failures < 0 or not isinstance(last, int | float):
                raise ValueError("fields")
            if not math.isfinite(last):
                raise ValueError("last_failure")
            return State(failures, float(last))
        except FileNotFoundError:
            return State()
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            # Someone at the keyboard cannot damage this file; whoever can could delete it anyway.
            log.warning("lockout file unreadable; starting the count again")
            return State()

    def retry_after(self) -> float:
        """Seconds until another attempt is allowed; 0 when one is allowed now."""
        state = self.read()
        delay = self.policy.delay_after(state.failures)
        if delay == 0:
            return 0.0
        now = self.clock()
        if now < state.last_failure:
            # The clock went back: restart this wait from now rather than waiting for the old time.
            self._write(State(state.failures, now))
            return delay
        return max(0.0, state.last_failure + delay - now)

    def record_failure(self) -> int:
        """Count one more failure; returns the count."""
        failures = self.read().failures + 1
        self._write(State(failures, self.clock()))
        log.info("wrong passphrase (%d in a row)", failures)
        return failures

    def reset(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            log.warning("could not reset the wrong-passphrase count", exc_info=True)

    def _write(self, state: State) -> None:
        data = json.dumps({"failures": state.failures, "last_failure": state.last_failure}) + "\n"
        try:
            write_atomically(self.path, data.encode())
        except OSError:
            log.warning("could not record a wrong passphrase", exc_info=True)

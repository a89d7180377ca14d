"""Hybrid logical clock stamps for field-by-field merging.

A stamp is text: ``<13-digit wall ms>.<5-digit counter>.<device id>``. Text order is the merge
order: a later wall time wins, then a higher counter, then the higher device id, so every device
picks the same winner without talking to any other.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

ZERO = "0000000000000.00000."
_STAMP_RE = re.compile(r"([0-9]{13})\.([0-9]{5})\.([^.\s]+)", re.ASCII)
_MAX_COUNTER = 99_999
# A remote stamp further ahead of our wall clock than this is refused: one laptop with a wrong
# clock must not drag every other device's clock into the future.
MAX_DRIFT_MS = 24 * 60 * 60 * 1000


class ClockError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}.{self.counter:05d}.{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        # Exactly 13 and 5 ASCII digits: int() alone would accept "9_99…", "+99…" or other
        # scripts' digits, which compare as text above every real stamp and would win every merge.
        match = _STAMP_RE.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ClockError(f"not a clock stamp: {text!r:.60}")
        return cls(int(match[1]), int(match[2]), match[3])


class HybridClock:
    """Issues strictly increasing stamps for one device; thread-safe."""

    def __init__(self, device: str, wall_ms: Callable[[], int] | None = None, last: str | None = None):
        if not device or "." in device:
            raise ClockError("a device id is needed and may not contain '.'")
        self.device = device
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()
        self._last = Stamp.parse(last) if last else Stamp(0, 0, device)

    @property
    def last(self) -> str:
        return str(self._last)

    def now(self) -> str:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last.wall_ms:
                self._last = Stamp(wall, 0, self.device)
            else:
                self._last = self._advance(self._last.wall_ms, self._last.counter)
            return str(self._last)

    def observe(self, remote: str) -> None:
        """Move past a stamp seen from another device, so our next stamp is later than it."""
        other = Stamp.parse(remote)
        with self._lock:
            wall = self._wall_ms()
            if other.wall_ms - wall > MAX_DRIFT_MS:
                raise ClockError("a stamp from more than a day in the future was refused")
            if (other.wall_ms, other.counter) > (self._last.wall_ms, self._last.counter):
                self._last = Stamp(other.wall_ms, other.counter, self.device)

    def _advance(self, wall: int, counter: int) -> Stamp:
        if counter >= _MAX_COUNTER:
            return Stamp(wall + 1, 0, self.device)
        return Stamp(wall, counter + 1, self.device)

"""Work a server process repeats on a daemon thread while it serves: the overdue sweep
(overdue.py) and the escalation sender (escalation/runner.py)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Timer:
    """How a periodic pass runs, apart from how often."""

    name: str  # the thread's
    log: logging.Logger
    failed: str  # the warning a failed pass logs, with the exception's type only (its message may hold data)
    at_start: bool  # the first pass at once, or only after the first wait
    join_seconds: float  # how long `stop` waits for a pass under way


class Periodic:
    """Runs `work` every `seconds` on a daemon thread, from `start` until `stop` (no thread when
    `seconds` is 0); `wake` runs it early. A failed pass is logged and the thread goes on: the
    timer must outlive a database hiccup."""

    def __init__(self, seconds: float, timer: Timer) -> None:
        self._seconds, self._timer = seconds, timer
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def work(self) -> object:
        raise NotImplementedError

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None or self._seconds <= 0:
            return
        self._stop.clear()
        self._wake.clear()  # a wake before the start (or left by a stop) is not a reason to run early
        self._thread = threading.Thread(target=self._loop, name=self._timer.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self._timer.join_seconds)
            self._thread = None

    def _loop(self) -> None:
        if not self._timer.at_start:
            self._pause()
        while not self._stop.is_set():
            try:
                self.work()
            except Exception as exc:
                self._timer.log.warning(self._timer.failed, type(exc).__name__)
            self._pause()

    def _pause(self) -> None:
        self._wake.wait(self._seconds)
        self._wake.clear()

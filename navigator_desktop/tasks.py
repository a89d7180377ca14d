"""The one way to run work off the GUI thread and get the result back by signal.

All database work runs on a single worker thread, in submission order, so the SQLCipher
connection is only ever touched by one thread and writes never interleave. Each job is a
callable that receives the worker's state object; its result (or the exception it raised) comes
back to the GUI thread through a queued Qt signal and is handed to the callbacks there.

Network calls (break-glass, the access audit) must not queue behind database work: a
``NetworkJob`` runs one on a thread of its own and hands its answer back the same way.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("navigator.tasks")

S = TypeVar("S")
T = TypeVar("T")

Job = Callable[[S], T]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


@dataclass
class _Ticket:
    job: Callable[[Any], Any]
    on_done: OnDone | None
    on_error: OnError | None
    name: str


class TaskRunner(QObject, Generic[S]):
    """Runs jobs on one named worker thread against a state object that lives there."""

    _finished = Signal(object, object, object)  # ticket, result, error
    busy_changed = Signal(bool)
    # Anything a job raises that no on_error handles ends up here, so the UI can say so.
    failed = Signal(str, object)
    # Every job's error, handled or not (a damaged page met anywhere must be reported: see
    # ui/damage_notice.py).
    error_seen = Signal(object)

    def __init__(self, state: S, name: str = "navigator-db", parent: QObject | None = None):
        super().__init__(parent)
        self._state = state
        self._queue: queue.Queue[_Ticket | None] = queue.Queue()
        self._pending = 0
        self._finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(
        self,
        job: Callable[[S], T],
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
        name: str = "",
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._queue.put(_Ticket(job, on_done, on_error, name or getattr(job, "__name__", "job")))

    def call(self, job: Callable[[S], T], timeout: float = 30.0) -> T:
        """Run a job and wait for it: for start-up, shutdown and tests, never for a click handler."""
        box: queue.Queue[tuple[bool, Any]] = queue.Queue()

        def run(state: S) -> None:
            try:
                box.put((True, job(state)))
            except BaseException as exc:
                box.put((False, exc))

        self._queue.put(_Ticket(run, None, None, "call"))
        ok, value = box.get(timeout=timeout)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def stop(self, timeout: float = 10.0) -> None:
        """Finish queued jobs, then end the thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)

    @property
    def pending(self) -> int:
        return self._pending

    def _loop(self) -> None:
        while True:
            ticket = self._queue.get()
            if ticket is None:
                return
            started = time.perf_counter()
            try:
                result, error = ticket.job(self._state), None
            except BaseException as exc:  # even SystemExit: the one database thread must live on
                result, error = None, exc
            elapsed = (time.perf_counter() - started) * 1000
            log.debug("job %s took %.1f ms", ticket.name, elapsed)
            if ticket.name != "call":
                self._finished.emit(ticket, result, error)

    def _deliver(self, ticket: _Ticket, result: Any, error: BaseException | None) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if error is not None:
            self.error_seen.emit(error)
            if ticket.on_error is not None:
                ticket.on_error(error)
            else:
                log.error("job %s failed", ticket.name, exc_info=error)
                self.failed.emit(ticket.name, error)
        elif ticket.on_done is not None:
            ticket.on_done(result)


class NetworkJob(QObject):
    """Runs one network call on its own thread; the result comes back by queued signal on the
    GUI thread (the job object lives there), to `on_done` or `on_error`."""

    _finished = Signal(object, object)  # result, error

    def __init__(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None]
    ) -> None:
        super().__init__()
        self._on_done, self._on_error = on_done, on_error
        self._finished.connect(self._deliver)
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,), name="navigator-net", daemon=True)

    def start(self) -> NetworkJob:
        self._thread.start()
        return self

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            result, error = work(), None
        except Exception as exc:
            result, error = None, exc
        self._finished.emit(result, error)

    def _deliver(self, result: Any, error: Exception | None) -> None:
        self.done.set()
        if error is not None:
            self._on_error(error)
        else:
            self._on_done(result)

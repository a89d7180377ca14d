"""The sync worker: runs the sync engine on its own thread and reports by signals.

Threads: HTTP runs on the worker's plain Python thread; every step that touches the store is
handed to the database worker (``TaskRunner.call``), the only thread that ever touches the
SQLCipher connection, so a sync's writes are serialised with the screens' writes and each page is
applied in one transaction there. (A second SQLCipher connection on the sync thread would need the
data key outside the session, and its writes would contend with the screens' for the one WAL writer
lock; a long page apply would then stall a screen's save on ``busy_timeout`` instead of queueing.)
No Qt object is created or touched on the worker thread: it only emits this object's signals, which
Qt delivers on the GUI thread.

When: as soon as the store becomes reachable, every few minutes while it is, on "Sync now", and as
soon as the central store says something in this user's scope changed (live sync: sync/live.py's
long-poll, held on its own thread from ``start`` to ``stop``; the timer stays the fallback).
Stopped on lock and on quit WITHOUT waiting for it: ``stop`` only raises the thread's stop flag and
returns at once, so the GUI thread never waits on a request in flight (up to the transport's
timeouts). The thread finishes that request in the background, then ends: every later step that
would touch the vault is refused (``SyncStopped``) and a backoff between retries is cut short, so
nothing is read or written after the lock; what was applied before is kept, and the rest waits for
the next sync. Nothing it would emit after the stop is emitted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from navigator_desktop.session import LockedError, Session
from navigator_desktop.store import settings
from navigator_desktop.sync.apply import Local
from navigator_desktop.sync.engine import Progress, SyncEngine, TransportFactory
from navigator_desktop.sync.errors import DeviceRevokedError, OfflineError, SyncError, SyncStopped
from navigator_desktop.sync.live import LiveSync
from navigator_desktop.sync.status import SyncStatus, read_status
from navigator_desktop.sync.transport import Transport
from navigator_desktop.sync.wipe import wipe_session
from navigator_desktop.tasks import TaskRunner

log = logging.getLogger("navigator.sync.worker")
T = TypeVar("T")

SYNC_EVERY_S = 5 * 60
PING_EVERY_S = 30


class RunnerAccess:
    """Sync steps run on the database worker; the sync thread waits for each. Once `stopped` is
    set (the worker was stopped, e.g. on lock), no further step is sent to the vault."""

    def __init__(
        self, runner: TaskRunner[Session], timeout: float = 300.0, stopped: threading.Event | None = None
    ) -> None:
        self.runner = runner
        self.timeout = timeout
        self.stopped = stopped or threading.Event()

    def run(self, step: Callable[[Local], T]) -> T:
        if self.stopped.is_set():
            raise SyncStopped("Sync stopped; it carries on next time.")
        return self.runner.call(step, timeout=self.timeout)


class SyncWorker(QObject):
    status_changed = Signal(object)  # SyncStatus
    progress = Signal(str, int, int)  # phase, pushed, pulled
    finished = Signal(object)  # SyncReport
    failed = Signal(str)  # a message fit to show
    revoked = Signal(str)  # the device was revoked and its data wiped
    risk_conflicts_found = Signal(int)  # new risk-flag conflicts: someone must look now

    def __init__(
        self,
        runner: TaskRunner[Session],
        *,
        transport_factory: TransportFactory | None = None,
        sync_every: float = SYNC_EVERY_S,
        ping_every: float = PING_EVERY_S,
        live: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.transport_factory = transport_factory or _default_transport
        self.sync_every = sync_every
        self.ping_every = ping_every
        self._thread: threading.Thread | None = None
        self._finishing: list[threading.Thread] = []  # stopped, ending in the background
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._forced = False
        self._online = False
        self._syncing = False
        self.live_enabled = live
        self.live: LiveSync | None = None  # the long-poll, on its own thread while started

    # -- control (GUI thread) ----------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop = threading.Event()
        self._wake.clear()
        self._thread = threading.Thread(
            target=self._loop, args=(self._stop,), name="navigator-sync", daemon=True
        )
        self._thread.start()
        if self.live_enabled:
            # Live sync: one long-poll held on its own thread; the store's answer asks this
            # worker for a sync at once. The timer above stays the fallback.
            access = RunnerAccess(self.runner, stopped=self._stop)
            self.live = LiveSync(lambda: _live_config(access), self.sync_now)
            self.live.start()

    def stop(self) -> None:
        """Tell the thread to stop and return at once (never waits on the network): it ends after
        the request in flight, touching the vault no more. A new ``start`` gets a new thread."""
        self._stop.set()
        self._wake.set()
        if self.live is not None:
            self.live.stop(join_seconds=0)  # shuts its socket; never waits on the GUI thread
            self.live = None
        self._finishing = [t for t in self._finishing if t.is_alive()]
        if self._thread is not None and self._thread.is_alive():
            self._finishing.append(self._thread)
        self._thread = None
        self._online = self._syncing = False

    def wait_stopped(self, timeout: float) -> bool:
        """Wait for stopped threads to end (shutdown and tests only, never on a click); True
        when none is left."""
        deadline = time.monotonic() + timeout
        for thread in list(self._finishing):
            thread.join(max(0.0, deadline - time.monotonic()))
        self._finishing = [t for t in self._finishing if t.is_alive()]
        return not self._finishing

    def sync_now(self) -> None:
        self._forced = True
        self._wake.set()

    @property
    def online(self) -> bool:
        return self._online

    @property
    def syncing(self) -> bool:
        return self._syncing

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the thread ----------------------------------------------------------------------------

    def _loop(self, stop: threading.Event) -> None:
        access = RunnerAccess(self.runner, stopped=stop)
        since_sync = self.sync_every  # sync as soon as the store is reachable
        while not stop.is_set():
            forced, self._forced = self._forced, False
            try:
                url, token = access.run(_endpoint)
            except (LockedError, SyncStopped):
                return
            if url and token:
                online = self._ping(url, token, stop)
                if stop.is_set():
                    return
                became_online = online and not self._online
                self._online = online
                if online and (forced or became_online or since_sync >= self.sync_every):
                    self._run_sync(access, stop)
                    since_sync = 0.0
                else:
                    self._emit_status(access, stop)
            else:
                self._emit_status(access, stop, "Not enrolled with a central store.")
            self._wake.wait(self.ping_every)
            self._wake.clear()
            since_sync += self.ping_every

    def _transports(self, stop: threading.Event) -> TransportFactory:
        """The factory, with retries' backoff cut short by a stop (for the default transport)."""
        if self.transport_factory is not _default_transport:
            return self.transport_factory

        def sleep(seconds: float) -> None:
            if stop.wait(seconds):
                raise SyncStopped("Sync stopped; it carries on next time.")

        return lambda url, token: Transport(url, token, sleep=sleep)

    def _ping(self, url: str, token: str, stop: threading.Event) -> bool:
        try:
            with self._transports(stop)(url, token) as transport:
                return transport.ping()
        except SyncError:
            return False

    def _run_sync(self, access: RunnerAccess, stop: threading.Event) -> None:
        def progress(p: Progress) -> None:
            if not stop.is_set():
                self.progress.emit(p.phase, p.pushed, p.pulled)

        engine = SyncEngine(
            access,
            self._transports(stop),
            on_progress=progress,
            should_stop=stop.is_set,
            wipe=lambda: access.run(_wipe),
        )
        self._syncing = True
        self._emit_status(access, stop)
        try:
            report = engine.sync()
        except DeviceRevokedError as exc:
            if not stop.is_set():
                self.revoked.emit(str(exc))
            stop.set()
            return
        except (SyncStopped, LockedError):
            return
        except OfflineError as exc:
            self._online = False
            self._fail(stop, str(exc))
        except SyncError as exc:
            self._fail(stop, str(exc))
        except Exception:
            log.exception("sync failed")
            self._fail(stop, "Sync failed unexpectedly; it will be tried again.")
        else:
            if not stop.is_set():
                self.finished.emit(report)
                if report.risk_conflicts:
                    self.risk_conflicts_found.emit(report.risk_conflicts)
        finally:
            if not stop.is_set():
                self._syncing = False
        self._emit_status(access, stop)

    def _fail(self, stop: threading.Event, message: str) -> None:
        if not stop.is_set():
            self.failed.emit(message)

    def _emit_status(self, access: RunnerAccess, stop: threading.Event, message: str = "") -> None:
        try:
            status: SyncStatus = access.run(read_status)
        except Exception:  # locked, stopped, or the store unreadable: nothing to show
            return
        if not stop.is_set():
            status = replace(status, online=self._online, syncing=self._syncing, message=message)
            self.status_changed.emit(status)


def _default_transport(url: str, token: str | None) -> Transport:
    return Transport(url, token)


def _endpoint(local: Any) -> tuple[str | None, str | None]:
    db = local.db
    return settings.get(db, settings.SERVER_URL), settings.get(db, settings.DEVICE_TOKEN)


def _live_config(access: RunnerAccess) -> tuple[str | None, str | None, int]:
    """For the live loop's thread: the server, token and cursor (none once locked or stopped)."""
    try:
        return access.run(_live_endpoint)
    except (LockedError, SyncStopped):
        return None, None, 0


def _live_endpoint(local: Any) -> tuple[str | None, str | None, int]:
    url, token = _endpoint(local)
    return url, token, int(settings.get(local.db, settings.SYNC_CURSOR) or 0)


def _wipe(local: Any) -> None:
    wipe_session(local)

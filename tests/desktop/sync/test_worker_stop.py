"""Stopping the sync worker (on lock, on quit) never makes the GUI thread wait for the network, and
a sync still in flight when the vault locks touches the vault no more."""

from __future__ import annotations

import threading
import time

import httpx

from navigator_desktop.store import records, settings
from navigator_desktop.sync.engine import Direct, SyncEngine
from navigator_desktop.sync.transport import Transport
from navigator_desktop.sync_worker import SyncWorker
from tests.e2e.harness import PASSPHRASE, PASSWORD
from tests.server.helpers import client_values


class Gate(httpx.BaseTransport):
    """Real HTTP, except that a pull waits (as over a slow link) until the test lets it go."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.entered = threading.Event()
        self.release = threading.Event()
        self.answered = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/changes"):
            self.entered.set()
            self.release.wait(20)
            response = self.inner.handle_request(request)
            response.read()
            self.answered.set()
            return response
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_stopping_mid_request_returns_at_once_and_the_late_answer_is_not_applied(qtbot, served, runner):
    org, url = served
    org.person("ann")
    code = org.code("ann")
    runner.call(lambda s: SyncEngine(Direct(s)).enrol(url, "ann", code, PASSWORD))
    runner.call(
        lambda s: records.create(s.db, s.actor, "client", client_values(org.team_id, org.users["ann"]))
    )
    gate = Gate()
    worker = SyncWorker(
        runner, transport_factory=lambda u, t: Transport(u, t, http_transport=gate), ping_every=0.05
    )
    emitted: list[object] = []
    worker.status_changed.connect(emitted.append)
    worker.finished.connect(emitted.append)
    worker.start()
    assert gate.entered.wait(20), "the sync reached its pull"
    started = time.perf_counter()
    worker.stop()
    stop_ms = (time.perf_counter() - started) * 1000
    assert stop_ms < 50, f"stop() held the GUI thread for {stop_ms:.0f} ms"
    assert not worker.running
    runner.call(lambda s: s.lock())  # what the app does next on lock
    qtbot.wait(50)  # signals emitted before the stop are delivered now
    emitted.clear()
    gate.release.set()  # the answer arrives after the lock
    assert gate.answered.wait(20)
    assert worker.wait_stopped(20), "the thread ended by itself after its request"
    qtbot.wait(50)  # let any queued signal be delivered: none may be
    assert emitted == []
    runner.call(lambda s: s.unlock(PASSPHRASE))
    # The page was never applied: the cursor did not move.
    assert runner.call(lambda s: settings.get(s.db, settings.SYNC_CURSOR)) in (None, "0")


def test_a_stopped_worker_can_start_again_while_the_old_thread_finishes(qtbot, served, runner):
    org, url = served
    org.person("ann")
    code = org.code("ann")
    runner.call(lambda s: SyncEngine(Direct(s)).enrol(url, "ann", code, PASSWORD))
    gate = Gate()
    worker = SyncWorker(
        runner, transport_factory=lambda u, t: Transport(u, t, http_transport=gate), ping_every=0.05
    )
    worker.start()
    assert gate.entered.wait(20)
    worker.stop()
    gate.entered.clear()
    worker.start()  # unlocked again before the old request came back
    assert worker.running
    gate.release.set()
    with qtbot.waitSignal(worker.finished, timeout=20_000):
        pass
    worker.stop()
    assert worker.wait_stopped(20)

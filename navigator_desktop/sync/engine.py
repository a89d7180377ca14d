"""The sync engine: enrol, then each sync pushes the outbox and pulls the feed (no Qt).

Order (DESIGN.md, "How a change travels"): push first, then pull. Pushing first lets the central
store merge this laptop's waiting changes and record any conflict once, for everyone; the pull
that follows brings back the merged result and that conflict, so one sync leaves the laptop
matching the store. (Pulling first would need a local merge that the push then repeats.) Pull and
apply are idempotent and the cursor is saved in the transaction that applies its page, so a crash
anywhere leaves a state from which the next sync finishes the job: an unacknowledged push is sent
again and answered ``already_applied``; an unapplied page is fetched again.

Database access: every step that touches the store is a small function handed to ``access.run``.
In the app that runs it on the database worker thread (the only thread that touches the SQLCipher
connection) and waits for it; the HTTP happens on the sync thread. The CLI and tests run steps
directly on an open store.
"""

from __future__ import annotations

import logging
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar

from navigator_core import timeutil
from navigator_core.ops import PushStatus
from navigator_desktop.store import context, outbox, retention, settings
from navigator_desktop.store.changes import Change, compact
from navigator_desktop.store.search import writer as search_writer
from navigator_desktop.sync import server_policy, team_directory
from navigator_desktop.sync.apply import Local, PageResult
from navigator_desktop.sync.errors import DeviceRevokedError, NotEnrolledError, SyncError, SyncStopped
from navigator_desktop.sync.pages import MAX_ITEMS, Prefetcher, apply_pages
from navigator_desktop.sync.transport import Transport, check_url

log = logging.getLogger("navigator.sync")

T = TypeVar("T")
# Feed entries asked for per page; the central store may send fewer (its own limits, and a page
# stops at a few megabytes of records), and several pages are applied in one transaction.
PAGE_SIZE = 5000
TEAM_ID = "team_id"
ROLE = "role"
CRASH_ENV = "NAVIGATOR_SYNC_CRASH_AT"  # tests: os._exit at the Nth crash point (see _step)
_STATUS: dict[str, str] = {
    PushStatus.APPLIED: outbox.APPLIED,
    PushStatus.ALREADY_APPLIED: outbox.ALREADY_APPLIED,
    PushStatus.CONFLICT_RECORDED: outbox.CONFLICT,
    PushStatus.REJECTED: outbox.REJECTED,
}


class StoreAccess(Protocol):
    def run(self, step: Callable[[Local], T]) -> T: ...


@dataclass
class Direct:
    """Run steps on the caller's thread (CLI, tests): `local` must belong to this thread."""

    local: Local

    def run(self, step: Callable[[Local], T]) -> T:
        return step(self.local)


@dataclass
class Progress:
    phase: str  # "push" | "pull" | "done"
    pushed: int = 0
    pulled: int = 0


@dataclass
class SyncReport:
    pushed: int = 0  # operations the store acknowledged this time
    rejected: int = 0
    conflicts_recorded: int = 0  # our operations that lost a merge on the store
    pulled: int = 0
    forgotten: int = 0
    conflicts: int = 0  # new conflicts kept here for review
    risk_conflicts: int = 0
    cursor: int = 0
    seconds: float = 0.0
    waited: float = 0.0  # of which the pull waited for the store's pages (pages.Prefetcher)
    rejections: list[str] = field(default_factory=list)
    client_ids: set[str] = field(default_factory=set)
    purged: list[str] = field(default_factory=list)  # clients retention removed after this sync
    changes: list[Change] = field(default_factory=list)  # what the pull changed, kind by record

    def summary(self) -> str:
        return (
            f"pushed {self.pushed}, pulled {self.pulled}, conflicts {self.conflicts}"
            f" (risk {self.risk_conflicts}), removed {self.forgotten}, rejected {self.rejected}"
        )


TransportFactory = Callable[[str, str | None], Transport]


class SyncEngine:
    def __init__(
        self,
        access: StoreAccess,
        transport_factory: TransportFactory | None = None,
        *,
        push_batch: int = 500,
        page_size: int = PAGE_SIZE,
        transaction_items: int = MAX_ITEMS,
        on_progress: Callable[[Progress], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        wipe: Callable[[], None] | None = None,
    ) -> None:
        self.access = access
        self.transport_factory = transport_factory or (lambda url, token: Transport(url, token))
        self.push_batch = push_batch
        self.page_size = page_size
        self.transaction_items = transaction_items  # records applied in one transaction, at most
        self.on_progress = on_progress or (lambda _p: None)
        self.should_stop = should_stop or (lambda: False)
        self.wipe = wipe
        self._crash_at = int(os.environ.get(CRASH_ENV, "0") or 0)
        self._steps = 0

    # -- enrolment -------------------------------------------------------------------------

    def enrol(self, server_url: str, username: str, code: str, password: str, device_name: str = "") -> str:
        """Exchange the code and password for a device token; kept inside the vault with the
        server address. This laptop's device id becomes the one the store gave (usually its own)."""
        url = check_url(server_url)
        device_id = self.access.run(lambda local: context.device_id(local.db))
        body = {
            "username": username,
            "code": code,
            "password": password,
            "device_name": device_name or platform.node() or "laptop",
            "device_id": device_id,
        }
        with self.transport_factory(url, None) as transport:
            answer = transport.enrol(body)
        self.access.run(lambda local: _save_enrolment(local, url, answer))
        log.info("enrolled with the central store")
        return str(answer["user_id"])

    # -- one sync ---------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        started = time.perf_counter()
        url, token, cursor = self.access.run(_config)
        if not url or not token:
            raise NotEnrolledError()
        report = SyncReport(cursor=cursor)
        try:
            with self.transport_factory(url, token) as transport:
                self._push(transport, report)
                self._pull(transport, report)
                server_policy.refresh(transport, self.access)  # wipe and idle-lock settings
                team_directory.refresh(transport, self.access)  # names for ids, the on-call rota
                self._push(transport, report)  # anything written while we pulled
        except DeviceRevokedError:
            log.warning("this device was revoked; wiping its local data")
            if self.wipe is not None:
                self.wipe()
            raise
        report.purged = self.access.run(_finished)
        report.seconds = time.perf_counter() - started
        self.on_progress(Progress("done", report.pushed, report.pulled))
        log.info(
            "sync done: %s in %.2fs (%.2fs of it waiting for the store's pages)",
            report.summary(),
            report.seconds,
            report.waited,
        )
        return report

    def _push(self, transport: Transport, report: SyncReport) -> None:
        while True:
            self._check_stop()
            batch = self.access.run(lambda local: outbox.pending(local.db, self.push_batch))
            if not batch:
                return
            self._step("push-send")
            answer = transport.push([op.wire for op in batch])
            self._step("push-answered")
            results = answer.get("results")
            if not isinstance(results, list):
                raise SyncError("The central store's answer to a push was not understood.")
            sent = {op.op_id for op in batch}
            acked = self.access.run(partial(_acknowledge, results=results, sent=sent, report=report))
            self._step("push-acknowledged")
            self.on_progress(Progress("push", report.pushed, report.pulled))
            if acked == 0:
                raise SyncError("The central store answered none of the operations sent.")

    def _pull(self, transport: Transport, report: SyncReport) -> None:
        # Pages are fetched ahead on their own thread while the database thread applies the ones
        # that are ready, several to a transaction (pages.py).
        fetch = partial(_fetch_changes, transport, self.page_size)
        with Prefetcher(fetch, report.cursor) as pages:
            while True:
                first = pages.next()
                assert first is not None  # waiting without a timeout
                self._step("pull-received")
                step = partial(
                    apply_pages,
                    first=first,
                    following=pages.next,
                    max_items=self.transaction_items,
                    should_stop=self.should_stop,
                    on_page=self._step,
                )
                applied = self.access.run(step)
                _add(report, applied.result)
                report.cursor = applied.cursor
                self._step("pull-applied")
                self.on_progress(Progress("pull", report.pushed, report.pulled))
                if not applied.more:
                    report.waited = pages.waited
                    return
                self._check_stop()

    def _check_stop(self) -> None:
        if self.should_stop():
            raise SyncStopped("Sync stopped; it carries on next time.")

    def _step(self, name: str) -> None:
        """A named point a crash test may kill the process at (NAVIGATOR_SYNC_CRASH_AT=N)."""
        self._steps += 1
        if self._crash_at and self._steps == self._crash_at:
            log.warning("crash test: exiting at step %d (%s)", self._steps, name)
            os._exit(137)


def _fetch_changes(transport: Transport, page_size: int, since: int) -> dict[str, Any]:
    return transport.changes(since, page_size)


def _add(report: SyncReport, page: PageResult) -> None:
    report.pulled += page.pulled
    report.forgotten += page.forgotten
    report.conflicts += page.conflicts
    report.risk_conflicts += page.risk_conflicts
    report.client_ids |= page.client_ids
    report.changes = compact(report.changes + page.changes)


def _config(local: Local) -> tuple[str | None, str | None, int]:
    db = local.db
    cursor = settings.get(db, settings.SYNC_CURSOR) or "0"
    return settings.get(db, settings.SERVER_URL), settings.get(db, settings.DEVICE_TOKEN), int(cursor)


def _finished(local: Local) -> list[str]:
    with local.db.transaction():
        settings.put(local.db, settings.LAST_SYNC_AT, timeutil.now_text())
    purged = retention.purge(local.db).clients  # discharged clients past the retention period, now sent
    # The sync is done when what it brought can be found: the indexer has written the pulled
    # records (a moment after the last page on an initial sync, at once otherwise).
    search_writer.flush(local.db)
    return purged


def _acknowledge(local: Local, results: list[Any], sent: set[str], report: SyncReport) -> int:
    """Record the store's answers in one transaction; how many operations were answered.
    Only the operations sent are marked: anything written since has its own, still pending."""
    db, now, answered = local.db, timeutil.now_text(), 0
    with db.transaction():
        for result in results:
            if not isinstance(result, dict) or result.get("op_id") not in sent:
                continue
            status = _STATUS.get(str(result.get("status")))
            if status is None:
                continue
            reason = str(result["reason"])[:300] if result.get("reason") else None
            if outbox.mark_acknowledged(db, result["op_id"], now, status, reason):
                answered += 1
                if status == outbox.REJECTED:
                    report.rejected += 1
                    report.rejections.append(reason or "rejected")
                else:
                    report.pushed += 1
                    report.conflicts_recorded += status == outbox.CONFLICT
    return answered


def _save_enrolment(local: Local, url: str, answer: dict[str, Any]) -> None:
    db = local.db
    for key in ("device_id", "token", "user_id", "team_id", "role"):
        if not isinstance(answer.get(key), str):
            raise SyncError("The central store's answer to the enrolment was not understood.")
    with db.transaction():
        old_device = settings.get(db, settings.DEVICE_ID)
        settings.put(db, settings.SERVER_URL, url)
        settings.put(db, settings.DEVICE_TOKEN, answer["token"])
        settings.put(db, settings.DEVICE_ID, answer["device_id"])
        settings.put(db, settings.CURRENT_USER, answer["user_id"])
        settings.put(db, TEAM_ID, answer["team_id"])
        settings.put(db, ROLE, answer["role"])
        settings.put(db, settings.SYNC_CURSOR, "0")
        server_policy.save(local, answer)  # wipe and idle-lock settings
        if isinstance(answer.get("retention_days"), int):
            settings.put(db, retention.RETENTION_DAYS, str(answer["retention_days"]))
        if old_device and old_device != answer["device_id"]:
            outbox.rehome(local.db, answer["device_id"])
    local.actor = context.load_actor(db, answer["user_id"])

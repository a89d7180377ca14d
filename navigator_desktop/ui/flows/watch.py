"""A locked on-call laptop's narrow watch: counts of the team's overdue visits and urgent handover
notes, asked of the central store while the vault is locked, said as notifications that name no one.

- **Unlock**: the watch in progress stops and its token is forgotten (sync takes over). Once the
  signed-in person is known, if they are on call (the on-call role, or a rota shift now:
  ``store.directory.on_call_now``) and the laptop is enrolled, a new short-lived watch token is
  obtained (``POST /v1/watch-token`` with the device token, ``sync.live.WatchClient``) and kept in
  that object's memory only: never in the vault, QSettings or a log. It is renewed while unlocked
  when half its life has gone.
- **Lock**: while it holds a token, ``GET /v1/watch`` is asked every `poll_ms`, each time on a
  ``NetworkJob`` thread (the vault is locked: the database worker has nothing to give). The first
  answer is where the watch starts; a count that rises is a notification through the Notifier
  ("2 visits overdue in your team"). The lock screen says the counts and when they were read.
- **Refused** (expired, the device revoked, the user gone): the watch stops, the token is
  forgotten, and the lock screen and a notification say the watch ended. Offline: it keeps asking.
- **Quit**: ``stop`` forgets the token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.store import directory, settings
from navigator_desktop.store.views import Who
from navigator_desktop.sync.errors import AuthError, DeviceRevokedError
from navigator_desktop.sync.live import WatchClient, WatchCounts
from navigator_desktop.tasks import NetworkJob, TaskRunner
from navigator_desktop.ui import text
from navigator_desktop.ui.flows.signed_in import SignedIn
from navigator_desktop.ui.flows.vault import VaultFlow
from navigator_desktop.ui.notifier import Notifier
from navigator_desktop.ui.views.unlock import UnlockView

log = logging.getLogger("navigator.ui.watch")

POLL_MS = 60_000
TITLE = "On-call watch"
ENDED_TITLE = "On-call watch ended"
ENDED = (
    "The on-call watch ended: the central store no longer accepts this laptop's watch (it expired "
    "or access was withdrawn). Unlock to see your team's visits and notes."
)
Endpoint = tuple[str | None, str | None, bool]  # server, device token, on call now


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def overdue_words(n: int) -> str:
    return f"{_plural(n, 'visit', 'visits')} overdue in your team"


def urgent_words(n: int) -> str:
    return _plural(n, "urgent handover note", "urgent handover notes")


def rise_words(before: WatchCounts, now: WatchCounts) -> str:
    """The notification's body for the counts that rose ("" when none did): no client, no place."""
    said = []
    if now.overdue_visits > before.overdue_visits:
        said.append(overdue_words(now.overdue_visits))
    if now.urgent_notes > before.urgent_notes:
        said.append(urgent_words(now.urgent_notes))
    if not said:
        return ""
    joined = "; ".join(said)
    return joined[:1].upper() + joined[1:] + ". Unlock Navigator to see them on the On call screen."


def lock_line(counts: WatchCounts) -> str:
    """What the lock screen says while the watch runs."""
    return (
        f"On-call watch: {overdue_words(counts.overdue_visits)}, {urgent_words(counts.urgent_notes)} "
        f"(checked {text.clock(counts.at)})."
    )


def _endpoint(who_id: str) -> Callable[[Session], Endpoint]:
    def read(session: Session) -> Endpoint:
        db = session.db
        on_call = directory.on_call_now(db, who_id)
        return settings.get(db, settings.SERVER_URL), settings.get(db, settings.DEVICE_TOKEN), on_call

    return read


class LockedWatch(QObject):
    def __init__(
        self,
        runner: TaskRunner[Session],
        vault: VaultFlow,
        signed_in: SignedIn,
        notifier: Notifier,
        unlock_view: UnlockView,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__()
        self.runner, self.notifier, self.unlock_view = runner, notifier, unlock_view
        self.poll_ms = poll_ms
        self.client: WatchClient | None = None  # holds the watch token, in memory only
        self.counts: WatchCounts | None = None  # the last answer while locked
        self.ended = False
        self._locked = True
        self._epoch = 0  # moves at every unlock and stop: answers from before are dropped
        self._jobs: set[NetworkJob] = set()
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.timeout.connect(self._ask)
        self._renew = QTimer(self)
        self._renew.setSingleShot(True)
        self._renew.timeout.connect(self._obtain_again)
        self._who: str | None = None
        vault.unlocked.connect(self._unlocked)
        vault.locked.connect(self._on_locked)
        signed_in.loaded.connect(self._signed_in)

    @property
    def holding(self) -> bool:
        return self.client is not None and self.client.holding

    @property
    def watching(self) -> bool:
        return self._locked and self.holding and not self.ended

    # -- unlocked: obtain the token ---------------------------------------------------------------

    def _unlocked(self) -> None:
        self.stop()
        self._locked = False

    def _signed_in(self, who: Who | None) -> None:
        self._who = who.user_id if who is not None else None
        self._obtain_again()

    def _obtain_again(self) -> None:
        who, epoch = self._who, self._epoch
        if who is None or self._locked:
            return
        self.runner.submit(
            _endpoint(who), lambda found: self._obtain(epoch, found), lambda _e: None, name="watch endpoint"
        )

    def _obtain(self, epoch: int, found: Endpoint) -> None:
        url, device_token, on_call = found
        if epoch != self._epoch or not (url and device_token and on_call):
            return
        client = WatchClient(url)
        self._network(
            lambda: client.obtain(device_token),
            lambda expires: self._obtained(epoch, client, expires),
            lambda error: log.info("no on-call watch token this time: %s", type(error).__name__),
        )

    def _obtained(self, epoch: int, client: WatchClient, expires: str) -> None:
        if epoch != self._epoch:
            client.forget()
            return
        if self.client is not None:
            self.client.forget()
        self.client = client
        if not self._locked:
            life_ms = (timeutil.parse(expires) - timeutil.utcnow()).total_seconds() * 1000
            self._renew.start(max(60_000, int(life_ms / 2)))
        else:  # locked while it was on its way
            self._start_watching()

    # -- locked: ask for the counts ---------------------------------------------------------------

    def _on_locked(self) -> None:
        self._locked = True
        self._renew.stop()
        self.counts, self.ended = None, False
        self.unlock_view.show_watch("")
        if self.holding:
            self._start_watching()

    def _start_watching(self) -> None:
        self.unlock_view.show_watch("On-call watch: keeping an eye on your team's visits while locked.")
        self._ask()

    def _ask(self) -> None:
        client, epoch = self.client, self._epoch
        if client is None or not self.watching:
            return
        self._network(
            client.watch_counts,
            lambda counts: self._answered(epoch, counts),
            lambda error: self._failed(epoch, error),
        )

    def _answered(self, epoch: int, counts: WatchCounts) -> None:
        if epoch != self._epoch or not self.watching:
            return
        before, self.counts = self.counts, counts
        if before is not None:
            body = rise_words(before, counts)
            if body:
                self.notifier.notify(TITLE, body)
                self.unlock_view.show_alarm(TITLE, body)  # where there is no tray, the lock screen says it
        self.unlock_view.show_watch(lock_line(counts))
        self._poll.start(self.poll_ms)

    def _failed(self, epoch: int, error: Exception) -> None:
        if epoch != self._epoch:
            return
        if isinstance(error, AuthError | DeviceRevokedError):
            log.info("the central store refused the on-call watch token")
            self.stop()
            self.ended = True
            self.unlock_view.show_watch(ENDED)
            self.notifier.notify(ENDED_TITLE, ENDED)
            return
        log.info("the on-call watch could not reach the central store: %s", type(error).__name__)
        if self.watching:
            when = text.clock(timeutil.now_text())
            self.unlock_view.show_watch(
                f"On-call watch: the central store cannot be reached ({when}); trying again."
            )
            self._poll.start(self.poll_ms)

    def _network(
        self, work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]
    ) -> None:
        """`work` on a thread of its own; `done` or `failed` back here (the job is kept till then)."""
        job: NetworkJob

        def finish(then: Callable[[], None]) -> None:
            self._jobs.discard(job)
            then()

        job = NetworkJob(
            work,
            lambda result: finish(lambda: done(result)),
            lambda error: finish(lambda: failed(error)),
        )
        self._jobs.add(job)
        job.start()

    # -- the end ------------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop asking and forget the token (unlock, quit, refused)."""
        self._epoch += 1
        self._poll.stop()
        self._renew.stop()
        if self.client is not None:
            self.client.forget()
        self.client, self.counts = None, None

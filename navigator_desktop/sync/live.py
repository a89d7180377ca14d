"""Live sync, the laptop's half (no Qt): hold one long-poll to the central store while online and
unlocked, and say "pull now" as soon as the store answers that the team's feed moved.

``LiveSync.run`` is the loop (a worker may call it on its own thread; ``start`` makes a daemon
thread for it). Each round asks ``GET /v1/changes/wait?since=<cursor>`` over the same
``Transport`` as the sync engine (its TLS rules and error mapping; no retries of its own: the loop
backs off, with jitter, from 1 s to a minute). When told of a change it calls `pull_now` (in the
app: ask the sync worker for a sync) and waits next from the number it was told, so a pull still
running does not wake it again. Polling every few minutes stays the app's fallback: a wake-up lost
to a failed pull is caught there.

``stop`` is prompt (lock, quit): it shuts the long-poll's socket down, so the thread ends at once
rather than when the store next answers; nothing is called back after it.

``WatchClient`` is a locked on-call laptop's narrow watch: while unlocked it exchanges the device
token for a short-lived watch token, kept only in this object's memory, whose only power is
``GET /v1/watch``: counts of the team's overdue visits and urgent handover notes, nothing else.
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from navigator_desktop.sync.errors import AuthError, DeviceRevokedError, SyncError
from navigator_desktop.sync.transport import TIMEOUT, Transport

log = logging.getLogger("navigator.sync.live")

WAIT_SECONDS = 25.0  # the long-poll's length asked of the store (it may cap it)
MIN_BACKOFF, MAX_BACKOFF = 1.0, 60.0
# The server, its device token and the laptop's cursor, read afresh each round (None: not enrolled).
Config = Callable[[], tuple[str | None, str | None, int]]


def _transport(url: str, token: str | None, wait: float, ca_bundle: Path | None) -> Transport:
    """The engine's Transport, without retries (the loop backs off) and with a read timeout longer
    than the wait."""
    timeout = httpx.Timeout(connect=TIMEOUT.connect, read=wait + 15.0, write=TIMEOUT.write, pool=TIMEOUT.pool)
    return Transport(url, token, ca_bundle=ca_bundle, retries=0, timeout=timeout)


class LiveSync:
    def __init__(
        self,
        config: Config,
        pull_now: Callable[[], None],
        *,
        wait_seconds: float = WAIT_SECONDS,
        min_backoff: float = MIN_BACKOFF,
        max_backoff: float = MAX_BACKOFF,
        ca_bundle: Path | None = None,
    ) -> None:
        self.config = config
        self.pull_now = pull_now
        self.wait_seconds = wait_seconds
        self.min_backoff, self.max_backoff = min_backoff, max_backoff
        self.ca_bundle = ca_bundle
        self.wakes = 0  # times the store said "changed" (tests, the benchmark)
        self.failures = 0  # rounds that failed in a row
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._transport: Transport | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self.run, name="navigator-live-sync", daemon=True)
            self._thread.start()

    def stop(self, join_seconds: float = 2.0) -> None:
        """End the loop now: no request is left waiting and `pull_now` is not called again."""
        self._stop.set()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(join_seconds)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the loop --------------------------------------------------------------------------------

    def run(self) -> None:
        told = 0  # the last feed number the store told of: the next wait starts there
        identity: tuple[str, str] | None = None
        try:
            while not self._stop.is_set():
                url, token, cursor = self.config()
                if not url or not token:
                    self._pause(self.max_backoff)
                    continue
                if identity != (url, token):
                    self._close()
                    self._transport = self._open(url, token)
                    identity, told = (url, token), 0
                try:
                    changed, seq = self._wait(max(cursor, told))
                except DeviceRevokedError:
                    log.warning("live sync: this device was revoked; the sync will wipe it")
                    if not self._stop.is_set():
                        self.pull_now()
                    return
                except AuthError:
                    log.warning("live sync: the store refused this laptop's token")
                    self._fail()
                    continue
                except SyncError as exc:  # offline, unavailable, or a store without live sync
                    if not self._stop.is_set():
                        log.info("live sync: %s", exc)
                        self._fail()
                    continue
                self.failures = 0
                if changed and not self._stop.is_set():
                    told = max(told, seq)
                    self.wakes += 1
                    self.pull_now()
        finally:
            self._close()

    def _open(self, url: str, token: str) -> Transport:
        transport = _transport(url, token, self.wait_seconds, self.ca_bundle)
        transport.watch_sockets(self._track)
        return transport

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets = [s for s in self._sockets if s.fileno() != -1] + [sock]
        if self._stop.is_set():  # stopped while connecting
            self.stop(join_seconds=0)

    def _wait(self, since: int) -> tuple[bool, int]:
        assert self._transport is not None
        params = {"since": since, "timeout": self.wait_seconds}
        answer = self._transport.request("GET", "/v1/changes/wait", params=params)
        changed, seq = answer.get("changed"), answer.get("seq")
        if not isinstance(changed, bool) or not isinstance(seq, int):
            raise SyncError("The central store's answer to a wait was not understood.")
        return changed, seq

    def _fail(self) -> None:
        self.failures += 1
        delay = min(self.max_backoff, self.min_backoff * 2 ** (self.failures - 1))
        self._pause(random.uniform(delay / 2, delay))  # noqa: S311 - jitter, not cryptography

    def _pause(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None


@dataclass(frozen=True)
class WatchCounts:
    overdue_visits: int
    urgent_notes: int
    at: str


class WatchClient:
    """A locked on-call laptop's watch: the token lives in this object only, never on disk."""

    def __init__(self, url: str, *, ca_bundle: Path | None = None) -> None:
        self.url = url
        self.ca_bundle = ca_bundle
        self._token: str | None = None
        self.expires_at: str | None = None

    def obtain(self, device_token: str) -> str:
        """While unlocked: exchange the device token for a watch token; returns when it expires."""
        with _transport(self.url, device_token, 0.0, self.ca_bundle) as transport:
            answer = transport.request("POST", "/v1/watch-token", retry_sent=True)
        token, expires = answer.get("token"), answer.get("expires_at")
        if not isinstance(token, str) or not isinstance(expires, str):
            raise SyncError("The central store's answer to a watch token request was not understood.")
        self._token, self.expires_at = token, expires
        return expires

    @property
    def holding(self) -> bool:
        return self._token is not None

    def watch_counts(self) -> WatchCounts:
        """The team's overdue visits and urgent unread handover notes now (raises AuthError once the
        token has expired: obtain another at the next unlock)."""
        if self._token is None:
            raise AuthError("No watch token: obtain one while the laptop is unlocked.")
        with _transport(self.url, self._token, 0.0, self.ca_bundle) as transport:
            answer = transport.request("GET", "/v1/watch")
        try:
            return WatchCounts(int(answer["overdue_visits"]), int(answer["urgent_notes"]), str(answer["at"]))
        except (KeyError, TypeError, ValueError):
            raise SyncError("The central store's watch answer was not understood.") from None

    def forget(self) -> None:
        self._token = self.expires_at = None

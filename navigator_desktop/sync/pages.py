"""Pulled pages, fetched ahead on their own thread and applied several to a transaction.

The central store answers a pull in pages (a thousand or so changes each). Applying each page in a
transaction of its own was most of an initial sync's time: a commit writes out, encrypted, every
database page the transaction touched, and the indexes and the search index spread each page's
records over much of the file, so small transactions wrote the same pages again and again. So one
database step applies the pages that are ready, one after the other, in one transaction, and saves
the cursor of the last (DESIGN.md, "How a change travels": the changes and the new cursor commit
together). It ends the transaction when enough records are in, when it has run long enough for
other database work to have its turn, when the next page is not there yet, when the sync is told
to stop, or at the end of the feed.

The pages come from a ``Prefetcher``: a thread that fetches and decodes the next pages while the
database thread applies, holding one waiting at most, so memory stays flat however large the
pull. A page it could not fetch is reported in order, after the pages before it are applied.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from navigator_desktop.sync.apply import Local, PageResult, apply_page
from navigator_desktop.sync.closing import Closing
from navigator_desktop.sync.errors import SyncError

# One transaction takes at most this many records, or this many seconds: big enough that the
# commits stop dominating (measured on a team's initial sync), short enough that a screen's own
# database work waits a moment at most while an initial sync runs.
MAX_ITEMS = 40_000
MAX_SECONDS = 2.0
# How long the database step waits for the next page before it commits what it has.
NEXT_PAGE_WAIT_S = 0.05


@dataclass
class Page:
    items: list[dict[str, Any]]
    cursor: int
    more: bool


def parse_page(page: dict[str, Any], since: int) -> Page:
    items, cursor, more = page.get("changes"), page.get("cursor"), page.get("more")
    if not isinstance(items, list) or not isinstance(cursor, int) or cursor < since:
        raise SyncError("The central store's page of changes was not understood.")
    return Page(items, cursor, bool(more))


class Prefetcher(Closing):
    """Fetches pages from `since` on its own thread, at most `ahead` waiting at a time (with the
    one being fetched and the one being applied, three pages of a few megabytes in memory)."""

    def __init__(self, fetch: Callable[[int], dict[str, Any]], since: int, ahead: int = 1) -> None:
        self._fetch = fetch
        self._since = since
        self._queue: queue.Queue[Page | BaseException] = queue.Queue(maxsize=max(1, ahead))
        self._closed = threading.Event()
        # Seconds the reader spent waiting for pages: the store's and the network's share of a
        # pull, the rest being the laptop's own work (logged with each sync).
        self.waited = 0.0
        self._thread = threading.Thread(target=self._run, name="navigator-pull", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        since = self._since
        while not self._closed.is_set():
            try:
                page = parse_page(self._fetch(since), since)
            except BaseException as exc:  # handed to the reader, in order
                self._put(exc)
                return
            if not self._put(page) or not page.more:
                return
            since = page.cursor

    def _put(self, entry: Page | BaseException) -> bool:
        while not self._closed.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def next(self, timeout: float | None = None) -> Page | None:
        """The next page; None when none came within `timeout` (None: wait as long as it takes).
        A fetch that failed raises here, in its place."""
        started = time.perf_counter()
        try:
            entry = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        finally:
            self.waited += time.perf_counter() - started
        if isinstance(entry, BaseException):
            raise entry
        return entry

    def close(self) -> None:
        """Stop fetching; a request in flight finishes on its own (its page is dropped)."""
        self._closed.set()


@dataclass
class Applied:
    """What one database step applied: its pages, as one result, and where the feed stands."""

    result: PageResult = field(default_factory=PageResult)
    pages: int = 0
    cursor: int = 0
    more: bool = True


def apply_pages(
    local: Local,
    first: Page,
    following: Callable[[float], Page | None],
    *,
    max_items: int = MAX_ITEMS,
    max_seconds: float = MAX_SECONDS,
    should_stop: Callable[[], bool] = lambda: False,
    on_page: Callable[[str], None] = lambda _step: None,
) -> Applied:
    """Apply `first` and the pages `following` hands over while they keep coming, in ONE
    transaction with the cursor of the last; see the module's docstring for when it stops. A
    page that could not be fetched ends the transaction with what came before it committed, and
    its error is raised after."""
    applied = Applied()
    started = time.monotonic()
    page: Page | None = first
    failed: BaseException | None = None
    with local.db.transaction(savepoint=False):
        while page is not None:
            _add(applied.result, apply_page(local, page.items, page.cursor))
            applied.pages += 1
            applied.cursor, applied.more = page.cursor, page.more
            on_page("pull-page-applied")
            if (
                not page.more
                or applied.result.pulled + applied.result.forgotten >= max_items
                or time.monotonic() - started >= max_seconds
                or should_stop()
            ):
                break
            try:
                page = following(NEXT_PAGE_WAIT_S)
            except BaseException as exc:
                failed = exc
                break
            if page is not None:
                on_page("pull-received")
    if failed is not None:
        raise failed
    return applied


def _add(total: PageResult, page: PageResult) -> None:
    total.pulled += page.pulled
    total.forgotten += page.forgotten
    total.conflicts += page.conflicts
    total.risk_conflicts += page.risk_conflicts
    total.resolved += page.resolved
    for kind, count in page.by_kind.items():
        total.by_kind[kind] = total.by_kind.get(kind, 0) + count
    total.client_ids |= page.client_ids
    total.changes += page.changes

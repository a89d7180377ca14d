"""Pulled pages: several applied in one transaction with the last page's cursor, and the ways that
transaction ends (enough records, the next page late, a stop, a page that could not be fetched),
each leaving the cursor where the records it committed end."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from navigator_desktop.store import contacts, search, settings
from navigator_desktop.sync.errors import OfflineError, SyncError
from navigator_desktop.sync.pages import Page, Prefetcher, apply_pages, parse_page
from tests.desktop.store.helpers import client_values, pulled_contact, pulled_record
from tests.desktop.sync.conftest import Local

CLIENT = "0190f5a0-0000-7000-8000-000000000001"


def client_item(seq: int) -> dict[str, Any]:
    return pulled_record("client", CLIENT, client_values(), "1700000000000.00000.server", seq)


def contact_item(seq: int, words: str) -> dict[str, Any]:
    return pulled_contact(CLIENT, f"Talked about {words}.", seq)


def pages(count: int, per_page: int = 3) -> list[Page]:
    made = [Page([client_item(1)], 1, True)]
    seq = 1
    for n in range(count - 1):
        items = []
        for _ in range(per_page):
            seq += 1
            items.append(contact_item(seq, f"page{n}word"))
        made.append(Page(items, seq, n < count - 2))
    return made


def feeder(queue: list[Page | BaseException]) -> Callable[[float], Page | None]:
    def following(_wait: float) -> Page | None:
        if not queue:
            return None
        nxt = queue.pop(0)
        if isinstance(nxt, BaseException):
            raise nxt
        return nxt

    return following


def cursor(local: Local) -> str | None:
    return settings.get(local.db, settings.SYNC_CURSOR)


def test_the_pages_that_are_ready_go_into_one_transaction_with_the_last_cursor(local: Local) -> None:
    first, *rest = pages(4)
    applied = apply_pages(local, first, feeder(list(rest)))
    assert (applied.pages, applied.cursor, applied.more) == (4, rest[-1].cursor, False)
    assert applied.result.pulled == 1 + 3 * 3
    assert cursor(local) == str(rest[-1].cursor)
    assert len(contacts.timeline(local.db, CLIENT)) == 9


def test_a_transaction_ends_once_it_holds_enough_records(local: Local) -> None:
    first, *rest = pages(5)
    applied = apply_pages(local, first, feeder(list(rest)), max_items=5)
    assert applied.pages == 3 and applied.more  # 1 + 3 + 3 records: past five after the third page
    assert cursor(local) == str(rest[1].cursor)


def test_a_transaction_ends_when_the_next_page_is_not_there_yet(local: Local) -> None:
    first, second, *_ = pages(4)
    applied = apply_pages(local, first, feeder([second]))  # then None: not fetched yet
    assert applied.pages == 2 and applied.more
    assert cursor(local) == str(second.cursor)


def test_a_stop_ends_the_transaction_with_what_it_applied_kept(local: Local) -> None:
    first, *rest = pages(4)
    applied = apply_pages(local, first, feeder(list(rest)), should_stop=lambda: True)
    assert applied.pages == 1
    assert cursor(local) == str(first.cursor)
    assert local.db.scalar("SELECT count(*) FROM clients") == 1


def test_a_page_that_could_not_be_fetched_keeps_the_pages_before_it(local: Local) -> None:
    first, second, third, _ = pages(4)
    with pytest.raises(OfflineError):
        apply_pages(local, first, feeder([second, OfflineError("gone"), third]))
    assert cursor(local) == str(second.cursor)
    assert len(contacts.timeline(local.db, CLIENT)) == 3


def test_a_failure_applying_a_page_keeps_nothing_of_its_transaction(local: Local) -> None:
    first, second, *_ = pages(3)
    broken = Page([{**contact_item(99, "x"), "data": None, "meta": None}], 99, True)
    with pytest.raises(Exception):  # noqa: B017 - whatever the store raises, nothing is half kept
        apply_pages(local, first, feeder([second, broken]))
    assert cursor(local) is None
    assert local.db.scalar("SELECT count(*) FROM contacts") == 0


def test_records_applied_together_are_searchable_after_the_flush(local: Local) -> None:
    first, *rest = pages(3)
    apply_pages(local, first, feeder(list(rest)))
    assert len(search.search(local.db, "page0word")) == 3
    assert len(search.search(local.db, "page1word")) == 3


def test_a_page_that_goes_backwards_is_not_understood() -> None:
    with pytest.raises(SyncError):
        parse_page({"changes": [], "cursor": 4, "more": False}, since=5)
    with pytest.raises(SyncError):
        parse_page({"changes": "nope", "cursor": 6, "more": False}, since=5)


def test_the_prefetcher_fetches_ahead_in_order_and_reports_a_failure_in_its_place() -> None:
    asked: list[int] = []

    def fetch(since: int) -> dict[str, Any]:
        asked.append(since)
        if since == 20:
            raise OfflineError("the network went")
        return {"changes": [], "cursor": since + 10, "more": True}

    with Prefetcher(fetch, 0, ahead=1) as fetcher:
        assert [fetcher.next().cursor for _ in range(2)] == [10, 20]  # type: ignore[union-attr]
        with pytest.raises(OfflineError):
            fetcher.next()
    assert asked == [0, 10, 20]


def test_the_prefetcher_holds_at_most_what_it_was_allowed() -> None:
    fetched: list[int] = []

    def fetch(since: int) -> dict[str, Any]:
        fetched.append(since)
        return {"changes": [], "cursor": since + 1, "more": True}

    with Prefetcher(fetch, 0, ahead=1) as fetcher:
        time.sleep(0.3)
        # one waiting in the queue and one fetched, waiting for room: no more
        assert len(fetched) == 2
        assert fetcher.next(timeout=1) is not None
        time.sleep(0.3)
        assert len(fetched) == 3


def test_the_prefetcher_stops_at_the_end_of_the_feed() -> None:
    calls = []

    def fetch(since: int) -> dict[str, Any]:
        calls.append(since)
        return {"changes": [], "cursor": since + 1, "more": since < 2}

    with Prefetcher(fetch, 0) as fetcher:
        got = [fetcher.next(timeout=2) for _ in range(3)]
        assert [p.cursor for p in got if p] == [1, 2, 3]
        assert fetcher.next(timeout=0.2) is None
    assert calls == [0, 1, 2]


def test_the_prefetcher_counts_the_time_its_reader_waited_for_pages() -> None:
    def slow(since: int) -> dict[str, Any]:
        time.sleep(0.2)
        return {"changes": [], "cursor": since + 1, "more": since < 1}

    with Prefetcher(slow, 0) as fetcher:
        assert fetcher.waited == 0.0
        assert fetcher.next() is not None  # the first page takes the fetch's 0.2 s
        assert 0.15 < fetcher.waited < 5
        deadline = time.monotonic() + 10
        while not fetcher._queue.full() and time.monotonic() < deadline:
            time.sleep(0.01)  # the second is fetched meanwhile: taking it costs the reader nothing
        before = fetcher.waited
        assert fetcher.next(timeout=1) is not None
        assert fetcher.waited - before < 0.1

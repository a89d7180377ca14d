"""How long a push holds the feed lock (feed.py: the one ``feed_counter`` row every writing
transaction updates first and holds until it commits), measured in this process one push at a
time, so no push waits for another: the bound on pushing transactions a second that the lock
sets for the whole organisation, whatever the number of server processes."""

from __future__ import annotations

import time
from typing import Any

from benchmarks.fleet_setup import Laptop, settings_for
from benchmarks.report import percentile
from navigator_server import accounts, push
from navigator_server.db import Database


def lock_hold(url: str, laptops: list[Laptop], contact: Any, count: int = 100) -> list[str]:
    """Report lines: each push's transaction (lock taken by its first statement, to its commit)
    for batches of 1 and 3 contacts. `contact(laptop)` makes one contact operation for the wire."""
    db = Database(settings_for(url))
    lines = []
    try:
        for size in (1, 3):
            held: list[float] = []
            for number in range(count):
                lap = laptops[number % len(laptops)]
                with db.read() as conn:
                    who = accounts.authenticate(conn, lap.token)
                assert who is not None
                ops = [contact(lap) for _ in range(size)]
                started = time.perf_counter()
                with db.write() as conn:
                    push.push(conn, who, ops, limits=db.settings.time_limits)
                held.append(time.perf_counter() - started)
            median = percentile(held, 50)
            lines.append(
                f"feed lock held by a push of {size} contact(s), {count} one at a time: median "
                f"{median * 1000:.1f} ms, p90 {percentile(held, 90) * 1000:.1f} ms: at most "
                f"{1 / median:.0f} pushing transactions/s for the organisation"
            )
    finally:
        db.dispose()
    return lines

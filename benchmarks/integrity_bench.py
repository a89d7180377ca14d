"""The background integrity check after unlock: how long it takes, and that the GUI never stalls.

The check (integrity_watch.in_background: ``cipher_integrity_check`` and ``quick_check`` on a
read-only connection in a thread of its own) runs on the cached data set's vault while the GUI
thread's event loop ticks a 10 ms timer; the longest gap between ticks is the GUI stall it causes.
The same timer for as long with no check gives this machine's own noise for comparison.

    python -m benchmarks.integrity_bench [--scale team|small]
"""

from __future__ import annotations

import argparse
import itertools
import threading
import time

from PySide6.QtCore import QCoreApplication, QTimer

from benchmarks import dataset as data
from benchmarks.report import Figure, Report

STALL_MS = 100.0  # the app's ceiling for any GUI-thread stall (ui_bench.py)
TICK_MS = 10


def longest_gap(app: QCoreApplication, until: threading.Event, at_least_s: float = 0.0) -> tuple[float, int]:
    """Run the event loop with a 10 ms timer until `until` is set; the longest gap in ms."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    started = time.perf_counter()

    def maybe_stop() -> None:
        if until.is_set() and time.perf_counter() - started >= at_least_s:
            app.quit()

    timer.timeout.connect(maybe_stop)
    timer.start()
    app.exec()
    timer.stop()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    return max(gaps, default=0.0), len(ticks)


def main(argv: list[str] | None = None) -> int:
    from navigator_desktop import integrity_watch

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="team")
    args = parser.parse_args(argv)
    ds = data.load(args.scale)
    app = QCoreApplication.instance() or QCoreApplication([])
    vault = ds.vault()
    key = vault.data_key(data.PASSPHRASE)
    clients = ds.counts.get("client", 0)
    report = Report(f"Background integrity check at {args.scale} scale ({clients:,} clients)")
    report.header()

    done = threading.Event()
    result: list[str | None] = []
    started = time.perf_counter()

    def finished(reason: str | None) -> None:
        result.append(reason)
        done.set()

    integrity_watch.in_background(vault, key, finished)
    gap, ticks = longest_gap(app, done)
    seconds = time.perf_counter() - started
    report.add(Figure("full integrity check, in its own thread", seconds * 1000, "ms"))
    report.add(
        Figure(
            "longest GUI-thread gap while it runs (10 ms timer)",
            gap,
            "ms",
            ceiling=STALL_MS,
            note=f"{ticks} ticks; vault {'healthy' if result == [None] else 'DAMAGED'}",
        )
    )
    idle = threading.Event()
    idle.set()
    quiet_gap, _ = longest_gap(app, idle, at_least_s=seconds)
    report.add(Figure("longest gap of the same timer with no check (machine noise)", quiet_gap, "ms"))
    return 0 if report.summary() else 1


if __name__ == "__main__":
    raise SystemExit(main())

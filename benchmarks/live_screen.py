"""Live sync to laptop B's screen (``python -m benchmarks.live_bench --screen``): B is the app itself
(``Navigator``, offscreen), unlocked on its enrolled vault, Today open, its live sync holding the
long-poll as it does for a person; nobody presses Sync now. Each round laptop A pushes a handover
note (from a thread of its own, so the push does not hold B's GUI thread) and the clock runs until
B's Today lists it: long-poll answer, B's full sync into its vault, the change bus, Today's query on
the database worker and its model on screen. The GUI thread's longest stall over the rounds is
measured too (10 ms timer gaps, as in ui_bench), beside the machine's load average.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.report import Figure, Report, percentile
from benchmarks.stall_profile import StallProfiler
from benchmarks.ui_bench import STALL_MS, StallWatch, pump, settle

P95_CEILING_MS = 1000.0
WARMUP = 3


def _listed(app: object, words: str) -> bool:
    handover = app.today_view.handover  # type: ignore[attr-defined]
    return any(words in str(handover.record(r).get("text")) for r in range(handover.rowCount()))


def rounds(
    data_dir: Path,
    passphrase: str,
    push: Callable[[str], None],
    changes: int,
    report: Report,
    profile: bool = False,
) -> None:
    """`push(text)` sends a handover note with that text from laptop A (any thread)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from navigator_desktop.app import Navigator
    from navigator_desktop.gc_guard import GuiThreadCollector
    from navigator_desktop.vault import KdfParams

    qt = QApplication.instance() or QApplication([])
    collector = GuiThreadCollector(qt)
    app = Navigator(data_dir, kdf=KdfParams.for_tests(), tray=False)
    app.window.resize(1280, 800)
    app.start()
    try:
        pump(lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled())
        app.unlock_view.passphrase.setText(passphrase)
        app.unlock_view.button.click()
        worker = app.sync.worker
        pump(lambda: app.window.current_screen() == "today" and app.runner.pending == 0, timeout=120)
        pump(lambda: worker.live is not None and worker.live.running and not worker.syncing, timeout=120)
        settle(1000)  # the first sync after unlock done, the long-poll parked
        times: list[float] = []
        load = os.getloadavg()[0]
        watch: StallWatch | StallProfiler | None = None
        for n in range(-WARMUP, changes):
            if n == 0:
                watch = StallProfiler() if profile else StallWatch()  # warm-up rounds' stalls not counted
            words = f"Benchmark note for B's screen {n + WARMUP}."
            started = time.perf_counter()
            threading.Thread(target=push, args=(words,), name="laptop A", daemon=True).start()
            pump(lambda words=words: _listed(app, words), timeout=30)  # type: ignore[misc]
            took = time.perf_counter() - started
            if n >= 0:
                times.append(took)
            settle(random.randint(300, 600))  # B's sync and the crowd's pulls settle
        assert watch is not None
        watch.timer.stop()
        if isinstance(watch, StallProfiler):
            watch.stop()
            print(watch.report(), flush=True)
        after = os.getloadavg()[0]

        def ms(pct: float) -> float:
            return percentile(times, pct) * 1000

        report.start_section(f"push on A to the note on B's screen (the app's Today), {changes} changes")
        report.add(Figure("  on screen, p50", ms(50), "ms"))
        report.add(Figure("  on screen, p95", ms(95), "ms", ceiling=P95_CEILING_MS))
        report.add(Figure("  on screen, max", max(times) * 1000, "ms"))
        report.add(
            Figure("  B's longest GUI-thread stall meanwhile", watch.longest * 1000, "ms", ceiling=STALL_MS)
        )
        live = worker.live
        report.notes.append(
            f"B's long-poll told it {live.wakes if live else '?'} times; "
            f"load average {load:.2f} before the rounds, {after:.2f} after"
        )
    finally:
        app.shutdown()
        collector.stop()

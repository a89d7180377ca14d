"""The desktop app at team scale, driven in-process through its real widgets.

Figures: cold start to the unlock window (a fresh process), unlock to the caseload shown (key
derivation included), keystroke to the filtered caseload, opening the client with 200 contacts,
the longest GUI-thread stall seen across all of it (gaps between 10 ms timer ticks), and the
process's memory (RSS) with the team caseload and that client open.

The vault is a copy of the cached team data set (benchmarks/dataset.py), so nothing written here
(an audit event, say) changes the cache. Nobody is signed in on it, so the caseload is the whole
team's 5,000 clients: the heaviest list the app can be asked to show.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks import dataset as data
from benchmarks.report import Figure, Report, median, percentile
from benchmarks.stall_profile import StallProfiler

MS = 1000.0
COLD_START_MS = 1500.0
UNLOCK_TO_CASELOAD_MS = 1000.0
KEYSTROKE_MS = 50.0
RECORD_OPEN_MS = 150.0
STALL_MS = 50.0  # issue 15: a GUI that never stalls
MEMORY_MB = 300.0
TICK_MS = 10


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cold_start(vault_dir: Path, runs: int = 3) -> list[float]:
    """Seconds from launching a new process to the unlock window shown."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.ui_bench", "--child-cold-start", str(vault_dir)],
            capture_output=True, text=True, env=env, check=True, timeout=120,
        )  # fmt: skip
        assert "unlock shown" in done.stdout, done.stdout + done.stderr
        times.append(time.perf_counter() - started)
    return times


def _child_cold_start(vault_dir: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from navigator_desktop.app import Navigator

    app = QApplication(sys.argv)
    navigator = Navigator(vault_dir)

    def shown(screen: str) -> None:
        if screen == "unlock":
            navigator.window.repaint()  # the unlock window is painted, not just chosen
            print("unlock shown", flush=True)
            QTimer.singleShot(0, app.quit)

    navigator.vault_flow.screen_wanted.connect(shown)
    navigator.start()
    app.exec()
    navigator.shutdown()
    return 0


class StallWatch:
    """The longest gap between ticks of a 10 ms GUI-thread timer."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self.phase = ""
        self.by_phase: dict[str, list[float]] = {}  # phase -> gaps over 30 ms, in ms
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        self.longest = max(self.longest, gap)
        if gap > 0.03:
            self.by_phase.setdefault(self.phase, []).append(gap * MS)
        self._last = now


def pump(until: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run the GUI thread's events until `until()` holds (TimeoutError after `timeout` s)."""
    from PySide6.QtCore import QEventLoop, QTimer

    # A local event loop woken every 2 ms (calling processEvents in a tight loop trips a
    # reference-count bug in PySide6 and kills the process).
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(2)
    check.timeout.connect(lambda: _quit_when(loop, until() or time.perf_counter() > deadline))
    if until():
        return
    check.start()
    loop.exec()
    check.stop()
    if not until():
        raise TimeoutError("the app did not get there in time")


def settle(ms: int) -> None:
    """Run the GUI thread's events for `ms` milliseconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def run(ds: data.Dataset, report: Report, profile: bool = False) -> dict[str, float]:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from navigator_desktop.app import Navigator
    from navigator_desktop.gc_guard import GuiThreadCollector

    with tempfile.TemporaryDirectory() as tmp:
        vault_dir = Path(tmp) / "data"
        shutil.copytree(ds.vault_dir, vault_dir)
        report.start_section("start-up")
        starts = cold_start(vault_dir, runs=1 if profile else 3)
        report.add(
            Figure(
                "  cold start to the unlock window (median of 3 processes)",
                median(starts) * MS,
                "ms",
                ceiling=COLD_START_MS,
            )
        )

        qt = QApplication.instance() or QApplication(sys.argv)
        collector = GuiThreadCollector(qt)
        navigator = Navigator(vault_dir)
        navigator.window.resize(1280, 800)
        navigator.start()
        pump(
            lambda: navigator.window.current_screen() == "unlock" and navigator.unlock_view.button.isEnabled()
        )
        settle(200)
        watch: StallWatch | StallProfiler = StallProfiler(late_s=0.012) if profile else StallWatch()
        stall_before = 0.0

        report.start_section("unlock")
        watch.phase = "unlock"
        navigator.unlock_view.passphrase.setText(data.PASSPHRASE)
        started = time.perf_counter()
        navigator.unlock_view.button.click()
        pump(
            lambda: (
                navigator.window.current_screen() == "caseload" and navigator.caseload_model.rowCount() > 0
            )
        )
        navigator.window.repaint()
        unlock_ms = (time.perf_counter() - started) * MS
        rows = navigator.caseload_model.rowCount()
        report.add(
            Figure(
                f"  unlock to the caseload shown ({rows:,} clients, key derivation included)",
                unlock_ms,
                "ms",
                ceiling=UNLOCK_TO_CASELOAD_MS,
            )
        )
        pump(lambda: navigator.runner.pending == 0)
        settle(300)

        report.start_section("search as you type")
        watch.phase = "search as you type"
        view = navigator.caseload_view
        view.search.setFocus()
        keystrokes: list[float] = []
        words = [w for w in ds.family_names[:8] if len(w) >= 4] + ["zz"]
        for word in words:
            view.search.clear()
            settle(20)
            for char in word[:5]:
                started = time.perf_counter()
                QTest.keyClick(view.search, char)  # type: ignore[call-overload]
                view.table.viewport().repaint()  # the filtered list, painted
                keystrokes.append((time.perf_counter() - started) * MS)
                settle(30)
            pump(lambda: navigator.runner.pending == 0)
            settle(300)  # let the notes search land too (its stall counts)
            pump(lambda: navigator.runner.pending == 0)
        report.add(
            Figure(
                f"  keystroke to the filtered list, p95 of {len(keystrokes)}",
                percentile(keystrokes, 95),
                "ms",
                ceiling=KEYSTROKE_MS,
                note=f"median {median(keystrokes):.1f} ms",
            )
        )
        view.search.clear()
        settle(100)

        report.start_section("client record")
        watch.phase = "client record"
        opens: list[float] = []
        others = [navigator.caseload_model.row(i).client_id for i in (1, 2, 3, 4, 5)]
        for other in others:
            navigator.open_client(other)  # another client first, so each open is a real change of record
            pump(partial(_showing, navigator, other))
            pump(lambda: navigator.runner.pending == 0)
            started = time.perf_counter()
            navigator.open_client(ds.busiest_client_id)
            pump(lambda: _showing(navigator, ds.busiest_client_id))  # fmt: skip
            navigator.window.repaint()
            opens.append((time.perf_counter() - started) * MS)
            settle(50)
        contacts = navigator.client_view.contacts.rowCount()
        report.add(
            Figure(
                f"  opening the client with {contacts} contacts (median of {len(opens)})",
                median(opens),
                "ms",
                ceiling=RECORD_OPEN_MS,
                note=f"slowest {max(opens):.0f} ms",
            )
        )

        report.start_section("whole run")
        report.add(
            Figure(
                "  longest GUI-thread stall (10 ms timer gaps)",
                max(watch.longest, stall_before) * MS,
                "ms",
                ceiling=STALL_MS,
                note=_stalls_by_phase(watch.by_phase),
            )
        )
        report.add(
            Figure(
                "  memory (RSS) with the team caseload and the client open",
                _rss_mb(),
                "MB",
                ceiling=MEMORY_MB,
            )
        )
        watch.timer.stop()
        figures = {"stall": max(watch.longest, stall_before) * MS, "keystroke": percentile(keystrokes, 95),
                   "unlock": unlock_ms}  # fmt: skip
        if isinstance(watch, StallProfiler):
            watch.stop()
            print(watch.report(), flush=True)
        navigator.shutdown()
        collector.stop()
        del qt
    return figures


def _stalls_by_phase(by_phase: dict[str, list[float]]) -> str:
    """Where the stalls over 30 ms were: "unlock 2 (longest 58 ms), ..."."""
    return "; ".join(
        f"{phase}: {len(gaps)} over 30 ms, longest {max(gaps):.0f}" for phase, gaps in by_phase.items()
    )


def _quit_when(loop: object, done: bool) -> None:
    if done:
        loop.quit()  # type: ignore[attr-defined]


def _showing(navigator: object, client_id: str) -> bool:
    record = navigator.client_view.record  # type: ignore[attr-defined]
    return record is not None and record.client["id"] == client_id


# The three figures, each as the median of the runs, with its ceiling.
MEDIANS = (
    ("stall", "longest GUI-thread stall", STALL_MS),
    ("keystroke", "keystroke to the filtered list, p95", KEYSTROKE_MS),
    ("unlock", "unlock to the caseload shown", UNLOCK_TO_CASELOAD_MS),
)


def _runs(given: list[str], runs: int, strict: bool) -> int:
    """Run the app's benchmark `runs` times, each in a process of its own, with the machine's load
    average beside each run (the machine is shared), then the median of each figure."""
    found: list[dict[str, float]] = []
    code = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            out = Path(tmp) / f"run{i}.json"
            load = os.getloadavg()
            command = [
                sys.executable,
                "-m",
                "benchmarks.ui_bench",
                "--in-process",
                *given,
                "--figures-out",
                str(out),
            ]
            code = max(code, subprocess.run(command, check=False).returncode)
            if not out.exists():
                return code or 1
            figures = json.loads(out.read_text())
            found.append(figures)
            after = os.getloadavg()
            said = ", ".join(f"{key} {figures[key]:,.0f} ms" for key, _, _ in MEDIANS)
            print(
                f"run {i + 1} of {runs}: {said}; load average {load[0]:.2f} before, {after[0]:.2f} after",
                flush=True,
            )
    if runs > 1:
        report = Report(f"Desktop UI: median of {runs} runs")
        report.header()
        for key, words, ceiling in MEDIANS:
            values = [f[key] for f in found]
            spread = ", ".join(f"{v:,.0f}" for v in values)
            report.add(Figure(f"  {words}", median(values), "ms", ceiling=ceiling, note=f"runs: {spread} ms"))
        passed = report.summary()
        if strict and not passed:
            code = 1
    return code


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    data.add_arguments(parser)
    parser.add_argument("--child-cold-start", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs of the app, each its own process (default: 3 at team scale, else 1)",
    )
    parser.add_argument("--figures-out", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--profile-stalls",
        action="store_true",
        help="sample the GUI thread's stack during stalls and say where they went",
    )
    known, _ = parser.parse_known_args(argv)
    return known


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_cold_start is not None:
        return _child_cold_start(args.child_cold_start)
    if not args.in_process:
        # Its own process: it needs a QApplication, and another benchmark in this process may
        # already have made a (GUI-less) QCoreApplication, of which there can be only one.
        # The data set is built (when not cached) here, so that the building's memory is not
        # counted in the app's.
        data.load(args.scale, cache_root=args.cache_dir or data.CACHE_ROOT, rebuild=args.rebuild)
        given = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--rebuild"]
        runs = args.runs if args.runs is not None else (3 if args.scale == "team" else 1)
        return _runs(given, max(1, runs), args.strict)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ds = data.load(args.scale, cache_root=args.cache_dir or data.CACHE_ROOT, rebuild=args.rebuild)
    report = Report(f"Desktop UI at {args.scale} scale ({ds.counts.get('client', 0):,} clients)")
    report.header()
    figures = run(ds, report, profile=args.profile_stalls)
    if args.figures_out is not None:
        args.figures_out.write_text(json.dumps(figures))
    passed = report.summary()
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Where the GUI thread's stalls go: a sampling profile of the main thread, taken only while it stalls.

A 10 ms QTimer beats on the GUI thread; a thread of its own looks every `every_s` at the GUI thread's
Python stack (``sys._current_frames``) and keeps it when the last beat is older than `late_s`: the
GUI thread is then busy, and the stack says with what. Each stall (a gap between beats longer than
`late_s`) keeps its samples, so the longest stalls can be read one by one, and all stall samples
together say which functions the stalls were spent in (inclusive, as a profiler's "cumulative").

Python frames only: time inside Qt's C++ or SQLite shows as the Python line that called it (a model
reset shows as ``endResetModel``; the collector shows as whatever allocation triggered it, so
``gc.callbacks`` marks the samples taken while it runs).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = str(Path(__file__).resolve().parents[1])
GC_FRAME = "(garbage collector)"


@dataclass
class Stall:
    started: float
    phase: str = ""
    ms: float = 0.0
    samples: list[tuple[str, ...]] = field(default_factory=list)
    others: list[tuple[str, ...]] = field(default_factory=list)  # other threads busy in Python meanwhile


def _short(path: str) -> str:
    return path[len(ROOT) + 1 :] if path.startswith(ROOT) else "/".join(Path(path).parts[-2:])


def _stack(frame: FrameType | None, depth: int = 40) -> tuple[str, ...]:
    """Innermost first: "path:function:line", paths relative to the project when inside it."""
    found: list[str] = []
    while frame is not None and len(found) < depth:
        code = frame.f_code
        where = _short(code.co_filename)
        found.append(f"{where}:{code.co_name}:{frame.f_lineno}")
        frame = frame.f_back
    return tuple(found)


WAITING = (":wait:", ":get:", ":select:", ":_sample:", ":accept:", ":recv", ":read:", ":sleep")


def _waiting(innermost: str) -> bool:
    """A thread parked on a lock, a queue, a socket or a sleep: not competing for the interpreter."""
    return any(w in innermost for w in WAITING)


def _ours(entry: str) -> bool:
    return entry.startswith(("navigator_desktop/", "navigator_core/"))


class StallProfiler:
    def __init__(self, late_s: float = 0.03, every_s: float = 0.002, tick_ms: int = 10) -> None:
        from PySide6.QtCore import QTimer

        self.late_s, self.every_s = late_s, every_s
        self.longest = 0.0
        self.phase = ""
        self.by_phase: dict[str, list[float]] = {}  # phase -> stalls over late_s, in ms
        self.stalls: dict[float, Stall] = {}
        self._main = threading.main_thread().ident
        self._last = time.perf_counter()
        self._in_gc = False
        self._stop = threading.Event()
        self.timer = QTimer()
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._beat)
        self.timer.start()
        gc.callbacks.append(self._gc)
        self._thread = threading.Thread(target=self._sample, name="stall-profiler", daemon=True)
        self._thread.start()

    def _gc(self, phase: str, _info: dict[str, int]) -> None:
        if threading.get_ident() == self._main:
            self._in_gc = phase == "start"

    def _beat(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        self.longest = max(self.longest, gap)
        if gap > self.late_s:
            stall = self.stalls.setdefault(self._last, Stall(self._last, self.phase))
            stall.ms = gap * 1000
            self.by_phase.setdefault(self.phase, []).append(stall.ms)
        self._last = now

    def _sample(self) -> None:
        while not self._stop.wait(self.every_s):
            since = self._last
            if time.perf_counter() - since <= self.late_s:
                continue
            frames = sys._current_frames()
            stack = _stack(frames.get(self._main or 0))
            if self._in_gc:
                stack = (GC_FRAME, *stack)
            stall = self.stalls.setdefault(since, Stall(since, self.phase))
            stall.samples.append(stack)
            me = threading.get_ident()
            for ident, frame in frames.items():
                other = _stack(frame)
                if ident not in (self._main, me) and other and not _waiting(other[0]):
                    stall.others.append(other)

    def stop(self) -> None:
        self._stop.set()
        self.timer.stop()
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        self._thread.join(1.0)

    # -- what it found -------------------------------------------------------------------------

    def report(self, longest: int = 6, top: int = 12) -> str:
        stalls = sorted((s for s in self.stalls.values() if s.ms), key=lambda s: -s.ms)
        lines = [f"GUI-thread stalls over {self.late_s * 1000:.0f} ms: {len(stalls)}"]
        for stall in stalls[:longest]:
            lines.append(
                f"  {stall.ms:6.0f} ms ({stall.phase or 'before'}), {len(stall.samples)} samples;"
                " where most of it went:"
            )
            for where, n in _inclusive(stall.samples).most_common(6):
                lines.append(f"      {n:4d}  {where}")
        every = [sample for stall in stalls for sample in stall.samples]
        lines.append(f"all stall samples ({len(every)}), by function (inclusive), ours and the C calls:")
        for where, n in _inclusive(every).most_common(top):
            lines.append(f"  {n:5d}  {100 * n / max(1, len(every)):5.1f}%  {where}")
        others = [sample for stall in stalls for sample in stall.others]
        lines.append(f"other threads running Python during those samples ({len(others)} thread-samples):")
        for where, n in _inclusive(others).most_common(top):
            lines.append(f"  {n:5d}  {100 * n / max(1, len(every)):5.1f}%  {where}")
        return "\n".join(lines)


def _inclusive(samples: list[tuple[str, ...]]) -> Counter[str]:
    """Each function (without its line) counted once per sample it is on: the project's own and the
    innermost frame (where C code was called), plus the collector."""
    counts: Counter[str] = Counter()
    for stack in samples:
        seen = set()
        for i, entry in enumerate(stack):
            if entry == GC_FRAME or i == 0 or (i == 1 and stack[0] == GC_FRAME) or _ours(entry):
                seen.add(entry.rsplit(":", 1)[0] if entry != GC_FRAME else entry)
        counts.update(seen)
    return counts

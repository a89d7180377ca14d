"""Timing and printing: every figure beside its target, the ratio to it and PASS/FAIL."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes (time.perf_counter)."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def sample(fn: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    return [timed(fn) for _ in range(runs)]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.4999)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class Figure:
    name: str
    value: float
    unit: str  # "ms", "x", "rows/s"
    ceiling: float | None = None  # pass when value <= ceiling
    floor: float | None = None  # pass when value >= floor
    note: str = ""
    section: str = ""  # the workload an indented figure belongs to

    @property
    def passed(self) -> bool | None:
        if self.ceiling is None and self.floor is None:
            return None
        return (self.ceiling is None or self.value <= self.ceiling) and (
            self.floor is None or self.value >= self.floor
        )

    def target_text(self) -> str:
        if self.ceiling is not None and self.floor is not None:
            return f"{_num(self.floor)}-{_num(self.ceiling)} {self.unit}"
        if self.ceiling is not None:
            return f"<= {_num(self.ceiling)} {self.unit}"
        if self.floor is not None:
            return f">= {_num(self.floor)} {self.unit}"
        return "(no target)"

    def ratio(self) -> float | None:
        """figure/ceiling (<= 1 passes); for a floor, floor/figure, so <= 1 passes too."""
        if self.ceiling is not None:
            return self.value / self.ceiling
        if self.floor is not None and self.value > 0:
            return self.floor / self.value
        return None


def _num(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.0f}"
    return f"{value:.2f}"


@dataclass
class Report:
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    section: str = ""

    def start_section(self, name: str) -> None:
        self.section = name
        print(f"  {name}", flush=True)

    def add(self, figure: Figure) -> Figure:
        if figure.name.startswith(" "):
            figure.section = self.section
        self.figures.append(figure)
        print(self.line(figure), flush=True)
        return figure

    @staticmethod
    def line(f: Figure) -> str:
        ratio = f.ratio()
        verdict = {True: "PASS", False: "FAIL", None: "info"}[f.passed]
        ratio_text = f"{ratio:5.2f}" if ratio is not None else "    -"
        target = f"target {f.target_text():<17}"
        text = f"  {f.name:<66} {_num(f.value):>8} {f.unit:<6} {target} ratio {ratio_text}  {verdict}"
        return text + (f"  ({f.note})" if f.note else "")

    def header(self) -> None:
        print(f"\n== {self.title} ==", flush=True)

    def summary(self) -> bool:
        judged = [f for f in self.figures if f.passed is not None]
        failed = [f for f in judged if not f.passed]
        print(
            f"\n{len(judged) - len(failed)} of {len(judged)} figures within target"
            + (
                "; failed: " + "; ".join(f"{f.section} {f.name.strip()}".strip() for f in failed)
                if failed
                else ""
            )
        )
        for note in self.notes:
            print(f"  note: {note}")
        return not failed

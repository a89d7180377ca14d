"""Sync at team scale: initial sync over loopback HTTP into the encrypted vault beside its raw
ceiling (the server's query plus the client's bulk insert of the same pages, no HTTP), an
incremental sync with 10 changes each way, pushing 1,000 offline edits, the longest gap between
10 ms timer ticks on the GUI thread during an initial sync, and the peak memory of
``navigator-desktop sync``.

``python -m benchmarks.sync_bench [--scale small|caseload|team]``. The store is an SQLite file
seeded by the server's own seed path and served by uvicorn in its own process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The search indexer's process (multiprocessing's spawn) runs this module again, as __mp_main__,
# before its own code: none of the below is its, and importing the server's stack there would
# charge the initial sync figure with a second of start-up that the app's indexer does not have.
if TYPE_CHECKING or __name__ != "__mp_main__":
    import httpx
    import orjson
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection

    from benchmarks.report import Figure, Report
    from navigator_core.policy import Actor, Role
    from navigator_desktop.session import Session
    from navigator_desktop.store import records
    from navigator_desktop.store.search import writer as search_writer
    from navigator_desktop.sync.engine import Direct, SyncEngine
    from navigator_desktop.sync.pages import Page, apply_pages, parse_page
    from navigator_desktop.vault import KdfParams
    from navigator_server import accounts, migrate, pull, seed
    from navigator_server.db import Database
    from navigator_server.schema import teams, users
    from navigator_server.security import Passwords
    from navigator_server.settings import Settings

PAGE = 5000  # the server's and the laptop's default page (in feed entries; pages also stop at 2 MiB)
PASSWORD = "benchmark password, synthetic data only"
PASSPHRASE = "benchmark vault for synthetic caseloads only"
INITIAL_FLOOR = 25_000.0
INITIAL_RUNS = 3
INCREMENTAL_MS = 200.0
PUSH_1000_S = 2.0
GUI_GAP_MS = 50.0
GUI_GAP_RUNS = 3
PEAK_MB = 250.0
_SERVE = (
    "import sys, uvicorn\n"
    "from navigator_server.app import create_app\n"
    "from navigator_server.settings import Settings\n"
    "settings = Settings(database_url=sys.argv[1], max_page=int(sys.argv[3]), argon2_time_cost=1,"
    " argon2_memory_kib=8, max_batch_ops=1000)\n"
    "uvicorn.run(create_app(settings), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')\n"
)


def _settings(url: str) -> Settings:
    return Settings(
        database_url=url, argon2_time_cost=1, argon2_memory_kib=8, max_page=PAGE, max_batch_ops=1000
    )


def first_manager(conn: Connection) -> Any:
    """The first team's (by name) first manager (by username): the same user in every store
    seeded alike."""
    team_id = conn.execute(sa.select(teams.c.id).order_by(teams.c.name).limit(1)).scalar_one()
    query = users.select().where(users.c.team_id == team_id, users.c.role == "manager")
    return conn.execute(query.order_by(users.c.username).limit(1)).one()


class Bench:
    """A store served by uvicorn in its own process, and laptops enrolled to it as its first
    manager. Without `url`, a new SQLite file in `root` seeded at `scale`; with it, that store as
    it is (seeded already, its users' password `password`)."""

    def __init__(self, scale: str, root: Path, url: str | None = None, password: str = PASSWORD) -> None:
        self.root = root
        self.password = password
        self.url = url or f"sqlite:///{root / 'server.db'}"
        self.db = Database(_settings(self.url))
        self.seed_s = 0.0
        if url is None:
            migrate.upgrade(self.db)
            started = time.perf_counter()
            seed.seed_demo(self.db, Passwords(self.db.settings), self.db.settings, PASSWORD, scale=scale)
            self.seed_s = time.perf_counter() - started
        with self.db.read() as conn:
            self.manager = first_manager(conn)
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-c", _SERVE, self.url, str(self.port), str(PAGE)])
        for _ in range(300):
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.db.dispose()

    def laptop(self, name: str) -> Session:
        session = Session(self.root / name, KdfParams.for_tests())
        session.create(PASSPHRASE, recovery_key=False)
        with self.db.write() as conn:
            code, _ = accounts.issue_enrolment_code(conn, self.db.settings, self.manager.id)
        SyncEngine(Direct(session)).enrol(self.base, self.manager.username, code, self.password, name)
        return session

    def engine(self, session: Session, **kw: Any) -> SyncEngine:
        return SyncEngine(Direct(session), page_size=PAGE, push_batch=1000, **kw)

    def ceiling(self, session: Session) -> tuple[float, int]:
        """The same pages, queried from the store and applied in the same batches, in one process
        with no HTTP and nothing overlapped: the server's query, then the client's decoding and
        bulk insert, then the search index brought up to date."""
        actor = Actor(self.manager.id, self.manager.team_id, Role.MANAGER)
        # The same retention cut as the HTTP run's server, so both write the same records.
        days = self.db.settings.retention_days
        state = {"since": 0, "more": 1}
        self.query_s = 0.0

        def fetch(_wait: float = 0.0) -> Page | None:
            if not state["more"]:
                return None
            t0 = time.perf_counter()
            with self.db.read() as conn:
                body = pull.page_json(
                    conn,
                    actor,
                    state["since"],
                    PAGE,
                    retention_days=days,
                    max_bytes=self.db.settings.max_page_bytes,
                )
            self.query_s += time.perf_counter() - t0
            page = parse_page(orjson.loads(body), state["since"])  # decoded as the transport does
            state["since"], state["more"] = page.cursor, int(page.more)
            return page

        total = 0
        started = time.perf_counter()
        while state["more"]:
            first = fetch()
            assert first is not None
            total += apply_pages(session, first, fetch).result.pulled  # records written, as over HTTP
        search_writer.flush(session.db)
        seconds = time.perf_counter() - started
        self.apply_s = seconds - self.query_s
        return seconds, total


def gui_gap(bench: Bench, name: str = "gui") -> float:
    """Longest gap between 10 ms ticks on a Qt GUI thread while the worker's arrangement (HTTP on a
    sync thread, store steps on the database worker) runs an initial sync."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from navigator_desktop.sync_worker import RunnerAccess
    from navigator_desktop.tasks import TaskRunner

    # A full QApplication, as the app has (and as later benchmarks in the same process need).
    app = QApplication.instance() or QApplication([])
    session = bench.laptop(name)
    runner: TaskRunner[Session] = TaskRunner(session)
    engine = SyncEngine(RunnerAccess(runner))  # the worker's page size, as the app runs it
    gaps: list[float] = []
    last = [time.perf_counter()]
    done = threading.Event()

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if done.is_set():
            app.quit()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)

    def work() -> None:
        try:
            engine.sync()
        finally:
            done.set()

    thread = threading.Thread(target=work, daemon=True)
    timer.start()
    thread.start()
    app.exec()
    timer.stop()
    thread.join()
    runner.call(lambda s: s.lock())
    runner.stop()
    return max(gaps[1:]) * 1000 if len(gaps) > 1 else 0.0


def cli_peak_mb(bench: Bench) -> tuple[float, float, float]:
    """Peak memory of `navigator-desktop sync` doing an initial sync together with its search
    indexer process: the largest sum of their proportional set sizes (PSS: a page two processes
    share counts half in each, so the libraries both map are not counted twice), sampled every
    20 ms; with the command's own peak resident size, and its seconds."""
    session = bench.laptop("cli")
    session.lock()
    env = {**os.environ, "NAVIGATOR_TEST_KDF": "1"}
    cmd = [sys.executable, "-m", "navigator_desktop", "sync", "--data-dir", str(bench.root / "cli")]
    started = time.perf_counter()
    # Its output goes to a file, not a pipe nobody reads while it runs (a full pipe would stall it).
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err, env=env, text=True
        )
        assert proc.stdin is not None
        proc.stdin.write(f"{PASSPHRASE}\n")
        proc.stdin.close()
        peak_sum = peak_own = 0.0
        while proc.poll() is None:
            own = _memory_mb(proc.pid)
            peak_own = max(peak_own, own["Rss"])
            together = own["Pss"] + sum(_memory_mb(c)["Pss"] for c in _children(proc.pid))
            peak_sum = max(peak_sum, together)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"navigator-desktop sync failed: {err.read().strip()[-500:]}")
    return peak_sum, peak_own, seconds


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _memory_mb(pid: int) -> dict[str, float]:
    """The process's Rss and Pss in MB, from one read of its smaps_rollup (zeros once it is gone)."""
    found = {"Rss": 0.0, "Pss": 0.0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name = line.split(":", 1)[0]
            if name in found:
                found[name] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return found


def run(scale: str) -> bool:
    import gc

    # As in the app (gc_guard.py): no automatic collection; a full collection of a process holding
    # hundreds of thousands of objects pauses every thread.
    gc.disable()
    report = Report(f"Sync benchmark ({scale} scale)")
    root = Path(tempfile.mkdtemp(prefix="navigator-sync-bench-"))
    bench = Bench(scale, root)
    # What seeding the store left behind is not the laptop's: collect it once, as the app's own
    # collector (on the GUI thread, between events) would have by now.
    gc.collect()
    try:
        report.header()
        report.notes.append(f"server seeded in {bench.seed_s:.1f}s (SQLite file, uvicorn in its own process)")
        # The median of a few initial syncs, each into a new vault: on a shared machine one run
        # can be a fifth slower than the next for reasons of its own.
        runs = []
        for n in range(INITIAL_RUNS):
            laptop = bench.laptop(f"initial-{n}")
            started = time.perf_counter()
            done = bench.engine(laptop).sync()
            runs.append((time.perf_counter() - started, done, laptop))
        runs.sort(key=lambda run: run[0])
        seconds, first, a = runs[len(runs) // 2]
        for _s, _r, other in runs:
            if other is not a:
                other.lock()
                shutil.rmtree(other.data_dir, ignore_errors=True)
        rates = ", ".join(f"{r.pulled / s:,.0f}" for s, r, _ in runs)
        report.notes.append(f"initial sync runs: {rates} rows/s (the median is the figure)")
        raw = bench.laptop("raw")
        raw_s, raw_n = bench.ceiling(raw)
        ceiling = raw_n / raw_s
        report.add(
            Figure(
                "initial sync, HTTP into vault",
                first.pulled / seconds,
                "rows/s",
                floor=INITIAL_FLOOR,
                note=f"{first.pulled} records in {seconds:.1f}s; {first.forgotten} past retention not kept",
            )
        )
        report.add(
            Figure("  raw ceiling (query + bulk insert)", ceiling, "rows/s", note=f"{raw_n} in {raw_s:.1f}s")
        )
        report.notes.append(f"initial sync / ceiling = {first.pulled / seconds / ceiling:.2f}")
        report.notes.append(
            f"ceiling split: server query {raw_n / bench.query_s:,.0f} rows/s, "
            f"client apply into the vault {raw_n / bench.apply_s:,.0f} rows/s"
        )

        b = bench.laptop("b")
        bench.engine(b).sync()
        client_ids = [r["id"] for r in a.db.query("SELECT id FROM clients LIMIT 20")]
        assert a.actor is not None and b.actor is not None
        for i, cid in enumerate(client_ids[:10]):
            records.update(a.db, a.actor, "client", cid, {"phone": f"0100 {i}"})
            records.update(
                b.db, b.actor, "client", client_ids[(10 + i) % len(client_ids)], {"phone": f"0200 {i}"}
            )
        bench.engine(b).sync()  # b's ten reach the store
        started = time.perf_counter()
        inc = bench.engine(a).sync()
        report.add(
            Figure(
                "incremental sync, 10 each way",
                (time.perf_counter() - started) * 1000,
                "ms",
                ceiling=INCREMENTAL_MS,
                note=f"pushed {inc.pushed} ops, pulled {inc.pulled}",
            )
        )
        for i in range(1000):
            records.update(a.db, a.actor, "client", client_ids[i % len(client_ids)], {"phone": f"0300 {i}"})
        started = time.perf_counter()
        big = bench.engine(a).sync()
        report.add(
            Figure(
                "push 1,000 offline edits",
                time.perf_counter() - started,
                "s",
                ceiling=PUSH_1000_S,
                note=f"{big.pushed} ops (edit + audit event each)",
            )
        )
        # The median of three, each printed: on this shared machine a 10 ms timer alone, beside
        # three busy processes and no sync, has waited 40 ms at times.
        gaps = []
        for n in range(GUI_GAP_RUNS):
            gaps.append(gui_gap(bench, f"gui-{n}"))
            shutil.rmtree(bench.root / f"gui-{n}", ignore_errors=True)
        median_gap = sorted(gaps)[len(gaps) // 2]
        report.add(Figure("longest GUI gap during initial sync", median_gap, "ms", ceiling=GUI_GAP_MS))
        report.notes.append(
            "longest GUI gap runs: " + ", ".join(f"{g:.0f}" for g in gaps) + " ms (the median is the figure)"
        )
        peak, own, cli_s = cli_peak_mb(bench)
        report.add(
            Figure(
                "peak memory, navigator-desktop sync",
                peak,
                "MB",
                ceiling=PEAK_MB,
                note=f"PSS with its search indexer; the command's own RSS {own:.0f} MB; "
                f"initial sync in {cli_s:.1f}s",
            )
        )
        for s in (a, b, raw):
            s.lock()
        return report.summary()
    finally:
        bench.close()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sync_bench")
    parser.add_argument("--scale", default="team", choices=["small", "caseload", "team"])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its target")
    args, _rest = parser.parse_known_args(argv)
    passed = run(args.scale)
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())

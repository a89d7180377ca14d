"""A whole team pulled from PostgreSQL and from SQLite: ``python -m benchmarks.pull_engines``.

A laptop's pull should be at least as fast from PostgreSQL as from the embedded SQLite store. Both
stores are seeded alike (seed-demo: `--teams` teams at `--scale`; ANALYZE on PostgreSQL, as
seed-demo does). A manager of the first team then pulls everything the team holds, two ways:

- the server's side alone: page after page through `pull.page_json` (what ``GET /v1/changes``
  sends), each page in its own transaction, each run a new process (so every run is the first
  after a start);
- per laptop, as the issue measured it: an initial sync over loopback HTTP into a new encrypted
  vault (`benchmarks.sync_bench`'s laptop), from uvicorn serving each store in its own process.
  The laptop, its search indexer, the server and PostgreSQL share this machine's cores.

The runs alternate between the engines. Printed: records/s per run, the median per engine, and
PostgreSQL / SQLite for each way, which should be at least 1; for each laptop's sync, also the
seconds its database thread waited for the store's pages, the only part of a laptop's sync the
server's engine decides (the rest is the laptop applying and indexing what came).

    python -m benchmarks.pull_engines [--scale small|caseload|team] [--teams 1] [--runs 2]
                                      [--laptop-runs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The laptop's search indexer (multiprocessing's spawn) runs this module again, as __mp_main__,
# before its own code: none of the below is its (as in benchmarks.sync_bench).
if TYPE_CHECKING or __name__ != "__mp_main__":
    import orjson
    import sqlalchemy as sa

    from benchmarks import sync_bench
    from benchmarks.fleet_setup import PASSWORD, drop_database, prepare, settings_for, throwaway_database
    from navigator_core.policy import Actor, Role
    from navigator_server import pull
    from navigator_server.db import Database

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def whole_team(url: str) -> dict[str, float]:
    """In this process: the first team's manager pulls everything; records, pages and seconds."""
    db = Database(settings_for(url))
    try:
        with db.read() as conn:
            manager = sync_bench.first_manager(conn)
        actor = Actor(manager.id, manager.team_id, Role.MANAGER)
        settings = db.settings
        since, more, records, pages = 0, True, 0, 0
        started = time.perf_counter()
        while more:
            with db.read() as conn:
                body = pull.page_json(
                    conn,
                    actor,
                    since,
                    settings.max_page,
                    retention_days=settings.retention_days,
                    max_bytes=settings.max_page_bytes,
                )
            # Only the page's end is parsed, as a laptop's sync thread would not parse it here:
            # parsing every page took a sixth of the time measured. Each item begins {"seq":
            # (inside a string the quotes would be escaped).
            tail = orjson.loads(b"{" + body[body.rindex(b'],"cursor":') + 2 :])
            since, more = tail["cursor"], tail["more"]
            records += body.count(b'{"seq":')
            pages += 1
        seconds = time.perf_counter() - started
    finally:
        db.dispose()
    return {"records": records, "pages": pages, "seconds": seconds}


def _pinned_sync(bench: sync_bench.Bench, name: str) -> dict[str, float]:
    with Pinned(bench):
        return _laptop_sync(bench, name)


def _laptop_sync(bench: sync_bench.Bench, name: str) -> dict[str, float]:
    """One initial sync of a new laptop over HTTP into its vault; records and seconds."""
    laptop = bench.laptop(name)
    try:
        started = time.perf_counter()
        done = bench.engine(laptop).sync()
        seconds = time.perf_counter() - started
    finally:
        laptop.lock()
        shutil.rmtree(laptop.data_dir, ignore_errors=True)
    return {"records": done.pulled, "seconds": seconds, "waited": done.waited}


class Pinned:
    """The server on CPU 0 and the laptop on CPU 1, as a deployment has them on separate machines:
    uvicorn's threads and PostgreSQL's processes serving the benchmark's database (checked every
    0.2 s, as the server opens connections) on one core; this process's threads, and the search
    indexer it starts, on the other. Pinning another user's processes needs root."""

    def __init__(self, bench: sync_bench.Bench) -> None:
        self._bench = bench
        # The database's name on PostgreSQL (its backends are found by it); SQLite has none.
        postgres = bench.db.engine.dialect.name == "postgresql"
        self._database = bench.db.engine.url.database if postgres else None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> None:
        _set_cpus(_threads(os.getpid()), {1})
        self._pin_server()  # refused here, not in the thread, when not allowed
        self._thread.start()

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()
        _set_cpus(_threads(os.getpid()), set(range(os.cpu_count() or 1)))

    def _watch(self) -> None:
        while not self._done.wait(0.2):
            self._pin_server()

    def _pin_server(self) -> None:
        pids = _threads(self._bench.proc.pid)
        if self._database is not None:
            with self._bench.db.read() as conn:
                query = sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :name")
                pids += [int(pid) for pid in conn.execute(query, {"name": self._database}).scalars()]
        _set_cpus(pids, {0})


def _threads(pid: int) -> list[int]:
    return [int(task.name) for task in Path(f"/proc/{pid}/task").iterdir()]


def _set_cpus(pids: list[int], cpus: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # a thread or a connection that has just ended
            os.sched_setaffinity(pid, cpus)


def _run_in_new_process(url: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.pull_engines", "--one", url],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _alternating(
    title: str, runs: int, stores: dict[str, Any], measure: Callable[[Any, int], dict[str, float]]
) -> None:
    """`runs` rounds of `measure(store, run)` on each engine in turn, a row each, then the medians
    and their ratio."""
    rates: dict[str, list[float]] = {engine: [] for engine in stores}
    waits: dict[str, list[float]] = {engine: [] for engine in stores}
    print(f"\n{title}")
    print("| run | engine | records | seconds | records/s | of it waiting for pages, s | load average |")
    print("|---|---|---|---|---|---|---|")
    for run in range(1, runs + 1):
        for engine, store in stores.items():
            got = measure(store, run)
            rate = got["records"] / got["seconds"]
            rates[engine].append(rate)
            waited = "n/a"  # the server's side alone: no laptop
            if "waited" in got:
                waits[engine].append(got["waited"])
                waited = f"{got['waited']:.2f}"
            print(
                f"| {run} | {engine} | {got['records']:,.0f} | {got['seconds']:.1f} | {rate:,.0f} | "
                f"{waited} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )
    pg, lite = statistics.median(rates["PostgreSQL"]), statistics.median(rates["SQLite"])
    verdict = "PASS" if pg >= lite else "FAIL"
    print(
        f"median records/s: PostgreSQL {pg:,.0f}, SQLite {lite:,.0f}; ratio {pg / lite:.2f} "
        f"(target >= 1.00) {verdict}"
    )
    if waits["PostgreSQL"] and waits["SQLite"]:
        # The engine's own share of a laptop's sync: the rest is the laptop's work, the same for both.
        print(
            f"median seconds the laptop waited for the store's pages: PostgreSQL "
            f"{statistics.median(waits['PostgreSQL']):.2f}, SQLite {statistics.median(waits['SQLite']):.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pull_engines", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scale", default="team", choices=["small", "caseload", "team"])
    parser.add_argument("--teams", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2, help="server-side runs per engine, alternating")
    parser.add_argument("--laptop-runs", type=int, default=2, help="laptop syncs per engine, alternating")
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)  # a run, in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(whole_team(args.one)))
        return 0
    admin = os.environ.get("NAVIGATOR_TEST_POSTGRES_URL", DEFAULT_PG)
    pg_url, name = throwaway_database(admin)
    with tempfile.TemporaryDirectory(prefix="pull-engines-") as folder:
        urls = {"PostgreSQL": pg_url, "SQLite": f"sqlite:///{folder}/store.db"}
        benches: list[sync_bench.Bench] = []
        try:
            for url in urls.values():
                db = prepare(url, args.scale, args.teams, PASSWORD)
                db.checkpoint()
                db.dispose()
            print(f"{args.teams} team(s) at {args.scale} scale; the first team's manager pulls all of it")
            _alternating(
                "The server's side: pull.page_json page after page, each run a new process",
                args.runs,
                urls,
                lambda url, _run: _run_in_new_process(url),
            )
            # As sync_bench runs its laptops: no automatic collection while hundreds of thousands
            # of records pass through (the app collects on the GUI thread's timer instead).
            gc.collect()
            gc.disable()
            laptops: dict[str, Any] = {}
            for engine, url in urls.items():
                bench = sync_bench.Bench(args.scale, Path(folder) / engine, url, password=PASSWORD)
                benches.append(bench)
                laptops[engine] = bench
            _alternating(
                "Per laptop: an initial sync over HTTP into a new vault (laptop, indexer, server and "
                "database on the same cores)",
                args.laptop_runs,
                laptops,
                lambda bench, run: _laptop_sync(bench, f"laptop-{run}"),
            )
            if (os.cpu_count() or 1) < 2 or os.geteuid() != 0:
                print("\nPer laptop, the server on its own core: not run (it needs two CPUs and root)")
                return 0
            _alternating(
                "Per laptop, the server on its own core: the same, with uvicorn and PostgreSQL's "
                "processes on CPU 0 and the laptop and its indexer on CPU 1",
                args.laptop_runs,
                laptops,
                lambda bench, run: _pinned_sync(bench, f"pinned-{run}"),
            )
        finally:
            for bench in benches:
                bench.close()
            drop_database(admin, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

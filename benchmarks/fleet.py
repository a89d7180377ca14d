"""Many laptops on one PostgreSQL store: ``python -m benchmarks.fleet``.

N simulated laptops (default 200), each enrolled with a real device token, do what a working day
does, compressed: an incremental sync (pull until no more) after a think time, a few contacts
pushed about one of their clients, check-ins and check-outs of visits. The same fleet runs against
uvicorn with 1 and 2 workers (``--workers 1,2,4`` for more) for ``--seconds`` each, and in the same
run the ceilings it is judged against: a trivial endpoint's rate (``/healthz``: HTTP and one
database round trip, no work) and a storm of pushes from every laptop at once with no think time,
which is what the feed lock (feed.py: one counter row every write waits on) allows.

Printed per worker count: syncs/s, requests/s, p50/p95/p99 per endpoint, errors, each worker's
memory and its growth over the run, the driver's own CPU (it shares the machine), the machine's
load average beside each run, and the scaling ratio from 1 to 2 workers. The driver is this
process: asyncio, one kept-alive HTTP/1.1 connection per laptop (fleet_http.py, far cheaper than
httpx, so that the servers get the cores).

    python -m benchmarks.fleet [--laptops 200] [--seconds 60] [--workers 1,2]
        [--database-url postgresql://...]   # an existing store (seeded: used as it is)
        [--scale small --teams 10]          # else a throwaway database seeded so
        [--server-code DIR]                 # the server from another checkout: before/after
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from benchmarks.fleet_http import Answer, Connection, HttpError
from benchmarks.fleet_lock import lock_hold
from benchmarks.fleet_setup import (
    PASSWORD,
    Laptop,
    Server,
    backend_cpu,
    drop_database,
    enrol_laptops,
    prepare,
    throwaway_database,
)
from benchmarks.report import percentile
from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_core.hlc import HybridClock
from navigator_core.ops import FieldChange, Operation, OpType

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_kinds: dict[str, int] = field(
        default_factory=lambda: defaultdict(int)
    )  # "status 500", "ReadTimeout"
    rejected: int = 0  # push results other than applied (none expected)
    syncs: int = 0
    ops: int = 0
    retried: int = 0  # requests sent again on a new connection (a kept-alive one had been closed)

    def record(self, endpoint: str, seconds: float, ok: bool, kind: str = "") -> None:
        self.latencies[endpoint].append(seconds)
        if not ok:
            self.errors[endpoint] += 1
            self.error_kinds[f"{endpoint}: {kind}"] += 1


class Driver:
    def __init__(self, base: str, laptops: list[Laptop], think: float, seed: int = 1) -> None:
        self.base, self.laptops, self.think = base, laptops, think
        self.rng = random.Random(seed)
        self.clocks = {lap.device_id: HybridClock(lap.device_id) for lap in laptops}

    async def run(self, seconds: float, mode: str) -> Tally:
        tally = Tally()
        host, port = self.base.removeprefix("http://").rsplit(":", 1)
        connections = [Connection(host, int(port)) for _ in self.laptops]
        try:
            deadline = time.perf_counter() + seconds
            jobs = [
                self._laptop(c, lap, deadline, tally, mode)
                for c, lap in zip(connections, self.laptops, strict=True)
            ]
            await asyncio.gather(*jobs)
        finally:
            for connection in connections:
                tally.retried += connection.retried
                connection.close()
        return tally

    async def _laptop(self, http: Connection, lap: Laptop, deadline: float, tally: Tally, mode: str) -> None:
        headers = {"Authorization": f"Bearer {lap.token}"}
        # Laptops start spread over one think time, as a fleet's timers are.
        await asyncio.sleep(self.rng.uniform(0, self.think) if mode == "day" else 0)
        while time.perf_counter() < deadline:
            if mode == "healthz":
                await self._call(http, "GET /healthz", tally, "GET", "/healthz")
                continue
            if mode == "push_storm":
                await self._push(http, lap, headers, tally, [self.contact(lap)])
                continue
            ops = self._day_ops(lap)
            if ops:
                await self._push(http, lap, headers, tally, ops)
            await self._sync(http, lap, headers, tally)
            await asyncio.sleep(self.rng.expovariate(1 / self.think))

    def _day_ops(self, lap: Laptop) -> list[dict[str, Any]]:
        """What a laptop has to send this time: often nothing, some contacts, a check-in or -out."""
        ops: list[dict[str, Any]] = []
        roll = self.rng.random()
        if roll < 0.25:
            ops += [self.contact(lap) for _ in range(self.rng.randint(1, 3))]
        if lap.open_visit is None and self.rng.random() < 0.10:
            lap.open_visit = new_id()
            now = timeutil.now_text()
            ops.append(
                self._upsert(
                    lap,
                    "visit",
                    lap.open_visit,
                    OpType.CREATE,
                    client_id=self.rng.choice(lap.clients),
                    worker_id=lap.user_id,
                    place="Client's home",
                    planned_start=now,
                    expected_minutes=60,
                    checked_in_at=now,
                    status="in_progress",
                )
            )
        elif lap.open_visit is not None and self.rng.random() < 0.15:
            now = timeutil.now_text()
            ops.append(
                self._upsert(
                    lap, "visit", lap.open_visit, OpType.UPDATE, checked_out_at=now, status="completed"
                )
            )
            lap.open_visit = None
        return ops

    def _op(self, lap: Laptop, kind: str, record_id: str, op: OpType, **extra: Any) -> Operation:
        clock = self.clocks[lap.device_id]
        return Operation(
            op_id=new_id(),
            kind=kind,
            record_id=record_id,
            op=op,
            stamp=clock.now(),
            author_id=lap.user_id,
            device_id=lap.device_id,
            recorded_at=timeutil.now_text(),
            **extra,
        )

    def _upsert(self, lap: Laptop, kind: str, record_id: str, op: OpType, **values: Any) -> dict[str, Any]:
        clock = self.clocks[lap.device_id]
        changes = {}
        for name, value in values.items():
            key = f"{record_id}/{name}"
            stamp = clock.now()
            changes[name] = FieldChange(value, stamp, lap.stamps.get(key, ""))
            lap.stamps[key] = stamp
        return self._op(lap, kind, record_id, op, changes=changes).to_wire()

    def contact(self, lap: Laptop) -> dict[str, Any]:
        entry = {
            "client_id": self.rng.choice(lap.clients),
            "occurred_at": timeutil.now_text(),
            "contact_type": "community",
            "narrative": "Met at the cafe; talked about housing and the next appointment.",
        }
        return self._op(lap, "contact", new_id(), OpType.APPEND, entry=entry).to_wire()

    async def _push(
        self, http: Connection, lap: Laptop, headers: dict[str, str], tally: Tally, ops: list[Any]
    ) -> None:
        response = await self._call(http, "POST /v1/push", tally, "POST", "/v1/push", headers, {"ops": ops})
        if response is not None and response.status_code == 200:
            results = response.json()["results"]
            tally.ops += len(results)
            tally.rejected += sum(1 for r in results if r.get("status") not in ("applied", "already_applied"))

    async def _sync(self, http: Connection, lap: Laptop, headers: dict[str, str], tally: Tally) -> None:
        more = True
        while more:
            path = f"/v1/changes?since={lap.cursor}"
            response = await self._call(http, "GET /v1/changes", tally, "GET", path, headers)
            if response is None or response.status_code != 200:
                return
            page = response.json()
            lap.cursor, more = page["cursor"], page["more"]
        tally.syncs += 1

    async def _call(
        self,
        http: Connection,
        endpoint: str,
        tally: Tally,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: Any = None,
    ) -> Answer | None:
        started = time.perf_counter()
        try:
            response = await http.request(method, path, headers, body)
        except HttpError as exc:
            tally.record(endpoint, time.perf_counter() - started, False, type(exc).__name__)
            return None
        ok = response.status_code == 200
        tally.record(endpoint, time.perf_counter() - started, ok, f"status {response.status_code}")
        return response


@dataclass
class Result:
    workers: int
    seconds: float
    day: Tally
    healthz: Tally
    storm: Tally
    rss_start: list[float]
    rss_end: list[float]
    server_cpu: dict[str, float]  # per phase: the workers' CPU seconds
    pg_cpu: dict[str, float]  # per phase: the database backends' CPU seconds
    driver_cpu: dict[str, float]  # per phase: this process's CPU seconds
    load: tuple[float, float]  # the machine's 1-minute load average as the day began and ended


def measure(
    url: str, laptops: list[Laptop], workers: int, seconds: float, think: float, code: str | None = None
) -> Result:
    server = Server(url, workers, code)
    server_cpu: dict[str, float] = {}
    pg_cpu: dict[str, float] = {}
    driver_cpu: dict[str, float] = {}

    def phase(name: str, length: float, mode: str) -> Tally:
        server_before, pg_before, mine = server.cpu_seconds(), backend_cpu(url), time.process_time()
        tally = asyncio.run(driver.run(length, mode))
        driver_cpu[name] = time.process_time() - mine
        server_cpu[name] = server.cpu_seconds() - server_before
        pg_cpu[name] = sum(t - pg_before.get(pid, 0.0) for pid, t in backend_cpu(url).items())
        return tally

    try:
        driver = Driver(server.base, laptops, think)
        asyncio.run(driver.run(min(10.0, seconds / 4), "day"))  # warm-up: connections, caches, plans
        rss_start = server.rss_mb()
        load_start = os.getloadavg()[0]
        day = phase("day", seconds, "day")
        load = (load_start, os.getloadavg()[0])
        rss_end = server.rss_mb()
        healthz = phase("healthz", min(10.0, seconds), "healthz")
        storm = phase("storm", min(10.0, seconds), "push_storm")
    finally:
        server.stop()
    return Result(
        workers, seconds, day, healthz, storm, rss_start, rss_end, server_cpu, pg_cpu, driver_cpu, load
    )


def _ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct) * 1000:.0f}" if values else "-"


def report(results: list[Result], laptops: int) -> list[str]:
    lines = [
        f"{laptops} laptops. Per worker count: the day (think times), then the ceilings measured"
        " in the same run.",
        "",
        "| workers | phase | endpoint | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        seconds = {"day": r.seconds, "healthz": min(10.0, r.seconds), "push storm": min(10.0, r.seconds)}
        for phase, tally in (("day", r.day), ("healthz", r.healthz), ("push storm", r.storm)):
            for endpoint, values in sorted(tally.latencies.items()):
                rate = len(values) / seconds[phase]
                lines.append(
                    f"| {r.workers} | {phase} | {endpoint} | {rate:.0f} | {_ms(values, 50)} | "
                    f"{_ms(values, 95)} | {_ms(values, 99)} | {tally.errors.get(endpoint, 0)} |"
                )
    lines += ["", "| workers | syncs/s | ops pushed/s | push-storm ops/s | healthz/s | syncs/s ÷ healthz/s |"]
    lines.append("|---|---|---|---|---|---|")
    for r in results:
        syncs = r.day.syncs / r.seconds
        healthz = len(r.healthz.latencies["GET /healthz"]) / min(10.0, r.seconds)
        storm = r.storm.ops / min(10.0, r.seconds)
        lines.append(
            f"| {r.workers} | {syncs:.0f} | {r.day.ops / r.seconds:.0f} | {storm:.0f} | {healthz:.0f} | "
            f"{syncs / healthz:.2f} |"
        )
    lines += [
        "",
        "| workers | worker RSS at start MB | at end MB | growth | driver CPU, cores (day) | driver ms per"
        " request (day / healthz) | rejected ops | retried on a new connection | load average, day start"
        " → end |",
    ]
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        growth = (sum(r.rss_end) - sum(r.rss_start)) / max(sum(r.rss_start), 1) * 100
        start = ", ".join(f"{v:.0f}" for v in r.rss_start)
        end = ", ".join(f"{v:.0f}" for v in r.rss_end)
        day_requests = max(sum(len(v) for v in r.day.latencies.values()), 1)
        healthz_requests = max(len(r.healthz.latencies["GET /healthz"]), 1)
        lines.append(
            f"| {r.workers} | {start} | {end} | {growth:+.1f}% | {r.driver_cpu['day'] / r.seconds:.2f} | "
            f"{r.driver_cpu['day'] / day_requests * 1000:.2f} / "
            f"{r.driver_cpu['healthz'] / healthz_requests * 1000:.2f} | "
            f"{r.day.rejected + r.storm.rejected} | {r.day.retried + r.healthz.retried + r.storm.retried} | "
            f"{r.load[0]:.1f} → {r.load[1]:.1f} |"
        )
    lines += [
        "",
        "CPU per request, read from the processes (robust to a busy machine): the capacity model's input.",
        "",
        "| workers | day: server ms per sync | day: database ms per sync | syncs/s one core gives"
        " (server + database) | healthz: server ms | storm: server ms per push | storm: database ms"
        " per push | load average |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        syncs = max(r.day.syncs, 1)
        pushes = max(len(r.storm.latencies["POST /v1/push"]), 1)
        healthz = max(len(r.healthz.latencies["GET /healthz"]), 1)
        day_server, day_pg = r.server_cpu["day"] / syncs * 1000, r.pg_cpu["day"] / syncs * 1000
        per_core = 1000 / max(day_server + day_pg, 1e-9)
        lines.append(
            f"| {r.workers} | {day_server:.2f} | {day_pg:.2f} | {per_core:.0f} | "
            f"{r.server_cpu['healthz'] / healthz * 1000:.2f} | {r.server_cpu['storm'] / pushes * 1000:.2f} | "
            f"{r.pg_cpu['storm'] / pushes * 1000:.2f} | {r.load[1]:.1f} |"
        )
    for r in results:
        for kind, count in sorted(
            {**r.day.error_kinds, **r.storm.error_kinds, **r.healthz.error_kinds}.items()
        ):
            lines.append(f"errors, {r.workers} worker(s): {count} x {kind}")
    by_workers = {r.workers: r for r in results}
    if 1 in by_workers and 2 in by_workers:
        one, two = by_workers[1], by_workers[2]
        ratio = (two.day.syncs / two.seconds) / max(one.day.syncs / one.seconds, 1e-9)
        h1 = len(one.healthz.latencies["GET /healthz"])
        h2 = len(two.healthz.latencies["GET /healthz"])
        lines += ["", f"Scaling 1 -> 2 workers: syncs {ratio:.2f}x, healthz {h2 / max(h1, 1):.2f}x."]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fleet", description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2,4")
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between a laptop's syncs")
    parser.add_argument("--database-url", default="", help="an existing store; else a throwaway database")
    parser.add_argument("--scale", default="small", choices=["small", "caseload", "team"])
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--password", default=PASSWORD, help="the demo users' password in an existing store")
    parser.add_argument(
        "--server-code", default=None, help="run the server from this checkout (compare before/after)"
    )
    args = parser.parse_args(argv)
    admin = os.environ.get("NAVIGATOR_TEST_POSTGRES_URL", DEFAULT_PG)
    url, throwaway = args.database_url, ""
    if not url:
        url, throwaway = throwaway_database(admin)
    try:
        db = prepare(url, args.scale, args.teams, args.password)
        started = time.perf_counter()
        laptops = enrol_laptops(db, args.laptops, args.password)
        db.dispose()
        print(f"enrolled {len(laptops)} laptops in {time.perf_counter() - started:.0f} s")
        results = []
        for workers in (int(w) for w in args.workers.split(",")):
            results.append(measure(url, laptops, workers, args.seconds, args.think, args.server_code))
            print(f"workers={workers} done, load average {os.getloadavg()[0]:.1f}", flush=True)
        print("\n".join(report(results, len(laptops))))
        driver = Driver("", laptops, args.think)
        print("\n".join(lock_hold(url, laptops, driver.contact)))
    finally:
        if throwaway:
            drop_database(admin, throwaway)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

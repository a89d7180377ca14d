"""``python -m benchmarks.live_bench [--changes 50] [--crowd 200] [--crowd-teams 10]``: live sync's
propagation, push on laptop A to the change pulled into laptop B's encrypted vault, with B holding
the long-poll (navigator_desktop/sync/live.py) and 200 other laptops holding theirs.

The central store runs as deployed: ``uvicorn --workers 2`` on a throwaway PostgreSQL database
(made from ``NAVIGATOR_TEST_POSTGRES_URL``, dropped at the end), so a push answered by one process
must wake waiters parked in the other (LISTEN/NOTIFY). The other laptops are enrolled devices in a
process of their own (one asyncio loop): each holds ``GET /v1/changes/wait`` and, when woken,
pulls its page and waits again, as the app does. They are spread over `--crowd-teams` teams, A and
B's among them (with the defaults: 20 others in A and B's team, so every change wakes 22 laptops).
`--crowd-teams 1` puts all 200 in A and B's team: every change wakes and is pulled by all of them.

Laptop A pushes a handover note; B (a real vault and SyncEngine) is told by its long-poll and runs
a full sync (push, pull, policy, directory) into its vault. Measured per change: push sent to the
note in B's vault; and, in the same run, the ceiling: the same push followed at once by B's sync,
with no waiting (what a sync button pressed at the right moment would give), and the raw floor:
the push followed at once by one pull request over HTTP (no vault). The three kinds of round take
turns in blocks of five, after three rounds of each that are not counted.

``--screen``: laptop B is the app itself, and each change is measured until B's Today lists it
(benchmarks/live_screen.py), with B's longest GUI-thread stall meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "benchmark password, synthetic data only"
PASSPHRASE = "benchmark vault for synthetic data only"
P95_CEILING_MS = 1000.0
WAIT_SECONDS = 25.0
BLOCK = 5  # rounds of each kind in turn
WARMUP = 3


# -- the other laptops (their own process) ------------------------------------------------------


async def _pull(client: httpx.AsyncClient, headers: dict[str, str], cursor: int) -> int:
    while True:
        page = (await client.get("/v1/changes", params={"since": cursor}, headers=headers)).json()
        cursor = int(page["cursor"])
        if not page["more"]:
            return cursor


async def _laptop(client: httpx.AsyncClient, token: str, stats: dict[str, int]) -> None:
    """One laptop as the app runs it: pull, then hold the long-poll and pull whenever told."""
    headers = {"Authorization": f"Bearer {token}"}
    cursor = await _pull(client, headers, 0)
    while True:
        try:
            answer = await client.get(
                "/v1/changes/wait", params={"since": cursor, "timeout": WAIT_SECONDS}, headers=headers
            )
            answer.raise_for_status()
            if answer.json()["changed"]:
                stats["wakes"] += 1
                cursor = await _pull(client, headers, cursor)
                stats["pulls"] += 1
        except (httpx.HTTPError, ValueError, KeyError):
            stats["errors"] += 1
            await asyncio.sleep(1.0)


async def _crowd(base: str, tokens: list[str]) -> None:
    stats = {"pulls": 0, "wakes": 0, "errors": 0}
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens) + 10)
    timeout = httpx.Timeout(WAIT_SECONDS + 30)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        tasks = [asyncio.create_task(_laptop(client, token, stats)) for token in tokens]
        print("connected", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.readline)  # the benchmark closes stdin at the end
        for task in tasks:
            task.cancel()
    print(f"pulls {stats['pulls']} wakes {stats['wakes']} errors {stats['errors']}", flush=True)


# -- the benchmark ------------------------------------------------------------------------------


class Bench:
    def __init__(self, admin_url: str, work: Path, crowd: int, crowd_teams: int) -> None:
        from navigator_server import migrate
        from navigator_server.db import Database
        from navigator_server.settings import Settings

        self.admin_url, self.work = admin_url, work
        self.name = f"navbench_live_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._sql(f'CREATE DATABASE "{self.name}"')
        self.url = admin_url.rsplit("/", 1)[0] + "/" + self.name
        self.settings = Settings(
            database_url=self.url, argon2_time_cost=1, argon2_memory_kib=8, min_password_length=8
        )
        self.db = Database(self.settings)
        migrate.upgrade(self.db)
        self.crowd_tokens: list[str] = []
        self._people(crowd, crowd_teams)

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement)

    def _people(self, crowd: int, crowd_teams: int) -> None:
        from navigator_core import timeutil
        from navigator_core.fields import new_id
        from navigator_core.policy import Role
        from navigator_server import accounts, security
        from navigator_server.schema import devices

        passwords = security.Passwords(self.settings)
        with self.db.write() as conn:
            teams = [accounts.create_team(conn, f"Team {n}") for n in range(max(crowd_teams, 1))]
            self.team_id = teams[0]

            def person(name: str, team: str, role: Role = Role.NAVIGATOR) -> str:
                return accounts.create_user(
                    conn, passwords, self.settings, username=name, team_id=team, role=role, password=PASSWORD
                )

            self.ann = person("ann", self.team_id)
            self.bob = person("bob", self.team_id, Role.ON_CALL)
            self.ann_device, self.ann_token = new_id(), security.new_token()
            rows = [(self.ann, self.ann_device, self.ann_token)]
            for n in range(crowd):
                token = security.new_token()
                rows.append((person(f"other{n}", teams[n % len(teams)]), new_id(), token))
                self.crowd_tokens.append(token)
            for user_id, device_id, token in rows:
                conn.execute(
                    devices.insert().values(
                        id=device_id,
                        user_id=user_id,
                        name="benchmark laptop",
                        token_hash=security.digest(token),
                        created_at=timeutil.now_text(),
                    )
                )
            self.bob_code, _ = accounts.issue_enrolment_code(conn, self.settings, self.bob)

    def close(self) -> None:
        self.db.dispose()
        self._sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{self.name}' AND pid <> pg_backend_pid()"
        )
        self._sql(f'DROP DATABASE IF EXISTS "{self.name}"')


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(bench: Bench, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAVIGATOR_")}
    env.update(
        NAVIGATOR_DATABASE_URL=bench.url,
        NAVIGATOR_DATA_DIR=str(bench.work / "server"),
        NAVIGATOR_ARGON2_TIME_COST="1",
        NAVIGATOR_ARGON2_MEMORY_KIB="8",
        NAVIGATOR_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "uvicorn", "navigator_server.app:app_from_environment", "--factory"]
    command += ["--workers", "2", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    # At the end, long-polls still parked are not waited out (up to WAIT_SECONDS: half this
    # benchmark's time at its smallest); the measuring is over by then.
    command += ["--timeout-graceful-shutdown", "1"]
    proc = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the central store did not start")
        time.sleep(0.2)


def _note_op(bench: Bench, clock: Any, n: int, words: str = "") -> tuple[str, dict[str, Any]]:
    from navigator_core import timeutil
    from navigator_core.fields import new_id
    from navigator_core.ops import Operation, OpType

    record_id = new_id()
    entry = {
        "team_id": bench.team_id,
        "text": words or f"Benchmark handover note {n}.",
        "audience": "team",
        "valid_from": timeutil.now_text(),
        "priority": "routine",
    }
    op = Operation(
        op_id=new_id(),
        kind="handover_note",
        record_id=record_id,
        op=OpType.APPEND,
        stamp=clock.now(),
        author_id=bench.ann,
        device_id=bench.ann_device,
        recorded_at=timeutil.now_text(),
        entry=entry,
    )
    return record_id, op.to_wire()


def run(changes: int, crowd: int, crowd_teams: int, screen: bool = False, profile: bool = False) -> bool:
    from benchmarks import live_screen
    from benchmarks.report import Figure, Report, percentile
    from navigator_core.hlc import HybridClock
    from navigator_desktop.session import Session
    from navigator_desktop.store import records, settings
    from navigator_desktop.sync.engine import Direct, SyncEngine
    from navigator_desktop.sync.live import LiveSync
    from navigator_desktop.sync.transport import Transport
    from navigator_desktop.vault import KdfParams

    admin_url = os.environ.get("NAVIGATOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    report = Report(f"Live sync propagation: 2 server processes on PostgreSQL, {crowd} other laptops waiting")
    report.header()
    with tempfile.TemporaryDirectory(prefix="navigator-live-bench-") as tmp:
        work = Path(tmp)
        bench = Bench(admin_url, work, crowd, crowd_teams)
        port = _free_port()
        server = _serve(bench, port)
        base = f"http://127.0.0.1:{port}"
        crowd_proc: subprocess.Popen[str] | None = None
        session = Session(work / "b", KdfParams.for_tests())
        try:
            session.create(PASSPHRASE, recovery_key=False)
            engine = SyncEngine(Direct(session))
            engine.enrol(base, "bob", bench.bob_code, PASSWORD, device_name="laptop B")
            engine.sync()
            state = {"cursor": int(settings.get(session.db, settings.SYNC_CURSOR) or 0)}
            token = str(settings.get(session.db, settings.DEVICE_TOKEN))

            crowd_proc = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.live_bench", "--as-crowd", base],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert crowd_proc.stdin is not None and crowd_proc.stdout is not None
            crowd_proc.stdin.write("\n".join(bench.crowd_tokens) + "\n\n")
            crowd_proc.stdin.flush()
            assert crowd_proc.stdout.readline().strip() == "connected"
            time.sleep(3.0)  # every long-poll parked

            clock = HybridClock(bench.ann_device)
            if screen:  # B is the app: measured to its screen
                session.lock()

                def push_note(words: str) -> None:
                    _, op = _note_op(bench, clock, 0, words)
                    with Transport(base, bench.ann_token) as laptop:
                        laptop.push([op])

                live_screen.rounds(work / "b", PASSPHRASE, push_note, changes, report, profile)
            else:
                told = threading.Event()
                live = LiveSync(lambda: (base, token, state["cursor"]), told.set)

                def sync_b(note_id: str) -> None:
                    engine.sync()
                    state["cursor"] = int(settings.get(session.db, settings.SYNC_CURSOR) or 0)
                    if records.get(session.db, "handover_note", note_id) is None:
                        raise RuntimeError("laptop B did not receive the note")

                with Transport(base, bench.ann_token) as laptop_a, Transport(base, token) as laptop_b:

                    def ceiling_round(n: int) -> float:
                        """Push, then B syncs at once (B holds no long-poll)."""
                        note_id, op = _note_op(bench, clock, n)
                        started = time.perf_counter()
                        laptop_a.push([op])
                        sync_b(note_id)
                        return time.perf_counter() - started

                    def raw_round(n: int) -> float:
                        """Push, then one pull request for B at once: HTTP only, no vault, no wait."""
                        note_id, op = _note_op(bench, clock, n)
                        started = time.perf_counter()
                        laptop_a.push([op])
                        page = laptop_b.changes(state["cursor"], 5000)
                        took = time.perf_counter() - started
                        if note_id not in {item["id"] for item in page["changes"]}:
                            raise RuntimeError("the pull did not hold the note")
                        state["cursor"] = int(page["cursor"])  # B's vault catches up at its next sync
                        return took

                    def live_round(n: int) -> tuple[float, float]:
                        """Push; B syncs when its long-poll tells it to. (told, pulled) seconds."""
                        told.clear()
                        note_id, op = _note_op(bench, clock, n)
                        started = time.perf_counter()
                        laptop_a.push([op])
                        if not told.wait(30):
                            raise RuntimeError("laptop B was never told of the change")
                        woken = time.perf_counter() - started
                        sync_b(note_id)
                        return woken, time.perf_counter() - started

                    # Alternating blocks, so that both see the same machine (shared and noisy); the
                    # first rounds of each warm up connections and caches and are not counted.
                    ceiling: list[float] = []
                    raw: list[float] = []
                    woken: list[float] = []
                    pulled: list[float] = []
                    n = 0
                    for block in range(-1, (changes + BLOCK - 1) // BLOCK):
                        size = WARMUP if block < 0 else min(BLOCK, changes - block * BLOCK)
                        for _ in range(size):
                            took = raw_round(n := n + 1)
                            if block >= 0:
                                raw.append(took)
                            time.sleep(random.uniform(0.3, 0.6))  # the crowd's pulls settle
                        for _ in range(size):
                            took = ceiling_round(n := n + 1)
                            if block >= 0:
                                ceiling.append(took)
                            time.sleep(random.uniform(0.3, 0.6))
                        live.start()
                        time.sleep(0.5)  # B's long-poll parked
                        for _ in range(size):
                            told_s, pulled_s = live_round(n := n + 1)
                            if block >= 0:
                                woken.append(told_s)
                                pulled.append(pulled_s)
                            time.sleep(random.uniform(0.3, 0.6))
                        live.stop()

                def ms(values: list[float], pct: float) -> float:
                    return percentile(values, pct) * 1000

                report.start_section(f"push on A to the note in B's vault, {changes} changes")
                report.add(Figure("  live (B told by its long-poll, then syncs), p50", ms(pulled, 50), "ms"))
                report.add(Figure("  live, p95", ms(pulled, 95), "ms", ceiling=P95_CEILING_MS))
                report.add(Figure("  live, max", max(pulled) * 1000, "ms"))
                report.add(Figure("  of which push to B told, p50", ms(woken, 50), "ms"))
                report.add(Figure("  push to B told, p95", ms(woken, 95), "ms"))
                report.add(
                    Figure("  same run: push, then B syncs at once (no wait), p50", ms(ceiling, 50), "ms")
                )
                report.add(Figure("  push, then B syncs at once, p95", ms(ceiling, 95), "ms"))
                report.add(Figure("  push, then B syncs at once, max", max(ceiling) * 1000, "ms"))
                report.add(
                    Figure("  same run: push, then one pull request (HTTP only), p50", ms(raw, 50), "ms")
                )
                report.add(Figure("  push, then one pull request, p95", ms(raw, 95), "ms"))
                report.add(
                    Figure("  ratio live / B syncs at once, p50", ms(pulled, 50) / ms(ceiling, 50), "x")
                )
                report.add(
                    Figure("  ratio live / B syncs at once, p95", ms(pulled, 95) / ms(ceiling, 95), "x")
                )
                report.add(Figure("  ratio live / push and one pull, p95", ms(pulled, 95) / ms(raw, 95), "x"))
                report.notes.append(f"laptop B was told {live.wakes} times for {changes + WARMUP} changes")
        finally:
            session.lock()
            if crowd_proc is not None and crowd_proc.stdin is not None:
                crowd_proc.stdin.close()
                assert crowd_proc.stdout is not None
                report.notes.append("other laptops: " + crowd_proc.stdout.read().strip())
                crowd_proc.wait(30)
            server.terminate()
            server.wait(30)
            bench.close()
    return report.summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.live_bench", description=__doc__)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--crowd", type=int, default=200, help="other laptops holding a long-poll")
    parser.add_argument("--crowd-teams", type=int, default=10, help="teams the others are spread over")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure is over its target")
    parser.add_argument(
        "--screen", action="store_true", help="laptop B is the app: measure until its Today lists the note"
    )
    parser.add_argument(
        "--profile-stalls", action="store_true", help="with --screen: where B's GUI stalls go"
    )
    parser.add_argument("--as-crowd", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.as_crowd:
        tokens = []
        while line := sys.stdin.readline().strip():
            tokens.append(line)
        asyncio.run(_crowd(args.as_crowd, tokens))
        return 0
    passed = run(args.changes, args.crowd, args.crowd_teams, screen=args.screen, profile=args.profile_stalls)
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())

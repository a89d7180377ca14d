"""The fleet benchmark's world: a PostgreSQL store seeded as an organisation, laptops enrolled with
real device tokens through the store's own enrolment, and uvicorn serving it with N workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import sqlalchemy as sa
from psycopg import sql

from navigator_server import accounts, migrate, seed
from navigator_server.db import Database
from navigator_server.feed import last_seq
from navigator_server.schema import records, teams, users
from navigator_server.security import Passwords
from navigator_server.settings import Settings

PASSWORD = "fleet benchmark password"


@dataclass
class Laptop:
    token: str
    user_id: str
    device_id: str
    clients: list[str]  # clients this navigator key-works: where their contacts and visits go
    cursor: int
    open_visit: str | None = None
    stamps: dict[str, str] = field(default_factory=dict)


def throwaway_database(admin_url: str) -> tuple[str, str]:
    """A new, empty database on the server of `admin_url`; returns its URL and name."""
    name = f"fleet_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return admin_url.rsplit("/", 1)[0] + "/" + name, name


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def settings_for(url: str) -> Settings:
    # Cheap Argon2 for the demo users' one password, so enrolling hundreds of laptops is quick.
    return Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=8, min_password_length=8)


def prepare(url: str, scale: str, teams_wanted: int, password: str) -> Database:
    """Migrated and seeded (unless it holds teams already: then used as it is)."""
    db = Database(settings_for(url))
    migrate.upgrade(db)
    with db.read() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(teams)).scalar_one()
    if not have:
        started = time.perf_counter()
        seed.seed_demo(db, Passwords(db.settings), db.settings, password, scale=scale, teams=teams_wanted)
        print(f"seeded {teams_wanted} team(s) at {scale} scale in {time.perf_counter() - started:.0f} s")
    return db


def enrol_laptops(db: Database, count: int, password: str) -> list[Laptop]:
    """`count` laptops, round-robin over the navigators who key-work at least one client, each
    enrolled as a laptop is: a one-time code, then the code and the user's password for a token."""
    key_worker = records.c.data["key_worker_id"].as_string()
    with db.read() as conn:
        caseloads: dict[str, list[str]] = {}
        query = sa.select(key_worker, records.c.id).where(records.c.kind == "client", key_worker.is_not(None))
        for user_id, client_id in conn.execute(query):
            caseloads.setdefault(user_id, []).append(client_id)
        navigators = conn.execute(
            sa.select(users.c.id, users.c.username)
            .where(users.c.role == "navigator", users.c.id.in_(list(caseloads)))
            .order_by(users.c.username)
        ).all()
        cursor = last_seq(conn)
    if not navigators:
        raise SystemExit("no navigator with a caseload in this database")
    passwords = Passwords(db.settings)
    laptops = []
    for number in range(count):
        user = navigators[number % len(navigators)]
        with db.write() as conn:
            code, _ = accounts.issue_enrolment_code(conn, db.settings, user.id)
            # Each laptop from an address of its own, as a fleet is (the limit counts failures only).
            enrolled = accounts.enrol(
                conn,
                passwords,
                db.settings,
                username=user.username,
                code=code,
                password=password,
                device_name=f"fleet laptop {number}",
                address=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
            )
        laptops.append(
            Laptop(enrolled["token"], user.id, enrolled["device_id"], caseloads[user.id][:20], cursor)
        )
    return laptops


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``uvicorn`` with `workers` processes on one PostgreSQL, as ``navigator-server serve`` runs it;
    its code from `code` (another checkout, to compare a change) or from this one."""

    def __init__(self, url: str, workers: int, code: str | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "NAVIGATOR_DATABASE_URL": url,
            "NAVIGATOR_LOG_LEVEL": "WARNING",
        }
        if code:
            env["PYTHONPATH"] = code
        command = [sys.executable, "-m", "uvicorn", "navigator_server.app:app_from_environment", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        command += ["--log-level", "warning", "--no-access-log"]
        self.proc = subprocess.Popen(command, env=env, cwd=code)
        for _ in range(600):
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            self.stop()
            raise SystemExit("the server did not start")
        time.sleep(1.0 if workers > 1 else 0.2)  # every worker up, not just the first

    def worker_pids(self) -> list[int]:
        """The processes serving requests: uvicorn's workers, or the one process when there are none."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        pids = [int(p) for p in children]
        # uvicorn's supervisor also starts a resource tracker for multiprocessing: not a worker.
        workers = [p for p in pids if "uvicorn" in _cmdline(p) or "multiprocessing.spawn" in _cmdline(p)]
        workers = [p for p in workers if "resource_tracker" not in _cmdline(p)]
        return workers or [self.proc.pid]

    def rss_mb(self) -> list[float]:
        return [_rss_kib(p) / 1024 for p in self.worker_pids()]

    def cpu_seconds(self) -> float:
        """CPU time the serving processes have used so far (user and system)."""
        return sum(_cpu_seconds(p) for p in self.worker_pids())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_cpu(url: str) -> dict[int, float]:
    """CPU time used so far by each PostgreSQL backend serving this database (the server runs on
    this machine): the database's share of the work, beside the workers' own."""
    with psycopg.connect(url, autocommit=True) as conn:
        pids = [
            r[0]
            for r in conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]
    return {pid: _cpu_seconds(pid) for pid in pids}


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

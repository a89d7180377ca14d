"""A whole team pulled from PostgreSQL and from SQLite: ``python -m benchmarks.pull_engines``.

A laptop's pull should be at least as fast from PostgreSQL as from the embedded SQLite store. Both
stores are seeded alike (seed-demo: `--teams` teams at `--scale`; ANALYZE on PostgreSQL, as
seed-demo does). A manager of the first team then pulls everything the team holds, page after
page, through `pull.page_json` (what ``GET /v1/changes`` sends), each page in its own transaction.
Each run is a new process, so every run is the first after a start. The runs alternate between
the engines. Printed: records/s per run, the median per engine, and PostgreSQL ÷ SQLite, which
should be at least 1.

    python -m benchmarks.pull_engines [--scale small|caseload|team] [--teams 1] [--runs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import sqlalchemy as sa

from benchmarks.fleet_setup import PASSWORD, drop_database, prepare, settings_for, throwaway_database
from navigator_core.policy import Actor, Role
from navigator_server import pull
from navigator_server.db import Database
from navigator_server.schema import teams, users

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def whole_team(url: str) -> dict[str, float]:
    """In this process: the first team's manager pulls everything; records, pages and seconds."""
    db = Database(settings_for(url))
    try:
        with db.read() as conn:
            team_id = conn.execute(sa.select(teams.c.id).order_by(teams.c.name).limit(1)).scalar_one()
            manager = conn.execute(
                sa.select(users.c.id).where(users.c.team_id == team_id, users.c.role == "manager").limit(1)
            ).scalar_one()
        actor = Actor(manager, team_id, Role.MANAGER)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pull_engines", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scale", default="team", choices=["small", "caseload", "team"])
    parser.add_argument("--teams", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2, help="runs per engine, alternating")
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)  # a run, in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(whole_team(args.one)))
        return 0
    admin = os.environ.get("NAVIGATOR_TEST_POSTGRES_URL", DEFAULT_PG)
    pg_url, name = throwaway_database(admin)
    with tempfile.TemporaryDirectory(prefix="pull-engines-") as folder:
        sqlite_url = f"sqlite:///{folder}/store.db"
        try:
            for url in (pg_url, sqlite_url):
                db = prepare(url, args.scale, args.teams, PASSWORD)
                db.checkpoint()
                db.dispose()
            rates: dict[str, list[float]] = {"PostgreSQL": [], "SQLite": []}
            print(f"{args.teams} team(s) at {args.scale} scale; the first team's manager pulls all of it")
            print("| run | engine | records | pages | seconds | records/s | load average |")
            print("|---|---|---|---|---|---|---|")
            for run in range(1, args.runs + 1):
                for engine, url in (("PostgreSQL", pg_url), ("SQLite", sqlite_url)):
                    got = _run_in_new_process(url)
                    rate = got["records"] / got["seconds"]
                    rates[engine].append(rate)
                    print(
                        f"| {run} | {engine} | {got['records']:,.0f} | {got['pages']:.0f} | "
                        f"{got['seconds']:.1f} | {rate:,.0f} | {os.getloadavg()[0]:.1f} |",
                        flush=True,
                    )
            pg, lite = statistics.median(rates["PostgreSQL"]), statistics.median(rates["SQLite"])
            verdict = "PASS" if pg >= lite else "FAIL"
            print(
                f"median records/s: PostgreSQL {pg:,.0f}, SQLite {lite:,.0f}; ratio {pg / lite:.2f} "
                f"(target >= 1.00) {verdict}"
            )
        finally:
            drop_database(admin, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

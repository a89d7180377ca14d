"""Property: however laptops interleave offline edits and syncs, and however the network drops
answers, duplicates and reorders requests, once everyone has synced twice every laptop holds exactly
what the central store holds within its scope, and every write ever made is there as a value or
as a conflict (or was knowingly replaced by a later write that saw it).

In-process ASGI transport for speed; a fresh SQLite store per example.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import httpx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator_core import timeutil
from navigator_core.kinds import PERSON_ESCALATION_STEPS
from navigator_desktop.store import conflicts, outbox
from navigator_desktop.store import settings as device_settings
from navigator_desktop.store.records import RecordNotFoundError
from navigator_desktop.sync.errors import OfflineError
from navigator_server.db import Database
from tests.e2e.harness import AsgiBridge, Laptop, Org, conflicts_of, dump_local, dump_server
from tests.server.helpers import client_values, make_settings, risk_values

ACTIONS = (
    "client",
    "risk_new",
    "risk_edit",
    "risk_delete",
    "goal",
    "visit",
    "agency",
    "contact",
    "handover",
    "ack",
    "outcome",
    "safeguarding",
    "error",
    "amend",
    "escalate",
    "resolve",
    "resolve",
    "sync",
    "sync",
)


class Faulty(httpx.BaseTransport):
    """Drops answers (the request was served), repeats old pushes late (duplicated and reordered)."""

    def __init__(self, inner: httpx.BaseTransport, rng: random.Random) -> None:
        self.inner, self.rng, self.enabled = inner, rng, True
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        copy = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        if self.enabled and self.sent and self.rng.random() < 0.3:
            old = self.rng.choice(self.sent)
            self.inner.handle_request(
                httpx.Request(old.method, old.url, headers=old.headers, content=old.read())
            )
        if request.url.path.endswith("/push"):
            self.sent.append(copy)
        response = self.inner.handle_request(copy)
        if self.enabled and self.rng.random() < 0.2:
            raise httpx.ReadError("answer lost")
        return response


def world(
    n: int, rng: random.Random, tmp: Path, template: Path
) -> tuple[Org, list[Laptop], list[Faulty], str]:
    shutil.copy(template, tmp / "server.db")
    db = Database(make_settings(f"sqlite:///{tmp / 'server.db'}"))
    org = Org(db, db.settings)
    bridge = AsgiBridge(org.app())
    names = ["boss"] + [f"nav{i}" for i in range(1, n)]
    org.person("boss", "manager")
    for name in names[1:]:
        org.person(name)
    faults, laptops = [], []
    for name in names:
        fault = Faulty(bridge, rng)
        fault.enabled = False
        laptop = Laptop(tmp / name, "http://127.0.0.1:9", http_transport=fault, push_batch=7, page_size=9)
        laptop.enrol(org, name)
        faults.append(fault)
        laptops.append(laptop)
    return org, laptops, faults, bridge


def act(
    laptop: Laptop, action: str, org: Org, state: dict[str, list[str]], rng: random.Random, n: int
) -> None:
    clients, now = state["client"], timeutil.now_text()
    client = rng.choice(clients)
    tag = f"w{n}"
    if action == "client":
        laptop.update("client", client, **{rng.choice(["phone", "address", "crisis_plan"]): tag})
    elif action == "risk_new":
        state["risk"].append(laptop.create("risk_flag", **risk_values(client, description=tag)))
    elif action in ("risk_edit", "risk_delete") and state["risk"]:
        risk = rng.choice(state["risk"])
        if action == "risk_edit":
            laptop.update(
                "risk_flag", risk, severity=rng.choice(["low", "medium", "high"]), management_plan=tag
            )
        else:
            laptop.delete("risk_flag", risk)
    elif action == "goal":
        goals = state["goal"]
        if goals and rng.random() < 0.6:
            laptop.update("support_goal", rng.choice(goals), goal=tag)
        else:
            values = {"client_id": client, "pathway": "housing", "goal": tag, "status": "in_progress"}
            goals.append(laptop.create("support_goal", **values))
    elif action == "visit":
        visits = state["visit"]
        if visits and rng.random() < 0.6:
            laptop.update("visit", rng.choice(visits), place=tag)
        else:
            values = {
                "client_id": client,
                "worker_id": laptop.actor.user_id,
                "place": tag,
                "planned_start": now,
                "expected_minutes": 30,
                "status": "planned",
            }
            visits.append(laptop.create("visit", **values))
    elif action == "agency":
        laptop.create("agency", team_id=org.team_id, name=tag, agency_type="housing")
    elif action in ("contact", "amend", "error"):
        contacts = state["contact"]
        if action == "contact" or not contacts:
            entry = {"client_id": client, "occurred_at": now, "contact_type": "community", "narrative": tag}
            contacts.append(laptop.append("contact", **entry))
            return
        from navigator_desktop.store import records

        target = rng.choice(contacts)
        if laptop.get("contact", target) is None:
            return
        if action == "amend":
            records.amend(laptop.db, laptop.actor, "contact", target, {"narrative": tag}, "typo")
        else:
            records.mark_entered_in_error(laptop.db, laptop.actor, "contact", target, "wrong client")
    elif action == "handover":
        values = {"team_id": org.team_id, "client_id": client, "text": tag, "valid_from": now}
        state["note"].append(laptop.append("handover_note", **values, priority="routine", audience="team"))
    elif action == "ack" and state["note"]:
        note = rng.choice(state["note"])
        if laptop.get("handover_note", note) is not None:
            laptop.append("acknowledgement", note_id=note, team_id=org.team_id)
    elif action == "outcome":
        values = {
            "client_id": client,
            "pathway": "housing",
            "outcome": "housing_secured",
            "achieved_on": "2026-01-01",
        }
        laptop.append("outcome", **values)
    elif action == "safeguarding":
        laptop.append(
            "safeguarding_concern", client_id=client, category="physical", observed=tag, action_taken="x"
        )
    elif action == "escalate" and state["visit"]:
        visit = laptop.get("visit", rng.choice(state["visit"]))
        if visit is not None:
            step = rng.choice(PERSON_ESCALATION_STEPS)
            values = {"client_id": visit["client_id"], "visit_id": visit["id"], "step": step}
            laptop.append("visit_escalation", **values, occurred_at=now, notes=tag)
    elif action == "resolve":
        # conflict_resolution entries are written only this way, as a person deciding a conflict
        # this laptop holds (possibly one another laptop has decided already, unseen here).
        found = conflicts.open_conflicts(laptop.db)
        if found:
            choice = rng.choice([conflicts.KEEP, conflicts.TAKE_OTHER])
            conflicts.resolve(laptop.db, laptop.actor, rng.choice(found).id, choice, tag)


def settled_conflicts(db: Any) -> set[tuple[Any, ...]]:
    """Every conflict with the decision it shows (none while open)."""
    rows = db.query(
        "SELECT record_id, field, kept_stamp, lost_stamp, resolved_by, resolution, resolved_at FROM conflicts"
    )
    return {tuple(r.values()) for r in rows}


def check_every_write_is_accounted_for(laptops: list[Laptop]) -> None:
    writes: list[tuple[str, str, str, Any]] = []  # record, field, stamp, base
    appends: list[tuple[str, str]] = []
    values: dict[tuple[str, str, str], bytes] = {}
    for laptop in laptops:
        for row in laptop.db.query("SELECT kind, op_json, result FROM outbox"):
            assert row["result"] not in (None, outbox.REJECTED), row
            op = orjson.loads(row["op_json"])
            if op["op"] == "append":
                appends.append((op["kind"], op["record_id"]))
            for name, change in (op.get("changes") or {}).items():
                writes.append((op["record_id"], name, change["stamp"], change["base"]))
                values[(op["record_id"], name, change["stamp"])] = orjson.dumps(change["value"])
    seen = {(record, name, base) for record, name, _, base in writes}
    conflicted = set()
    current: dict[tuple[str, str], str] = {}
    for laptop in laptops:
        for c in laptop.db.query("SELECT record_id, field, kept_stamp, lost_stamp FROM conflicts"):
            conflicted |= {
                (c["record_id"], c["field"], c["kept_stamp"]),
                (c["record_id"], c["field"], c["lost_stamp"]),
            }
        for (_kind, rid), record in dump_local(laptop.db).items():
            for name, stamp in record.get("_stamps", {}).items():
                current[(rid, name)] = stamp

    def kept(key: tuple[str, str, str]) -> bool:
        return current.get(key[:2]) == key[2] or key in seen or key in conflicted

    for record, name, stamp, _ in writes:
        key = (record, name, stamp)
        # Two concurrent writes of the SAME value are no conflict (nothing is lost): either counts.
        twins = [k for k, v in values.items() if k[:2] == key[:2] and v == values[key]]
        assert any(kept(k) for k in [key, *twins]), key
    boss = dump_local(laptops[0].db)
    for kind, rid in appends:
        if kind != "audit_event":
            assert (kind, rid) in boss, (kind, rid)


@settings(
    max_examples=int(os.environ.get("NAVIGATOR_PROPERTY_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    n=st.integers(3, 5),
    seed=st.integers(0, 2**32),
    steps=st.lists(st.tuples(st.integers(0, 4), st.sampled_from(ACTIONS)), min_size=10, max_size=45),
)
def test_every_laptop_converges_with_the_store(
    sqlite_template: Path, n: int, seed: int, steps: list[Any]
) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        org, laptops, faults, bridge = world(n, rng, Path(tmp), sqlite_template)
        url = laptops[0].url
        try:
            boss = laptops[0]
            users = list(org.users.values())
            state: dict[str, list[str]] = {
                k: [] for k in ("client", "risk", "goal", "visit", "contact", "note")
            }
            for _ in range(2):
                values = client_values(org.team_id, users[1], co_worker_ids=users[2:])
                state["client"].append(boss.create("client", **values))
            for laptop in laptops:
                laptop.sync()
            for fault in faults:
                fault.enabled = True
            for i, (who, action) in enumerate(steps):
                laptop = laptops[who % n]
                try:
                    if action == "sync":
                        laptop.sync()
                    else:
                        act(laptop, action, org, state, rng, i)
                except (RecordNotFoundError, OfflineError):
                    pass
            for fault in faults:
                fault.enabled = False
            for _ in range(2):
                for laptop in laptops:
                    laptop.sync()
            # A person on each laptop decides some of the conflicts it now holds, offline (so two
            # people may decide the same conflict differently); then everyone syncs again.
            for laptop in laptops:
                for conflict in conflicts.open_conflicts(laptop.db):
                    if rng.random() < 0.5:
                        choice = rng.choice([conflicts.KEEP, conflicts.TAKE_OTHER])
                        conflicts.resolve(laptop.db, laptop.actor, conflict.id, choice, "decided")
            for _ in range(2):
                for laptop in laptops:
                    laptop.sync()
            for laptop in laptops:
                assert outbox.pending_count(laptop.db) == 0
                token = device_settings.get(laptop.db, device_settings.DEVICE_TOKEN)
                assert token
                assert dump_local(laptop.db) == dump_server(url, token, laptop.http_transport)
            # Everyone works with both clients, so everyone holds every conflict, the same ones.
            assert all(conflicts_of(lt.db) == conflicts_of(boss.db) for lt in laptops)
            # ...and each shows the same decision (the earliest recorded), or is open everywhere.
            assert all(settled_conflicts(lt.db) == settled_conflicts(boss.db) for lt in laptops)
            check_every_write_is_accounted_for(laptops)
        finally:
            for laptop in laptops:
                laptop.close()
            bridge.close()
            org.db.dispose()

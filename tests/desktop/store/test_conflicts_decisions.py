"""Decisions on conflicts travel as ``conflict_resolution`` entries: resolving writes one with its
outbox operation, and a pulled decision settles the matching conflict here, in whatever order the
decision and the conflict arrive; of two decisions the earliest recorded is the one shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from navigator_core.fields import new_id
from navigator_desktop.store import conflicts, outbox
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.sync.apply import apply_page
from tests.desktop.store.helpers import make_client

KEPT = "1700000000001.00000.dev-b"
LOST = "1700000000000.00000.dev-a"
ANN, BOB = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"


@dataclass
class Local:
    db: Database
    actor: Actor | None


def conflict_item(client_id: str) -> dict[str, Any]:
    data = {
        "kind": "client",
        "record_id": client_id,
        "client_id": client_id,
        "field": "phone",
        "winner": {"value": "222", "stamp": KEPT, "author": BOB},
        "loser": {"value": "111", "stamp": LOST, "author": ANN},
        "created_at": "2024-01-01T10:00:00.000000Z",
    }
    return {"seq": 1, "kind": "conflict", "id": new_id(), "access": "full", "data": data}


def decision_item(client_id: str, author: str, recorded_at: str, choice: str) -> dict[str, Any]:
    data = {
        "target_kind": "client",
        "target_id": client_id,
        "client_id": client_id,
        "field": "phone",
        "kept_stamp": KEPT,
        "lost_stamp": LOST,
        "choice": choice,
    }
    meta = {"author_id": author, "device_id": "dev-x", "recorded_at": recorded_at}
    return {
        "seq": 2,
        "kind": "conflict_resolution",
        "id": new_id(),
        "access": "full",
        "data": data,
        "meta": meta,
    }


def shown(db: Database) -> list[tuple[str | None, str | None, str | None]]:
    return [(c.resolved_by, c.resolution, c.resolved_at) for c in conflicts.all_conflicts(db)]


def test_resolving_writes_a_decision_entry_that_syncs(plain_db: Database, actor: Actor) -> None:
    client = make_client(plain_db, actor)
    local = Local(plain_db, actor)
    apply_page(local, [conflict_item(client)], 1)
    (conflict,) = conflicts.open_conflicts(plain_db)
    assert (conflict.kept_author, conflict.lost_author) == (BOB, ANN)
    conflicts.resolve(plain_db, actor, conflict.id, conflicts.KEEP, "  phoned to check ")
    (decision,) = plain_db.query("SELECT * FROM conflict_resolutions")
    assert decision["choice"] == "keep" and decision["note"] == "phoned to check"
    assert (decision["kept_stamp"], decision["lost_stamp"], decision["field"]) == (KEPT, LOST, "phone")
    ops = [orjson.loads(r["op_json"]) for r in plain_db.query("SELECT op_json FROM outbox")]
    assert any(op["kind"] == "conflict_resolution" and op["record_id"] == decision["id"] for op in ops)
    assert outbox.pending_count(plain_db) >= 1
    assert shown(plain_db) == [(actor.user_id, "keep", decision["recorded_at"])]


def test_a_conflict_arriving_after_its_decision_is_recorded_settled(plain_db: Database, actor: Actor) -> None:
    client = make_client(plain_db, actor)
    local = Local(plain_db, actor)
    decision = decision_item(client, ANN, "2024-01-02T09:00:00.000000Z", "take_other")
    apply_page(local, [decision, conflict_item(client)], 2)  # the decision first, one page
    assert shown(plain_db) == [(ANN, "take_other", "2024-01-02T09:00:00.000000Z")]
    assert conflicts.open_conflicts(plain_db) == []


def test_a_decision_in_an_earlier_page_settles_a_conflict_in_a_later_one(
    plain_db: Database, actor: Actor
) -> None:
    client = make_client(plain_db, actor)
    local = Local(plain_db, actor)
    apply_page(local, [decision_item(client, ANN, "2024-01-02T09:00:00.000000Z", "keep")], 1)
    assert conflicts.all_conflicts(plain_db) == []
    apply_page(local, [conflict_item(client)], 2)
    assert conflicts.open_count(plain_db) == (0, 0)


def test_of_two_decisions_the_earliest_recorded_is_shown_whatever_the_order(
    plain_db: Database, actor: Actor
) -> None:
    client = make_client(plain_db, actor)
    local = Local(plain_db, actor)
    early = decision_item(client, ANN, "2024-01-02T09:00:00.000000Z", "keep")
    late = decision_item(client, BOB, "2024-01-02T10:00:00.000000Z", "take_other")
    apply_page(local, [conflict_item(client)], 1)
    apply_page(local, [late], 2)
    assert shown(plain_db) == [(BOB, "take_other", "2024-01-02T10:00:00.000000Z")]
    apply_page(local, [early], 3)
    assert shown(plain_db) == [(ANN, "keep", "2024-01-02T09:00:00.000000Z")]
    apply_page(local, [late, early], 4)  # a replayed page changes nothing
    assert shown(plain_db) == [(ANN, "keep", "2024-01-02T09:00:00.000000Z")]
    assert len(plain_db.query("SELECT id FROM conflict_resolutions")) == 2

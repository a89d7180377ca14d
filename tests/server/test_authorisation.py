"""The authorisation matrix: every role, against a client on their caseload (or, for managers and
admins, of their team), a client of their team outside their caseload, and a client of another
team, through every endpoint. Nothing outside the caller's scope is ever returned or accepted."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from navigator_core.fields import new_id
from navigator_core.timerules import Limits
from navigator_server import push
from navigator_server.app import create_app
from navigator_server.db import Database
from tests.server.helpers import World, client_values, contact_entry, make_settings, risk_values

ROLES = ("navigator", "on-call", "manager", "admin")
TARGETS = ("caseload", "out_of_caseload", "other_team")
A, R, F = "applied", "rejected", "forbidden"  # forbidden: the whole request is refused (403)

# What each role may do to each target; one row per endpoint (and per kind of change).
EXPECTED: dict[str, dict[str, tuple[str, ...]]] = {
    "push_contact": {"navigator": (A, R, R), "on-call": (A, R, R), "manager": (A, A, R), "admin": (F, F, F)},
    "push_client_update": {
        "navigator": (A, R, R),
        "on-call": (A, R, R),
        "manager": (A, A, R),
        "admin": (F, F, F),
    },
    "push_risk_flag": {
        "navigator": (A, R, R),
        "on-call": (A, R, R),
        "manager": (A, A, R),
        "admin": (F, F, F),
    },
    "push_reallocate": {
        "navigator": (R, R, R),
        "on-call": (R, R, R),
        "manager": (A, A, R),
        "admin": (F, F, F),
    },
    "push_visit_escalation": {
        "navigator": (A, R, R),
        "on-call": (A, A, R),
        "manager": (A, A, R),
        "admin": (F, F, F),
    },
    "push_handover_note": {
        "navigator": (A, A, R),
        "on-call": (A, A, R),
        "manager": (A, A, R),
        "admin": (F, F, F),
    },
    "pull_client": {
        "navigator": ("full", "summary", "absent"),
        "on-call": ("full", "summary", "absent"),
        "manager": ("full", "full", "absent"),
        "admin": (F, F, F),
    },
    "pull_contact": {
        # From a first sync: a record the laptop never held is not named at all (no forget item).
        "navigator": ("full", "absent", "absent"),
        "on-call": ("full", "absent", "absent"),
        "manager": ("full", "full", "absent"),
        "admin": (F, F, F),
    },
    "pull_risk_flag": {
        "navigator": ("full", "summary", "absent"),
        "on-call": ("full", "summary", "absent"),
        "manager": ("full", "full", "absent"),
        "admin": (F, F, F),
    },
    "break_glass": {
        "navigator": (200, 403, 403),  # off the rota: break-glass is for on-call duty
        "on-call": (200, 200, 403),
        "manager": (200, 200, 403),
        "admin": (403, 403, 403),
    },
    "directory": {
        "navigator": (200, 200, 200),
        "on-call": (200, 200, 200),
        "manager": (200, 200, 200),
        "admin": (200, 200, 200),
    },
    "rota_add": {
        "navigator": (403, 403, 403),
        "on-call": (403, 403, 403),
        "manager": (201, 201, 422),
        "admin": (403, 403, 403),
    },
    "admin_enrolment_code": {
        "navigator": (403, 403, 403),
        "on-call": (403, 403, 403),
        "manager": (403, 403, 403),
        "admin": (201, 201, 201),
    },
    "admin_lists": {
        "navigator": (403, 403, 403),
        "on-call": (403, 403, 403),
        "manager": (403, 403, 403),
        "admin": (200, 200, 200),
    },
}
CASES = [(e, r, t) for e in EXPECTED for r in ROLES for t in TARGETS]


class Matrix:
    def __init__(self, db: Database):
        self.world = world = World(db, db.settings)
        world.team("North")
        world.team("South")
        self.people = {role: world.person(role, "North", role) for role in ROLES}
        key_worker = world.person("keyworker", "North", "navigator")
        south = world.person("south-nav", "South", "navigator")
        nav, oncall = self.people["navigator"], self.people["on-call"]
        self.clients: dict[str, str] = {}
        self.contacts: dict[str, str] = {}
        self.flags: dict[str, str] = {}
        self.visits: dict[str, str] = {}
        self.owners = {"caseload": nav, "out_of_caseload": key_worker, "other_team": south}
        self.users = {
            "caseload": nav.who.user_id,
            "out_of_caseload": key_worker.who.user_id,
            "other_team": south.who.user_id,
        }
        for target, owner in self.owners.items():
            cid = self.clients[target] = new_id()
            extra = {"co_worker_ids": [oncall.who.user_id]} if target == "caseload" else {}
            ops = [
                owner.create("client", cid, **client_values(owner.who.team_id, owner.who.user_id, **extra))
            ]
            ops.append(owner.append("contact", **contact_entry(cid)))
            ops.append(owner.create("risk_flag", **risk_values(cid)))
            ops.append(
                owner.create(
                    "visit",
                    client_id=cid,
                    worker_id=owner.who.user_id,
                    place="Home",
                    planned_start="2026-01-01T10:00:00.000Z",
                    expected_minutes=60,
                    status="planned",
                )
            )
            with db.write() as conn:
                results = push.push(conn, owner.who, ops, limits=Limits(drift=timedelta(hours=24)))
            assert [r.status for r in results] == ["applied"] * 4
            self.contacts[target] = ops[1]["record_id"]
            self.flags[target] = ops[2]["record_id"]
            self.visits[target] = ops[3]["record_id"]


@pytest.fixture(scope="module")
def matrix(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Matrix, TestClient]]:
    path = tmp_path_factory.mktemp("matrix") / "navigator.db"
    shutil.copy(sqlite_template, path)
    settings = make_settings(f"sqlite:///{path}")
    db = Database(settings)
    with TestClient(create_app(settings, db)) as api:
        yield Matrix(db), api
    db.dispose()


def _push_outcome(api: TestClient, laptop: Any, op: dict[str, Any]) -> str:
    response = api.post("/v1/push", headers=laptop.headers, json={"ops": [op]})
    if response.status_code == 403:
        return F
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    return {"applied": A, "conflict_recorded": A, "rejected": R}[result["status"]]


def _pull_outcome(api: TestClient, laptop: Any, record_id: str) -> str:
    response = api.get("/v1/changes", headers=laptop.headers)
    if response.status_code == 403:
        return F
    found = [i for i in response.json()["changes"] if i["id"] == record_id]
    return found[-1]["access"] if found else "absent"


def act(m: Matrix, api: TestClient, endpoint: str, role: str, target: str) -> object:
    me = m.people[role]
    cid = m.clients[target]
    if endpoint == "push_contact":
        return _push_outcome(api, me, me.append("contact", **contact_entry(cid)))
    if endpoint == "push_client_update":
        return _push_outcome(api, me, me.upsert("client", cid, phone="0161 496 0000"))
    if endpoint == "push_risk_flag":
        return _push_outcome(api, me, me.create("risk_flag", **risk_values(cid)))
    if endpoint == "push_reallocate":
        # Adds a co-worker and keeps everyone else, so the other cases still see what they saw.
        keep = [m.people["on-call"].who.user_id] if target == "caseload" else []
        return _push_outcome(api, me, me.upsert("client", cid, co_worker_ids=[*keep, new_id()]))
    if endpoint == "push_visit_escalation":
        op = me.upsert("visit", m.visits[target], status="escalated", overrun_action="Called the police.")
        return _push_outcome(api, me, op)
    if endpoint == "push_handover_note":
        team = m.owners[target].who.team_id
        note = {
            "team_id": team,
            "client_id": cid,
            "text": "Check in tomorrow.",
            "audience": "on_call",
            "valid_from": "2026-01-01T10:00:00.000Z",
            "priority": "routine",
        }
        return _push_outcome(api, me, me.append("handover_note", **note))
    if endpoint.startswith("pull_"):
        ids = {"pull_client": m.clients, "pull_contact": m.contacts, "pull_risk_flag": m.flags}[endpoint]
        return _pull_outcome(api, me, ids[target])
    if endpoint == "break_glass":
        body = {"client_id": cid, "reason": "Called by the police about a welfare check."}
        response = api.post("/v1/break-glass", headers=me.headers, json=body)
        if response.status_code == 200:
            assert {r["id"] for r in response.json()["records"]} >= {cid, m.contacts[target]}
        return response.status_code
    if endpoint == "directory":
        response = api.get("/v1/directory", headers=me.headers)
        assert {u["id"] for u in response.json()["users"]}.isdisjoint({m.users["other_team"]})
        return response.status_code
    if endpoint == "rota_add":
        shift = {
            "user_id": m.users[target],
            "starts_at": "2026-12-01T17:00:00.000Z",
            "ends_at": "2026-12-02T09:00:00.000Z",
        }
        return api.post("/v1/rota", headers=me.headers, json=shift).status_code
    if endpoint == "admin_enrolment_code":
        return api.post(f"/v1/admin/users/{m.users[target]}/enrolment-code", headers=me.headers).status_code
    if endpoint == "admin_lists":
        codes = {
            api.get(f"/v1/admin/{what}", headers=me.headers).status_code
            for what in ("users", "devices", "teams", "audit")
        }
        assert len(codes) == 1
        return codes.pop()
    raise AssertionError(endpoint)


@pytest.mark.parametrize(("endpoint", "role", "target"), CASES)
def test_authorisation_matrix(
    matrix: tuple[Matrix, TestClient], endpoint: str, role: str, target: str
) -> None:
    m, api = matrix
    expected = EXPECTED[endpoint][role][TARGETS.index(target)]
    assert act(m, api, endpoint, role, target) == expected


def test_a_summary_never_carries_fields_outside_the_summary(matrix: tuple[Matrix, TestClient]) -> None:
    m, api = matrix
    items = api.get("/v1/changes", headers=m.people["navigator"].headers).json()["changes"]
    summary = [i for i in items if i["id"] == m.clients["out_of_caseload"]][-1]
    assert summary["access"] == "summary"
    assert "referral_source" not in summary["data"] and "ethnicity" not in summary["data"]
    assert "crisis_plan" in summary["data"]


def test_healthz_and_openapi_need_no_token(matrix: tuple[Matrix, TestClient]) -> None:
    _, api = matrix
    assert api.get("/healthz").json() == {"status": "ok"}
    assert "/v1/push" in api.get("/openapi.json").json()["paths"]

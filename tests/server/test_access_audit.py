"""Break-glass on the server (reasons, on-call rights, the rota, the audit) and the manager's
access audit: who viewed which client, when, from which device and why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from navigator_core import timeutil
from navigator_core.policy import Role
from navigator_core.timerules import Limits
from navigator_server import push
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import audit_log
from tests.server.helpers import Laptop, World, client_values, contact_entry

REASON = "Police welfare check requested tonight"


@pytest.fixture
def world(store_db: Database) -> Iterator[tuple[World, TestClient, dict[str, str]]]:
    w = World(store_db, store_db.settings)
    w.team("North")
    w.team("South")
    nav = w.person("nav", "North", Role.NAVIGATOR)
    w.person("other", "North", Role.NAVIGATOR)
    w.person("oncall", "North", Role.ON_CALL)
    w.person("boss", "North", Role.MANAGER)
    w.person("southboss", "South", Role.MANAGER)
    mine = nav.create("client", **client_values(w.teams["North"], nav.who.user_id, given_name="Alex"))
    second = nav.create("client", **client_values(w.teams["North"], nav.who.user_id, given_name="Sam"))
    note = nav.append("contact", **contact_entry(mine["record_id"], "Talked about the tenancy."))
    with store_db.write() as conn:
        results = push.push(conn, nav.who, [mine, second, note], limits=Limits(drift=timedelta(hours=24)))
    assert {r.status for r in results} == {"applied"}
    api = TestClient(create_app(w.settings, store_db))
    yield w, api, {"a": mine["record_id"], "b": second["record_id"], "note": note["record_id"]}


def glass(api: TestClient, who: Laptop, client_id: str, reason: str = REASON) -> Any:
    return api.post("/v1/break-glass", headers=who.headers, json={"client_id": client_id, "reason": reason})


def audit_rows(db: Database, action: str) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(audit_log).where(audit_log.c.action == action)))


def test_break_glass_without_a_reason_is_refused_with_a_clear_message(world: Any) -> None:
    w, api, ids = world
    for reason in ("", "   ", "because"):
        response = glass(api, w.laptops["oncall"], ids["a"], reason)
        assert response.status_code == 403
        assert "say why you need this record" in response.json()["detail"]
    assert audit_rows(w.db, "break_glass") == []
    assert len(audit_rows(w.db, "break_glass_refused")) == 3


def test_break_glass_is_refused_to_a_navigator_without_on_call_rights(world: Any) -> None:
    w, api, ids = world
    response = glass(api, w.laptops["other"], ids["a"])
    assert response.status_code == 403
    assert "on-call" in response.json()["detail"]
    # ... and their pull carries only the on-call summary of that client: no contacts.
    pulled = api.get("/v1/changes", headers=w.laptops["other"].headers).json()["changes"]
    client = next(i for i in pulled if i["id"] == ids["a"])
    assert client["access"] == "summary" and "ethnicity" not in client["data"]
    assert all(i["access"] == "none" and "data" not in i for i in pulled if i["id"] == ids["note"])


def test_break_glass_is_granted_to_on_call_and_audited_with_the_device_and_reason(world: Any) -> None:
    w, api, ids = world
    on_call = w.laptops["oncall"]
    response = glass(api, on_call, ids["a"])
    assert response.status_code == 200
    found = {r["id"]: r for r in response.json()["records"]}
    assert found[ids["note"]]["data"]["narrative"] == "Talked about the tenancy."
    [row] = audit_rows(w.db, "break_glass")
    assert (row.actor_id, row.device_id, row.target_id, row.reason) == (
        on_call.who.user_id,
        on_call.who.device_id,
        ids["a"],
        REASON,
    )


def test_a_navigator_on_the_rota_now_has_on_call_rights(world: Any) -> None:
    w, api, ids = world
    other, boss = w.laptops["other"], w.laptops["boss"]
    now = timeutil.utcnow()
    shift = {
        "user_id": other.who.user_id,
        "starts_at": timeutil.to_text(now - timedelta(hours=1)),
        "ends_at": timeutil.to_text(now + timedelta(hours=8)),
    }
    created = api.post("/v1/rota", headers=boss.headers, json=shift)
    assert created.status_code == 201
    assert glass(api, other, ids["a"]).status_code == 200
    api.delete(f"/v1/rota/{created.json()['id']}", headers=boss.headers)
    assert glass(api, other, ids["a"]).status_code == 403  # the shift is over


def test_a_manager_reads_who_viewed_which_client_and_filters_it(world: Any) -> None:
    w, api, ids = world
    nav, on_call, boss = w.laptops["nav"], w.laptops["oncall"], w.laptops["boss"]
    view = nav.append(
        "audit_event", action="view", target_kind="client", target_id=ids["a"], client_id=ids["a"]
    )
    export = nav.append(
        "audit_event",
        action="export",
        target_kind="client",
        target_id=ids["b"],
        client_id=ids["b"],
        reason="SAR",
    )
    change = nav.append(
        "audit_event", action="update", target_kind="client", target_id=ids["a"], client_id=ids["a"]
    )
    pushed = api.post("/v1/push", headers=nav.headers, json={"ops": [view, export, change]})
    assert [r["status"] for r in pushed.json()["results"]] == ["applied"] * 3
    assert glass(api, on_call, ids["a"]).status_code == 200
    assert glass(api, w.laptops["other"], ids["a"]).status_code == 403

    response = api.get("/v1/access-audit", headers=boss.headers)
    assert response.status_code == 200
    entries = response.json()["entries"]
    assert [e["action"] for e in entries].count("update") == 0  # changes have their own history
    got = {(e["action"], e["source"], e["user_name"], e["client_name"]) for e in entries}
    assert got == {
        ("view", "device", "nav", "Alex Example"),
        ("export", "device", "nav", "Sam Example"),
        ("break_glass", "server", "oncall", "Alex Example"),
        ("break_glass_refused", "server", "other", "Alex Example"),
    }
    granted = next(e for e in entries if e["action"] == "break_glass")
    assert granted["device_id"] == on_call.who.device_id and granted["device_name"] == "test laptop"
    assert granted["reason"] == REASON
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)

    only_b = api.get("/v1/access-audit", headers=boss.headers, params={"client_id": ids["b"]}).json()
    assert [e["action"] for e in only_b["entries"]] == ["export"]
    future = timeutil.to_text(timeutil.utcnow() + timedelta(hours=1))
    later = api.get("/v1/access-audit", headers=boss.headers, params={"since": future}).json()
    assert later["entries"] == []
    earlier = api.get("/v1/access-audit", headers=boss.headers, params={"until": future, "limit": 2}).json()
    assert len(earlier["entries"]) == 2 and earlier["more"] is True
    bad = api.get("/v1/access-audit", headers=boss.headers, params={"since": "yesterday"})
    assert bad.status_code == 422


def test_only_managers_read_the_access_audit_and_only_their_own_team(world: Any) -> None:
    w, api, ids = world
    assert glass(api, w.laptops["oncall"], ids["a"]).status_code == 200
    for name in ("nav", "oncall"):
        refused = api.get("/v1/access-audit", headers=w.laptops[name].headers)
        assert refused.status_code == 403
        assert refused.json()["detail"] == "Only a team manager may read the access audit."
    south = api.get("/v1/access-audit", headers=w.laptops["southboss"].headers)
    assert south.status_code == 200 and south.json()["entries"] == []

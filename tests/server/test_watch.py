"""The narrow watch of a locked on-call laptop: a short-lived token that reads two counts for its
team and opens no other endpoint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_server import accounts, overdue, push
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.live import watch
from tests.server.helpers import Laptop, World, client_values

DRIFT = timedelta(hours=24)


def at(minutes: float) -> str:
    return timeutil.to_text(timeutil.utcnow() + timedelta(minutes=minutes))


def send(db: Database, laptop: Laptop, *ops: dict[str, Any]) -> None:
    with db.write() as conn:
        results = push.push(conn, laptop.who, list(ops), max_drift=DRIFT)
    assert [r.status for r in results] == ["applied"] * len(ops), [r.as_dict() for r in results]


def note(laptop: Laptop, priority: str = "urgent", **more: Any) -> dict[str, Any]:
    values = {
        "team_id": laptop.who.team_id,
        "text": "Ring the ward before nine.",
        "audience": "on_call",
        "valid_from": at(-60),
        "priority": priority,
        **more,
    }
    return laptop.append("handover_note", **values)


@pytest.fixture
def world(store_db: Database) -> World:
    w = World(store_db, store_db.settings)
    w.team("north")
    w.team("south")
    w.person("nav", "north", "navigator")
    w.person("oncall", "north", "on-call")
    w.person("sue", "south", "navigator")
    w.person("root", "north", "admin")
    return w


@pytest.fixture
def api(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings, world.db)) as client:
        yield client


def token_for(api: TestClient, laptop: Laptop) -> str:
    answer = api.post("/v1/watch-token", headers=laptop.headers)
    assert answer.status_code == 200, answer.text
    found: str = answer.json()["token"]
    return found


def counts(api: TestClient, token: str) -> Any:
    return api.get("/v1/watch", headers={"Authorization": f"Bearer {token}"})


def test_the_watch_counts_overdue_visits_and_urgent_unread_notes_and_nothing_else(
    world: World, api: TestClient
) -> None:
    nav, oncall, sue = world.laptops["nav"], world.laptops["oncall"], world.laptops["sue"]
    client = nav.create("client", **client_values(nav.who.team_id, nav.who.user_id))
    visit = {"client_id": client["record_id"], "worker_id": nav.who.user_id, "place": "Flat"}
    late = nav.create("visit", **visit, planned_start=at(-180), expected_minutes=60, status="planned")
    on_time = nav.create("visit", **visit, planned_start=at(-10), expected_minutes=60, status="planned")
    send(world.db, nav, client, late, on_time)
    with world.db.write() as conn:
        assert overdue.sweep(conn, 15) == [late["record_id"]]
    read_it = note(nav, text="Already read.")
    send(
        world.db,
        nav,
        note(nav),  # counts
        note(nav, audience="team"),  # counts
        note(nav, audience="worker", for_user_id=oncall.who.user_id),  # counts: for the watcher
        note(nav, audience="worker", for_user_id=nav.who.user_id),  # for someone else
        note(nav, priority="routine"),
        note(nav, valid_until=at(-5)),  # over
        note(nav, valid_from=at(60)),  # not yet
        read_it,
    )
    send(
        world.db,
        oncall,
        oncall.append("acknowledgement", note_id=read_it["record_id"], team_id=nav.who.team_id),
    )
    send(world.db, sue, note(sue))  # another team's

    answer = counts(api, token_for(api, oncall))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"overdue_visits", "urgent_notes", "at"}
    assert (body["overdue_visits"], body["urgent_notes"]) == (1, 3)
    # Nothing personal in it: no id or name of anyone or anything.
    text = answer.text
    for secret in (client["record_id"], late["record_id"], nav.who.user_id, "Testy", "Ring the ward"):
        assert secret not in text
    # The navigator wrote them all: none is unread for them.
    body = counts(api, token_for(api, nav)).json()
    assert (body["overdue_visits"], body["urgent_notes"]) == (1, 0)
    assert counts(api, token_for(api, sue)).json()["overdue_visits"] == 0


def test_a_watch_token_is_refused_when_forged_expired_or_its_device_revoked(
    world: World, api: TestClient
) -> None:
    oncall = world.laptops["oncall"]
    token = token_for(api, oncall)
    assert counts(api, token).status_code == 200
    assert counts(api, token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 401
    other_device = token.replace(oncall.who.device_id, new_id())
    assert counts(api, other_device).status_code == 401
    with world.db.write() as conn:
        expired, _ = watch.issue(conn, oncall.who.device_id, -0.01)
    assert counts(api, expired).status_code == 401
    assert counts(api, oncall.token).status_code == 401  # the device token is not a watch token
    assert api.get("/v1/watch").status_code == 401
    with world.db.write() as conn:
        accounts.revoke_device(conn, oncall.who.device_id)
    assert counts(api, token).status_code == 401


def test_a_watch_token_lives_at_most_the_setting(world: World, api: TestClient) -> None:
    world.settings.watch_token_hours = 2
    oncall = world.laptops["oncall"]
    answer = api.post("/v1/watch-token", headers=oncall.headers, params={"hours": 100}).json()
    expires = timeutil.parse(answer["expires_at"])
    assert timedelta(hours=1.9) < expires - timeutil.utcnow() <= timedelta(hours=2)


def test_only_a_signed_in_team_member_obtains_one(world: World, api: TestClient) -> None:
    assert api.post("/v1/watch-token").status_code == 401
    assert api.post("/v1/watch-token", headers=world.laptops["root"].headers).status_code == 403


def test_every_other_endpoint_refuses_the_watch_token(world: World, api: TestClient) -> None:
    """Each route in the OpenAPI document answers a watch token exactly as it answers no token at
    all (the signed-in ones 401, the public ones as they answer anyone)."""
    token = token_for(api, world.laptops["oncall"])
    bearer = {"Authorization": f"Bearer {token}"}
    spec = api.get("/openapi.json").json()
    routes = {(m.upper(), path) for path, methods in spec["paths"].items() for m in methods}
    # and the routes the document leaves out (the acknowledgement pages, the document itself)
    routes |= {(m, r.path) for r in api.app.routes if isinstance(r, Route) for m in r.methods or ()}
    tried, refused = 0, 0
    for method, path in sorted(routes):
        if path == "/v1/watch" or method == "HEAD":
            continue
        url = re.sub(r"\{[^}]+\}", new_id(), path)
        anonymous = api.request(method, url, json={})
        with_token = api.request(method, url, json={}, headers=bearer)
        assert with_token.status_code == anonymous.status_code, (method, path)
        assert with_token.content == anonymous.content, (method, path)
        tried += 1
        refused += with_token.status_code == 401
    assert tried >= 20 and refused >= 15

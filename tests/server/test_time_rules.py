"""Times stated in pushed operations are checked against the store's clock (issue 19, item 2): a
forged recording time is refused, says which field and why, and leaves the record unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from navigator_core import timeutil
from navigator_server import store
from navigator_server.app import create_app
from navigator_server.db import Database
from tests.server.helpers import World, client_values, contact_entry, make_settings

FORGED = "9999-12-31T23:59:59.000Z"
HOUR = timedelta(hours=1)


@pytest.fixture
def world(store_db: Database) -> World:
    settings = make_settings(store_db.url)
    w = World(Database(settings), settings)
    w.team("North")
    w.person("nina", "North", "navigator")
    return w


@pytest.fixture
def api(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings, world.db), raise_server_exceptions=False) as client:
        yield client
    world.db.dispose()


def push(api: TestClient, headers: dict[str, str], *ops: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.post("/v1/push", headers=headers, json={"ops": list(ops)})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_a_recording_time_in_the_year_9999_is_refused_and_the_record_unchanged(
    world: World, api: TestClient
) -> None:
    nina = world.laptops["nina"]
    client_id = "0190a000-0000-7000-8000-000000000001"
    values = client_values(nina.who.team_id, nina.who.user_id)
    assert push(api, nina.headers, nina.create("client", client_id, **values))[0]["status"] == "applied"
    with world.db.read() as conn:
        before = store.load(conn, client_id)

    forged = {**nina.upsert("client", client_id, phone="01234 567890"), "recorded_at": FORGED}
    [result] = push(api, nina.headers, forged)
    assert result["status"] == "rejected"
    assert result["field"] == "recorded_at"
    assert "recorded_at" in result["reason"] and "future" in result["reason"]
    with world.db.read() as conn:
        after = store.load(conn, client_id)
    assert after == before
    assert after is not None and after.meta["updated_at"] < "3000"

    contact = {**nina.append("contact", **contact_entry(client_id)), "recorded_at": FORGED}
    [result] = push(api, nina.headers, contact)
    assert (result["status"], result["field"]) == ("rejected", "recorded_at")


def test_an_event_after_its_recording_time_is_refused_by_field(world: World, api: TestClient) -> None:
    nina = world.laptops["nina"]
    client_id = "0190a000-0000-7000-8000-000000000002"
    push(api, nina.headers, nina.create("client", client_id, **client_values(nina.who.team_id, None)))
    # Recorded two hours ago (a laptop offline since), about a contact one hour ago: impossible.
    now = timeutil.utcnow()
    contact = nina.append(
        "contact", **{**contact_entry(client_id), "occurred_at": timeutil.to_text(now - HOUR)}
    )
    contact["recorded_at"] = timeutil.to_text(now - 2 * HOUR)
    [result] = push(api, nina.headers, contact)
    assert (result["status"], result["field"]) == ("rejected", "occurred_at")
    assert "after the time it was recorded" in result["reason"]

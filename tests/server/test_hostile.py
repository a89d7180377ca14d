"""Malformed, oversized and hostile requests: each gets a 4xx with a clear message and changes
nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator_core.fields import check_value, new_id
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import applied_ops, changes, records, users
from tests.server.helpers import Laptop, World, client_values, contact_entry, make_settings


@pytest.fixture
def world(store_db: Database) -> World:
    settings = make_settings(store_db.url, max_body_bytes=64 * 1024, max_batch_ops=20)
    w = World(Database(settings), settings)
    w.team("North")
    w.person("nina", "North", "navigator")
    w.person("ada", "North", "admin")
    return w


@pytest.fixture
def api(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings, world.db), raise_server_exceptions=False) as client:
        yield client
    world.db.dispose()


def state(world: World) -> tuple[int, ...]:
    with world.db.read() as conn:
        return tuple(
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (records, changes, applied_ops, users)
        )


def post_json(api: TestClient, url: str, headers: dict[str, str], body: Any) -> Any:
    """JSON as a hostile peer may write it: ASCII with escapes, lone surrogates included."""
    return api.post(
        url, headers={**headers, "Content-Type": "application/json"}, content=json.dumps(body).encode()
    )


def assert_clear_4xx(response: Any, status: int | None = None) -> None:
    assert 400 <= response.status_code < 500, response.text
    if status is not None:
        assert response.status_code == status
    body = response.json()
    assert body.get("detail"), body


def test_an_oversized_body_is_refused_with_413(world: World, api: TestClient) -> None:
    nina = world.laptops["nina"]
    before = state(world)
    huge = {"ops": [nina.append("contact", **contact_entry(new_id(), "x" * 100_000))]}
    assert_clear_4xx(api.post("/v1/push", headers=nina.headers, json=huge), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while streaming too
        yield b'{"ops": ['
        for _ in range(200):
            yield b'{"padding": "' + b"y" * 1000 + b'"},'
        yield b"{}]}"

    streamed = api.post(
        "/v1/push", headers={**nina.headers, "Content-Type": "application/json"}, content=chunks()
    )
    assert streamed.status_code == 413
    assert state(world) == before


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"ops": "nope"}',
        b'{"ops": [], "extra": 1}',
        b"null",
        b'{"ops": [' * 5000,
        json.dumps({"ops": [{}] * 21}).encode(),
    ],
    ids=["broken", "array", "ops-not-list", "extra-field", "null", "deep-nesting", "too-many-ops"],
)
def test_malformed_push_bodies_get_a_clear_4xx(world: World, api: TestClient, body: bytes) -> None:
    nina = world.laptops["nina"]
    before = state(world)
    response = api.post(
        "/v1/push", headers={**nina.headers, "Content-Type": "application/json"}, content=body
    )
    assert_clear_4xx(response)
    assert state(world) == before


def _hostile_ops(nina: Laptop) -> list[Any]:
    client_id = new_id()
    good_client = nina.create("client", client_id, **client_values(nina.who.team_id, nina.who.user_id))
    return [
        {**good_client, "kind": "../../etc/passwd"},
        {**good_client, "record_id": "1; DROP TABLE records; --"},
        {**good_client, "op": "drop"},
        {**good_client, "stamp": "not a stamp"},
        {**good_client, "changes": {"given_name": {"value": "x" * 200, "stamp": good_client["stamp"]}}},
        {**good_client, "changes": {"__proto__": {"value": 1, "stamp": good_client["stamp"]}}},
        {**good_client, "changes": {"nhs_number": {"value": "1234567890", "stamp": good_client["stamp"]}}},
        {**good_client, "recorded_at": "yesterday"},
        {**good_client, "device_id": new_id()},
        nina.append("contact", **{**contact_entry(client_id), "occurred_at": "2999-01-01T00:00:00.000Z"}),
        nina.append("contact", **{**contact_entry(client_id), "pathways": ["<script>"]}),
        nina.append("audit_event", action="view", amends_id=new_id(), amend_reason="x"),
        nina.append("contact", **contact_entry(client_id, "nul \x00 in a note")),
        {**good_client, "changes": {"phone": {"value": "\ud800", "stamp": good_client["stamp"]}}},
        "a string",
        42,
        None,
        [],
    ]


def test_hostile_operations_are_each_rejected_with_a_reason(world: World, api: TestClient) -> None:
    nina = world.laptops["nina"]
    before = state(world)
    response = post_json(api, "/v1/push", nina.headers, {"ops": _hostile_ops(nina)})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * len(results)
    assert all(len(r["reason"]) > 5 for r in results)
    assert state(world) == before
    assert api.get("/healthz").status_code == 200


def test_an_administrator_cannot_push_or_pull_client_records(world: World, api: TestClient) -> None:
    ada = world.laptops["ada"]
    assert_clear_4xx(api.post("/v1/push", headers=ada.headers, json={"ops": []}), 403)
    assert_clear_4xx(api.get("/v1/changes", headers=ada.headers), 403)


@pytest.mark.parametrize("query", ["since=-1", "since=abc", "limit=0", "limit=99999999", "since=1e400"])
def test_bad_cursors_get_a_clear_4xx(world: World, api: TestClient, query: str) -> None:
    response = api.get(f"/v1/changes?{query}", headers=world.laptops["nina"].headers)
    assert response.status_code == 422


@pytest.mark.parametrize("username", ["' OR 1=1 --", "a" * 101, "", "ada\x00", "ada\ud800"])
def test_hostile_admin_input_is_refused(world: World, api: TestClient, username: str) -> None:
    ada = world.laptops["ada"]
    before = state(world)
    body = {
        "username": username,
        "team_id": world.teams["North"],
        "role": "navigator",
        "password": "long enough!",
    }
    response = post_json(api, "/v1/admin/users", ada.headers, body)
    if response.status_code == 201:  # a strange but harmless name is stored as text, never run
        assert response.json()["username"] == username.strip()
    else:
        assert_clear_4xx(response)
        assert state(world) == before


def test_an_unknown_route_or_method_is_a_4xx(api: TestClient) -> None:
    assert api.get("/v1/nothing").status_code == 404
    assert api.delete("/v1/push").status_code == 405


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_operations_never_cause_a_server_error(store_db: Database, data: st.DataObject) -> None:
    """Valid operations with one part replaced by arbitrary JSON: answered per operation, never 5xx."""
    world = World(store_db, store_db.settings)
    if "North" not in world.teams:
        world.team(f"North {new_id()}")
    nina = world.person(f"nina-{new_id()}", next(iter(world.teams)), "navigator")
    client_id = new_id()
    op = nina.create("client", client_id, **client_values(nina.who.team_id, nina.who.user_id))
    if data.draw(st.booleans()):
        op = nina.append("contact", **contact_entry(client_id))
    target = data.draw(st.sampled_from(sorted(op)))
    if isinstance(op[target], dict) and op[target] and data.draw(st.booleans()):
        inner = data.draw(st.sampled_from(sorted(op[target])))
        op[target] = {**op[target], inner: data.draw(_JSON)}
    else:
        op[target] = data.draw(_JSON)
    with TestClient(create_app(world.settings, world.db), raise_server_exceptions=False) as api:
        response = api.post("/v1/push", headers=nina.headers, json={"ops": [op]})
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] in ("applied", "rejected")


def test_a_crash_is_a_bare_500_and_its_message_stays_out_of_the_log(
    world: World, api: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from navigator_server import pull

    canary = "Zebediah Quarrington 943 476 5919"

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError(canary)  # the traceback shows this line, not the message

    monkeypatch.setattr(pull, "page_json", broken)
    caplog.set_level("DEBUG")
    response = api.get("/v1/changes", headers=world.laptops["nina"].headers)
    assert response.status_code == 500
    assert response.json() == {"error": "internal", "detail": "Something went wrong on the server."}
    assert "unhandled ValueError" in caplog.text
    assert "Zebediah" not in caplog.text and "5919" not in caplog.text


def test_the_deepest_value_a_form_accepts_fits_in_an_operation_the_store_reads() -> None:
    from navigator_core.kinds import CLIENT
    from navigator_server.push import _plain_json

    spec = CLIENT.by_name["key_contacts"]
    value: Any = [{"name": "Pat"}]
    while check_value(spec, [value]) is None:
        deepest, value = [value], [value]
    assert check_value(spec, deepest) is None
    op = {"op_id": new_id(), "changes": {"key_contacts": {"value": deepest, "stamp": "s", "base": ""}}}
    assert _plain_json(op)

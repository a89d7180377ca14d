"""Enrolment and device tokens: codes are one-time and expire, passwords are checked, failures are
rate limited, and a revoked device is told to wipe itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from navigator_core import timeutil
from navigator_server import accounts
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import auth_failures, devices, enrolment_codes, users
from tests.server.helpers import PASSWORD, World, make_settings


@pytest.fixture
def world(sqlite_db: Database) -> World:
    w = World(sqlite_db, sqlite_db.settings)
    w.team("North")
    w.person("ada", "North", "admin")
    w.person("nina", "North", "navigator")
    return w


@pytest.fixture
def api(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings, world.db)) as client:
        yield client


def code_for(world: World, username: str) -> str:
    with world.db.write() as conn:
        user = accounts.user_by_name(conn, username)
        code, _ = accounts.issue_enrolment_code(conn, world.settings, user.id)
    return code


def enrol(api: TestClient, code: str, password: str = PASSWORD, username: str = "nina") -> dict:
    response = api.post(
        "/v1/enrol",
        json={"username": username, "code": code, "password": password, "device_name": "Nina's laptop"},
    )
    return {"status": response.status_code, **response.json()}


def test_a_code_and_the_password_give_a_working_device_token(world: World, api: TestClient) -> None:
    result = enrol(api, code_for(world, "nina"))
    assert result["status"] == 200 and result["role"] == "navigator"
    me = api.get("/v1/me", headers={"Authorization": f"Bearer {result['token']}"})
    assert me.status_code == 200 and me.json()["device_id"] == result["device_id"]
    with world.db.read() as conn:
        stored = conn.execute(
            sa.select(devices.c.token_hash).where(devices.c.id == result["device_id"])
        ).scalar_one()
        password_hash = conn.execute(
            sa.select(users.c.password_hash).where(users.c.username == "nina")
        ).scalar_one()
        code_hashes = [r.code_hash for r in conn.execute(sa.select(enrolment_codes))]
    assert result["token"] not in stored  # kept hashed
    assert password_hash.startswith("$argon2id$")
    assert all("-" not in h for h in code_hashes)


def test_a_used_code_is_refused(world: World, api: TestClient) -> None:
    code = code_for(world, "nina")
    assert enrol(api, code)["status"] == 200
    again = enrol(api, code)
    assert again["status"] == 401 and "used" in again["detail"]


def test_an_expired_code_is_refused(world: World, api: TestClient) -> None:
    code = code_for(world, "nina")
    with world.db.write() as conn:
        conn.execute(enrolment_codes.update().values(expires_at=timeutil.now_text()))
    result = enrol(api, code)
    assert result["status"] == 401 and "expired" in result["detail"]


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    world: World, api: TestClient
) -> None:
    code = code_for(world, "nina")
    wrong = enrol(api, code, "not the password")
    nobody = enrol(api, code, PASSWORD, username="nobody")
    assert wrong["status"] == nobody["status"] == 401
    assert wrong["detail"] == nobody["detail"] == "the username or password is wrong"
    assert enrol(api, code)["status"] == 200  # the code was not spent by the failures


def test_someone_elses_code_is_refused(world: World, api: TestClient) -> None:
    result = enrol(api, code_for(world, "ada"))
    assert result["status"] == 401 and "not valid" in result["detail"]


def test_repeated_failures_are_rate_limited_even_with_the_right_password(
    world: World, api: TestClient
) -> None:
    code = code_for(world, "nina")
    for _ in range(world.settings.auth_max_failures):
        assert enrol(api, "WRONG-CODE-0000")["status"] == 401
    limited = api.post("/v1/enrol", json={"username": "nina", "code": code, "password": PASSWORD})
    assert limited.status_code == 429 and limited.headers["Retry-After"]
    assert limited.json()["error"] == "rate_limited"
    with world.db.read() as conn:  # the limit lives in the database, shared by every server process
        assert conn.execute(sa.select(sa.func.count()).select_from(auth_failures)).scalar_one() >= 5


def test_failures_from_one_address_are_limited_across_usernames(sqlite_db: Database) -> None:
    settings = make_settings(sqlite_db.url, auth_max_failures_per_address=3)
    with TestClient(create_app(settings, Database(settings))) as api:
        for name in ("a", "b", "c"):
            assert enrol(api, "X", username=name)["status"] == 401
        assert enrol(api, "X", username="d")["status"] == 429


def test_a_revoked_device_is_told_to_wipe(world: World, api: TestClient) -> None:
    nina = world.laptops["nina"]
    with world.db.write() as conn:
        accounts.revoke_device(conn, nina.who.device_id)
    for response in (
        api.get("/v1/changes", headers=nina.headers),
        api.post("/v1/push", headers=nina.headers, json={"ops": []}),
    ):
        assert response.status_code == 403
        assert response.json()["error"] == "device_revoked" and response.json()["wipe"] is True
        assert response.headers["X-Navigator-Action"] == "wipe"


def test_a_deactivated_user_s_devices_are_told_to_wipe(world: World, api: TestClient) -> None:
    nina = world.laptops["nina"]
    with world.db.write() as conn:
        conn.execute(users.update().where(users.c.username == "nina").values(active=False))
    assert api.get("/v1/me", headers=nina.headers).json()["error"] == "device_revoked"


def test_an_unknown_token_is_a_plain_401(api: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer nvd_nonsense"}, {"Authorization": "Basic abc"}):
        response = api.get("/v1/changes", headers=headers)
        assert response.status_code == 401 and response.json()["error"] == "not_authenticated"


def test_admin_api_issues_codes_and_revokes_devices(world: World, api: TestClient) -> None:
    ada, nina = world.laptops["ada"], world.laptops["nina"]
    issued = api.post(f"/v1/admin/users/{nina.who.user_id}/enrolment-code", headers=ada.headers)
    assert issued.status_code == 201
    token = enrol(api, issued.json()["code"])["token"]
    listed = api.get("/v1/admin/devices", headers=ada.headers).json()
    assert len([d for d in listed if d["username"] == "nina"]) == 2
    device_id = api.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["device_id"]
    assert api.post(f"/v1/admin/devices/{device_id}/revoke", headers=ada.headers).status_code == 204
    refused = api.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.json()["error"] == "device_revoked"
    actions = [e["action"] for e in api.get("/v1/admin/audit", headers=ada.headers).json()]
    assert {"issue_enrolment_code", "enrol_device", "revoke_device"} <= set(actions)


def test_each_refusal_carries_a_stable_reason_and_a_disabled_account_is_named_only_to_its_owner(
    world: World, api: TestClient
) -> None:
    code = code_for(world, "nina")
    assert enrol(api, code, "not the password")["reason"] == "credentials"
    assert enrol(api, code_for(world, "ada"))["reason"] == "code_invalid"
    with world.db.write() as conn:
        conn.execute(users.update().where(users.c.username == "nina").values(active=False))
    # The wrong password learns nothing about the account; the right one is told it is disabled.
    wrong = enrol(api, code, "not the password")
    assert (wrong["error"], wrong["reason"]) == ("enrolment_refused", "credentials")
    right = enrol(api, code)
    assert right["status"] == 401 and right["reason"] == "account_disabled" and "disabled" in right["detail"]


def test_a_used_or_expired_code_says_which(world: World, api: TestClient) -> None:
    code = code_for(world, "nina")
    assert enrol(api, code)["status"] == 200
    assert enrol(api, code)["reason"] == "code_used"
    expired = code_for(world, "nina")
    with world.db.write() as conn:
        conn.execute(enrolment_codes.update().values(expires_at=timeutil.now_text()))
    assert enrol(api, expired)["reason"] == "code_expired"

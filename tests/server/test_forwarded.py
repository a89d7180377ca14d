"""The per-address limit counts the laptop's address behind a proxy: `navigator-server serve`
believes X-Forwarded-For only from the proxies in FORWARDED_ALLOW_IPS (uvicorn's setting; default
127.0.0.1, nginx on the same host), so a proxy on another host is named there, and a client
talking to the server directly cannot choose the address it is counted under."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from navigator_server import security
from navigator_server.db import Database
from navigator_server.schema import auth_failures
from tests.server.test_serve_and_logs import server_env, serving  # noqa: F401 (the fixture the tests ask for)

pytestmark = pytest.mark.postgres
LAPTOP = "203.0.113.9"  # the address nginx saw (TEST-NET-3)


def _failure_keys_after_a_wrong_enrolment(env: dict[str, str], pg_db: Database, tmp_path: Path) -> set[str]:
    with serving(env, tmp_path / "server.log") as base:
        body = {"username": "nobody", "code": "AAAA-BBBB", "password": "wrong password", "device_name": "x"}
        answer = httpx.post(f"{base}/v1/enrol", json=body, headers={"X-Forwarded-For": LAPTOP}, timeout=30)
        assert answer.status_code == 401
    with pg_db.read() as conn:
        return set(conn.execute(sa.select(auth_failures.c.key)).scalars())


def test_a_trusted_proxy_forwards_the_laptops_address(
    request: pytest.FixtureRequest, pg_db: Database, tmp_path: Path
) -> None:
    env = {
        **request.getfixturevalue("server_env"),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }  # the proxy (here: the test) is trusted
    keys = _failure_keys_after_a_wrong_enrolment(env, pg_db, tmp_path)
    assert security.rate_key("addr", LAPTOP) in keys
    assert security.rate_key("addr", "127.0.0.1") not in keys


def test_a_client_not_in_the_list_cannot_choose_its_address(
    request: pytest.FixtureRequest, pg_db: Database, tmp_path: Path
) -> None:
    env = {
        **request.getfixturevalue("server_env"),
        "FORWARDED_ALLOW_IPS": "10.20.30.40",
    }  # the proxy is elsewhere; we are not it
    keys = _failure_keys_after_a_wrong_enrolment(env, pg_db, tmp_path)
    assert security.rate_key("addr", "127.0.0.1") in keys
    assert security.rate_key("addr", LAPTOP) not in keys

"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis): whatever
is sent, valid or not, the answer is never a 5xx."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from navigator_server import push
from navigator_server.api.deps import Services
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.security import Passwords
from tests.server.helpers import World, client_values, empty_postgres, make_settings

_PLACEHOLDER = Path(tempfile.gettempdir()) / "navigator-fuzz-placeholder" / "unused.db"
APP = create_app(make_settings(f"sqlite:///{_PLACEHOLDER}"))  # its database is swapped in below
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
TOKENS: dict[str, dict[str, str]] = {}


@pytest.fixture(scope="module", autouse=True)
def fuzz_database(pg_url: str) -> Iterator[None]:
    """PostgreSQL, the production engine and the stricter one (NUL characters, jsonb)."""
    # The long-poll (GET /v1/changes/wait) answers well within the fuzzer's 10 s read timeout.
    settings_ = make_settings(pg_url, live_wait_max_seconds=1.0)
    db = Database(settings_)
    empty_postgres(db)
    placeholder: Services = APP.state.services
    APP.state.services = Services(settings_, db, Passwords(settings_))
    world = World(db, settings_)
    world.team("North")
    manager = world.person("mo", "North", "manager")
    admin = world.person("ada", "North", "admin")

    with db.write() as conn:
        push.push(
            conn,
            manager.who,
            [manager.create("client", **client_values(manager.who.team_id, None))],
            max_drift=timedelta(hours=24),
        )
    TOKENS.update(manager=manager.headers, admin=admin.headers)
    yield
    APP.state.services = placeholder
    placeholder.db.dispose()
    db.dispose()
    shutil.rmtree(_PLACEHOLDER.parent, ignore_errors=True)


@pytest.mark.postgres
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:
    headers = TOKENS["admin"] if case.path.startswith("/v1/admin") else TOKENS["manager"]
    case.call_and_validate(headers=headers, checks=[not_a_server_error])

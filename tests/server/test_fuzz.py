"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis), on SQLite
and on PostgreSQL: whatever is sent, valid or not, every answer passes all of schemathesis' checks
run on a single response (no 5xx, every status, content type, header and body as the document
says, invalid data refused, valid data accepted, ...). Examples are bounded so each engine's run
stays well under a minute."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext, positive_data_acceptance
from schemathesis.core.transport import Response

from navigator_core.timerules import Limits
from navigator_server import migrate, push
from navigator_server.api.deps import Services
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.security import Passwords
from tests.server.helpers import World, client_values, empty_postgres, make_settings

_PLACEHOLDER = Path(tempfile.gettempdir()) / "navigator-fuzz-placeholder" / "unused.db"
APP = create_app(make_settings(f"sqlite:///{_PLACEHOLDER}"))  # its database is swapped in below
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
TOKENS: dict[str, dict[str, str]] = {}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzz_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Each engine in turn: SQLite, the default, and PostgreSQL, the production engine and the
    stricter one (NUL characters, jsonb)."""
    if request.param == "postgres":
        # The long-poll (GET /v1/changes/wait) answers well within the fuzzer's 10 s read timeout.
        settings_ = make_settings(request.getfixturevalue("pg_url"), live_wait_max_seconds=1.0)
        db = Database(settings_)
        empty_postgres(db)
    else:
        settings_ = make_settings(
            f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'navigator.db'}", live_wait_max_seconds=1.0
        )
        db = Database(settings_)
        migrate.upgrade(db)
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
            limits=Limits(),
        )
    TOKENS.update(manager=manager.headers, admin=admin.headers)
    yield request.param
    APP.state.services = placeholder
    db.dispose()


@pytest.fixture(scope="module", autouse=True)
def _placeholder_removed() -> Iterator[None]:
    yield
    APP.state.services.db.dispose()
    shutil.rmtree(_PLACEHOLDER.parent, ignore_errors=True)


# Statuses that answer schema-valid data without calling the data wrong: done, or refused for who
# is asking, for what does not exist, for a clash or for the rate.
_ACCEPTING = {401, 403, 404, 409, 429}


def schema_valid_data_is_accepted(ctx: CheckContext, response: Response, case: schemathesis.Case) -> None:
    """Schemathesis' positive_data_acceptance, with one difference: a rule the document cannot
    state (a shift ends after it starts; the team exists; the password is long enough) is answered
    422 *without* `problems`. A 422 naming problems for schema-valid data would mean the document
    promises less than the server checks, and fails here as it does there."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    status = response.status_code
    if status < 400 or status in _ACCEPTING:
        return
    body = response.json() if status == 422 else {}
    assert status == 422 and body.get("error") == "invalid" and not body.get("problems"), (
        f"schema-valid data refused: {status} {response.text[:300]}"
    )


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_as_documented(case: schemathesis.Case, fuzz_database: str) -> None:
    headers = TOKENS["admin"] if case.path.startswith("/v1/admin") else TOKENS["manager"]
    # Every check schemathesis has for one response (positive data acceptance as above).
    case.call_and_validate(
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[schema_valid_data_is_accepted],
    )

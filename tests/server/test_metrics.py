"""/metrics: the named series, labelled by route template; lags read from the store; nothing about
anyone (no ids, names or tokens); and log lines carry the request's id."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from navigator_core import timeutil
from navigator_server import logs
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import visit_watch
from tests.server.helpers import World, client_values, contact_entry

SERIES = (
    "navigator_http_requests_total",
    "navigator_http_request_seconds_bucket",
    "navigator_pull_page_items_bucket",
    "navigator_push_batch_ops_bucket",
    "navigator_overdue_sweep_lag_seconds",
    "navigator_escalation_lag_seconds",
)


def test_metrics_name_the_series_and_nothing_personal(sqlite_db: Database) -> None:
    world = World(sqlite_db, sqlite_db.settings)
    team_id = world.team("North")
    nina = world.person("nina", "North", "navigator")
    client_id = "0190c0de-0000-7000-8000-00000000c11e"
    late = timeutil.to_text(timeutil.utcnow() - timedelta(hours=2))
    settings = sqlite_db.settings.model_copy(update={"overdue_sweep_seconds": 0})  # no sweep on a timer
    with TestClient(create_app(settings, sqlite_db)) as api:
        ops = [
            nina.create(
                "client", client_id, **client_values(team_id, nina.who.user_id, given_name="Zebedee")
            ),
            nina.append("contact", **contact_entry(client_id, "CANARY narrative")),
        ]
        assert api.post("/v1/push", json={"ops": ops}, headers=nina.headers).status_code == 200
        assert api.get("/v1/changes?since=0", headers=nina.headers).status_code == 200
        assert api.get(f"/v1/changes?since=0&x={client_id}", headers=nina.headers).status_code == 200
        with sqlite_db.write() as conn:  # a visit the sweep has not marked yet, two hours late
            conn.execute(
                visit_watch.insert().values(visit_id="v1", team_id=team_id, client_id=None, ends_at=late)
            )
        answer = api.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    for series in SERIES:
        assert series in text, series
    assert 'route="/v1/changes"' in text and 'route="/v1/push"' in text
    sweep_lag = next(float(line.split()[-1]) for line in text.splitlines() if line.startswith(SERIES[4]))
    assert sweep_lag > 6000  # two hours late, less the 15 minutes' grace
    for personal in (
        client_id,
        nina.who.user_id,
        nina.who.device_id,
        nina.token,
        "Zebedee",
        "CANARY",
        "nina",
    ):
        assert personal not in text


def test_a_log_line_carries_the_request_id_and_json_has_nothing_more(sqlite_db: Database) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(logs.RequestIdFilter())
    logger = logging.getLogger("navigator_server.api")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        with TestClient(create_app(sqlite_db.settings, sqlite_db)) as api:
            body = {
                "username": "nobody",
                "code": "AAAA-BBBB",
                "password": "wrong password",
                "device_name": "x",
            }
            answer = api.post("/v1/enrol", json=body, headers={"X-Request-ID": "req-42"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    assert answer.headers["x-request-id"] == "req-42"
    assert records and all(getattr(r, "request_id", None) == "req-42" for r in records)
    line = json.loads(logs.JsonFormatter().format(records[0]))
    assert set(line) == {"time", "level", "logger", "message", "request_id"}
    assert line["request_id"] == "req-42" and "nobody" not in line["message"]


@pytest.mark.parametrize("given", ["", "a b", "x" * 65, "<script>"])
def test_a_request_id_that_is_not_plain_is_replaced(sqlite_db: Database, given: str) -> None:
    with TestClient(create_app(sqlite_db.settings, sqlite_db)) as api:
        answer = api.get("/healthz", headers={"X-Request-ID": given} if given else {})
    assert answer.headers["x-request-id"] != given and len(answer.headers["x-request-id"]) == 32

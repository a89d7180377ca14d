"""The OpenAPI document describes every answer the API gives (issue 19, item 4): one error shape,
declared on every route; the framework's own errors (an unparsable body, a wrong method) in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from navigator_server import migrate
from navigator_server.api.errors import ERROR_RESPONSES
from navigator_server.api.schemas import ErrorOut
from navigator_server.app import create_app
from navigator_server.db import Database
from tests.server.helpers import World, make_settings


def _api(tmp_path: Path) -> tuple[TestClient, World]:
    settings = make_settings(f"sqlite:///{tmp_path / 'navigator.db'}")
    db = Database(settings)
    migrate.upgrade(db)
    world = World(db, settings)
    world.team("North")
    world.person("nina", "North", "navigator")
    return TestClient(create_app(settings, db), raise_server_exceptions=False), world


def _is_error_out(body: dict[str, Any]) -> bool:
    ErrorOut.model_validate(body)
    return set(body) <= set(ErrorOut.model_fields)


def test_every_route_declares_every_error_in_one_shape(tmp_path: Path) -> None:
    api, _ = _api(tmp_path)
    document = api.get("/openapi.json").json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ERROR_RESPONSES:
                content = operation["responses"][str(status)]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
    assert not any(path.startswith("/ack") for path in document["paths"])  # pages, left out on purpose


def test_framework_errors_come_in_the_documented_shape(tmp_path: Path) -> None:
    api, world = _api(tmp_path)
    headers = {**world.laptops["nina"].headers, "Content-Type": "application/json"}
    unparsable = api.post("/v1/push", headers=headers, content=b"\xff\xfe{")
    assert unparsable.status_code == 422
    wrong_method = api.delete("/v1/admin/teams", headers=headers)
    assert wrong_method.status_code == 405
    assert set(wrong_method.headers["allow"].split(", ")) == {"GET", "POST"}
    bad_query = api.get("/v1/changes?since=-1", headers=headers)
    assert bad_query.status_code == 422
    for answer in (unparsable, wrong_method, bad_query, api.get("/nowhere")):
        assert _is_error_out(answer.json()), answer.text

"""The central store's answer to a subject access request: every record about the person, every
version of each, amendments and entered-in-error marks, conflicts and the audit trail, in the same
archive layout as a laptop's; the export itself audited."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from navigator_core.policy import Role
from navigator_core.timerules import Limits
from navigator_desktop.documents import subject_access as laptop_archive
from navigator_server import cli, push, subject_access
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import audit_log, record_versions
from tests.server.helpers import World, client_values, contact_entry, risk_values

DRIFT = timedelta(hours=24)


@pytest.fixture
def world(store_db: Database) -> Iterator[tuple[World, dict[str, str]]]:
    w = World(store_db, store_db.settings)
    w.team("North")
    nav = w.person("nav", "North", Role.NAVIGATOR)
    other = w.person("other", "North", Role.NAVIGATOR)
    on_call = w.person("oncall", "North", Role.ON_CALL)
    client = nav.create("client", **client_values(w.teams["North"], nav.who.user_id, given_name="Alex"))
    cid = client["record_id"]
    flag = nav.create("risk_flag", **risk_values(cid))
    edits = [nav.upsert("risk_flag", flag["record_id"], severity=s) for s in ("high", "low", "medium")]
    contact = nav.append("contact", **contact_entry(cid, "First words."))
    amended = nav.append(
        "contact",
        **contact_entry(cid, "Corrected words."),
        amends_id=contact["record_id"],
        amend_reason="typo",
    )
    wrong = nav.append("contact", **contact_entry(cid, "Wrong client."))
    mark = nav.append(
        "entered_in_error",
        target_kind="contact",
        target_id=wrong["record_id"],
        client_id=cid,
        reason="mistake",
    )
    looked = other.append("audit_event", action="view", target_kind="client", target_id=cid, client_id=cid)
    ops = [client, flag, *edits, contact, amended, wrong, mark]
    with store_db.write() as conn:
        results = push.push(conn, nav.who, ops, limits=Limits(drift=DRIFT))
        assert {r.status for r in results} == {"applied"}
        assert push.push(conn, nav.who, edits[:1], limits=Limits(drift=DRIFT))[0].status == "already_applied"
        assert push.push(conn, other.who, [looked], limits=Limits(drift=DRIFT))[0].status == "applied"
    api = TestClient(create_app(w.settings, store_db))
    glass = {"client_id": cid, "reason": "Police welfare check requested tonight"}
    assert api.post("/v1/break-glass", headers=on_call.headers, json=glass).status_code == 200
    yield w, {"client": cid, "flag": flag["record_id"], "contact": contact["record_id"],
              "amended": amended["record_id"], "wrong": wrong["record_id"], "mark": mark["record_id"],
              "looked": looked["record_id"]}  # fmt: skip


def _files(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode() if name.endswith(".txt") else json.loads(archive.read(name))
            for name in archive.namelist()
        }


def test_every_version_amendment_error_mark_and_audit_is_in_the_archive(world: Any, tmp_path: Path) -> None:
    w, ids = world
    out = tmp_path / "sar.zip"
    with w.db.write() as conn:
        manifest = subject_access.export(conn, ids["client"], out, made_by="IG officer")
    files = _files(out)
    assert files["manifest.json"] == manifest and manifest["source"] == "central store"
    assert "complete answer" in manifest["scope"]
    versions = [v for v in files["revisions.json"] if v["record_id"] == ids["flag"]]
    assert [v["op"] for v in versions] == ["create", "update", "update", "update"]  # created, edited 3 times
    assert [v["changes"]["severity"]["value"] for v in versions] == ["medium", "high", "low", "medium"]
    assert all(v["author_id"] and v["device_id"] and v["recorded_at"] for v in versions)
    contacts = {c["id"]: c for c in files["records/contact.json"]}
    assert contacts[ids["amended"]]["amends_id"] == ids["contact"] and ids["contact"] in contacts
    assert contacts[ids["amended"]]["amend_reason"] == "typo"
    [mark] = files["records/entered_in_error.json"]
    assert (mark["target_id"], mark["reason"]) == (ids["wrong"], "mistake")
    assert ids["looked"] in {a["id"] for a in files["records/audit_event.json"]}, (
        "other people's audit events"
    )
    server_log = files["server_audit_log.json"]
    assert [e["action"] for e in server_log] == ["break_glass", "subject_access"]
    assert "IG officer" in server_log[-1]["reason"]
    assert files["records/client.json"][0]["given_name"] == "Alex"
    assert manifest["counts"]["revisions.json"] == len(files["revisions.json"])


def test_a_replayed_or_rejected_operation_adds_no_version(world: Any) -> None:
    w, ids = world
    with w.db.read() as conn:
        count = conn.execute(
            sa.select(sa.func.count())
            .select_from(record_versions)
            .where(record_versions.c.record_id == ids["flag"])
        ).scalar_one()
    assert count == 4


def test_the_command_exists_and_is_audited(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    w, ids = world
    if not w.db.is_sqlite:
        monkeypatch.setenv(
            "NAVIGATOR_DATABASE_URL", str(w.db.engine.url.render_as_string(hide_password=False))
        )
    else:
        monkeypatch.setenv("NAVIGATOR_DATABASE_URL", str(w.db.engine.url))
    out = tmp_path / "answer.zip"
    status = cli.main(
        ["subject-access", "--client-id", ids["client"], "--out", str(out), "--requested-by", "DPO"]
    )
    assert status == 0, capsys.readouterr().err
    assert "versions" in capsys.readouterr().out
    assert _files(out)["manifest.json"]["client_id"] == ids["client"]
    with w.db.read() as conn:
        rows = conn.execute(sa.select(audit_log).where(audit_log.c.action == "subject_access")).all()
    assert [(r.target_id, "DPO" in (r.reason or "")) for r in rows] == [(ids["client"], True)]
    # The laptop's archive points at this command.
    assert laptop_archive.SUBJECT_ACCESS_COMMAND in laptop_archive.LAPTOP_SCOPE
    assert (
        cli._parser().parse_args(["subject-access", "--client-id", "x", "--out", "y"]).command
        == "subject-access"
    )
    # An unknown client is a one-line message, not a traceback.
    assert cli.main(["subject-access", "--client-id", "nobody", "--out", str(tmp_path / "x.zip")]) == 1
    assert "no client with that id" in capsys.readouterr().err

"""The subject-access archive holds everything this laptop holds about one person (every kind,
every version, corrections and error marks, conflicts, audit), says what it does not hold, and
is audited; the PDF documents carry what the person needs."""

from __future__ import annotations

import zipfile

import orjson
import pytest

from navigator_desktop.documents import exports
from navigator_desktop.store import audit, contacts, handover, plans, risk
from navigator_desktop.store.conflicts import record as record_conflict
from tests.desktop.store.helpers import TEAM_ID, add_contact, make_client, risk_values


@pytest.fixture
def client_id(db, actor, clock) -> str:
    cid = make_client(db, actor, family_name="Quill")
    other = make_client(db, actor, family_name="Other")
    add_contact(db, actor, other, clock.text(hours=-3), narrative="About someone else entirely")
    first = add_contact(db, actor, cid, clock.text(hours=-5), narrative="First version of the visit")
    contacts.amend(db, actor, first, {"narrative": "Corrected version of the visit"}, reason="Wrong day")
    wrong = add_contact(db, actor, cid, clock.text(hours=-4), narrative="Meant for another client")
    contacts.mark_entered_in_error(db, actor, wrong, "Wrong client")
    flag = risk.raise_flag(db, actor, risk_values(cid)).record_id
    risk.review(db, actor, flag, review_date="2099-06-01", note="Dogs now kept in the garden", severity="low")
    goal = plans.add_goal(db, actor, {"client_id": cid, "pathway": "education", "goal": "Go back to college"})
    plans.add_step(db, actor, goal.record_id, "Enrol at the college")
    plans.set_step_done(db, actor, goal.record_id, 0, True)
    outcome = {"client_id": cid, "pathway": "education", "outcome": "enrolled_on_course",
               "achieved_on": "2026-09-01", "goal_id": goal.record_id}  # fmt: skip
    plans.record_outcome(db, actor, outcome)
    note = {"team_id": TEAM_ID, "client_id": cid, "text": "Prefers afternoon visits", "priority": "routine",
            "valid_from": clock.text(hours=-1), "audience": "team"}  # fmt: skip
    handover.acknowledge(db, actor, handover.write(db, actor, note).record_id)
    with db.transaction():
        record_conflict(db, kind="support_goal", record_id=goal.record_id, client_id=cid, field="goal",
                        kept=("Go back to college", "s2", None), lost=("Do a course", "s1", None),
                        detected_at=clock.text())  # fmt: skip
    audit.record_view(db, actor, cid)
    return cid


def test_the_archive_holds_every_kind_every_version_and_the_audit(db, actor, client_id, tmp_path):
    path = tmp_path / "sar.zip"
    manifest = exports.export_subject_access(db, actor, client_id, path)
    assert not (tmp_path / "sar.zip.part").exists()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        read = {n: orjson.loads(archive.read(n)) for n in names if n.endswith(".json")}
        summary = archive.read("summary.txt").decode()
    for kind in ("client", "contact", "risk_flag", "support_goal", "outcome", "handover_note",
                 "acknowledgement", "entered_in_error", "audit_event"):  # fmt: skip
        assert f"records/{kind}.json" in names, kind
    narratives = {c["narrative"] for c in read["records/contact.json"]}
    assert narratives == {
        "First version of the visit",
        "Corrected version of the visit",
        "Meant for another client",
    }
    assert "About someone else entirely" not in str(read)
    corrected = next(c for c in read["records/contact.json"] if c["amends_id"])
    assert corrected["amend_reason"] == "Wrong day"
    assert read["records/entered_in_error.json"][0]["reason"] == "Wrong client"
    revisions = read["revisions.json"]
    assert any(r["note"] == "Dogs now kept in the garden" for r in revisions), (
        "every version of the risk flag"
    )
    assert any("steps" in r["changes"] for r in revisions), "the step ticks are versions too"
    assert read["conflicts.json"][0]["lost_value"] is not None
    actions = {a["action"] for a in read["records/audit_event.json"]}
    assert {"create", "update", "amend", "entered_in_error", "view"} <= actions
    assert read["pending.json"], "nothing was synced: every change is listed as waiting"

    m = read["manifest.json"]
    assert m == {k: v for k, v in manifest.items() if k not in ("path", "at")}
    assert m["client_id"] == client_id and m["exported_by"]["user_id"] == actor.user_id
    assert "THIS LAPTOP" in m["scope"] and "central store" in m["scope"]
    assert m["counts"]["records/contact.json"] == 3
    assert m["total_records"] == sum(v for k, v in m["counts"].items() if k.startswith("records/"))
    assert "Quill" in summary and "THIS LAPTOP" in summary and "Corrected version of the visit" in summary

    events = [a for a in audit.for_client(db, client_id) if a["action"] == "export"]
    assert len(events) == 1 and events[0]["reason"] == "Exported subject access archive: sar.zip"


def test_documents_hold_the_plan_and_the_handover_notes(db, actor, client_id):
    doc = exports.support_plan_document(db, actor, client_id)
    assert "Go back to college" in doc.html and "Education" in doc.html and "Enrol at the college" in doc.html
    assert "Enrolled on course" in doc.html and "1 Sep 2026" in doc.html
    sheet = exports.handover_sheet_document(db, actor, TEAM_ID)
    assert "Prefers afternoon visits" in sheet.html and "Quill" in sheet.html
    exports.record_export(db, actor, "support plan", client_id, "plan.pdf")
    assert any(a["reason"] == "Exported support plan: plan.pdf" for a in audit.for_client(db, client_id))

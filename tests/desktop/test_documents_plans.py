"""The support plan, handover sheet and subject-access builders: pure functions, and the PDFs
they become (read back with pypdf)."""

from __future__ import annotations

import unicodedata
import zipfile

import orjson
from pypdf import PdfReader

from navigator_desktop.documents import handover_sheet, subject_access, support_plan
from navigator_desktop.ui import printing

CLIENT = {
    "id": "c1",
    "given_name": "Rhys",
    "family_name": "Okafor",
    "preferred_name": "Ree",
    "date_of_birth": "1990-04-05",
    "key_worker_id": "u1",
    "plan_review_date": "2027-01-10",
}
GOALS = [
    {
        "id": "g1",
        "pathway": "welfare_benefits",
        "goal": "Sort out my PIP so I can pay the gas",
        "status": "in_progress",
        "target_date": "2027-02-01",
        "review_date": "2026-12-15",
        "co_produced": True,
        "steps": [
            {"step": "Ring the PIP line", "done": True, "done_on": "2026-11-02"},
            {"step": "Fill in the form with Sam", "done": False, "due": "2026-12-01"},
        ],
    },
    {
        "id": "g2",
        "pathway": "volunteering",
        "goal": "Help at the allotment",
        "status": "achieved",
        "review_date": "2026-10-01",
        "co_produced": False,
        "steps": [],
    },
]
OUTCOMES = [
    {
        "id": "o1",
        "outcome": "started_volunteering",
        "pathway": "volunteering",
        "achieved_on": "2026-09-14",
        "goal_id": "g2",
        "notes": "Tuesdays and Thursdays",
    }
]
NAMES = {"u1": "Sam Patel"}


def words(path) -> str:
    raw = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", raw).split())


def test_the_support_plan_pdf_shows_goals_steps_dates_and_outcomes(qapp, tmp_path):
    reviews = {"g1": [{"when": "2026-11-01T10:00:00.000Z", "by": "u1", "note": "Form half done"}]}
    html = support_plan.support_plan_html(
        CLIENT, GOALS, OUTCOMES, reviews, NAMES, made_by="Sam Patel", made_at="2026-11-23T09:30:00.000Z"
    )
    assert "&lt;" not in support_plan.support_plan_html(
        {**CLIENT, "family_name": "<b>"}, [], [], {}, NAMES, made_by="x", made_at="2026-11-23T09:30:00.000Z"
    ).replace("&lt;b&gt;", ""), "text is escaped, once"
    path = printing.write_pdf(html, tmp_path / "plan.pdf", "Support plan")
    text = words(path)
    assert "Support plan: Rhys Okafor (“Ree”)" in text
    assert "Welfare benefits: “Sort out my PIP so I can pay the gas”" in text
    assert "☑ Ring the PIP line" in text and "done 2 Nov 2026" in text
    assert "☐ Fill in the form with Sam (by 1 Dec 2026)" in text
    assert "Target date 1 Feb 2027" in text and "Next review 15 Dec 2026" in text
    assert "written with the client" in text and "Form half done" in text
    assert "Goals achieved or closed" in text and "Help at the allotment" in text
    assert "14 Sep 2026 Started volunteering Volunteering" in text
    assert PdfReader(path).metadata.title == "Support plan"


def test_the_handover_sheet_lists_current_notes_urgent_first(qapp, tmp_path):
    notes = [
        {
            "id": "n1",
            "text": "Routine: bins day moved",
            "priority": "routine",
            "audience": "team",
            "author_id": "u1",
            "valid_from": "2026-11-23T08:00:00.000Z",
        },
        {
            "id": "n2",
            "text": "Urgent: Rhys may call tonight about his sister",
            "priority": "urgent",
            "client_id": "c1",
            "audience": "on_call",
            "author_id": "u1",
            "valid_from": "2026-11-23T07:00:00.000Z",
        },
    ]
    html = handover_sheet.handover_sheet_html(
        notes,
        NAMES,
        {"c1": "Okafor, Rhys"},
        title="Handover sheet: North",
        made_by="Sam Patel",
        made_at="2026-11-23T17:00:00.000Z",
    )
    text = words(printing.write_pdf(html, tmp_path / "sheet.pdf", "Handover"))
    assert "Handover sheet: North" in text and "2 current notes, 1 urgent" in text
    assert text.index("Rhys may call tonight") < text.index("bins day moved")
    assert "Okafor, Rhys" in text and "The team" in text


def test_the_archive_layout_and_its_honest_manifest(tmp_path):
    data = subject_access.SubjectAccess(
        client_id="c1",
        client_name="Rhys Okafor",
        made_at="2026-11-23T09:00:00.000Z",
        made_by="Sam Patel",
        made_by_id="u1",
        source="laptop d1",
        scope=subject_access.LAPTOP_SCOPE,
        records={"client": [CLIENT], "support_goal": GOALS, "outcome": OUTCOMES},
        revisions=[{"record_id": "g1", "changes": {"status": {"old": "not_started", "new": "in_progress"}}}],
        conflicts=[],
        pending=[],
    )
    path = subject_access.write_zip(subject_access.build_files(data), tmp_path / "sar.zip")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(
            [
                "manifest.json",
                "summary.txt",
                "revisions.json",
                "conflicts.json",
                "pending.json",
                "records/client.json",
                "records/support_goal.json",
                "records/outcome.json",
            ]
        )
        manifest = orjson.loads(archive.read("manifest.json"))
        summary = archive.read("summary.txt").decode()
    assert manifest["counts"]["records/support_goal.json"] == 2 and manifest["total_records"] == 4
    assert manifest["exported_by"] == {"user_id": "u1", "name": "Sam Patel"}
    assert "THIS LAPTOP" in manifest["scope"] and "Sort out my PIP" in summary

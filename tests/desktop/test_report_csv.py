"""Report CSVs parse back to the report's numbers, and every export is written and audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from navigator_desktop.documents import report_csv
from navigator_desktop.store import context, reports
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.plain import open_plain
from tests.desktop.store.helpers import DEVICE_ID, USER_ID, Clock
from tests.desktop.store.test_reports import MANAGER_ID, PERIOD, TODAY, Known, team
from tests.desktop.store.test_reports import known as known


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_plain(tmp_path / "store.db")
    yield database
    database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def actor(clock: Clock) -> Actor:
    return context.make_actor(USER_ID, DEVICE_ID, now=clock)


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(report_csv.table_text(text))))


def test_every_csv_says_who_retention_removed_from_this_laptop(db: Database, known: Known) -> None:
    from navigator_desktop.store import retention, settings

    retention.set_retention_days(db, 45)
    with db.transaction():
        settings.put(db, retention.REMOVED, "3")  # as purges count the clients they remove
    report = team(db)
    for key in report_csv.TABLES:
        rows = list(csv.reader(io.StringIO(report_csv.to_csv(report, key))))
        notes = [r[1] for r in rows if r and r[0] == "Note"]
        assert any("discharged more than 45 days ago have left this laptop" in n for n in notes), key
        assert any("3 clients have left this laptop so far" in n for n in notes), key
    mine = reports.build(db, USER_ID, PERIOD, today=TODAY)  # 3 clients: the equality table is withheld
    text = report_csv.to_csv(mine, "equality")
    assert parse(text) == [] and "Equality monitoring is not shown" in text


def test_every_table_parses_back_to_the_report_numbers(db: Database, known: Known) -> None:
    report = team(db)
    months = parse(report_csv.to_csv(report, "contacts_by_month"))
    assert [int(r["Contacts"]) for r in months] == [m.contacts for m in report.months] == [7, 4, 2]
    assert [int(r["Did not attend"]) for r in months] == [2, 1, 0]
    assert [float(r["Contacts per client"]) for r in months] == [
        round(m.per_client or 0, 2) for m in report.months
    ]
    assert months[0]["Did-not-attend rate"] == "25.0%"  # 2 of 8 attempted
    outcomes = {
        r["Pathway"]: int(r["Outcomes"]) for r in parse(report_csv.to_csv(report, "outcomes_by_pathway"))
    }
    assert outcomes["Housing"] == 3 and sum(outcomes.values()) == 5
    risk = parse(report_csv.to_csv(report, "risk_overdue"))
    assert [(r["Client"], int(r["Days overdue"])) for r in risk] == [("ClientA, A", 10), ("ClientC, C", 3)]
    reviews = parse(report_csv.to_csv(report, "plan_reviews"))
    assert [r["Reviewed"] for r in reviews].count("not reviewed") == 3 and len(reviews) == 7
    housing = {r["Measure"]: r["Value"] for r in parse(report_csv.to_csv(report, "housing"))}
    assert housing["Clients housed in the period"] == "3" and housing["Shortest (days)"] == "0"
    equality = parse(report_csv.to_csv(report, "equality"))
    gender = {r["Category"]: r["Clients"] for r in equality if r["Characteristic"] == "Gender"}
    assert gender == {
        "Woman": "fewer than 5", "Man": "suppressed", "Non-binary": "0", "Other": "0",
        "Prefer not to say": "0", "Not recorded": "0",
    }  # fmt: skip
    # Only what may be shown leaves the laptop: no cell carries a count from 1 to 4.
    assert not any(r["Clients"] in {"1", "2", "3", "4"} for r in equality)


def test_export_writes_the_file_atomically_and_audits_it(
    db: Database, actor: Actor, known: Known, tmp_path: Path
) -> None:
    report = reports.build(db, MANAGER_ID, PERIOD, today=TODAY)
    target = tmp_path / report_csv.filename(report, "contacts_by_month")
    assert target.name.startswith("contacts_by_month-team-")
    what = report_csv.describe(report, "contacts_by_month")
    result = reports.export(db, actor, target, report_csv.to_csv(report, "contacts_by_month"), what)
    assert parse(target.read_text("utf-8"))[0]["Contacts"] == "7"
    assert not list(tmp_path.glob("*.part"))
    event = db.one("SELECT * FROM audit_events WHERE id = ?", (result.record_id,))
    assert event is not None and event["action"] == "export" and event["target_kind"] == "report"
    assert event["reason"] == f"{what} to {target.name}"
    assert "Contacts per month; The team: North forensic team" in event["reason"]
    assert db.scalar("SELECT count(*) FROM outbox WHERE record_id = ?", (result.record_id,)) == 1


def test_an_export_that_cannot_be_written_records_nothing(db: Database, actor: Actor, tmp_path: Path) -> None:
    before = db.scalar("SELECT count(*) FROM audit_events")
    with pytest.raises(OSError):
        reports.export(db, actor, tmp_path / "no-such-folder" / "x.csv", "a,b\r\n", "Report CSV: test")
    assert db.scalar("SELECT count(*) FROM audit_events") == before

"""The partnership report: referrals by pathway and agency with their steps, engagements by setting
and whether they became clients, signposts per engagement, safeguarding concerns; in scope, with
small numbers suppressed, as CSV."""

from __future__ import annotations

import csv
import io

import pytest

from navigator_desktop.documents import partnership_csv
from navigator_desktop.store import agencies, engagements, referrals, safeguarding
from navigator_desktop.store.context import Actor, make_actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.reports import partnership
from navigator_desktop.store.reports.period import Period, _add_months
from tests.desktop.store.helpers import (
    DEVICE_ID,
    MANAGER_ID,
    OTHER_USER_ID,
    TEAM_ID,
    USER_ID,
    Clock,
    make_client,
    save_people,
)


@pytest.fixture
def period(clock: Clock) -> Period:
    month = clock.now.date().replace(day=1)
    return Period(_add_months(month, -2), _add_months(month, 1))


def _engagement(db: Database, actor: Actor, setting: str) -> str:
    values = {"team_id": TEAM_ID, "person": "Met today", "setting": setting}
    return engagements.record(db, actor, values).record_id


def _refer(db: Database, actor: Actor, agency: str, *steps: str, **where: str) -> str:
    values = {"team_id": TEAM_ID, "agency_id": agency, "pathway": "housing", "what_for": "A flat", **where}
    referral = referrals.make(db, actor, {**values, "status": steps[0]}).record_id
    for step in steps[1:]:
        referrals.set_status(db, actor, referral, step)
    return referral


@pytest.fixture
def filled(db: Database, actor: Actor, clock: Clock) -> Database:
    save_people(db)
    nina = make_actor(OTHER_USER_ID, DEVICE_ID, now=clock)
    housing = agencies.add(
        db, actor, {"team_id": TEAM_ID, "name": "Housing Options", "agency_type": "housing"}
    )
    mine = make_client(db, actor)
    ninas = make_client(db, nina, key_worker_id=OTHER_USER_ID)
    for steps in (
        ("referral_made",),
        ("referral_made", "accepted"),
        ("referral_made", "accepted", "attended"),
        ("referral_made", "declined"),
        ("referral_made", "accepted", "attended", "outcome_recorded"),
        ("signposted",),
    ):
        _refer(db, actor, housing.record_id, *steps, client_id=mine)
    _refer(db, nina, housing.record_id, "referral_made", client_id=ninas)
    custody = [_engagement(db, actor, "police_custody") for _ in range(6)]
    _engagement(db, actor, "court")
    _engagement(db, actor, "court")
    _engagement(db, nina, "community")
    engagements.link(db, actor, custody[0], mine)
    for engagement in custody[1:4]:
        _refer(db, actor, housing.record_id, "signposted", engagement_id=engagement)
    safeguarding.raise_concern(
        db,
        actor,
        {
            "client_id": mine,
            "category": "financial",
            "observed": "Someone else holds his bank card.",
            "action_taken": "Raised with the local authority.",
            "referred_to_local_authority": True,
            "local_authority_reference": "ASC-1",
        },
    )
    return db


def test_a_peer_support_workers_report_counts_their_caseload_and_engagements(
    filled: Database, period: Period
) -> None:
    report = partnership.build(filled, USER_ID, period)
    [row] = report.referrals  # Nina's client's referral is not in Pat's scope
    assert (row.pathway, row.agency) == ("housing", "Housing Options")
    assert row.counts == {
        "signposted": 4,  # one for the client and three from engagements
        "referral_made": 5,
        "accepted": 3,
        "declined": 1,
        "attended": 2,
        "outcome_recorded": 1,
    }
    assert report.engagements["police_custody"] == (6, 1)
    assert report.engagements["court"] == (2, 0)
    assert report.engagements["community"] == (0, 0)  # Nina's engagement is hers
    assert report.engagement_signposts == 3
    assert report.signposts_per_engagement == pytest.approx(3 / 8)
    assert (report.safeguarding_raised, report.safeguarding_referred) == (1, 1)


def test_a_manager_reports_on_the_team(filled: Database, period: Period) -> None:
    report = partnership.build(filled, MANAGER_ID, period)
    [row] = report.referrals
    assert row.counts["referral_made"] == 6
    assert report.engagements["community"] == (1, 0)
    assert report.engagement_count == 9


def test_small_numbers_are_suppressed_as_in_the_equality_report(filled: Database, period: Period) -> None:
    report = partnership.build(filled, USER_ID, period)
    settings = {r[0]: r[1:] for r in partnership_csv.engagement_rows(report)}
    # Court's 2 is fewer than 5; with the total of 8 shown, custody's 6 would give it away. The one
    # engagement that became a client could be told from the total whatever else is hidden.
    assert settings["Court"] == ["fewer than 5", "suppressed"]
    assert settings["Police custody"] == ["suppressed", "fewer than 5"]
    assert settings["Community"] == ["0", "suppressed"]
    assert settings["All settings"] == ["8", "fewer than 5"]
    summary = dict(partnership_csv.summary_rows(report))
    assert summary["Safeguarding concerns raised"] == "fewer than 5"
    assert summary["Signposts per engagement"] == "0.38"
    text = partnership_csv.to_csv(report, "referrals")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["Pathway", "Agency", *partnership_csv.STEP_TITLES]
    assert table[1][:3] == ["Housing", "Housing Options", "fewer than 5"]
    assert table[2][0] == "All pathways" and table[-1][0] == "Note"
    for key in partnership_csv.TABLES:
        assert partnership_csv.to_csv(report, key).startswith(",".join(partnership_csv.TABLES[key].headers))

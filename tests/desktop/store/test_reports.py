"""The service's measures on a small known caseload, every number worked out by hand.

Three months are reported (the last three full months). Clients A, B and D are "mine" (A and D
as key worker, B as co-worker); C, E, F and G belong to another navigator of the team. A manager
sees all seven.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from navigator_core import timeutil
from navigator_desktop.store import contacts, directory, plans, reports, risk
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import OTHER_USER_ID, TEAM_ID, USER_ID, Clock, add_contact, make_client

MANAGER_ID = "33333333-3333-4333-8333-333333333333"
TODAY = reports.local_today()
PERIOD = reports.Period.last_full_months(3, TODAY)
M1, M2, M3 = PERIOD.months()


def day(month: date, offset: int) -> date:
    return month + timedelta(days=offset)


def noon(d: date) -> datetime:
    return datetime.combine(d, time(12), UTC)


@dataclass
class Known:
    ids: dict[str, str]


def _directory(db: Database) -> None:
    directory.save_team(db, TEAM_ID, "North forensic team")
    directory.save_users(
        db,
        [
            {"id": USER_ID, "display_name": "Me Navigator", "role": "navigator", "team_id": TEAM_ID},
            {"id": OTHER_USER_ID, "display_name": "Other Navigator", "role": "navigator", "team_id": TEAM_ID},
            {"id": MANAGER_ID, "display_name": "Team Manager", "role": "manager", "team_id": TEAM_ID},
        ],
    )


EQUALITY = {  # gender, ethnicity, disability, sexual orientation, religion
    "A": ("woman", "white", "no", "heterosexual", "none"),
    "B": ("man", "white", "yes", "heterosexual", "christian"),
    "D": ("man", "black", None, "prefer_not_to_say", "muslim"),
    "C": ("man", "white", "no", "heterosexual", "none"),
    "E": ("man", "asian", "no", "gay_or_lesbian", "none"),
    "F": ("man", "white", "no", "heterosexual", "christian"),
    "G": ("woman", "white", "yes", "bisexual", None),
}


def _clients(db: Database, actor: Actor) -> dict[str, str]:
    before = (M1 - timedelta(days=200)).isoformat()
    special = {
        "A": {"hospital_discharge_date": day(M1, 2).isoformat()},
        "B": {"key_worker_id": OTHER_USER_ID, "co_worker_ids": [USER_ID],
              "hospital_discharge_date": M2.isoformat()},
        "D": {"referral_date": day(M2, 3).isoformat(), "hospital_discharge_date": day(M1, -50).isoformat()},
        "C": {"key_worker_id": OTHER_USER_ID, "hospital_discharge_date": day(M1, -10).isoformat()},
        "E": {"key_worker_id": OTHER_USER_ID, "status": "discharged",
              "hospital_discharge_date": day(M1, -5).isoformat()},
        "F": {"key_worker_id": OTHER_USER_ID},
        "G": {"key_worker_id": OTHER_USER_ID, "hospital_discharge_date": day(M2, 10).isoformat()},
    }  # fmt: skip
    ids = {}
    for name, extra in special.items():
        fields = dict(zip(reports.EQUALITY_FIELDS, EQUALITY[name], strict=True))
        values = {"referral_date": before, **{k: v for k, v in fields.items() if v}, **extra}
        ids[name] = make_client(db, actor, given_name=name, family_name=f"Client{name}", **values)
    return ids


def _goal(db: Database, actor: Actor, client_id: str, review: date, pathway: str = "housing") -> str:
    values = {
        "client_id": client_id,
        "pathway": pathway,
        "goal": "Somewhere of my own",
        "review_date": review.isoformat(),
    }
    return plans.add_goal(db, actor, values).record_id


def _goals(db: Database, actor: Actor, clock: Clock, ids: dict[str, str]) -> None:
    """Writes in time order, so each change's clock stamp carries the moment it was made."""
    g1 = _goal(db, actor, ids["A"], day(M1, 10))
    g2 = _goal(db, actor, ids["A"], day(M2, 5), "education")  # never reviewed
    g3 = _goal(db, actor, ids["A"], day(M2, 10), "employment")  # achieved before its review fell due
    g4 = _goal(db, actor, ids["A"], day(M3, 3), "volunteering")  # reviewed, date unchanged
    g5 = _goal(db, actor, ids["B"], day(M1, 5))  # reviewed a day late
    _goal(db, actor, ids["C"], day(M2, 2))  # not mine, never reviewed
    _goal(db, actor, ids["A"], day(M1, -5))  # due before the period
    gone = _goal(db, actor, ids["A"], day(M2, 7))
    plans.delete_goal(db, actor, gone)
    clock.now = noon(day(M1, 6))
    plans.review_goal(db, actor, g5, next_review=day(M1, 60).isoformat(), note="A day late")
    clock.now = noon(day(M1, 8))
    plans.review_goal(db, actor, g1, next_review=day(M1, 40).isoformat(), note="On time")
    clock.now = noon(day(M2, 1))
    plans.update_goal(db, actor, g3, {"status": "achieved"})
    clock.now = noon(day(M1, 45))
    plans.review_goal(db, actor, g1, next_review=(TODAY + timedelta(days=60)).isoformat(), note="Late")
    clock.now = noon(day(M3, 1))
    plans.review_goal(db, actor, g4, next_review=day(M3, 3).isoformat(), note="Going well")  # date unchanged
    assert g2


def _contacts(db: Database, actor: Actor, ids: dict[str, str]) -> None:
    def at(month: date, offset: int, hour: int = 10) -> str:
        return timeutil.to_text(datetime.combine(day(month, offset), time(hour), timeutil.LONDON))

    a, b, c, d = ids["A"], ids["B"], ids["C"], ids["D"]
    for client, when, kind in [
        (a, at(M1, 1), "home_visit"), (a, at(M1, 2), "phone"), (a, at(M1, 3), "text"),
        (a, at(M1, 4), "did_not_attend"), (b, at(M1, 5), "office"), (b, at(M1, 6), "cancelled"),
        (a, at(M2, 1), "community"), (a, at(M2, 3), "video"),
        (d, at(M2, 4), "with_other_agency"), (d, at(M2, 5), "did_not_attend"),
        (b, at(M3, 1), "home_visit"), (b, at(M3, 2), "text"),
        (c, at(M1, 1), "home_visit"), (c, at(M1, 2), "home_visit"), (c, at(M1, 3), "did_not_attend"),
        (a, at(M1, -3), "phone"),  # before the period
        (a, at(M1, 0, 0), "phone"),  # 00:00 London on the 1st: inside, although before it in UTC in summer
    ]:  # fmt: skip
        add_contact(db, actor, client, when, contact_type=kind)
    wrong = add_contact(db, actor, a, at(M2, 2), contact_type="did_not_attend")
    contacts.mark_entered_in_error(db, actor, wrong, "Wrong client")
    first = add_contact(db, actor, a, at(M2, 6), contact_type="home_visit")
    contacts.amend(db, actor, first, {"narrative": "Corrected: we met at the flat."}, "Typo")


def _risks_and_outcomes(db: Database, actor: Actor, ids: dict[str, str]) -> None:
    def flag(client: str, review: date, status: str = "active") -> None:
        values = {"client_id": client, "category": "environment", "severity": "medium",
                  "description": "Dogs at the property.", "review_date": review.isoformat()}  # fmt: skip
        rid = risk.raise_flag(db, actor, values).record_id
        if status == "resolved":
            risk.resolve(db, actor, rid, "Dogs rehomed.")

    flag(ids["A"], TODAY - timedelta(days=10))
    flag(ids["A"], TODAY + timedelta(days=10))
    flag(ids["A"], TODAY)  # due today: not overdue yet
    flag(ids["B"], TODAY - timedelta(days=40), "resolved")
    flag(ids["C"], TODAY - timedelta(days=3))

    def outcome(client: str, pathway: str, what: str, on: date) -> str:
        values = {"client_id": client, "pathway": pathway, "outcome": what, "achieved_on": on.isoformat()}
        return plans.record_outcome(db, actor, values).record_id

    outcome(ids["A"], "housing", "housing_secured", day(M1, 20))  # 18 days after discharge
    outcome(ids["A"], "volunteering", "started_volunteering", day(M2, 3))
    wrong = outcome(ids["B"], "education", "enrolled_on_course", day(M3, 3))
    plans.mark_outcome_entered_in_error(db, actor, wrong, "Not enrolled after all")
    job = outcome(ids["B"], "employment", "in_work", day(M2, 9))
    plans.amend_outcome(db, actor, job, {"achieved_on": day(M3, 9).isoformat()}, "Start date moved")
    outcome(ids["D"], "housing", "housing_secured", day(M1, -40))  # housed before the period
    outcome(ids["C"], "housing", "housing_secured", day(M2, 5))
    outcome(ids["G"], "housing", "housing_secured", day(M2, 1))  # arranged before leaving hospital


@pytest.fixture
def known(db: Database, actor: Actor, clock: Clock) -> Known:
    clock.now = noon(M1 - timedelta(days=60))
    _directory(db)
    ids = _clients(db, actor)
    _goals(db, actor, clock, ids)
    clock.now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    _contacts(db, actor, ids)
    _risks_and_outcomes(db, actor, ids)
    return Known(ids)


def mine(db: Database) -> reports.Report:
    return reports.build(db, USER_ID, PERIOD, today=TODAY)


def team(db: Database) -> reports.Report:
    return reports.build(db, MANAGER_ID, PERIOD, today=TODAY)


def test_scope_is_my_caseload_or_the_team(db: Database, known: Known) -> None:
    me, manager = mine(db).scope, team(db).scope
    assert (me.kind, me.label) == ("caseload", "My caseload")
    assert set(me.client_ids) == {known.ids[n] for n in "ABD"}
    assert (manager.kind, manager.label) == ("team", "The team: North forensic team")
    assert set(manager.client_ids) == set(known.ids.values())
    assert reports.build(db, OTHER_USER_ID, PERIOD, today=TODAY).scope.client_ids == tuple(
        sorted(known.ids[n] for n in "BCEFG")
    )


def test_contacts_per_client_per_month_and_did_not_attend(db: Database, known: Known) -> None:
    report = mine(db)
    rows = [
        (m.month, m.open_clients, m.clients_seen, m.contacts, m.attempted, m.did_not_attend)
        for m in report.months
    ]
    # M1: A home visit, phone, text and the 00:00 phone; B office (cancelled and DNA are not delivered).
    # M2: A community, video and the amended home visit; D with another agency (A's DNA was in error).
    # M3: B home visit and text (a text is delivered support, not an attempted appointment).
    assert rows == [(M1, 2, 2, 5, 5, 1), (M2, 3, 2, 4, 5, 1), (M3, 3, 1, 2, 1, 0)]  # fmt: skip
    assert [m.per_client for m in report.months] == [2.5, 4 / 3, 2 / 3]
    assert (report.contacts, report.attempted, report.did_not_attend) == (11, 11, 2)
    assert report.dna_rate == 2 / 11
    by_client = {
        r["client"]: (r["months_open"], r["contacts"], r["attempted"], r["did_not_attend"])
        for r in report.per_client
    }
    assert by_client == {"ClientA, A": (3, 7, 7, 1), "ClientB, B": (3, 3, 2, 0), "ClientD, D": (2, 1, 2, 1)}
    manager = team(db)
    assert [(m.open_clients, m.contacts, m.attempted, m.did_not_attend) for m in manager.months] == [
        (6, 7, 8, 2), (7, 4, 5, 1), (7, 2, 1, 0)
    ]  # fmt: skip


def test_plans_reviewed_on_time(db: Database, known: Known) -> None:
    rows = [(r["due"], r["reviewed_on"], r["state"]) for r in mine(db).plans.rows]
    assert rows == [
        (day(M1, 5).isoformat(), day(M1, 6).isoformat(), "late"),
        (day(M1, 10).isoformat(), day(M1, 8).isoformat(), "on time"),
        (day(M2, 5).isoformat(), None, "not reviewed"),
        (day(M1, 40).isoformat(), day(M1, 45).isoformat(), "late"),
        (day(M1, 60).isoformat(), None, "not reviewed"),  # B's next review, set at the late one
        (day(M3, 3).isoformat(), day(M3, 1).isoformat(), "on time"),
    ]
    plans_ = mine(db).plans
    assert (plans_.due, plans_.count("on time"), plans_.count("late"), plans_.on_time_rate) == (
        6,
        2,
        2,
        2 / 6,
    )
    manager = team(db).plans
    assert (manager.due, manager.count("not reviewed")) == (7, 3)


def test_risk_reviews_overdue_now(db: Database, known: Known) -> None:
    report = mine(db)
    assert [(r["client"], r["days_overdue"]) for r in report.risk_overdue] == [("ClientA, A", 10)]
    assert report.active_risks == 3
    manager = team(db)
    assert [(r["client"], r["days_overdue"]) for r in manager.risk_overdue] == [
        ("ClientA, A", 10),
        ("ClientC, C", 3),
    ]
    assert manager.active_risks == 4


def test_outcomes_by_pathway(db: Database, known: Known) -> None:
    report = mine(db)
    assert [(r["pathway"], r["outcome"], r["count"]) for r in report.outcomes] == [
        ("housing", "housing_secured", 1),
        ("volunteering", "started_volunteering", 1),
        ("employment", "in_work", 1),
    ]
    totals = report.outcomes_by_pathway()
    assert (totals["housing"], totals["education"], sum(totals.values())) == (1, 0, 3)
    assert team(db).outcomes_by_pathway()["housing"] == 3


def test_discharge_to_settled_housing(db: Database, known: Known) -> None:
    housing = mine(db).housing
    assert (housing.days, housing.waiting, housing.median) == ([18], 1, 18)  # A housed; B waiting
    manager = team(db).housing
    c_days = (day(M2, 5) - day(M1, -10)).days
    assert manager.days == sorted([0, 18, c_days])  # G was housed 9 days before discharge: 0 days
    assert manager.median == 18
    assert manager.waiting == 1  # E left the service; D and F, G have no discharge or were housed


def test_equality_counts_are_suppressed(db: Database, known: Known) -> None:
    manager = team(db)
    assert (manager.equality_total, manager.equality_withheld) == (7, None)
    gender = {k: shown for k, _, shown in manager.equality["gender"]}
    assert (gender["woman"], gender["man"]) == ("fewer than 5", "suppressed")  # 5 men: else 7 - 5 = 2 women
    assert (gender["non_binary"], gender["prefer_not_to_say"]) == ("0", "0")
    ethnicity = {k: shown for k, _, shown in manager.equality["ethnicity"]}
    assert (ethnicity["black"], ethnicity["asian"], ethnicity["white"], ethnicity["mixed"]) == (
        "fewer than 5", "fewer than 5", "suppressed", "0"
    )  # fmt: skip
    disability = {k: shown for k, _, shown in manager.equality["disability"]}
    assert disability["not_recorded"] == "fewer than 5"


def test_equality_table_is_withheld_when_the_group_is_tiny(db: Database, known: Known) -> None:
    # My caseload is 3 clients in 2 genders: every "fewer than 5" would be exactly 1 or 2.
    report = mine(db)
    assert report.equality_total == 3
    assert report.equality == {} and report.equality_withheld is not None
    assert "fewer than 5 clients" in report.equality_withheld


def test_equality_table_is_withheld_when_suppression_cannot_hide_a_count() -> None:
    # Five clients in five ethnic groups: five cells of "fewer than 5" summing to 5 are all 1.
    groups = ("white", "black", "asian", "mixed", "other")
    rows = [dict.fromkeys(reports.EQUALITY_FIELDS, None) | {"ethnicity": g, "gender": "man"} for g in groups]
    tables, why = reports.equality_tables(rows)
    assert tables == {} and why is not None and "worked out" in why
    # The same five with a count of five somewhere that hides nothing: shown.
    rows = [dict.fromkeys(reports.EQUALITY_FIELDS, None) | {"gender": "man"} for _ in range(5)]
    tables, why = reports.equality_tables(rows)
    assert why is None and dict((k, s) for k, _, s in tables["gender"])["man"] == "5"


def test_suppression_never_lets_a_small_count_be_worked_out() -> None:
    assert reports.suppress({"a": 12, "b": 9, "c": 0}) == [("a", 12, "12"), ("b", 9, "9"), ("c", 0, "0")]
    # One small cell: the next smallest is hidden too.
    assert [s for _, _, s in reports.suppress({"a": 12, "b": 3, "c": 7, "d": 0})] == [
        "12", "fewer than 5", "suppressed", "0"
    ]  # fmt: skip
    # Two cells of 1: their sum (2) would give both away, so another is hidden.
    assert [s for _, _, s in reports.suppress({"a": 1, "b": 1, "c": 20, "d": 6})] == [
        "fewer than 5", "fewer than 5", "20", "suppressed"
    ]  # fmt: skip
    # Two small cells whose sum does not pin either down: nothing more is hidden.
    assert [s for _, _, s in reports.suppress({"a": 2, "b": 3, "c": 20})] == [
        "fewer than 5",
        "fewer than 5",
        "20",
    ]

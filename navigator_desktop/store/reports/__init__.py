"""The service's performance measures (DOMAIN.md, "What the service is measured on"), computed
from the vault for a period and a scope. Plain SQL and plain data, no Qt; the only write is the
audit event of an export (``export``).

Scope. A navigator (or on-call worker) reports on their own caseload: the clients they key-work
or co-work. A manager reports on the whole team. Both follow ``navigator_core.policy``: a client
is in scope when the signed-in person has full access to it (an on-call summary is not enough).

What every measure counts (the definitions a report reader needs):

* Only current entries count: a contact or outcome marked *entered in error*, or replaced by an
  amendment, is left out (``entries.visible``); deleted goals and risk flags are left out.
* Months are calendar months in Europe/London; instants are compared in UTC at London midnight.
* **Contacts** (support delivered): every type except ``did_not_attend`` and ``cancelled``
  (home visit, community, office, phone, video, text, with another agency). *Contacts per client
  per month* is that month's contacts over the clients open that month (referral date, or the
  record's creation when there is none, on or before the month's end, and no service discharge
  before the month began).
* **Did not attend rate**: ``did_not_attend`` over *attempted* contacts, that is appointments the
  client could attend or miss: home visit, community, office, phone, video, with another agency
  and did not attend. A text is not an appointment, and ``cancelled`` was called off before it was
  due, so neither is in the denominator.
* **Support plans reviewed on time**: from each goal's synced review log (``plan_reviews``): a
  review is due on each review date the goal held, and on time when held on or before it.
* **Risk reviews overdue**: active risk flags whose review date is before today, as of today
  (not the period: a risk review is overdue now or it is not).
* **Outcomes by pathway**: current outcomes achieved in the period, by pathway and outcome.
* **Discharge to settled housing**: for clients with a hospital discharge date, the days from it
  to their first current ``housing_secured`` outcome of this episode (achieved on or after the
  referral, or the discharge if earlier), for those housed in the period (median, shortest,
  longest). Housing secured before the discharge itself (arranged during in-reach) counts as
  0 days. And, as of today, how many discharged from hospital and still open to the service
  have no such outcome (still waiting).
* **Equality monitoring**: the clients open at any time in the period, counted per category of
  each characteristic, with small counts suppressed (``suppress``); the whole table is withheld
  when fewer than 5 clients are in it or a count could still be worked out (``equality_tables``).
* **Retention**: clients discharged more than the retention period ago have left this laptop and
  are not counted; every report says so (``retention_note``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from navigator_core.kinds import PATHWAYS
from navigator_desktop.store.db import Database
from navigator_desktop.store.reports.activity import (
    ATTEMPTED_TYPES,
    DELIVERED_TYPES,
    Housing,
    MonthRow,
    _contacts,
    _housing,
    _open_clients,
    _outcomes,
    _risk_overdue,
    client_name,
)
from navigator_desktop.store.reports.equality import (
    EQUALITY_FIELDS,
    NOT_RECORDED,
    SMALL,
    equality_label,
    equality_tables,
    suppress,
)
from navigator_desktop.store.reports.export import export
from navigator_desktop.store.reports.period import Period, Scope, _add_months, instant, local_today, scope_for
from navigator_desktop.store.reports.plan_reviews import PlanReviews, plan_reviews
from navigator_desktop.store.reports.retention_note import RetentionNote, retention_note

Record = dict[str, Any]

__all__ = [
    "ATTEMPTED_TYPES", "DELIVERED_TYPES", "EQUALITY_FIELDS", "NOT_RECORDED", "SMALL", "Housing", "MonthRow",
    "Period", "PlanReviews", "Report", "RetentionNote", "Scope", "build", "client_name", "equality_label",
    "equality_tables", "export", "instant", "local_today", "plan_reviews", "retention_note", "scope_for",
    "suppress",
]  # fmt: skip


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    today: date
    months: list[MonthRow]
    per_client: list[Record]  # {client_id, client, contacts, attempted, did_not_attend}
    plans: PlanReviews
    risk_overdue: list[Record]  # {client_id, client, category, severity, review_date, days_overdue}
    active_risks: int
    outcomes: list[Record]  # {pathway, outcome, count}
    housing: Housing
    equality: dict[str, list[tuple[str, int, str]]]  # field -> [(category, count, shown)]; {} if withheld
    equality_total: int
    equality_withheld: str | None  # why the whole equality table is not shown, or None
    retention: RetentionNote  # who this laptop no longer holds, so cannot count

    @property
    def contacts(self) -> int:
        return sum(m.contacts for m in self.months)

    @property
    def attempted(self) -> int:
        return sum(m.attempted for m in self.months)

    @property
    def did_not_attend(self) -> int:
        return sum(m.did_not_attend for m in self.months)

    @property
    def dna_rate(self) -> float | None:
        return self.did_not_attend / self.attempted if self.attempted else None

    def outcomes_by_pathway(self) -> dict[str, int]:
        totals = dict.fromkeys(PATHWAYS, 0)
        for row in self.outcomes:
            totals[row["pathway"]] = totals.get(row["pathway"], 0) + row["count"]
        return totals


def build(db: Database, user_id: str, period: Period | None = None, *, today: date | None = None) -> Report:
    """Every measure for `user_id`'s scope over `period` (default: the last 12 full months)."""
    today = today or local_today()
    period = period or Period.last_full_months(12, today)
    scope = scope_for(db, user_id)
    ids = json.dumps(scope.client_ids)
    clients = {
        r["id"]: r
        for r in db.query(
            "SELECT id, given_name, family_name, status, referral_date, created_at, service_discharge_date, "
            "hospital_discharge_date, gender, ethnicity, disability, sexual_orientation, religion "
            "FROM clients WHERE id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }
    open_in = {m: _open_clients(clients.values(), m, _add_months(m, 1)) for m in period.months()}
    months, per_client = _contacts(db, ids, period, open_in, clients)
    overdue, active = _risk_overdue(db, ids, today, clients)
    open_in_period = _open_clients(clients.values(), period.start, period.end)
    equality, withheld = equality_tables(open_in_period)
    return Report(
        period=period,
        scope=scope,
        today=today,
        months=months,
        per_client=per_client,
        plans=plan_reviews(db, ids, period.start, period.end, today, clients),
        risk_overdue=overdue,
        active_risks=active,
        outcomes=_outcomes(db, ids, period),
        housing=_housing(db, ids, period, clients),
        equality=equality,
        equality_total=len(open_in_period),
        equality_withheld=withheld,
        retention=retention_note(db),
    )

"""The work with other agencies and liaison and diversion, for a period and a scope: referrals by
pathway and agency with what became of them, engagements by setting and whether they became
clients, signposts per engagement, and safeguarding concerns raised and referred to the local
authority. Plain SQL and plain data, no Qt; documents/partnership_csv.py makes the tables' rows
(with small numbers suppressed) and their CSV.

What each measure counts:

* **Scope**: as the other reports (``scope_for``): a manager's is the team, anyone else's their
  caseload, plus the engagements they recorded and those engagements' referrals. Deleted records
  are left out; a safeguarding concern amended or marked entered in error counts once or not at all.
* **Referrals**: made (``made_on``) in the period. Each step is counted from its own date field,
  so a referral that was accepted and then attended counts under both: *signposted*, *referred*
  (a referral made), *accepted*, *declined*, *attended*, *outcome recorded*.
* **Engagements**: met (``met_at``) in the period, by setting; *became clients* are those now
  attached to a client.
* **Signposts per engagement**: signposts and referrals made from engagements met in the period,
  over those engagements.
* **Safeguarding concerns**: recorded in the period, and those referred to the local authority.
* **Small numbers**: every count from 1 to 4 is shown as "fewer than 5", and, where a table's
  total would let a hidden count be worked out, others are hidden too ("suppressed"), as in the
  equality report (``equality.suppress``), column by column.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from navigator_core.kinds import AGENCY, ENGAGEMENT_SETTINGS, REFERRAL_STATUS_DATES
from navigator_core.policy import Role
from navigator_desktop.store import entries
from navigator_desktop.store.db import Database
from navigator_desktop.store.reports.period import Period, Scope, instant, local_today, scope_for

Record = dict[str, Any]
# The steps of a referral, in the order the table shows them, each counted from its date field.
STEPS = ("signposted", "referral_made", "accepted", "declined", "attended", "outcome_recorded")


@dataclass(frozen=True)
class ReferralRow:
    pathway: str
    agency: str
    counts: dict[str, int]  # step -> referrals that reached it


@dataclass(frozen=True)
class PartnershipReport:
    period: Period
    scope: Scope
    referrals: list[ReferralRow]  # by pathway, then agency name
    engagements: dict[str, tuple[int, int]]  # setting -> (engagements, became clients)
    engagement_signposts: int  # signposts and referrals made from those engagements
    safeguarding_raised: int
    safeguarding_referred: int

    @property
    def engagement_count(self) -> int:
        return sum(n for n, _ in self.engagements.values())

    @property
    def signposts_per_engagement(self) -> float | None:
        count = self.engagement_count
        return self.engagement_signposts / count if count else None


def build(
    db: Database, user_id: str, period: Period | None = None, *, today: date | None = None
) -> PartnershipReport:
    """The partnership measures for `user_id`'s scope over `period` (default: the last 12 months)."""
    period = period or Period.last_full_months(12, today or local_today())
    scope = scope_for(db, user_id)
    ids = json.dumps(scope.client_ids)
    everyone = 1 if scope.role is Role.MANAGER else 0
    own = (
        "(r.client_id IN (SELECT value FROM json_each(:ids)) "
        "OR (r.client_id IS NULL AND (:all = 1 OR r.created_by = :me)))"
    )
    params = {
        "ids": ids,
        "all": everyone,
        "me": user_id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    rows = db.query(
        "SELECT r.pathway, coalesce(a.name, 'Unknown agency') AS agency, "
        + ", ".join(f"r.{column}" for column in REFERRAL_STATUS_DATES.values())
        + f" FROM referrals r LEFT JOIN {AGENCY.table} a ON a.id = r.agency_id "
        f"WHERE r.deleted = 0 AND r.made_on >= :start AND r.made_on < :end AND {own}",
        params,
    )
    by_row: dict[tuple[str, str], Counter[str]] = {}
    for row in rows:
        counts = by_row.setdefault((str(row["pathway"]), str(row["agency"])), Counter())
        for step, column in REFERRAL_STATUS_DATES.items():
            if row[column]:
                counts[step] += 1
    referral_rows = [
        ReferralRow(pathway, agency, {step: counts[step] for step in STEPS})
        for (pathway, agency), counts in sorted(by_row.items(), key=lambda kv: (kv[0][0], kv[0][1].lower()))
    ]
    window = {**params, "start": instant(period.start), "end": instant(period.end)}
    engaged = db.query(
        "SELECT e.id, e.setting, e.client_id FROM engagements e WHERE e.deleted = 0 "
        "AND e.met_at >= :start AND e.met_at < :end AND (:all = 1 OR e.created_by = :me "
        "OR e.client_id IN (SELECT value FROM json_each(:ids)))",
        window,
    )
    settings = {s: [0, 0] for s in ENGAGEMENT_SETTINGS}
    for row in engaged:
        tally = settings.setdefault(str(row["setting"]), [0, 0])
        tally[0] += 1
        tally[1] += 1 if row["client_id"] else 0
    signposts = db.scalar(
        "SELECT count(*) FROM referrals WHERE deleted = 0 "
        "AND engagement_id IN (SELECT value FROM json_each(?))",
        (json.dumps([str(r["id"]) for r in engaged]),),
    )
    concerns = db.one(
        "SELECT count(*) AS raised, coalesce(sum(s.referred_to_local_authority = 1), 0) AS referred "
        "FROM safeguarding_concerns s WHERE s.client_id IN (SELECT value FROM json_each(:ids)) "
        "AND s.recorded_at >= :start AND s.recorded_at < :end "
        f"AND {entries.visible('s', 'safeguarding_concerns')}",
        window,
    )
    return PartnershipReport(
        period=period,
        scope=scope,
        referrals=referral_rows,
        engagements={s: (n, c) for s, (n, c) in settings.items()},
        engagement_signposts=int(signposts or 0),
        safeguarding_raised=int(concerns["raised"]) if concerns else 0,
        safeguarding_referred=int(concerns["referred"]) if concerns else 0,
    )

"""The work with other agencies and liaison and diversion, for a period and a scope: referrals by
pathway and agency with what became of them, engagements by setting and whether they became
clients, signposts per engagement, and safeguarding concerns raised and referred to the local
authority. Plain SQL and plain data, no Qt; the tables come as rows of text and as CSV.

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

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from navigator_core.kinds import AGENCY, ENGAGEMENT_SETTINGS, REFERRAL_STATUS_DATES
from navigator_core.policy import Role
from navigator_desktop.store import entries
from navigator_desktop.store.db import Database
from navigator_desktop.store.reports.equality import SMALL, suppress
from navigator_desktop.store.reports.period import Period, Scope, instant, local_today, scope_for

Record = dict[str, Any]
Rows = list[list[str]]
# The steps of a referral, in the order the table shows them, each counted from its date field.
STEPS = ("signposted", "referral_made", "accepted", "declined", "attended", "outcome_recorded")
STEP_TITLES = ("Signposted", "Referred", "Accepted", "Declined", "Attended", "Outcome recorded")
FEWER = f"fewer than {SMALL}"


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


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _shown_columns(keys: list[str], columns: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """Each column's counts as they may be shown, suppressed column by column."""
    shown: dict[str, dict[str, str]] = {}
    for name, counts in columns.items():
        shown[name] = {key: text for key, _, text in suppress({k: counts.get(k, 0) for k in keys})}
    return shown


def referral_rows(report: PartnershipReport) -> Rows:
    """Pathway, agency, then each step's count as it may be shown; a total row last."""
    keys = [f"{r.pathway}\x00{r.agency}" for r in report.referrals]
    columns = {
        step: {k: r.counts[step] for k, r in zip(keys, report.referrals, strict=True)} for step in STEPS
    }
    shown = _shown_columns(keys, columns)
    rows = [
        [_words(r.pathway), r.agency, *(shown[step][k] for step in STEPS)]
        for k, r in zip(keys, report.referrals, strict=True)
    ]
    totals = [sum(r.counts[step] for r in report.referrals) for step in STEPS]
    return [*rows, ["All pathways", "All agencies", *(_total(t) for t in totals)]] if rows else []


def engagement_rows(report: PartnershipReport) -> Rows:
    """Setting, engagements, became clients (suppressed as above); a total row last."""
    keys = list(report.engagements)
    columns = {
        "engagements": {k: report.engagements[k][0] for k in keys},
        "clients": {k: report.engagements[k][1] for k in keys},
    }
    shown = _shown_columns(keys, columns)
    rows = [[_words(k), shown["engagements"][k], shown["clients"][k]] for k in keys]
    became = sum(c for _, c in report.engagements.values())
    return [*rows, ["All settings", _total(report.engagement_count), _total(became)]]


def summary_rows(report: PartnershipReport) -> Rows:
    per = report.signposts_per_engagement
    few = 0 < report.engagement_count < SMALL
    return [
        ["Engagements", _total(report.engagement_count)],
        ["Signposts and referrals from them", _total(report.engagement_signposts)],
        ["Signposts per engagement", "—" if per is None or few else f"{per:.2f}"],
        ["Safeguarding concerns raised", _total(report.safeguarding_raised)],
        ["Referred to the local authority", _total(report.safeguarding_referred)],
    ]


def _total(count: int) -> str:
    return FEWER if 0 < count < SMALL else str(count)


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]


TABLES: dict[str, Table] = {
    "referrals": Table("Referrals and signposts by pathway and agency", ("Pathway", "Agency", *STEP_TITLES)),
    "engagements": Table("Engagements by setting", ("Setting", "Engagements", "Became clients")),
    "partnership_summary": Table("Engagements, signposts and safeguarding", ("Measure", "Value")),
}


def rows(report: PartnershipReport, key: str) -> Rows:
    makers = {"referrals": referral_rows, "engagements": engagement_rows, "partnership_summary": summary_rows}
    return makers[key](report)


def to_csv(report: PartnershipReport, key: str) -> str:
    """One table as CSV: the header, the rows as the screen shows them, a blank line and a note on
    small numbers (the same layout as documents.report_csv)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TABLES[key].headers)
    writer.writerows(rows(report, key))
    out.write("\r\n")
    writer.writerow(
        [
            "Note",
            f"Counts from 1 to {SMALL - 1} are shown as '{FEWER}'; "
            "others are hidden where a total would give them away.",
        ]
    )
    return out.getvalue()

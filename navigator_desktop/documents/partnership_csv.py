"""The partnership report's tables (store/reports/partnership.py) as rows of text, and as CSV for
Excel: small numbers suppressed as in the equality report, column by column, so a screen and an
export show the same and never a count of 1 to 4. Pure functions: no Qt, no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from navigator_desktop.documents.report_csv import csv_text, described
from navigator_desktop.labels import label
from navigator_desktop.store.reports.equality import SMALL, suppress
from navigator_desktop.store.reports.partnership import STEPS, PartnershipReport

Rows = list[list[str]]
STEP_TITLES = ("Signposted", "Referred", "Accepted", "Declined", "Attended", "Outcome recorded")
FEWER = f"fewer than {SMALL}"
NOTE = (
    f"Counts from 1 to {SMALL - 1} are shown as '{FEWER}'; "
    "others are hidden where a total would give them away."
)


def _shown(keys: list[str], columns: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """Each column's counts as they may be shown, suppressed column by column."""
    return {
        name: {key: text for key, _, text in suppress({k: counts.get(k, 0) for k in keys})}
        for name, counts in columns.items()
    }


def _total(count: int) -> str:
    return FEWER if 0 < count < SMALL else str(count)


def referral_rows(report: PartnershipReport) -> Rows:
    """Pathway, agency, then each step's count as it may be shown; a total row last."""
    keys = [f"{r.pathway}\x00{r.agency}" for r in report.referrals]
    columns = {
        step: {k: r.counts[step] for k, r in zip(keys, report.referrals, strict=True)} for step in STEPS
    }
    shown = _shown(keys, columns)
    rows = [
        [label(r.pathway), r.agency, *(shown[step][k] for step in STEPS)]
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
    shown = _shown(keys, columns)
    rows = [[label(k), shown["engagements"][k], shown["clients"][k]] for k in keys]
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


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: Callable[[PartnershipReport], Rows]


TABLES: dict[str, Table] = {
    "referrals": Table(
        "Referrals and signposts by pathway and agency", ("Pathway", "Agency", *STEP_TITLES), referral_rows
    ),
    "engagements": Table(
        "Engagements by setting", ("Setting", "Engagements", "Became clients"), engagement_rows
    ),
    "partnership_summary": Table(
        "Engagements, signposts and safeguarding", ("Measure", "Value"), summary_rows
    ),
}


def rows(report: PartnershipReport, key: str) -> Rows:
    return TABLES[key].rows(report)


def to_csv(report: PartnershipReport, key: str) -> str:
    """One table as CSV: the header, the rows as the screen shows them, a blank line and the note on
    small numbers (the layout of documents.report_csv)."""
    table = TABLES[key]
    return csv_text(table.headers, table.rows(report), [NOTE])


def describe(report: PartnershipReport, key: str) -> str:
    """What an export holds, for its audit event (as documents.report_csv.describe)."""
    return described(report, TABLES[key].title, len(rows(report, key)))

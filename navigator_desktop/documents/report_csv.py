"""The report's tables as rows of text, and as CSV.

The Reports screen shows exactly these rows, so what is on screen and what is exported cannot
disagree. Equality monitoring carries only what may be shown (small counts suppressed), never
the underlying count. Pure functions: no Qt, no database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from navigator_desktop.documents import excel_csv
from navigator_desktop.labels import label
from navigator_desktop.store.reports import EQUALITY_FIELDS, Period, Report, Scope, equality_label

Rows = list[list[str]]


def rate(value: float | None) -> str:
    """A proportion as a percentage with one decimal ("20.0%"); "—" when there is nothing to divide."""
    return "—" if value is None else f"{value * 100:.1f}%"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def month(report_month: object) -> str:
    return f"{report_month:%b %Y}"


def _by_month(report: Report) -> Rows:
    rows = [
        [month(m.month), str(m.open_clients), str(m.clients_seen), str(m.contacts), ratio(m.per_client),
         str(m.attempted), str(m.did_not_attend), rate(m.dna_rate)]
        for m in report.months
    ]  # fmt: skip
    return rows


def _by_client(report: Report) -> Rows:
    return [
        [r["client"], str(r["months_open"]), str(r["contacts"]),
         ratio(r["contacts"] / r["months_open"] if r["months_open"] else None),
         str(r["attempted"]), str(r["did_not_attend"]),
         rate(r["did_not_attend"] / r["attempted"] if r["attempted"] else None)]
        for r in report.per_client
    ]  # fmt: skip


def _plan_reviews(report: Report) -> Rows:
    return [
        [r["due"], r.get("client", ""), label(r["pathway"]), r["reviewed_on"] or "—", r["state"]]
        for r in report.plans.rows
    ]


def _risk_overdue(report: Report) -> Rows:
    return [
        [r["client"], label(r["category"]), label(r["severity"]), r["review_date"], str(r["days_overdue"])]
        for r in report.risk_overdue
    ]


def _outcomes(report: Report) -> Rows:
    return [[label(p), str(n)] for p, n in report.outcomes_by_pathway().items()]


def _outcome_detail(report: Report) -> Rows:
    return [[label(r["pathway"]), label(r["outcome"]), str(r["count"])] for r in report.outcomes]


def _housing(report: Report) -> Rows:
    h = report.housing
    return [
        ["Clients housed in the period", str(len(h.days))],
        ["Median days from hospital discharge", "—" if h.median is None else f"{h.median:g}"],
        ["Shortest (days)", str(min(h.days)) if h.days else "—"],
        ["Longest (days)", str(max(h.days)) if h.days else "—"],
        ["Still waiting (discharged, no housing secured yet)", str(h.waiting)],
    ]


def _equality(report: Report) -> Rows:
    if report.equality_withheld:
        return []  # the whole table is withheld; notes() says why
    return [
        [equality_label(name), "Not recorded" if category == "not_recorded" else label(category), shown]
        for name in EQUALITY_FIELDS
        for category, _, shown in report.equality[name]
    ]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: Callable[[Report], Rows]


TABLES: dict[str, Table] = {
    t.key: t
    for t in (
        Table("contacts_by_month", "Contacts per month",
              ("Month", "Clients open", "Clients seen", "Contacts", "Contacts per client", "Attempted",
               "Did not attend", "Did-not-attend rate"), _by_month),
        Table("contacts_by_client", "Contacts per client",
              ("Client", "Months open", "Contacts", "Contacts per month open", "Attempted", "Did not attend",
               "Did-not-attend rate"), _by_client),
        Table("plan_reviews", "Support-plan reviews due",
              ("Due", "Client", "Pathway", "Reviewed on", "Reviewed"), _plan_reviews),
        Table("risk_overdue", "Risk reviews overdue",
              ("Client", "Risk", "Severity", "Review date", "Days overdue"), _risk_overdue),
        Table("outcomes_by_pathway", "Outcomes by pathway", ("Pathway", "Outcomes"), _outcomes),
        Table("outcomes", "Outcomes achieved", ("Pathway", "Outcome", "Count"), _outcome_detail),
        Table("housing", "Hospital discharge to settled housing", ("Measure", "Value"), _housing),
        Table("equality", "Equality monitoring", ("Characteristic", "Category", "Clients"), _equality),
    )
}  # fmt: skip


def rows(report: Report, key: str) -> Rows:
    return TABLES[key].rows(report)


def notes(report: Report, key: str) -> list[str]:
    """What a reader of the table must know about what it does not count."""
    found = [report.retention.text]
    if key == "equality" and report.equality_withheld:
        found.insert(0, report.equality_withheld)
    return found


def to_csv(report: Report, key: str) -> str:
    """One table as CSV text: a header row, the rows as the screen shows them, then a blank line
    and the notes (each "Note", text), e.g. that clients past the retention period have left this
    laptop and are not counted. ``table_text`` gives the part before the notes."""
    table = TABLES[key]
    return csv_text(table.headers, table.rows(report), notes(report, key))


def csv_text(headers: Sequence[str], rows: Rows, notes: Sequence[str]) -> str:
    """A table as CSV for Excel: the header, the rows, a blank line, then each note as ("Note", text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(excel_csv.row(r) for r in rows)
    out.write("\r\n")
    writer.writerows(excel_csv.row(["Note", text]) for text in notes)
    return out.getvalue()


def table_text(csv_text: str) -> str:
    """The table part of ``to_csv``'s text (header and rows), without the notes after the blank
    line (either line ending: a file read back in text mode has plain newlines)."""
    return re.split(r"\r?\n\r?\n", csv_text, maxsplit=1)[0] + "\r\n"


class Scoped(Protocol):
    """A report of a period and a scope (the service's report, the partnership report)."""

    @property
    def period(self) -> Period: ...
    @property
    def scope(self) -> Scope: ...


def filename(report: Scoped, key: str) -> str:
    """A suggested file name: what, whose and when ("contacts_by_month-caseload-2025-11-to-2026-10.csv")."""
    last = report.period.months()[-1] if report.period.months() else report.period.start
    return f"{key}-{report.scope.kind}-{report.period.start:%Y-%m}-to-{last:%Y-%m}.csv"


def describe(report: Report, key: str) -> str:
    """What an export holds, for its audit event."""
    return described(report, TABLES[key].title, len(TABLES[key].rows(report)))


def described(report: Scoped, title: str, rows: int) -> str:
    """An export's audit words: the table, whose, when and how many rows."""
    return f"Report CSV: {title}; {report.scope.label}; {report.period.label}; {rows} rows"

"""Contacts per client per month, did-not-attend, risk reviews overdue, outcomes by pathway and
hospital discharge to settled housing (the definitions are in the package's docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any

from navigator_core.kinds import OUTCOMES, PATHWAYS
from navigator_desktop.store import entries
from navigator_desktop.store.db import Database
from navigator_desktop.store.reports.period import Period, _add_months, instant

Record = dict[str, Any]

DELIVERED_TYPES = ("home_visit", "community", "office", "phone", "video", "text", "with_other_agency")
ATTEMPTED_TYPES = (
    "home_visit",
    "community",
    "office",
    "phone",
    "video",
    "with_other_agency",
    "did_not_attend",
)


@dataclass(frozen=True)
class MonthRow:
    month: date
    open_clients: int
    clients_seen: int
    contacts: int
    attempted: int
    did_not_attend: int

    @property
    def per_client(self) -> float | None:
        return self.contacts / self.open_clients if self.open_clients else None

    @property
    def dna_rate(self) -> float | None:
        return self.did_not_attend / self.attempted if self.attempted else None


@dataclass(frozen=True)
class Housing:
    days: list[int]  # discharge to housing secured, one per client housed in the period
    waiting: int  # discharged from hospital, still open to the service, no housing secured yet

    @property
    def median(self) -> float | None:
        return median(self.days) if self.days else None


def client_name(row: Record) -> str:
    return f"{row.get('family_name') or ''}, {row.get('given_name') or ''}".strip(", ")


def _open_clients(rows: Any, start: date, end: date) -> list[Record]:
    """Clients on the books at some time in [start, end)."""
    found = []
    for row in rows:
        began = row["referral_date"] or str(row["created_at"])[:10]
        left = row["service_discharge_date"]
        if began < end.isoformat() and (not left or left >= start.isoformat()):
            found.append(row)
    return found


def _in(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # our own constants, never user text


def _contacts(
    db: Database, ids: str, period: Period, open_in: dict[date, list[Record]], clients: dict[str, Record]
) -> tuple[list[MonthRow], list[Record]]:
    """One pass over the period's contacts, grouped by client and London month (a CASE over the
    month boundaries: text comparisons, no date functions per row)."""
    months = period.months()
    ends = [instant(_add_months(m, 1)) for m in months]
    month_of = " ".join(f"WHEN c.occurred_at < '{end}' THEN {i}" for i, end in enumerate(ends))
    rows = db.query(
        f"""
        SELECT c.client_id, CASE {month_of} END AS month,
               sum(c.contact_type IN ({_in(DELIVERED_TYPES)})) AS delivered,
               sum(c.contact_type IN ({_in(ATTEMPTED_TYPES)})) AS attempted,
               sum(c.contact_type = 'did_not_attend') AS dna
        FROM contacts c
        WHERE c.client_id IN (SELECT value FROM json_each(?)) AND c.occurred_at >= ? AND c.occurred_at < ?
          AND {entries.visible("c", "contacts")}
        GROUP BY c.client_id, month
        """,
        (ids, instant(period.start), instant(period.end)),
    )
    by_month = [[0, 0, 0, 0] for _ in months]  # seen, contacts, attempted, did not attend
    by_client: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        totals, mine = by_month[row["month"]], by_client[row["client_id"]]
        totals[0] += 1 if row["delivered"] else 0
        for n, name in enumerate(("delivered", "attempted", "dna")):
            totals[n + 1] += row[name]
            mine[n] += row[name]
    seen = set(by_client)
    open_ids = {m: {r["id"] for r in open_rows} for m, open_rows in open_in.items()}
    month_rows = [MonthRow(m, len(open_ids[m]), *by_month[i]) for i, m in enumerate(months)]
    per_client = [
        {
            "client_id": cid,
            "client": client_name(clients[cid]),
            "months_open": sum(1 for m in months if cid in open_ids[m]),
            **dict(zip(("contacts", "attempted", "did_not_attend"), by_client[cid], strict=True)),
        }
        for cid in sorted(clients, key=lambda c: client_name(clients[c]).lower())
        if cid in seen or any(cid in open_ids[m] for m in months)
    ]
    return month_rows, per_client


def _risk_overdue(
    db: Database, ids: str, today: date, clients: dict[str, Record]
) -> tuple[list[Record], int]:
    active = "deleted = 0 AND status = 'active' AND client_id IN (SELECT value FROM json_each(?))"
    rows = db.query(
        f"SELECT id, client_id, category, severity, review_date FROM risk_flags WHERE {active} "
        "AND review_date < ? ORDER BY review_date, client_id",
        (ids, today.isoformat()),
    )
    overdue = [
        {
            **r,
            "client": client_name(clients[r["client_id"]]),
            "days_overdue": (today - date.fromisoformat(r["review_date"])).days,
        }
        for r in rows
    ]
    return overdue, int(db.scalar(f"SELECT count(*) FROM risk_flags WHERE {active}", (ids,)))


def _outcomes(db: Database, ids: str, period: Period) -> list[Record]:
    rows = db.query(
        "SELECT o.pathway, o.outcome, count(*) AS count FROM outcomes o "
        "WHERE o.client_id IN (SELECT value FROM json_each(?)) AND o.achieved_on >= ? AND o.achieved_on < ? "
        f"AND {entries.visible('o', 'outcomes')} GROUP BY o.pathway, o.outcome",
        (ids, period.start.isoformat(), period.end.isoformat()),
    )
    order = {p: i for i, p in enumerate(PATHWAYS)} | {o: i for i, o in enumerate(OUTCOMES)}
    return sorted(rows, key=lambda r: (order.get(r["pathway"], 99), order.get(r["outcome"], 99)))


def _housing(db: Database, ids: str, period: Period, clients: dict[str, Record]) -> Housing:
    """Days from hospital discharge to the first housing secured on or after it, for clients whose
    housing was secured in the period; and how many discharged clients, still open to the service,
    have no housing secured since discharge (as of today)."""
    secured = dict(
        db.connection.execute(
            "SELECT c.id, min(o.achieved_on) FROM clients c JOIN outcomes o ON o.client_id = c.id "
            "WHERE c.id IN (SELECT value FROM json_each(?)) AND c.hospital_discharge_date IS NOT NULL "
            "AND o.outcome = 'housing_secured' "
            "AND o.achieved_on >= "
            "min(coalesce(c.referral_date, c.hospital_discharge_date), c.hospital_discharge_date) "
            f"AND {entries.visible('o', 'outcomes')} GROUP BY c.id",
            (ids,),
        ).fetchall()
    )
    days, waiting = [], 0
    for cid, row in clients.items():
        left = row["hospital_discharge_date"]
        if not left:
            continue
        housed = secured.get(cid)
        if housed is None:
            waiting += int(row["status"] != "discharged" and not row["service_discharge_date"])
        elif period.start.isoformat() <= housed < period.end.isoformat():
            days.append(max(0, (date.fromisoformat(housed) - date.fromisoformat(left)).days))
    return Housing(sorted(days), waiting)

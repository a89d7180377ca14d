"""Clients: the caseload list and one client's profile."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import CLIENT, SEVERITIES
from navigator_desktop.store import entries, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.codec import loads
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = CLIENT.name
OPEN_STATUSES = ("referred", "in_reach", "active")


@dataclass(frozen=True)
class CaseloadRow:
    client_id: str
    given_name: str
    family_name: str
    preferred_name: str | None
    status: str
    key_worker_id: str | None
    risk_count: int  # active risk flags
    risk_level: str  # highest severity among them: "", "low", "medium" or "high"
    risk_categories: tuple[str, ...]  # their categories, most severe first
    last_contact: str | None  # instant of the latest current contact that took place
    next_visit: str | None  # planned start of the next planned visit
    review_due: str | None  # earliest of support plan, CPA and active risk review dates
    refreshed_at: str | None  # last time the record came from the central store

    @property
    def name(self) -> str:
        """Family name, given name, and the name they go by when it differs."""
        base = f"{self.family_name}, {self.given_name}"
        if self.preferred_name and self.preferred_name != self.given_name:
            return f"{base} ({self.preferred_name})"
        return base


def create(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    return records.create(db, actor, KIND, values)


def update(db: Database, actor: Actor, client_id: str, values: Mapping[str, Any]) -> WriteResult:
    return records.update(db, actor, KIND, client_id, values)


def get(db: Database, client_id: str) -> Record | None:
    return records.get(db, KIND, client_id)


_SEVERITY_RANK = "CASE r.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"


def caseload(
    db: Database,
    *,
    worker_id: str | None = None,
    team_id: str | None = None,
    statuses: tuple[str, ...] = OPEN_STATUSES,
    client_id: str | None = None,
    now: str | None = None,
) -> list[CaseloadRow]:
    """One row per client, sorted by name. `worker_id` keeps the clients that worker key-works or
    co-works; `team_id` keeps one team's. Every figure comes from an indexed look-up per client,
    so the list costs the same whatever the size of the contact history."""
    # Visits planned earlier today still count as "next" until they are checked in or cancelled.
    start_of_today = (now or timeutil.now_text())[:10] + "T00:00:00.000Z"
    where = [f"c.status IN ({', '.join('?' * len(statuses))})", "c.deleted = 0"]
    params: list[Any] = [start_of_today, *statuses]
    if client_id is not None:
        where.append("c.id = ?")
        params.append(client_id)
    if team_id is not None:
        where.append("c.team_id = ?")
        params.append(team_id)
    if worker_id is not None:
        where.append(
            "(c.key_worker_id = ? OR EXISTS (SELECT 1 FROM json_each(c.co_worker_ids) w WHERE w.value = ?))"
        )
        params += [worker_id, worker_id]
    rows = db.query(
        f"""
        SELECT c.id, c.given_name, c.family_name, c.preferred_name, c.status, c.key_worker_id,
               c.plan_review_date, c.cpa_review_date, c.refreshed_at,
               (SELECT ct.occurred_at FROM contacts ct
                 WHERE ct.client_id = c.id AND ct.contact_type NOT IN ('did_not_attend', 'cancelled')
                   AND {entries.visible("ct", "contacts")}
                 ORDER BY ct.occurred_at DESC LIMIT 1) AS last_contact,
               (SELECT min(v.planned_start) FROM visits v
                 WHERE v.client_id = c.id AND v.deleted = 0 AND v.status = 'planned'
                   AND v.planned_start >= ?) AS next_visit,
               (SELECT json_group_array(json_array(r.category, r.severity, r.review_date))
                  FROM (SELECT r.category, r.severity, r.review_date FROM risk_flags r
                         WHERE r.client_id = c.id AND r.status = 'active' AND r.deleted = 0
                         ORDER BY {_SEVERITY_RANK} DESC, r.category) r) AS risks
        FROM clients c
        WHERE {" AND ".join(where)}
        ORDER BY c.family_name COLLATE NOCASE, c.given_name COLLATE NOCASE
        """,
        params,
    )
    return [_caseload_row(row) for row in rows]


def _caseload_row(row: Record) -> CaseloadRow:
    risks: list[list[str | None]] = loads(row["risks"]) if row["risks"] else []
    severities = [str(r[1]) for r in risks if r[1] in SEVERITIES]
    level = max(severities, key=SEVERITIES.index) if severities else ""
    categories = tuple(dict.fromkeys(str(r[0]) for r in risks))
    reviews = [d for d in (row["plan_review_date"], row["cpa_review_date"], *(r[2] for r in risks)) if d]
    return CaseloadRow(
        client_id=row["id"],
        given_name=row["given_name"] or "",
        family_name=row["family_name"] or "",
        preferred_name=row["preferred_name"],
        status=row["status"] or "",
        key_worker_id=row["key_worker_id"],
        risk_count=len(risks),
        risk_level=level,
        risk_categories=categories,
        last_contact=row["last_contact"],
        next_visit=row["next_visit"],
        review_due=min(reviews) if reviews else None,
        refreshed_at=row["refreshed_at"],
    )


def caseload_row(db: Database, client_id: str, *, now: str | None = None) -> CaseloadRow | None:
    """One client's caseload row, for refreshing a single row after a change."""
    rows = caseload(db, statuses=(*OPEN_STATUSES, "discharged"), client_id=client_id, now=now)
    return rows[0] if rows else None

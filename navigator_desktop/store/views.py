"""Read-only views the screens ask for, each gathered in one job on the database worker.

Nothing here writes. Each function returns plain data (dicts and dataclasses) that the GUI
thread can hold after the vault is locked without touching the database again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import RISK_FLAG
from navigator_desktop.store import (
    audit,
    clients,
    codec,
    contacts,
    directory,
    handover,
    plans,
    risk,
    safeguarding,
    settings,
    supervision,
    visits,
)
from navigator_desktop.store.db import Database

Record = dict[str, Any]
REVIEW_HORIZON = timedelta(days=7)  # Today shows reviews due within the coming week
SAFEGUARDING_WINDOW = timedelta(days=28)  # a manager's Today: open concerns raised in the last 4 weeks


@dataclass(frozen=True)
class Who:
    """The signed-in worker, their team and the names of everyone in the directory."""

    user_id: str
    team_id: str | None
    display_name: str
    names: dict[str, str]
    workers: list[tuple[str, str]]  # (display name, id) of the team's active users


@dataclass(frozen=True)
class Today:
    visits: list[Record]
    reviews: list[Record]  # {client_id, client, what, due}
    risk_reviews: list[Record]  # risk flags with `client`
    handover: list[Record]  # unread current notes, with `client`
    # The team's open safeguarding concerns, with `client` (a manager's Today; None for others).
    concerns: list[Record] | None = None


@dataclass(frozen=True)
class ClientRecord:
    client: Record
    active_risks: list[Record]
    risks: list[Record]
    timeline: list[Record]
    goals: list[Record]
    notes: list[Record]
    audit: list[Record]
    contact_history: list[Record]
    risk_history: dict[str, list[risk.Revision]] = field(default_factory=dict)
    safeguarding: list[Record] = field(default_factory=list)  # concerns, newest first
    supervision: list[Record] = field(default_factory=list)  # concerns for supervision, oldest first


def who(db: Database, user_id: str) -> Who:
    me = directory.user(db, user_id)
    team_id = str(me["team_id"]) if me and me["team_id"] else None
    names = directory.display_names(db)
    workers = [(str(u["display_name"]), str(u["id"])) for u in directory.users(db, team_id)]
    return Who(user_id, team_id, names.get(user_id, "you"), names, workers)


def client_names(db: Database, ids: Sequence[str]) -> dict[str, str]:
    """Client id to "Family, Given" for the ids given (unknown ids are left out)."""
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        rows = db.query(
            f"SELECT id, given_name, family_name FROM clients WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        found.update({r["id"]: f"{r['family_name']}, {r['given_name']}" for r in rows})
    return found


def risk_reviews_due(db: Database, client_ids: Sequence[str], until: str) -> list[Record]:
    """Active risk flags of these clients whose review date is on or before `until`, oldest first."""
    flags: list[Record] = []
    for start in range(0, len(client_ids), 500):
        chunk = list(client_ids[start : start + 500])
        rows = db.query(
            "SELECT * FROM risk_flags WHERE status = 'active' AND deleted = 0 AND review_date <= ? "
            f"AND client_id IN ({', '.join('?' * len(chunk))})",
            [until, *chunk],
        )
        flags += [codec.decode_row(RISK_FLAG, r) for r in rows]
    return sorted(flags, key=lambda f: (f.get("review_date") or "", f["client_id"]))


def today(db: Database, me: Who, *, now: str | None = None) -> Today:
    """The Today screen: my visits today and those still open, reviews and risk reviews due within
    a week (and overdue), and the current handover notes I have not read."""
    now = now or timeutil.now_text()
    local_now = timeutil.local(timeutil.parse(now))
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = timeutil.to_text(midnight), timeutil.to_text(midnight + timedelta(days=1))
    horizon = (local_now.date() + REVIEW_HORIZON).isoformat()
    mine = clients.caseload(db, worker_id=me.user_id, now=now)
    ids = [row.client_id for row in mine]
    names = {row.client_id: row.name for row in mine}

    planned = visits.for_worker(db, me.user_id, start, end, now=now)
    seen = {v["id"] for v in planned}
    still_open = [v for v in visits.open_visits(db, now=now) if v["worker_id"] == me.user_id]
    day_visits = [v for v in planned if v["status"] != "cancelled"] + [
        v for v in still_open if v["id"] not in seen
    ]
    reviews: list[Record] = []
    for row in mine:
        client = clients.get(db, row.client_id) or {}
        for key, what in (("cpa_review_date", "CPA review"), ("plan_review_date", "Support plan review")):
            due = client.get(key)
            if due and due <= horizon:
                reviews.append({"client_id": row.client_id, "what": what, "due": due})
    for goal in plans.goals_due_for_review(db, today=horizon, client_ids=ids):
        reviews.append(
            {"client_id": goal["client_id"], "what": f"Goal: {goal['goal']}", "due": goal["review_date"]}
        )
    reviews.sort(key=lambda r: (r["due"], names.get(r["client_id"], "")))
    notes: list[Record] = []
    if me.team_id:
        notes = [
            n for n in handover.current(db, team_id=me.team_id, user_id=me.user_id, now=now) if not n["read"]
        ]
    risk_due = risk_reviews_due(db, ids, horizon)
    other_ids = [
        r["client_id"] for r in day_visits + notes if r.get("client_id") and r["client_id"] not in names
    ]
    names.update(client_names(db, other_ids))
    for item in (*day_visits, *reviews, *risk_due, *notes):
        item["client"] = names.get(item.get("client_id") or "", "")
    return Today(day_visits, reviews, risk_due, notes, _team_concerns(db, me, local_now))


def _team_concerns(db: Database, me: Who, local_now: datetime) -> list[Record] | None:
    """A team manager's open safeguarding concerns for Today; None for every other role."""
    user = directory.user(db, me.user_id)
    if user is None or str(user["role"]) != "manager" or not me.team_id:
        return None
    since = timeutil.to_text(local_now - SAFEGUARDING_WINDOW)
    found = safeguarding.open_for_team(db, me.team_id, since=since)
    names = client_names(db, [c["client_id"] for c in found])  # "Family, Given", as Today's other lists
    for concern in found:
        del concern["client_name"]
        concern["client"] = names.get(concern["client_id"], "")
    return found


def client_record(db: Database, client_id: str, me: Who | None) -> ClientRecord | None:
    """Everything the client screen shows, read in one go."""
    client = clients.get(db, client_id)
    if client is None:
        return None
    flags = risk.for_client(db, client_id)
    notes: list[Record] = []
    if me is not None and me.team_id:
        notes = handover.current(db, team_id=me.team_id, user_id=me.user_id, client_id=client_id)
    raised = supervision.for_client(db, client_id)
    timeline = contacts.timeline(db, client_id)
    for contact in timeline:  # the timeline marks a contact raised in supervision, and its state
        on_it = [i["status"] for i in raised if i["target_id"] == contact["id"]]
        contact["for_supervision"] = ("open" if "open" in on_it else "discussed") if on_it else None
    return ClientRecord(
        client=client,
        active_risks=[f for f in flags if f["status"] == "active"],
        risks=flags,
        timeline=timeline,
        goals=plans.goals_for_client(db, client_id),
        notes=notes,
        audit=audit.for_client(db, client_id, limit=500),
        contact_history=[c for c in contacts.history(db, client_id) if c["state"] != "current"],
        risk_history={f["id"]: risk.history(db, f["id"]) for f in flags},
        safeguarding=safeguarding.for_client(db, client_id),
        supervision=raised,
    )


@dataclass(frozen=True)
class OnCall:
    """The on-call screen: current notes (unread, then urgent, then newest), visits not checked
    out (overdue first) with their escalation steps, the team's clients for the finder, and when
    this laptop last synced: what on call sees is only as fresh as that."""

    notes: list[Record]
    visits: list[Record]
    clients: list[Record]  # {client_id, client, status, risk, mine}
    last_sync_at: str | None
    # Why I may not work on call now (None: I may, or only the central store can tell); the
    # screen then offers nothing beyond the summary for clients outside my caseload.
    on_call_refusal: str | None = None


@dataclass(frozen=True)
class OnCallSummary:
    """What on call may see of any active team client: identity, address, active risks, crisis
    plan, conditions, exclusion zones, key contacts, current notes and open visits."""

    client: Record
    risks: list[Record]
    notes: list[Record]
    visits: list[Record]
    mine: bool


def on_call(db: Database, me: Who, *, now: str | None = None) -> OnCall:
    now = now or timeutil.now_text()
    notes = handover.current(db, team_id=me.team_id, user_id=me.user_id, now=now) if me.team_id else []
    open_visits = visits.open_visits(db, now=now, team_id=me.team_id)
    for visit in open_visits:
        visit["client"] = f"{visit.pop('family_name', '')}, {visit.pop('given_name', '')}"
        visit["worker"] = me.names.get(visit["worker_id"], "—")
        visit["steps"] = visits.steps(db, visit["id"])
    names = client_names(db, [n["client_id"] for n in notes if n.get("client_id")])
    for note in notes:
        note["client"] = names.get(note.get("client_id") or "", "")
    team = clients.caseload(db, team_id=me.team_id, now=now) if me.team_id else []
    mine = {row.client_id for row in clients.caseload(db, worker_id=me.user_id, now=now)}
    finder = [
        {
            "client_id": r.client_id,
            "client": r.name,
            "status": r.status,
            "risk": r.risk_level,
            "mine": r.client_id in mine,
        }
        for r in team
    ]
    refusal = directory.on_call_refusal(db, me.user_id, now)
    return OnCall(notes, open_visits, finder, settings.get(db, settings.LAST_SYNC_AT), refusal)


def on_call_summary(db: Database, client_id: str, me: Who) -> OnCallSummary | None:
    client = clients.get(db, client_id)
    if client is None:
        return None
    notes = (
        handover.current(db, team_id=me.team_id, user_id=me.user_id, client_id=client_id)
        if me.team_id
        else []
    )
    mine = client.get("key_worker_id") == me.user_id or me.user_id in (client.get("co_worker_ids") or [])
    open_ = [v for v in visits.for_client(db, client_id) if v["status"] in visits.OPEN_STATUSES]
    return OnCallSummary(client, risk.active_for_client(db, client_id), notes, open_, mine)

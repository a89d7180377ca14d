"""Starting and ending escalation chains.

A chain is a row in ``escalations`` and one row per step in ``escalation_steps``, each due at its
time: step *i* of an overdue visit's chain at the mark plus *i* times
``NAVIGATOR_ESCALATION_STEP_WAIT_SECONDS``. An SOS chain's on-call and manager steps are due at
once, marked urgent, and the last resort follows after one wait. ``start`` is called in the
transaction that marks the visit overdue (overdue.py's sweep, under the feed lock), so a chain is
made once however many processes sweep.

A chain ends when someone acknowledges (a link or code), or when the runner finds, before it sends
a step, that the visit was checked out, ended, extended (an overdue chain only) or that someone
recorded "worker safe". Ending cancels the steps not sent and writes an ``alerts_stopped`` entry.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_server import store
from navigator_server.escalation import entries
from navigator_server.escalation.recipients import parse_targets
from navigator_server.feed import FeedWriter
from navigator_server.schema import escalation_steps, escalations, records
from navigator_server.settings import Settings

OVERDUE, SOS = "overdue", "sos"
OPEN_STEPS = ("pending", "sending")
SOS_TARGETS = ("on_call", "manager", "last_resort")


def open_chain(conn: Connection, visit_id: str, reason: str) -> Any:
    return conn.execute(
        sa.select(escalations).where(
            escalations.c.visit_id == visit_id,
            escalations.c.reason == reason,
            escalations.c.ended_at.is_(None),
        )
    ).first()


def start(
    conn: Connection,
    visit: store.Stored,
    settings: Settings,
    reason: str = OVERDUE,
    writer: FeedWriter | None = None,
) -> str:
    """The visit's open chain for `reason`, made now if there is none (idempotent)."""
    found = open_chain(conn, visit.id, reason)
    if found is not None:
        return str(found.id)
    now = timeutil.utcnow()
    chain_id = new_id()
    conn.execute(
        escalations.insert().values(
            id=chain_id,
            visit_id=visit.id,
            team_id=visit.team_id,
            reason=reason,
            started_at=timeutil.to_text(now),
        )
    )
    wait = timedelta(seconds=settings.escalation_step_wait_seconds)
    if reason == SOS:
        plan = [(t, now if t != "last_resort" else now + wait) for t in SOS_TARGETS]
    else:
        plan = [(t, now + wait * i) for i, t in enumerate(parse_targets(settings.escalation_steps))]
    conn.execute(
        escalation_steps.insert(),
        [
            {
                "escalation_id": chain_id,
                "position": i,
                "target": target,
                "urgent": reason == SOS,
                "status": "pending",
                "attempts": 0,
                "due_at": timeutil.to_text(due),
                "next_attempt_at": timeutil.to_text(due),
            }
            for i, (target, due) in enumerate(plan)
        ],
    )
    if reason == SOS:
        entries.record(
            conn,
            visit,
            entries.SOS_RAISED,
            "The worker asked for help (SOS): alerting on call and the manager.",
            writer,
        )
    return chain_id


def on_marked(settings: Settings) -> Any:
    """What overdue.py's sweep calls for each visit it marks: start the visit's chain."""

    def hook(conn: Connection, writer: FeedWriter, visit: store.Stored) -> None:
        start(conn, visit, settings, OVERDUE, writer)

    return hook


def _worker_safe_since(conn: Connection, visit_id: str, since: str) -> bool:
    query = sa.select(records.c.id).where(
        records.c.kind == "visit_escalation",
        records.c.data["visit_id"].as_string() == visit_id,
        records.c.data["step"].as_string() == "worker_safe",
        records.c.data["occurred_at"].as_string() >= since[:16],  # a person's entry is to the minute
    )
    return conn.execute(query.limit(1)).first() is not None


def why_over(conn: Connection, chain: Any, visit: store.Stored | None) -> str | None:
    """Why the chain should stop now, or None while it should go on."""
    if visit is None or visit.deleted:
        return "the visit was removed"
    data = visit.data
    if data.get("checked_out_at"):
        return "the worker checked out"
    if data.get("status") in ("completed", "cancelled"):
        return f"the visit was marked {data['status']}"
    if chain.reason == OVERDUE and data.get("status") in ("planned", "in_progress"):
        return "the visit was extended"
    if _worker_safe_since(conn, visit.id, chain.started_at):
        return "someone recorded the worker safe"
    return None


def stop(
    conn: Connection,
    chain: Any,
    visit: store.Stored | None,
    why: str,
    writer: FeedWriter | None = None,
    acknowledged_by: str | None = None,
) -> bool:
    """End the chain (once: False if it had ended already) and cancel the steps not sent."""
    ended = conn.execute(
        escalations.update()
        .where(escalations.c.id == chain.id, escalations.c.ended_at.is_(None))
        .values(ended_at=timeutil.now_text(), ended_why=why[:40], acknowledged_by=acknowledged_by)
    )
    if ended.rowcount != 1:
        return False
    cancelled = conn.execute(
        escalation_steps.update()
        .where(escalation_steps.c.escalation_id == chain.id, escalation_steps.c.status.in_(OPEN_STEPS))
        .values(status="cancelled", done_at=timeutil.now_text())
    ).rowcount
    if visit is not None and not acknowledged_by:
        notes = f"Alerts stopped: {why}." + (f" {cancelled} step(s) not sent." if cancelled else "")
        entries.record(conn, visit, entries.STOPPED, notes, writer)
    return True


def chain_row(conn: Connection, chain_id: str) -> Any:
    return conn.execute(sa.select(escalations).where(escalations.c.id == chain_id)).first()

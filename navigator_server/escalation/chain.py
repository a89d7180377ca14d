"""Starting and ending escalation chains.

A chain is a row in ``escalations`` and one row per step in ``escalation_steps``, each due at its
time: step *i* of an overdue visit's chain at the mark plus *i* times
``NAVIGATOR_ESCALATION_STEP_WAIT_SECONDS``. An SOS chain's on-call and manager steps are due at
once, marked urgent, and the last resort follows after one wait. Until someone answers, the
repeat steps (on call and the last resort by default) follow every
``NAVIGATOR_ESCALATION_REPEAT_MINUTES``, at most ``NAVIGATOR_ESCALATION_MAX_REPEATS`` times.
``start`` is called in the transaction that marks the visit overdue (overdue.py's sweep, under the
feed lock), so a chain is made once however many processes sweep.

A chain ends when someone acknowledges (a link or code), or when the runner finds, before it sends
a step, that the visit was checked out, ended, extended (an overdue chain only) or that someone
recorded "worker safe". Ending cancels the steps not sent and writes an ``alerts_stopped`` entry.
Any other step a person records (called the buddy, called the police, the visit marked escalated)
does not end it: the alerts that follow say what has been recorded (``people_did``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_core.kinds import PERSON_ESCALATION_STEPS
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
        plan = [(t, now if t != "last_resort" else now + wait, 0) for t in SOS_TARGETS]
    else:
        plan = [(t, now + wait * i, 0) for i, t in enumerate(parse_targets(settings.escalation_steps))]
    plan += repeats(plan[-1][1], settings)
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
                "repeat": repeat,
            }
            for i, (target, due, repeat) in enumerate(plan)
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


def repeats(last_due: datetime, settings: Settings) -> list[tuple[str, datetime, int]]:
    """The steps sent again while nobody answers: every repeat step, every repeat interval after
    the chain's last step, a bounded number of times. Made with the chain (so they are claimed,
    sent once, survive a restart and are cancelled with it like any other step)."""
    every = timedelta(minutes=settings.escalation_repeat_minutes)
    targets = parse_targets(settings.escalation_repeat_steps)
    return [
        (target, last_due + every * k, k)
        for k in range(1, settings.escalation_max_repeats + 1)
        for target in targets
    ]


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


def people_did(conn: Connection, visit_id: str, since: str) -> list[tuple[str, str]]:
    """The steps people recorded about the visit since the chain began, (step, occurred_at),
    oldest first: the store's own entries are left out."""
    return [
        (str(entry["step"]), str(entry.get("occurred_at") or ""))
        for entry in entries.of_visit(conn, visit_id)
        if entry.get("author_id") != store.SERVER
        and entry.get("step") in PERSON_ESCALATION_STEPS
        and str(entry.get("occurred_at") or "") >= since[:16]
    ]


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

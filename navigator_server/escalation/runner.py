"""Sending the steps that are due, from any number of server processes.

Each tick, a process **claims** due steps in a short transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite's writing transactions are serialised): it marks them ``sending`` with a lease
(``NAVIGATOR_ESCALATION_CLAIM_SECONDS``). It then checks the chain should go on, issues the
acknowledgement tokens, sends with no transaction open, and records the result. A process that
dies holding a claim is replaced when the lease runs out, so a step is never skipped; it is sent
twice only if a process dies between the other end accepting a message and the result being
committed (a few milliseconds).

A step that failed for everyone is tried again with a doubling wait, up to
``NAVIGATOR_ESCALATION_ATTEMPTS``; then, like a step nobody could be reached for, it gives way to
the next step at once. After an outage, a step whose successor is due already is not sent (one
alert per chain, not a flood), nor one whose target is due to be alerted again already (a repeat:
the chain goes on until someone answers, see chain.py), and a step sent later than
``NAVIGATOR_ESCALATION_LATE_SECONDS`` says so. Logs carry step ids and channel names, never
addresses or names.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_server import store
from navigator_server.db import Database
from navigator_server.escalation import chain, entries, messages, recipients, tokens
from navigator_server.escalation.channels import Channel, ChannelError, build
from navigator_server.escalation.contacts import Contact, contacts_of
from navigator_server.feed import FeedWriter
from navigator_server.periodic import Periodic, Timer
from navigator_server.schema import escalation_steps, escalations
from navigator_server.settings import Settings

log = logging.getLogger("navigator_server.escalation")
CHANNEL_WORDS = {
    "email": "e-mail",
    "sms": "text (SMS)",
    "notify_email": "e-mail (Notify)",
    "webhook": "webhook",
}


@dataclass
class Outgoing:
    """One recipient of a step, with the message and the addresses to try in order."""

    contact: Contact
    message: messages.Message
    tries: list[tuple[str, str]]
    sent_by: str | None = None
    failures: list[str] = field(default_factory=list)


def _who(contact: Contact, target: str) -> str:
    return f"{recipients.WORDS[target]} ({contact.display_name})" if contact.user_id else contact.display_name


_TIMER = Timer("escalation", log, "escalation pass failed: %s", at_start=True, join_seconds=30)


class Runner(Periodic):
    """One server process's sender: a pass (settle, then tick) every `escalation_poll_seconds`, at
    once when started and whenever woken (a visit marked overdue, an SOS)."""

    def __init__(self, db: Database, settings: Settings, channels: dict[str, Channel] | None = None) -> None:
        super().__init__(settings.escalation_poll_seconds, _TIMER)
        self.db = db
        self.settings = settings
        self.channels = channels or build(settings)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"[:80]

    # -- one pass ---------------------------------------------------------------------------
    def tick(self) -> int:
        """Claim and send what is due; the number of steps handled."""
        tokens.ensure_key(self.db)
        handled = 0
        for step_id in self.claim():
            self.handle(step_id)
            handled += 1
        return handled

    def claim(self, limit: int = 20) -> list[int]:
        now = timeutil.utcnow()
        text = timeutil.to_text(now)
        pending = sa.and_(escalation_steps.c.status == "pending", escalation_steps.c.next_attempt_at <= text)
        abandoned = sa.and_(escalation_steps.c.status == "sending", escalation_steps.c.claimed_until < text)
        due = sa.or_(pending, abandoned)
        with self.db.read() as conn:  # a look first: an idle pass takes no write lock
            if conn.execute(sa.select(escalation_steps.c.id).where(due).limit(1)).first() is None:
                return []
        with self.db.write() as conn:
            rows = conn.execute(
                sa.select(escalation_steps.c.id)
                .where(due)
                .order_by(escalation_steps.c.next_attempt_at, escalation_steps.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            ids = [r.id for r in rows]
            if ids:
                until = timeutil.to_text(now + timedelta(seconds=self.settings.escalation_claim_seconds))
                conn.execute(
                    escalation_steps.update()
                    .where(escalation_steps.c.id.in_(ids))
                    .values(
                        status="sending",
                        claimed_until=until,
                        claimed_by=self.name,
                        attempts=escalation_steps.c.attempts + 1,
                    )
                )
        return ids

    def handle(self, step_id: int) -> None:
        try:
            out = self._prepare(step_id)
            if out is None:
                return
            step, outgoing = out
            for item in outgoing:
                self._send(item, step.id)
            self._record(step_id, outgoing)
        except Exception as exc:  # one bad step must not stop the others; its lease lets it be retried
            log.warning("escalation step %s failed: %s", step_id, type(exc).__name__)

    # -- the three transactions ---------------------------------------------------------------
    def _load(self, conn: Connection, step_id: int) -> tuple[Any, Any, store.Stored | None]:
        step = conn.execute(
            sa.select(escalation_steps).where(escalation_steps.c.id == step_id).with_for_update()
        ).first()
        row = chain.chain_row(conn, step.escalation_id) if step is not None else None
        visit = store.load(conn, row.visit_id) if row is not None else None
        return step, row, visit

    def _finish(self, conn: Connection, step: Any, status: str) -> None:
        conn.execute(
            escalation_steps.update()
            .where(escalation_steps.c.id == step.id)
            .values(status=status, done_at=timeutil.now_text(), claimed_until=None)
        )

    def _bring_forward(self, conn: Connection, step: Any) -> None:
        """The next step is due now: this one is over without anyone told."""
        now = timeutil.now_text()
        conn.execute(
            escalation_steps.update()
            .where(
                escalation_steps.c.escalation_id == step.escalation_id,
                escalation_steps.c.position == step.position + 1,
                escalation_steps.c.repeat == step.repeat,  # a repeat keeps its interval
                escalation_steps.c.status == "pending",
                escalation_steps.c.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
        )

    def _prepare(self, step_id: int) -> tuple[Any, list[Outgoing]] | None:
        with self.db.write() as conn:
            writer = FeedWriter(conn)  # the feed lock first, as every writer of entries takes it
            try:
                return self._prepare_in(conn, writer, step_id)
            finally:
                writer.close()

    def _prepare_in(
        self, conn: Connection, writer: FeedWriter, step_id: int
    ) -> tuple[Any, list[Outgoing]] | None:
        step, row, visit = self._load(conn, step_id)
        if step is None or row is None or step.status != "sending" or step.claimed_by != self.name:
            return None  # ended, or claimed by another after our lease ran out
        why = chain.why_over(conn, row, visit) if row.ended_at is None else row.ended_why
        if why is not None or visit is None:
            chain.stop(conn, row, visit, why or "the visit was removed", writer)
            self._finish(conn, step, "cancelled")
            return None
        now = timeutil.now_text()
        late_by = (timeutil.utcnow() - timeutil.parse(step.due_at)).total_seconds()
        late = step.due_at if late_by > self.settings.escalation_late_seconds else None
        later_due = conn.execute(
            sa.select(escalation_steps.c.id).where(
                escalation_steps.c.escalation_id == step.escalation_id,
                escalation_steps.c.position > step.position,
                escalation_steps.c.status.in_(chain.OPEN_STEPS),
                escalation_steps.c.due_at > step.due_at,
                escalation_steps.c.due_at <= now,
            )
        ).first()
        target = step.target
        # A step whose target is due again already (a repeat, after an outage) is not worth sending.
        again_due = conn.execute(
            sa.select(escalation_steps.c.id).where(
                escalation_steps.c.escalation_id == step.escalation_id,
                escalation_steps.c.position > step.position,
                escalation_steps.c.target == step.target,
                escalation_steps.c.status.in_(chain.OPEN_STEPS),
                escalation_steps.c.due_at <= now,
            )
        ).first()
        if ((late and later_due is not None) or again_due is not None) and step.attempts == 1:
            self._finish(conn, step, "late_skipped")
            entries.record(
                conn,
                visit,
                entries.FAILED,
                f"Alert to {recipients.WORDS[target]} not sent: it was overtaken by a later step "
                "(the alert service was behind).",
                writer,
            )
            return None
        found = recipients.find(conn, target, visit, self.settings)
        if step.attempts == 1:
            for person in found.unreachable:
                entries.record(
                    conn,
                    visit,
                    entries.FAILED,
                    f"No contact details to alert {_who(person, target)}: skipped.",
                    writer,
                )
        if not found.reachable:
            if not found.unreachable:
                entries.record(
                    conn,
                    visit,
                    entries.FAILED,
                    f"Nobody to alert as {recipients.WORDS[target]}: step skipped.",
                    writer,
                )
            self._finish(conn, step, "skipped")
            self._bring_forward(conn, step)
            return None
        worker_id = str(visit.data.get("worker_id") or "")
        worker = contacts_of(conn, [worker_id]).get(worker_id) if worker_id else None
        worker_name = worker.display_name if worker else "The worker"
        base = self.settings.public_url.rstrip("/")
        done = chain.people_did(conn, visit.id, row.started_at)
        outgoing = []
        for person in found.reachable:
            tries = [
                (name, address)
                for name in person.channels
                if (address := recipients.address_for(person, name, self.settings)) and name in self.channels
            ]
            issued = tokens.issue(
                conn, row.id, person.user_id or None, tries[0][0], self.settings.ack_link_hours
            )
            message = messages.compose(
                visit=visit,
                worker_name=worker_name,
                target=target,
                reason=row.reason,
                ack_url=f"{base}/ack/{issued.token}",
                ack_code=issued.code,
                urgent=step.urgent,
                late_since=late,
                repeat=step.repeat,
                recorded=done,
            )
            outgoing.append(Outgoing(person, message, tries))
        return step, outgoing

    def _send(self, item: Outgoing, step_id: int) -> None:
        for name, address in item.tries:
            try:
                self.channels[name].send(item.message, address)
            except ChannelError as exc:
                log.warning("escalation step %s: %s failed: %s", step_id, name, exc)
                item.failures.append(f"{CHANNEL_WORDS[name]}: {exc}")
                continue
            item.sent_by = name
            log.info("escalation step %s: sent by %s", step_id, name)
            return

    def _record(self, step_id: int, outgoing: list[Outgoing]) -> None:
        with self.db.write() as conn:
            writer = FeedWriter(conn)
            step, _row, visit = self._load(conn, step_id)
            if step is None or visit is None:
                writer.close()
                return
            target = step.target
            late = (
                " (sent late)"
                if outgoing and outgoing[0].message.body.startswith("This alert is late")
                else ""
            )
            if step.repeat:
                times = self.settings.escalation_max_repeats
                late += f" (sent again, {step.repeat} of {times}: nobody had answered)"
            for item in outgoing:
                who = _who(item.contact, target)
                if item.sent_by:
                    tried = f" after {'; '.join(item.failures)}" if item.failures else ""
                    entries.record(
                        conn,
                        visit,
                        entries.NOTIFIED,
                        f"Alerted {who} by {CHANNEL_WORDS[item.sent_by]}{late}{tried}.",
                        writer,
                    )
                else:
                    entries.record(
                        conn,
                        visit,
                        entries.FAILED,
                        f"Could not alert {who}: {'; '.join(item.failures) or 'no channel'}.",
                        writer,
                    )
            if step.status != "sending":
                pass  # the chain ended while this step was out (acknowledged): it stays cancelled
            elif any(item.sent_by for item in outgoing):
                self._finish(conn, step, "sent")
            elif step.attempts < self.settings.escalation_attempts:
                wait = self.settings.escalation_retry_seconds * 2 ** (step.attempts - 1)
                again = timeutil.to_text(timeutil.utcnow() + timedelta(seconds=wait))
                conn.execute(
                    escalation_steps.update()
                    .where(escalation_steps.c.id == step.id)
                    .values(status="pending", next_attempt_at=again, claimed_until=None)
                )
                entries.record(
                    conn,
                    visit,
                    entries.FAILED,
                    f"Will try {recipients.WORDS[target]} again (attempt {step.attempts + 1} of "
                    f"{self.settings.escalation_attempts}).",
                    writer,
                )
            else:
                self._finish(conn, step, "failed")
                self._bring_forward(conn, step)
            writer.close()

    # -- the loop ----------------------------------------------------------------------------
    def settle(self) -> int:
        """End open chains whose visit was checked out, extended or marked safe since (so the
        "alerts stopped" entry comes promptly, not only when the next step falls due)."""
        stopped = 0
        # Chains whose links are still good: an older chain nobody answered stays open (its
        # steps all done) but is not looked at again.
        since = timeutil.to_text(timeutil.utcnow() - timedelta(hours=self.settings.ack_link_hours))
        with self.db.read() as conn:
            query = sa.select(escalations.c.id).where(
                escalations.c.ended_at.is_(None), escalations.c.started_at >= since
            )
            open_ids = [r.id for r in conn.execute(query)]
        for chain_id in open_ids:
            with self.db.read() as conn:  # a look first: the feed lock only when there is work
                row = chain.chain_row(conn, chain_id)
                visit = store.load(conn, row.visit_id) if row is not None else None
                if row is None or chain.why_over(conn, row, visit) is None:
                    continue
            with self.db.write() as conn:
                writer = FeedWriter(conn)
                row = chain.chain_row(conn, chain_id)
                visit = store.load(conn, row.visit_id) if row is not None else None
                why = chain.why_over(conn, row, visit) if row is not None and row.ended_at is None else None
                if why is not None:
                    stopped += chain.stop(conn, row, visit, why, writer)
                writer.close()
        return stopped

    def work(self) -> None:
        self.settle()
        self.tick()

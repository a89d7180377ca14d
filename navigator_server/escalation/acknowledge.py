"""Acknowledging an alert from its link or code: "seen, I am dealing with it"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from navigator_server import store
from navigator_server.escalation import chain, entries, tokens
from navigator_server.escalation.contacts import contacts_of
from navigator_server.escalation.messages import visit_ref
from navigator_server.escalation.recipients import LAST_RESORT_NAME
from navigator_server.feed import FeedWriter


@dataclass(frozen=True)
class Outcome:
    check: tokens.Check
    visit_ref: str = ""
    already: str = ""  # the chain had ended already: why


def acknowledge(conn: Connection, token: str | None = None, code: str | None = None) -> Outcome:
    """Use the token (once), end its chain and write the entry; the outcome for the page."""
    writer = FeedWriter(conn)  # the feed lock first, as every writer of entries takes it
    try:
        check, row = tokens.find(conn, token) if token is not None else tokens.find_code(conn, code or "")
        if check is not tokens.Check.GOOD or not tokens.use(conn, row):
            return Outcome(check if check is not tokens.Check.GOOD else tokens.Check.USED)
        found = chain.chain_row(conn, row.escalation_id)
        visit = store.load(conn, found.visit_id)
        ref = visit_ref(found.visit_id)
        if found.ended_at is not None:
            return Outcome(check, ref, found.ended_why or "the alerts had stopped")
        person = contacts_of(conn, [row.user_id]).get(row.user_id) if row.user_id else None
        name = person.display_name if person else LAST_RESORT_NAME
        chain.stop(conn, found, visit, "acknowledged", writer, acknowledged_by=row.user_id or "last_resort")
        if visit is not None:
            how = "code" if token is None else "link"
            entries.record(
                conn,
                visit,
                entries.ACKNOWLEDGED,
                f"{name} acknowledged the alert by its {how} (seen, dealing with it): "
                "the other alerts stopped.",
                writer,
            )
        return Outcome(check, ref)
    finally:
        writer.close()

"""Pulling changes: the feed since a cursor, in pages, cut down to what the caller may hold.

Each page item is the record's *current* state (Kinto's model), so a record that changed several
times in a page is sent once, at its last place. A record the caller may hold at most in part is
sent as its on-call summary projection. A record of their team that they may no longer hold (a
resolved risk flag, a client moved off their caseload) is sent as a bare ``access: "none"`` item:
its kind and id and nothing else, which tells the laptop to forget it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.policy import (
    Access,
    Actor,
    ClientFacts,
    break_glass_access,
    break_glass_refusal,
    conflict_access,
    read_access,
)
from navigator_server import feed, retention, store
from navigator_server.accounts import audit

log = logging.getLogger("navigator_server.pull")


class BreakGlassError(Exception):
    pass


def pull(
    conn: Connection, actor: Actor, since: int, limit: int, *, retention_days: int | None = None
) -> dict[str, Any]:
    page = feed.read(conn, actor.team_id, since, limit)
    latest: dict[tuple[str, str], feed.Change] = {}
    for change in page:
        latest[(change.kind, change.record_id)] = change
    wanted = sorted(latest.values(), key=lambda c: c.seq)
    rows = store.load_many(conn, [c.record_id for c in wanted if c.kind != "conflict"])
    conflict_rows = store.conflict_rows(conn, [c.record_id for c in wanted if c.kind == "conflict"])
    # The clients' facts the policy needs, from this page's rows where they are in it, and one
    # query per 500 for the rest (never a query per row).
    clients: dict[str, ClientFacts] = {}
    missing: set[str] = set()
    for cid in {c.client_id for c in wanted if c.client_id}:
        facts = store.client_facts_of(rows.get(cid))
        if facts is not None:
            clients[cid] = facts
        else:
            missing.add(cid)
    if missing:
        clients.update(store.load_clients(conn, missing))
    now = timeutil.now_text()
    # Discharged clients past the laptops' retention period are sent as "none": laptops forget them.
    off_laptops: set[str] = set()
    if retention_days is not None:
        today = timeutil.local(timeutil.parse(now)).date()
        off_laptops = retention.clients_off_laptops(conn, clients, today, retention_days)
    items: list[dict[str, Any]] = []
    for change in wanted:
        if change.kind == "conflict":
            row = conflict_rows.get(change.record_id)
            target = rows.get(row.record_id) if row is not None else None
            if row is not None and target is None:
                target = store.load(conn, row.record_id)
            access = Access.NONE
            if row is not None and target is not None:
                access = conflict_access(actor, store.facts_for(target, clients), now)
                if target.client_id in off_laptops:
                    access = Access.NONE
            items.append(
                store.conflict_item(change.seq, row, access)
                if row is not None
                else {"seq": change.seq, "kind": "conflict", "id": change.record_id, "access": "none"}
            )
            continue
        stored = rows.get(change.record_id)
        if stored is None:
            continue  # cannot happen: records are never removed
        access = read_access(actor, store.facts_for(stored, clients), now)
        if change.client_id in off_laptops:
            access = Access.NONE
        items.append(stored.as_item(change.seq, access))
    cursor = page[-1].seq if page else since
    log.debug("pull user=%s since=%d items=%d", actor.user_id, since, len(items))
    return {"changes": items, "cursor": cursor, "more": len(page) == limit}


def break_glass(
    conn: Connection, actor: Actor, device_id: str, client_id: str, reason: str
) -> dict[str, Any]:
    """Every record about one client of the caller's team, with the reason recorded first."""
    stored = store.load(conn, client_id)
    client = store.client_facts_of(stored)
    refusal = break_glass_refusal(actor, client, reason)
    if refusal:
        raise BreakGlassError(refusal)
    assert stored is not None
    audit(
        conn,
        "break_glass",
        actor_id=actor.user_id,
        device_id=device_id,
        target_kind="client",
        target_id=client_id,
        reason=reason.strip(),
    )
    log.info("break-glass read user=%s device=%s", actor.user_id, device_id)
    full = Access.FULL
    found = [stored.as_item(0, full)] + [
        s.as_item(0, full)
        for s in store.of_client(conn, client_id)
        if break_glass_access(actor, s.facts(client)) is full
    ]
    for item in found:
        item.pop("seq")
    return {"client_id": client_id, "records": found}

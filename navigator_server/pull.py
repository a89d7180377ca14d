"""Pulling changes: the feed since a cursor, in pages, cut down to what the caller may hold.

Each page item is the record's *current* state (Kinto's model), so a record that changed several
times in a page is sent once, at its last place. A record the caller may hold at most in part is
sent as its on-call summary projection. A record of their team that they may no longer hold (a
resolved risk flag, a client moved off their caseload) is sent as a bare ``access: "none"`` item:
its kind and id and nothing else, which tells the laptop to forget it. Only a laptop that could
hold it is told so: one whose cursor had reached the record's first place in the feed
(``created_seq``; a conflict's first feed entry). A laptop syncing from before that never
received it in any form, and is not told that a record it may not see exists (issue 19).

A page is built as JSON (``page_json``): a record the caller holds in full goes out as the stored
documents' own text, never parsed, and a document is parsed only when the policy reads a value
from it or a summary must be cut from it. The initial sync of a laptop is hundreds of thousands of
records, and parsing and re-encoding each was most of the server's time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ParamSpec

import orjson
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.policy import (
    Access,
    Actor,
    ClientFacts,
    RecordFacts,
    break_glass_access,
    break_glass_refusal,
    conflict_access,
    project,
    read_access,
)
from navigator_server import retention, store
from navigator_server.accounts import audit
from navigator_server.merge import DELETED
from navigator_server.metrics import PULL_ITEMS

log = logging.getLogger("navigator_server.pull")
_P = ParamSpec("_P")


class BreakGlassError(Exception):
    pass


class _Doc(Mapping[str, Any]):
    """A stored JSON document, parsed the first time something reads it."""

    __slots__ = ("_value", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._value: dict[str, Any] | None = None

    @property
    def value(self) -> dict[str, Any]:
        if self._value is None:
            self._value = store.parse_doc(self.text)
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self.value[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.value.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)


def page_json(
    conn: Connection,
    actor: Actor,
    since: int,
    limit: int,
    *,
    retention_days: int | None = None,
    max_bytes: int | None = None,
) -> bytes:
    """The changes after `since` that `actor` may hold, at most `limit` read from the feed and
    about `max_bytes` of records, as the JSON body of ``GET /v1/changes``: ``{"changes": [...],
    "cursor": n, "more": bool}``.

    A page cut short by `max_bytes` ends at the last change it read (store.feed_page)."""
    more, cursor, rows = store.feed_page(conn, actor.team_id, since, limit, max_bytes)
    conflict_rows = store.conflict_rows(conn, [r[2] for r in rows if r[1] == "conflict"])
    # The records the page's conflicts are about, in one query (a conflict's row carries none).
    targets = store.load_many(conn, {c.record_id for c in conflict_rows.values()})
    # The clients' facts the policy needs, from this page's rows where they are in it, and one
    # query per 500 for the rest (never a query per row).
    # The discharged among them, for the retention rule, from the same rows and query.
    clients: dict[str, ClientFacts] = {}
    discharged: dict[str, store.Discharge] = {}
    for r in rows:
        if r[1] == "client" and r[4]:
            doc = store.parse_doc(r[4])
            clients[r[2]] = ClientFacts.from_values(r[2], doc)
            store.discharge_of(r[2], doc, r[5], discharged)
    missing = {r[3] for r in rows if r[3] and r[3] not in clients}
    if missing:
        clients.update(store.load_clients(conn, missing, discharged))
    now = timeutil.now_text()
    # Discharged clients past the laptops' retention period are sent as "none": laptops forget them.
    off_laptops: set[str] = set()
    if retention_days is not None:
        today = timeutil.local(timeutil.parse(now)).date()
        off_laptops = retention.off_laptops(discharged, today, retention_days)
    items: list[dict[str, Any]] = []
    add = items.append
    parse, fragment, full, none = store.parse_doc, orjson.Fragment, Access.FULL, Access.NONE
    team_id = actor.team_id  # every row of the page is the team's (store.feed_page)
    conflicts_out: list[dict[str, Any]] = []
    for row in rows:
        seq, kind, record_id, client_id, data, stamps, meta, deleted, author, created = row
        if kind == "conflict":
            item = _conflict_item(actor, seq, record_id, conflict_rows, targets, clients, off_laptops, now)
            add(item)
            if item["access"] == "none":
                conflicts_out.append(item)
            continue
        if data is None:
            continue  # cannot happen: records are never removed
        access = none
        values = _Doc(data)
        if client_id not in off_laptops:
            client = clients.get(record_id if kind == "client" else client_id)  # type: ignore[arg-type]
            facts = RecordFacts(kind, team_id, client, values, author or None, bool(deleted))
            access = read_access(actor, facts, now)
        if access is full:
            # Every stamped field is in the data (a push stamps what it writes; see merge.py), so
            # a record held in full goes out as stored, its JSON never parsed here.
            add(
                {
                    "seq": seq,
                    "kind": kind,
                    "id": record_id,
                    "access": "full",
                    "deleted": bool(deleted),
                    "data": fragment(data),
                    "field_stamps": fragment(stamps),
                    "meta": fragment(meta),
                }
            )
        elif access is none:
            if created is not None and created <= since:  # else this laptop never held it
                add({"seq": seq, "kind": kind, "id": record_id, "access": "none"})
        else:
            summary = project(kind, values, access)
            kept = {k: v for k, v in parse(stamps).items() if k in summary or k == DELETED}
            add(
                {
                    "seq": seq,
                    "kind": kind,
                    "id": record_id,
                    "access": access.name.lower(),
                    "deleted": bool(deleted),
                    "data": summary,
                    "field_stamps": kept,
                    "meta": fragment(meta),
                }
            )
    if conflicts_out:
        first = store.first_seqs(conn, [item["id"] for item in conflicts_out])
        never_held = {id(item) for item in conflicts_out if first.get(item["id"], since + 1) > since}
        items = [item for item in items if id(item) not in never_held]
    log.debug("pull user=%s since=%d items=%d", actor.user_id, since, len(items))
    PULL_ITEMS.observe(len(items))
    return orjson.dumps({"changes": items, "cursor": cursor, "more": more})


def _parsed(build: Callable[_P, bytes]) -> Callable[_P, dict[str, Any]]:
    def parsed(*args: _P.args, **kwargs: _P.kwargs) -> dict[str, Any]:
        page: dict[str, Any] = orjson.loads(build(*args, **kwargs))
        return page

    return parsed


# A page as the laptop receives it, parsed (for tests and tools: the same path as the API).
pull = _parsed(page_json)


def _conflict_item(
    actor: Actor,
    seq: int,
    conflict_id: str,
    conflict_rows: dict[str, Any],
    targets: dict[str, store.Stored],
    clients: dict[str, ClientFacts],
    off_laptops: set[str],
    now: str,
) -> dict[str, Any]:
    found = conflict_rows.get(conflict_id)
    if found is None:
        return {"seq": seq, "kind": "conflict", "id": conflict_id, "access": "none"}
    target = targets.get(found.record_id)
    access = Access.NONE
    if target is not None:
        access = conflict_access(actor, store.facts_for(target, clients), now)
        if target.client_id in off_laptops:
            access = Access.NONE
    return store.conflict_item(seq, found, access)


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

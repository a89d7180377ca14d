"""Applying one pulled page to the local store, with the new cursor, in ONE transaction.

Each item is the record's current state on the central store (already merged there). It replaces
the local row, except that a field changed here and not yet acknowledged (a pending outbox
operation) keeps its local value when its stamp is the later: that change is still on its way, and
the central store will merge it (and record the conflict, if any) when it arrives. So a sync never
overwrites, nor marks as synced, what someone changed on this laptop while the sync was running
(the Kinto rule). ``access: "none"`` means the record left this user's scope: it is removed here.
A ``conflict`` item is kept for review, the same one on every laptop; a ``conflict_resolution``
entry (a person's decision, made here or elsewhere) settles it, in whichever order they arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Protocol

from navigator_core import hlc, timeutil
from navigator_core.kinds import KINDS
from navigator_desktop.store import bulk, conflicts, context, pulled, settings
from navigator_desktop.store.changes import Action, Change
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.search import queue as search_queue
from navigator_desktop.store.search.index_file import Entry

log = logging.getLogger("navigator.sync.apply")

Item = Mapping[str, Any]
_DELETED = "_deleted"


class Local(Protocol):
    """What a sync step runs against: the open store and the signed-in actor (Session fits)."""

    @property
    def db(self) -> Database: ...

    actor: Actor | None


@dataclass
class PageResult:
    pulled: int = 0
    forgotten: int = 0
    conflicts: int = 0
    risk_conflicts: int = 0
    resolved: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    client_ids: set[str] = field(default_factory=set)
    changes: list[Change] = field(default_factory=list)  # as a local write describes its own


def apply_page(local: Local, items: Sequence[Item], cursor: int) -> PageResult:
    db = local.db
    result = PageResult()
    now = timeutil.now_text()
    with db.transaction(savepoint=False):
        pending = pulled.pending_changes(db)
        newest = ""
        found: list[Entry] = []  # the records written, for the search index
        for kind, group in groupby(items, key=lambda item: str(item.get("kind"))):
            batch = list(group)
            if kind == "conflict":
                for item in batch:
                    _conflict(db, item, now, result)
                continue
            spec = KINDS.get(kind)
            if spec is None:
                log.warning("pulled an unknown kind; skipped")
                continue
            # Most items go straight from the wire into the table (bulk.load_items); those that
            # need a look first (local changes pending, decisions and audit events read after) go
            # through dict rows.
            read_after = kind in ("audit_event", conflicts.DECISION_KIND)
            client_field = spec.client_field if spec.client_field not in (None, "id") else None
            rows: list[dict[str, Any]] = []
            fast: list[Item] = []
            gone: list[str] = []
            for item in batch:
                record_id = str(item["id"])
                cid = record_id if kind == "client" else None
                if client_field is not None:
                    cid = (item.get("data") or {}).get(client_field)
                if item.get("access") == "none":
                    if record_id in pending:
                        # Left our scope with changes the store has not taken: keep them here.
                        log.warning("a record left scope with unsettled local changes; kept")
                        continue
                    gone.append(record_id)
                    result.changes.append(Change(kind, record_id, str(cid) if cid else None, Action.DELETE))
                    continue
                result.changes.append(Change(kind, record_id, str(cid) if cid else None, Action.LOADED))
                local_changes = None
                if spec.mutable:
                    stamps = item.get("field_stamps")
                    if stamps:
                        newest = max(newest, max(stamps.values()))
                    local_changes = pending.get(record_id)
                if local_changes is not None or read_after:
                    row = _row(spec.mutable, item)
                    if local_changes is not None:
                        row = pulled.keep_local(db, spec, row, local_changes)
                    rows.append(row)
                else:
                    fast.append(item)
                if cid:
                    result.client_ids.add(str(cid))
            # The search index takes these records from their values, on the indexer's thread
            # once this commits (store/search/queue.py): the triggers are paused for these writes.
            with search_queue.paused(db):
                if gone:
                    pulled.forget(db, spec.table, gone)
                if fast:
                    bulk.load_items(db, kind, fast, now)
                if rows:
                    bulk.load(db, kind, rows, refreshed_at=now, index=False)
            result.forgotten += len(gone)
            if kind in search_queue.SEARCHABLE:
                found += [search_queue.entry(kind, record_id, None) for record_id in gone]
                found += [
                    search_queue.entry(kind, str(i["id"]), i.get("data") or {}, bool(i.get("deleted")))
                    for i in fast
                ]
                found += [search_queue.entry(kind, str(r["id"]), r, bool(r.get("deleted"))) for r in rows]
            if fast or rows:
                result.pulled += len(fast) + len(rows)
                result.by_kind[kind] = result.by_kind.get(kind, 0) + len(fast) + len(rows)
            if kind == "audit_event":
                for row in rows:
                    result.resolved += conflicts.apply_resolution_event(db, row)
            elif kind == conflicts.DECISION_KIND:
                result.resolved += conflicts.apply_decisions(db, rows)
        search_queue.hand_over(db, found)
        if newest and local.actor is not None:
            try:
                context.observe(db, local.actor, newest)
            except hlc.ClockError:
                log.warning("a pulled stamp is far in the future; the clock did not follow it")
        settings.put(db, settings.SYNC_CURSOR, str(cursor))
    return result


def _row(mutable: bool, item: Item) -> dict[str, Any]:
    data = dict(item.get("data") or {})
    meta = item.get("meta") or {}
    row: dict[str, Any] = {**data, "id": item["id"]}
    if mutable:
        row.update({k: meta.get(k) for k in ("created_by", "created_at", "updated_by", "updated_at")})
        row["field_stamps"] = dict(item.get("field_stamps") or {})
        row["deleted"] = bool(item.get("deleted"))
    else:
        row.update(
            {k: meta.get(k) for k in ("author_id", "device_id", "recorded_at", "amends_id", "amend_reason")}
        )
    return row


def _conflict(db: Database, item: Item, now: str, result: PageResult) -> None:
    data = item.get("data")
    if item.get("access") != "full" or not isinstance(data, Mapping):
        return  # the record itself, leaving scope, takes its conflicts with it
    winner, loser = data.get("winner") or {}, data.get("loser") or {}
    kind = str(data.get("kind"))
    added = conflicts.record(
        db,
        kind=kind,
        record_id=str(data.get("record_id")),
        client_id=data.get("client_id"),
        field=str(data.get("field")),
        kept=(winner.get("value"), str(winner.get("stamp", "")), winner.get("author")),
        lost=(loser.get("value"), str(loser.get("stamp", "")), loser.get("author")),
        detected_at=str(data.get("created_at") or now),
    )
    if added:
        result.conflicts += 1
        result.risk_conflicts += kind == conflicts.RISK_KIND

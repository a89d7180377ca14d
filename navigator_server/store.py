"""The records: rows of the generic ``records`` table (and the ``conflicts`` kept beside them)
read back with the facts the policy needs, and written. Every insert or update of those tables
goes through the functions here (tests/server/test_layering.py holds the rule)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import hlc, timeutil
from navigator_core.fields import new_id
from navigator_core.policy import Access, ClientFacts, RecordFacts, project
from navigator_server.db import bulk_insert, one_of, per_engine, rows_for_ids
from navigator_server.feed import FeedWriter
from navigator_server.merge import DELETED
from navigator_server.schema import changes, client_facts, conflicts, devices, records

SERVER = "server"  # the device (in clock stamps) and author (in meta) of the store's own changes


@dataclass(frozen=True, slots=True)
class Stored:
    id: str
    kind: str
    team_id: str
    client_id: str | None
    data: dict[str, Any]
    field_stamps: dict[str, str]
    meta: dict[str, Any]
    deleted: bool

    @property
    def author_id(self) -> str | None:
        return author_of(self.meta)

    def facts(self, client: ClientFacts | None) -> RecordFacts:
        return RecordFacts(self.kind, self.team_id, client, self.data, self.author_id, self.deleted)

    def as_item(self, seq: int, access: Access) -> dict[str, Any]:
        """The record as a pull or break-glass answer carries it, cut down to `access`."""
        item: dict[str, Any] = {"seq": seq, "kind": self.kind, "id": self.id, "access": access.name.lower()}
        if access is Access.NONE:
            return item
        data = project(self.kind, self.data, access)
        if self.field_stamps.keys() <= data.keys():
            stamps = dict(self.field_stamps)  # the usual case, without a loop in Python
        else:
            stamps = {k: v for k, v in self.field_stamps.items() if k in data or k == DELETED}
        item.update(deleted=self.deleted, data=data, field_stamps=stamps, meta=self.meta)
        return item


def author_of(meta: dict[str, Any]) -> str | None:
    """Who wrote a record, as the policy reads it: an entry's author, else whoever created it."""
    return meta.get("author_id") or meta.get("created_by")


def parse_doc(value: Any) -> dict[str, Any]:
    """A stored JSON document: parsed here with orjson from the text the query asks for (see
    _COLUMNS), several times faster than the standard library a pull of many records would
    otherwise use; the standard library takes what orjson refuses (integers beyond 64 bits)."""
    if isinstance(value, str | bytes):
        try:
            found = orjson.loads(value)
        except orjson.JSONDecodeError:
            found = json.loads(value)
        return found if type(found) is dict else dict(found)
    return dict(value)


def _stored(row: Any) -> Stored:
    return Stored(
        row.id,
        row.kind,
        row.team_id,
        row.client_id,
        parse_doc(row.data),
        parse_doc(row.field_stamps),
        parse_doc(row.meta),
        bool(row.deleted),
    )


# The JSON columns as text, parsed by _doc, on both engines: psycopg would otherwise parse JSONB
# with the standard library, and SQLAlchemy would run its own JSON processing on SQLite.
_JSON_COLUMNS = ("data", "field_stamps", "meta")
_COLUMNS = [sa.cast(c, sa.Text).label(c.name) if c.name in _JSON_COLUMNS else c for c in records.c]


def load(conn: Connection, record_id: str) -> Stored | None:
    row = conn.execute(sa.select(*_COLUMNS).where(records.c.id == record_id)).first()
    return _stored(row) if row else None


_LOAD_MANY = per_engine(lambda postgres: sa.select(*_COLUMNS).where(one_of(records.c.id, postgres)))


def load_many(conn: Connection, ids: Iterable[str]) -> dict[str, Stored]:
    return {row.id: _stored(row) for row in rows_for_ids(conn, _LOAD_MANY, ids)}


# A page of the feed, as plain tuples in this order (FeedRow): the team's records in the order of
# their last place in the feed (updated_seq), merged with the team's conflicts from the feed. Each
# record comes once, at its last place: Kinto's model, in which a pull sends a record's current
# state; reading the records in that order needs no join of the feed to them, which was a good
# part of a pull's cost on PostgreSQL. A conflict's row has no record columns (conflicts have their
# own table). The two are merged here, not by a UNION in SQL: PostgreSQL (15) sorts every row of a
# UNION's branches before the first comes out, and a page must stream.
_FEED_RECORDS = (
    sa.select(
        records.c.updated_seq,
        records.c.kind,
        records.c.id,
        records.c.client_id,
        # The documents as stored, no cast: PostgreSQL's json is its text as written (the
        # driver's cursor is told to hand it over as text: _driver_rows), SQLite's is text.
        sa.type_coerce(records.c.data, sa.Text),
        sa.type_coerce(records.c.field_stamps, sa.Text),
        sa.type_coerce(records.c.meta, sa.Text),
        records.c.deleted,
        records.c.author_id,
        records.c.created_seq,  # a reader whose cursor is below it never held the record
    )
    .where(records.c.team_id == sa.bindparam("team_id"), records.c.updated_seq > sa.bindparam("since"))
    .order_by(records.c.updated_seq)
    .limit(sa.bindparam("limit"))
)
_FEED_CONFLICTS = (
    sa.select(changes.c.seq, changes.c.kind, changes.c.record_id, changes.c.client_id)
    .where(
        changes.c.team_id == sa.bindparam("team_id"),
        changes.c.seq > sa.bindparam("since"),
        sa.text("changes.kind = 'conflict'"),  # as written, so that the partial index serves it
    )
    .order_by(changes.c.seq)
    .limit(sa.bindparam("limit"))
)
# seq, kind, record id, client id, then the record's data, field stamps and meta (JSON text),
# deleted, author and created_seq; these are None for a conflict. (Every row is of the team asked
# for: the team is not sent again with each.)
FeedRow = tuple[int, str, str, str | None, str, str, str, bool, str | None, int | None]


def feed_page(
    conn: Connection, team_id: str, since: int, limit: int, max_bytes: int | None = None
) -> tuple[bool, int, list[FeedRow]]:
    """The team's feed after `since`: at most `limit` records and conflicts, by their last place
    in the feed, and no more once the records read come to `max_bytes`. Returns whether the feed
    may go on past the rows read, the last one's place (`since` when none) and the rows, each
    record in its current state (a record changed several times since `since` comes once, at its
    last place: Kinto's model; a conflict announced again comes once, at its last).

    The rows are taken from the driver's cursor as they are, in chunks (SQLite computes them as
    they are taken, PostgreSQL as each chunk is asked for, so a page cut short by its size reads
    little further): the columns need no conversion, and building a result row object for each
    of a page's thousands was a good part of a pull. Once the first chunk has shown how large the
    rows run, each chunk asks for most of what the rest of `max_bytes` should hold (_next_chunk):
    fixed chunks of 250 took eleven round trips a page and read half a chunk past the cut, wasted
    (now five, and a small chunk at most, for a team's initial sync)."""
    params = {"team_id": team_id, "since": since, "limit": limit}
    rows: list[FeedRow] = []
    size, full, want = 0, False, _FETCH
    with _driver_rows(conn, params) as fetchmany:
        while chunk := fetchmany(want):
            if max_bytes is None:
                rows += chunk
            else:
                for row in chunk:
                    rows.append(row)
                    size += len(row[4]) + len(row[5]) + len(row[6])
                    if size > max_bytes:
                        full = True
                        break
            # A chunk short of what was asked was the last; a page at its limit has no more.
            if full or len(chunk) < want or len(rows) == limit:
                break
            want = _next_chunk(len(rows), size, limit, max_bytes)
    more = full or len(rows) == limit  # records may follow the last one read
    found = [cast(FeedRow, (*c, *_NO_RECORD)) for c in _conflict_rows(conn, params)]
    if found:
        # The conflicts before the next unread record (all, when none is left), in their places.
        before = rows[-1][0] if more else None
        found = [c for c in found if before is None or c[0] < before]
        rows = sorted(rows + found, key=lambda r: r[0])
        more = more or len(rows) >= limit
        del rows[limit:]
    if not rows:
        return False, since, []
    latest: dict[tuple[str, str], FeedRow] = {}
    for row in rows:
        latest[(row[1], row[2])] = row
    wanted = rows if len(latest) == len(rows) else sorted(latest.values(), key=lambda r: r[0])
    return more, int(rows[-1][0]), wanted


_NO_RECORD = (None,) * 6  # a conflict's row in the feed has no record columns
_FETCH = 250  # feed rows taken from the cursor first (and at a time, with no size to fill)
_MIN_FETCH = 32  # and at least, near a page's end


def _next_chunk(taken: int, size: int, limit: int, max_bytes: int | None) -> int:
    """How many rows to ask for next: three quarters of those the rest of `max_bytes` should hold
    at the size the rows so far ran to (rows later in a page may be larger), and never fewer than
    _MIN_FETCH or more than the page's limit leaves."""
    left = limit - taken
    if max_bytes is None or taken == 0:
        return min(_FETCH, left)
    fits = (max_bytes - size) * taken // max(size, 1)
    return min(left, max(_MIN_FETCH, fits * 3 // 4))


_COMPILED: dict[tuple[str, int], tuple[str, dict[str, Any]]] = {}  # see _compiled


def _compiled(conn: Connection, query: sa.Select[Any]) -> tuple[str, dict[str, Any]]:
    """A page query's text and fixed parameters for this dialect, compiled once, not per page."""
    key = (conn.dialect.name, id(query))
    found = _COMPILED.get(key)
    if found is None:
        compiled = query.compile(dialect=conn.dialect)
        found = _COMPILED[key] = (str(compiled), dict(compiled.params))
    return found


def _conflict_rows(conn: Connection, params: dict[str, Any]) -> Sequence[Any]:
    """The team's conflicts in the feed after the cursor; on PostgreSQL through the driver, as the
    records are (SQLAlchemy's execution was a third of an incremental pull's empty page)."""
    if conn.dialect.name != "postgresql":
        return conn.execute(_FEED_CONFLICTS, params).all()
    return _driver_all(conn, _FEED_CONFLICTS, params)


def _driver_all(conn: Connection, query: sa.Select[Any], params: dict[str, Any]) -> Sequence[Any]:
    """A query's rows as plain tuples from the driver (PostgreSQL), its text compiled once."""
    sql, fixed = _compiled(conn, query)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, {**fixed, **params})
        return cast(Sequence[Any], cursor.fetchall())
    finally:
        cursor.close()


@contextmanager
def _driver_rows(conn: Connection, params: dict[str, Any]) -> Iterator[Callable[[int], Sequence[Any]]]:
    """The query's rows as the driver gives them, `fetchmany(n)` at a time. On PostgreSQL through
    a server-side cursor in the open transaction: the server computes rows as they are fetched, as
    SQLite does, so a page cut short by its size costs no more than it holds (a page of contacts
    stops near half its limit), and a cursor's plan is chosen to start fast: the ordered index
    scan, never a sort of every record after the cursor (which, with no statistics yet, the
    planner chose for a plain query: 1-4 s a page). SQLAlchemy's own streaming is not used: it
    buffers rows ahead of the cursor."""
    if conn.dialect.name != "postgresql":
        result = conn.execute(_FEED_RECORDS, params)
        try:
            yield result.cursor.fetchmany
        finally:
            result.close()
        return
    from psycopg.types.string import TextLoader  # PostgreSQL's driver, here only when it is in use

    sql, fixed = _compiled(conn, _FEED_RECORDS)
    cursor = conn.connection.dbapi_connection.cursor(name="feed_page")  # type: ignore[union-attr]
    cursor.adapters.register_loader("json", TextLoader)  # the documents as text, never parsed here
    try:
        cursor.execute(sql, {**fixed, **params})
        yield cursor.fetchmany
    finally:
        cursor.close()


def client_facts_of(stored: Stored | None) -> ClientFacts | None:
    if stored is None or stored.kind != "client":
        return None
    return ClientFacts.from_values(stored.id, stored.data)


Discharge = tuple[str | None, str | None]  # a discharged client's service discharge date, status stamp

_FACTS_COLUMNS = (
    client_facts.c.client_id,
    client_facts.c.team_id,
    client_facts.c.status,
    client_facts.c.key_worker_id,
    client_facts.c.co_worker_ids,
    client_facts.c.discharged_on,
    client_facts.c.status_stamp,
)
_CLIENTS_QUERY = per_engine(
    lambda postgres: sa.select(*_FACTS_COLUMNS).where(one_of(client_facts.c.client_id, postgres))
)
# On PostgreSQL, through the driver with the ids as one JSON text (a page asks for a few hundred):
# SQLAlchemy's execution and the driver's quoting of an array, id by id, were three quarters of a
# page's facts query (4 ms of 5). JSON, not a separated list, so that no id can be misread.
_CLIENTS_PG = sa.select(*_FACTS_COLUMNS).where(
    sa.text("client_facts.client_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(:ids AS json))))")
)


def load_clients(
    conn: Connection, ids: Iterable[str], discharged: dict[str, Discharge] | None = None
) -> dict[str, ClientFacts]:
    """The policy's facts about these clients, from the small table kept beside their records.
    With `discharged`, the discharged ones are added to it with what the retention rule needs
    (retention.off_laptops), from the same query."""
    rows: Iterable[Sequence[Any]]
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    if conn.dialect.name == "postgresql":
        rows = _driver_all(conn, _CLIENTS_PG, {"ids": orjson.dumps(wanted).decode()})
    else:
        rows = cast(Iterable[Sequence[Any]], rows_for_ids(conn, _CLIENTS_QUERY, wanted))
    facts: dict[str, ClientFacts] = {}
    for client_id, team_id, status, key_worker_id, co_worker_ids, discharged_on, status_stamp in rows:
        facts[client_id] = ClientFacts(
            id=client_id,
            team_id=team_id or "",
            status=status or "",
            key_worker_id=key_worker_id,
            co_worker_ids=frozenset(orjson.loads(co_worker_ids)),
        )
        if discharged is not None and status == "discharged":
            discharged[client_id] = (discharged_on, status_stamp)
    return facts


def _facts_row(client_id: str, data: dict[str, Any], stamps: dict[str, Any]) -> dict[str, Any]:
    """A client's row of client_facts: what load_clients gives back, as from_values reads it."""
    facts = ClientFacts.from_values(client_id, data)
    on, stamp = _discharge(data, stamps)
    return {
        "client_id": client_id,
        "team_id": facts.team_id,
        "status": facts.status,
        "key_worker_id": None if facts.key_worker_id is None else str(facts.key_worker_id),
        "co_worker_ids": orjson.dumps(sorted(facts.co_worker_ids)).decode(),
        "discharged_on": on,
        "status_stamp": stamp,
    }


def _discharge(data: dict[str, Any], stamps: dict[str, Any]) -> Discharge:
    """What the retention rule reads of a client: its service discharge date and status stamp."""
    on, stamp = data.get("service_discharge_date"), stamps.get("status")
    return (on if isinstance(on, str) else None, stamp if isinstance(stamp, str) else None)


_FACTS_INSERT = client_facts.insert()
_FACTS_DELETE = client_facts.delete().where(client_facts.c.client_id == sa.bindparam("client_id"))


def _keep_facts(conn: Connection, record: Stored) -> None:
    if record.kind == "client":
        conn.execute(_FACTS_DELETE, {"client_id": record.id})
        conn.execute(_FACTS_INSERT, _facts_row(record.id, record.data, record.field_stamps))


def discharge_of(
    client_id: str, data: dict[str, Any], stamps: str | None, into: dict[str, Discharge]
) -> None:
    """load_clients' `discharged` entry for a client whose document is at hand (a page's row)."""
    if data.get("status") == "discharged":
        into[client_id] = _discharge(data, parse_doc(stamps) if stamps else {})


def facts_for(stored: Stored, clients: dict[str, ClientFacts]) -> RecordFacts:
    if stored.kind == "client":
        return stored.facts(ClientFacts.from_values(stored.id, stored.data))
    return stored.facts(clients.get(stored.client_id) if stored.client_id else None)


def of_client(conn: Connection, client_id: str) -> list[Stored]:
    rows = conn.execute(
        sa.select(*_COLUMNS)
        .where(records.c.client_id == client_id, records.c.id != client_id)
        .order_by(records.c.created_seq)
    )
    return [_stored(r) for r in rows]


def conflicts_of_client(conn: Connection, client_id: str) -> list[Any]:
    return list(conn.execute(sa.select(conflicts).where(conflicts.c.client_id == client_id)))


def conflict_rows(conn: Connection, ids: Iterable[str]) -> dict[str, Any]:
    wanted = sorted(set(ids))
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in conn.execute(sa.select(conflicts).where(conflicts.c.id.in_(chunk))):
            found[row.id] = row
    return found


def first_seqs(conn: Connection, ids: Iterable[str]) -> dict[str, int]:
    """The place each of these ids (conflicts: they have no created_seq) first took in the feed."""
    wanted = sorted(set(ids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = (
            sa.select(changes.c.record_id, sa.func.min(changes.c.seq))
            .where(changes.c.record_id.in_(chunk))
            .group_by(changes.c.record_id)
        )
        found.update({record_id: int(seq) for record_id, seq in conn.execute(query)})
    return found


def conflict_item(seq: int, row: Any, access: Access) -> dict[str, Any]:
    item: dict[str, Any] = {"seq": seq, "kind": "conflict", "id": row.id, "access": access.name.lower()}
    if access is Access.FULL:
        item["data"] = {
            "kind": row.kind,
            "record_id": row.record_id,
            "client_id": row.client_id,
            "field": row.field,
            "winner": row.winner,
            "loser": row.loser,
            "created_at": row.created_at,
            "resolved_at": row.resolved_at,
            "resolved_by": row.resolved_by,
        }
    return item


def stamp_authors(conn: Connection, stamps: Iterable[str]) -> dict[str, str]:
    """The user behind each clock stamp, from the device its last part names (a device belongs to
    one user), so a conflict can say who wrote each value. Unknown devices are left out."""
    by_device: dict[str, list[str]] = {}
    for stamp in set(stamps):
        try:
            by_device.setdefault(hlc.Stamp.parse(stamp).device, []).append(stamp)
        except hlc.ClockError:
            continue
    found: dict[str, str] = {}
    if by_device:
        rows = conn.execute(
            sa.select(devices.c.id, devices.c.user_id).where(devices.c.id.in_(sorted(by_device)))
        )
        for row in rows:
            for stamp in by_device.get(row.id, []):
                found[stamp] = row.user_id
    return found


def settle_conflict(conn: Connection, decision: dict[str, Any], author_id: str, recorded_at: str) -> int:
    """A person's decision on a conflict (a ``conflict_resolution`` entry) marks the stored conflict
    resolved. When two decisions exist, the earliest recorded stays shown, as on the laptops."""
    rows = conn.execute(
        sa.select(conflicts.c.id, conflicts.c.winner, conflicts.c.loser, conflicts.c.resolved_at).where(
            conflicts.c.record_id == decision.get("target_id"), conflicts.c.field == decision.get("field")
        )
    )
    settled = 0
    for row in rows:
        winner, loser = _json(row.winner), _json(row.loser)
        if winner.get("stamp") != decision.get("kept_stamp") or loser.get("stamp") != decision.get(
            "lost_stamp"
        ):
            continue
        if row.resolved_at is not None and str(row.resolved_at) <= recorded_at:
            continue
        resolve_conflict(conn, row.id, recorded_at, author_id)
        settled += 1
    return settled


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = orjson.loads(value)
    return value if isinstance(value, dict) else {}


_INSERT = records.insert()
_UPDATE = records.update().where(records.c.id == sa.bindparam("record_id"))


def insert(conn: Connection, record: Stored, seq: int) -> None:
    """A new record, at its first place in the feed. (The statements are built once, the values
    bound: building a statement per record was a good part of a push.)"""
    conn.execute(_INSERT, {**_row(record), "created_seq": seq, "updated_seq": seq})
    _keep_facts(conn, record)


def insert_many(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """New records in bulk (the demo seed): rows in the table's own shape, author_id and
    created_seq included."""
    bulk_insert(conn, records, rows, ("data", "field_stamps", "meta"))
    facts = [_facts_row(r["id"], r["data"], r["field_stamps"]) for r in rows if r["kind"] == "client"]
    bulk_insert(conn, client_facts, facts, ())


def update(conn: Connection, record: Stored, seq: int) -> None:
    """A record's new state, at its new place in the feed (its team never changes; its client only
    when a record made before its person was a client is attached to one: kinds.ATTACHABLE)."""
    values = _row(record)
    changed = {k: values[k] for k in ("data", "field_stamps", "meta", "deleted", "client_id", "author_id")}
    conn.execute(_UPDATE, {**changed, "record_id": record.id, "updated_seq": seq})
    _keep_facts(conn, record)


_MOVE = (
    records.update().where(records.c.id == sa.bindparam("record_id")).values(updated_seq=sa.bindparam("seq"))
)


def announce_again(conn: Connection, writer: FeedWriter, record: Stored) -> None:
    """The record, unchanged, at a new last place in the feed: who may hold it changed (push.py's
    rescope), and every reader's next pull must bring it again."""
    seq = writer.append(record.kind, record.id, record.team_id, record.client_id)
    conn.execute(_MOVE, {"record_id": record.id, "seq": seq})


def _row(record: Stored) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind,
        "team_id": record.team_id,
        "client_id": record.client_id,
        "data": record.data,
        "field_stamps": record.field_stamps,
        "meta": record.meta,
        "deleted": record.deleted,
        "author_id": record.author_id,
    }


def store_entry(
    conn: Connection, writer: FeedWriter, kind: str, team_id: str, client_id: str | None, data: dict[str, Any]
) -> str:
    """An append-only entry the store writes itself (author and device ``server``): an escalation
    step, the withdrawal of an overdue mark. Returns its id."""
    entry_id = new_id()
    now = timeutil.now_text()
    meta = {
        "author_id": SERVER,
        "device_id": SERVER,
        "recorded_at": now,
        "amends_id": None,
        "amend_reason": None,
    }
    seq = writer.append(kind, entry_id, team_id, client_id)
    insert(conn, Stored(entry_id, kind, team_id, client_id, data, {}, meta, False), seq)
    return entry_id


def insert_conflict(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(conflicts.insert().values(**values))


def resolve_conflict(conn: Connection, conflict_id: str, at: str, by: str) -> None:
    conn.execute(
        conflicts.update().where(conflicts.c.id == conflict_id).values(resolved_at=at, resolved_by=by)
    )

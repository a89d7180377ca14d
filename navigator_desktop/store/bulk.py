"""Loading rows that already exist in the central store: the sync apply path and the demo and
benchmark data generators.

No outbox entry and no audit event is written (the rows are not new changes made here), and no
validation is done (the central store validated them). Rows carry every meta column; mutable rows
carry ``field_stamps`` as a dict. A row already here is replaced (mutable) or left alone
(append-only entries never change). The schema's triggers queue the rows for the search index,
and the load flushes the queue once it has committed (store/search/writer.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from itertools import groupby
from typing import Any

from navigator_core import timeutil
from navigator_core.fields import FieldType
from navigator_core.kinds import kind as kind_spec
from navigator_desktop.store import codec
from navigator_desktop.store.db import Database
from navigator_desktop.store.search import writer as search_writer

Row = Mapping[str, Any]
_JSON = frozenset({FieldType.LIST, FieldType.TAGS, FieldType.JSON})


def _json(value: Any) -> Any:
    return None if value is None else codec.dumps(value)


def _bool(value: Any) -> Any:
    return None if value is None else int(bool(value))


def _stamps(value: Any) -> Any:
    return codec.dumps(value) if isinstance(value, dict) else (value or "{}")


def _encoders(kind: str) -> list[tuple[str, Callable[[Any], Any] | None]]:
    spec = kind_spec(kind)
    encoders: list[tuple[str, Callable[[Any], Any] | None]] = []
    for name in codec.columns(spec):
        field = spec.by_name.get(name)
        if field is not None and field.type in _JSON:
            encoders.append((name, _json))
        elif (field is not None and field.type is FieldType.BOOL) or name == "deleted":
            encoders.append((name, _bool))
        elif name == "field_stamps":
            encoders.append((name, _stamps))
        else:
            encoders.append((name, None))
    return encoders


@cache
def _insert_sql(kind: str) -> str:
    """The one prepared INSERT of a kind (sqlite3 keeps it in its statement cache)."""
    spec = kind_spec(kind)
    names = codec.columns(spec)
    marks = ", ".join("?" * len(names))
    if spec.mutable:
        sets = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
        conflict = f"ON CONFLICT (id) DO UPDATE SET {sets}"
    else:
        conflict = "ON CONFLICT (id) DO NOTHING"
    return f"INSERT INTO {spec.table} ({', '.join(names)}) VALUES ({marks}) {conflict}"


_META_KEYS = frozenset(
    {"created_by", "created_at", "updated_by", "updated_at", "author_id", "device_id", "recorded_at"}
    | {"amends_id", "amend_reason"}
)


@cache
def item_encoder(kind: str) -> Callable[[Mapping[str, Any], str], tuple[Any, ...]]:
    """A function from one pulled item (the wire form: id, data, meta, field_stamps, deleted) to the
    values of `_insert_sql(kind)`, written out column by column once per kind.

    Why generated: the initial sync turns hundreds of thousands of items into rows, and a generic
    loop over columns per item was a quarter of the vault's apply time. The source is built only
    from the kind's own column names in navigator_core (never from pulled data)."""
    spec = kind_spec(kind)
    parts = []
    for name in codec.columns(spec):
        if not name.isidentifier():
            raise ValueError(f"unexpected column name {name!r}")
        field = spec.by_name.get(name)
        if name == "id":
            parts.append("item['id']")
        elif name == "refreshed_at":
            parts.append("refreshed_at")
        elif name == "field_stamps":
            parts.append("_dumps(item.get('field_stamps') or {})")
        elif name == "deleted":
            parts.append("1 if item.get('deleted') else 0")
        elif field is None and name in _META_KEYS:
            parts.append(f"meta.get('{name}')")
        elif field is not None and field.type in _JSON:
            parts.append(f"_json(data.get('{name}'))")
        elif field is not None and field.type is FieldType.BOOL:
            parts.append(f"_bool(data.get('{name}'))")
        else:
            parts.append(f"data.get('{name}')")
    source = (
        "def encode(item, refreshed_at):\n"
        "    data = item.get('data') or {}\n"
        "    meta = item.get('meta') or {}\n"
        f"    return ({', '.join(parts)},)\n"
    )
    scope: dict[str, Any] = {"_json": _json, "_bool": _bool, "_dumps": codec.dumps}
    exec(compile(source, f"<bulk encoder for {kind}>", "exec"), scope)  # noqa: S102 - see docstring
    encode: Callable[[Mapping[str, Any], str], tuple[Any, ...]] = scope["encode"]
    return encode


def load_items(db: Database, kind: str, items: Iterable[Mapping[str, Any]], refreshed_at: str) -> None:
    """Write pulled items of one kind as they came off the wire (the sync apply's fast path); the
    caller's transaction, and the caller flushes the search index."""
    encode = item_encoder(kind)
    db.executemany(_insert_sql(kind), (encode(item, refreshed_at) for item in items))


def load(
    db: Database, kind: str, rows: Iterable[Row], *, refreshed_at: str | None = None, index: bool = True
) -> int:
    """Write `rows` of one kind in one transaction (or inside the caller's); how many were given.
    With `index` (the default) the search index takes them in before returning, unless the
    caller's transaction is still open (then the next flush does, once it has committed)."""
    encoders = _encoders(kind)
    sql = _insert_sql(kind)
    stamp = refreshed_at or timeutil.now_text()
    loaded: list[str] = []

    def encoded() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            loaded.append(row["id"])
            values = []
            for name, encode in encoders:
                value = row.get(name)
                if name == "refreshed_at" and value is None:
                    value = stamp
                values.append(value if encode is None else encode(value))
            yield tuple(values)

    with db.transaction(savepoint=False):
        db.executemany(sql, encoded())
    if index and not db.in_transaction:
        search_writer.flush(db)
    return len(loaded)


def load_stream(
    db: Database, rows: Iterable[tuple[str, Row]], *, refreshed_at: str | None = None
) -> dict[str, int]:
    """Load (kind, row) pairs, consecutive rows of a kind together, in one transaction; how many
    rows of each kind."""
    counts: dict[str, int] = {}
    with db.transaction(savepoint=False):
        for kind, group in groupby(rows, key=lambda pair: pair[0]):
            n = load(db, kind, (row for _, row in group), refreshed_at=refreshed_at, index=False)
            counts[kind] = counts.get(kind, 0) + n
    if not db.in_transaction:
        search_writer.flush(db)
    return counts

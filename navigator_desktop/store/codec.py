"""Field values to SQLite column values and back, driven by the kind's spec.

Lists, tags and structured values are stored as JSON text; yes/no as 0/1; everything else as it
is (text and whole numbers). ``field_stamps`` is JSON text; ``deleted`` is 0/1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from navigator_core.fields import FieldSpec, FieldType, KindSpec
from navigator_core.kinds import ENTRY_META, MUTABLE_META

_JSON_TYPES = frozenset({FieldType.LIST, FieldType.TAGS, FieldType.JSON})

Record = dict[str, Any]


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)


def encode_value(spec: FieldSpec, value: Any) -> Any:
    return _converted(spec, value, dumps, _bit)


def decode_value(spec: FieldSpec, value: Any) -> Any:
    return _converted(spec, value, loads, bool)


def _bit(flag: Any) -> int:
    return 1 if flag else 0


def _converted(spec: FieldSpec, value: Any, json: Callable[[Any], Any], flag: Callable[[Any], Any]) -> Any:
    """A value as the other side keeps it: JSON fields by `json`, yes/no fields by `flag`, the rest
    (and no value) as they are."""
    if value is None:
        return None
    if spec.type in _JSON_TYPES:
        return json(value)
    if spec.type is FieldType.BOOL:
        return flag(value)
    return value


def meta_columns(kind: KindSpec) -> tuple[str, ...]:
    return MUTABLE_META if kind.mutable else ENTRY_META


def columns(kind: KindSpec) -> tuple[str, ...]:
    """Every column the store writes for a kind, in table order (local-only columns last)."""
    return (*meta_columns(kind), *kind.field_names, "refreshed_at")


def encode_fields(kind: KindSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: encode_value(kind.by_name[name], value) for name, value in values.items()}


def decode_row(kind: KindSpec, row: Mapping[str, Any]) -> Record:
    """A row as the rest of the app sees it: field values in their Python types, stamps as a dict."""
    record: Record = {}
    for name, value in row.items():
        spec = kind.by_name.get(name)
        if spec is not None:
            record[name] = decode_value(spec, value)
        elif name == "field_stamps":
            record[name] = loads(value) if value else {}
        elif name == "deleted":
            record[name] = bool(value)
        else:
            record[name] = value
    return record


def fields_of(kind: KindSpec, record: Mapping[str, Any]) -> Record:
    """Only the kind's own fields of a decoded record."""
    return {name: record.get(name) for name in kind.field_names}

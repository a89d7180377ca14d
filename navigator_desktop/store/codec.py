"""Field values to SQLite column values and back, driven by the kind's spec.

Lists, tags and structured values are stored as JSON text; yes/no as 0/1; everything else as it
is (text and whole numbers). ``field_stamps`` is JSON text; ``deleted`` is 0/1.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    if value is None:
        return None
    if spec.type in _JSON_TYPES:
        return dumps(value)
    if spec.type is FieldType.BOOL:
        return 1 if value else 0
    return value


def decode_value(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.type in _JSON_TYPES:
        return loads(value)
    if spec.type is FieldType.BOOL:
        return bool(value)
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

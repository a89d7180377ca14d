"""The sync apply's fast path writes pulled items exactly as the general bulk load writes the same
records as rows, for every record kind."""

from __future__ import annotations

from typing import Any

import pytest

from navigator_core.fields import FieldType, new_id
from navigator_core.kinds import ALL_KINDS
from navigator_desktop.store import bulk, codec
from navigator_desktop.store.db import Database

_SAMPLES: dict[FieldType, Any] = {
    FieldType.LIST: ["a", "b"],
    FieldType.TAGS: ["housing"],
    FieldType.JSON: {"k": [1, 2]},
    FieldType.BOOL: True,
    FieldType.INT: 7,
}


def wire_item(spec: Any) -> dict[str, Any]:
    """A pulled item with a value in every field (the values need not pass validation here)."""
    data = {f.name: _SAMPLES.get(f.type, f"{f.name} text") for f in spec.fields}
    item: dict[str, Any] = {"id": new_id(), "kind": spec.name, "access": "full", "data": data}
    if spec.mutable:
        item["meta"] = {
            "created_by": "u1",
            "created_at": "2024-01-01T00:00:00.000000Z",
            "updated_by": "u2",
            "updated_at": "2024-01-02T00:00:00.000000Z",
        }
        item["field_stamps"] = dict.fromkeys(data, "1700000000000.00000.dev")
        item["deleted"] = False
    else:
        item["meta"] = {
            "author_id": "u1",
            "device_id": "d1",
            "recorded_at": "2024-01-01T00:00:00.000000Z",
            "amends_id": None,
            "amend_reason": None,
        }
    return item


def as_row(spec: Any, item: dict[str, Any]) -> dict[str, Any]:
    return {
        **item["data"],
        **item["meta"],
        "id": item["id"],
        "field_stamps": item.get("field_stamps"),
        "deleted": item.get("deleted"),
    }


@pytest.mark.parametrize("spec", ALL_KINDS, ids=lambda s: s.name)
def test_the_fast_path_stores_what_the_general_path_stores(plain_db: Database, spec: Any) -> None:
    fast, slow = wire_item(spec), wire_item(spec)
    slow_row = as_row(spec, slow)
    with plain_db.transaction():
        bulk.load_items(plain_db, spec.name, [fast], "2024-02-02T00:00:00.000000Z")
        bulk.load(plain_db, spec.name, [slow_row], refreshed_at="2024-02-02T00:00:00.000000Z")
    columns = [c for c in codec.columns(spec) if c != "id"]
    got = {
        r["id"]: tuple(r[c] for c in columns)
        for r in plain_db.query(f"SELECT * FROM {spec.table} WHERE id IN (?, ?)", (fast["id"], slow["id"]))
    }
    assert got[fast["id"]] == got[slow["id"]]
    assert got[fast["id"]][columns.index("refreshed_at")] == "2024-02-02T00:00:00.000000Z"

"""Stored documents made strict JSON: a pull now sends a record's stored JSON text as it is.

Before this revision the server wrote its JSON columns with the standard library, which writes
NaN and Infinity (not JSON), and PostgreSQL's JSONB keeps numbers no double can hold (1e400).
Laptops parse pages strictly, so one such document would make its whole page unreadable and the
sync stop there. Every document that strict JSON does not read is written again as it would be
now (orjson: such a number becomes null). New writes are strict already (db.json_text, and the
checks on structured values in navigator_core.fields).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
import math

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = ("data", "field_stamps", "meta")
_CHUNK = 2000


def upgrade() -> None:
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    texts = ", ".join(f"CAST({c} AS TEXT)" for c in _COLUMNS)
    last = ""
    while True:
        rows = conn.execute(
            sa.text(f"SELECT id, {texts} FROM records WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": _CHUNK},
        ).all()
        if not rows:
            return
        for row in rows:
            for column, text in zip(_COLUMNS, row[1:], strict=True):
                fixed = _strict(text)
                if fixed is not None:
                    value = "CAST(:v AS JSONB)" if postgres else ":v"
                    conn.execute(
                        sa.text(f"UPDATE records SET {column} = {value} WHERE id = :id"),
                        {"v": fixed, "id": row[0]},
                    )
        last = rows[-1][0]


def _strict(text: str | None) -> str | None:
    """The document rewritten as strict JSON, or None when it is strict already."""
    if text is None:
        return None
    try:
        orjson.loads(text)
        return None
    except orjson.JSONDecodeError:
        return orjson.dumps(_finite(json.loads(text))).decode()


def _finite(value: object) -> object:
    """NaN, infinities and integers beyond 64 bits become null, as orjson writes non-finite floats."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def downgrade() -> None:
    pass  # the documents mean the same; nothing to undo

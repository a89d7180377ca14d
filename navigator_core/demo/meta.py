"""The columns the central store keeps on every record: ids, authorship, times and clock stamps."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from navigator_core import timeutil
from navigator_core.fields import uuid7
from navigator_core.hlc import Stamp


def new_id(rng: random.Random, moment: datetime | None = None) -> str:
    """An id drawn from `rng`, so the same seed gives the same ids: for a record, a version-7 UUID
    of the moment it was made (as the app makes them, see navigator_core.fields.new_id); for
    people and teams, a version-4 UUID."""
    bits = rng.getrandbits(128)  # the same draw either way: the rest of the demo stays as it was
    if moment is None:
        return str(uuid.UUID(int=bits, version=4))
    return uuid7(wall_ms(moment), bits)


def wall_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def stamp(moment: datetime, device_id: str) -> str:
    return str(Stamp(wall_ms(moment), 0, device_id))


def local_time(day: date, hour: int, minute: int) -> datetime:
    """A wall-clock time in England on `day`, as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=timeutil.LONDON)


def entry(
    fields: dict[str, Any], *, rng: random.Random, author: tuple[str, str], recorded_at: datetime
) -> dict[str, Any]:
    """An append-only entry: its fields plus ENTRY_META. `author` is (user id, device id)."""
    fields["id"] = new_id(rng, recorded_at)
    fields["author_id"], fields["device_id"] = author
    fields["recorded_at"] = timeutil.to_text(recorded_at)
    fields["amends_id"] = None
    fields["amend_reason"] = None
    return fields


def mutable(
    fields: dict[str, Any],
    *,
    rng: random.Random,
    created: tuple[str, str, datetime],
    updated: tuple[str, str, datetime] | None = None,
    updated_fields: Iterable[str] = (),
    record_id: str | None = None,
) -> dict[str, Any]:
    """A mutable record: its fields plus MUTABLE_META.

    `created` and `updated` are (user id, device id, when). Every field with a value carries the
    stamp of its creation, except `updated_fields`, which carry the stamp of the later update.
    """
    creator, creator_device, created_at = created
    first = stamp(created_at, creator_device)
    stamps: dict[str, str] = {name: first for name, value in fields.items() if value is not None}
    last_by, last_at = creator, created_at
    if updated is not None:
        last_by, updater_device, last_at = updated
        later = stamp(last_at, updater_device)
        for name in updated_fields:
            stamps[name] = later
    fields["id"] = record_id or new_id(rng, created[2])
    fields["created_by"] = creator
    fields["created_at"] = timeutil.to_text(created_at)
    fields["updated_by"] = last_by
    fields["updated_at"] = timeutil.to_text(last_at)
    fields["field_stamps"] = stamps
    fields["deleted"] = 0
    return fields


def fields_only(row: Mapping[str, Any], meta: Iterable[str]) -> dict[str, Any]:
    """`row` without its meta columns, for checking against a kind's spec."""
    skip = set(meta)
    return {name: value for name, value in row.items() if name not in skip}

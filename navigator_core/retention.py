"""When a discharged client's records leave the laptops (DOMAIN.md: "records of clients who left the
caseload leave the laptop after the retention period"). The central store keeps them.

One rule, shared by the laptop (which purges) and the central store (which stops sending such a
client to laptops, so a newly enrolled laptop never receives them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.hlc import Stamp

DEFAULT_RETENTION_DAYS = 30  # the laptop's default until the central store says otherwise


def discharged_on(values: Mapping[str, Any]) -> date | None:
    """The day the client left the service: the service discharge date, or, when none was
    recorded, the day (in England) the status became "discharged" (the wall time of its field
    stamp in ``field_stamps``, a mapping or its JSON text). None when neither is known."""
    if values.get("service_discharge_date"):
        return timeutil.parse_date(str(values["service_discharge_date"])[:10])
    stamps = values.get("field_stamps") or {}
    if isinstance(stamps, str):
        try:
            stamps = json.loads(stamps)
        except ValueError:
            return None
    try:
        wall = Stamp.parse(str(stamps["status"])).wall_ms if isinstance(stamps, Mapping) else None
    except (KeyError, ValueError):
        return None
    if wall is None:
        return None
    return timeutil.local(datetime.fromtimestamp(wall / 1000, tz=UTC)).date()


def leaves_laptops_on(values: Mapping[str, Any], days: int) -> date | None:
    """The first day a client's records are no longer kept on laptops, or None while they stay
    (not discharged, or no day of discharge known)."""
    if values.get("status") != "discharged":
        return None
    discharged = discharged_on(values)
    return None if discharged is None else discharged + timedelta(days=max(0, days))


def past_retention(values: Mapping[str, Any], today: date | str, days: int) -> bool:
    """Whether the client's retention period on laptops is over by `today` (a date in England)."""
    leaves = leaves_laptops_on(values, days)
    if leaves is None:
        return False
    day = today if isinstance(today, date) else timeutil.parse_date(today[:10])
    return day >= leaves

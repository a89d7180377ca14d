"""Time as the records keep it: UTC, ISO 8601, shown in Europe/London.

Instants are stored as text like ``2026-11-23T09:30:00.000Z`` (fixed width, so text order is time
order); calendar dates as ``2026-11-23``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
LATE_ENTRY_AFTER = timedelta(hours=24)


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored time must carry its zone")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def now_text() -> str:
    return to_text(utcnow())


def parse(text: str) -> datetime:
    """Parse a stored instant. Raises ValueError with the offending text for anything else."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not a date and time: {text!r}") from exc
    if moment.tzinfo is None:
        raise ValueError(f"a stored time must say its zone: {text!r}")
    return moment.astimezone(UTC)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def display(text: str) -> str:
    """A stored instant as a person in England reads it: ``Mon 23 Nov 2026, 09:30``."""
    return local(parse(text)).strftime("%a %d %b %Y, %H:%M")


def is_late_entry(occurred_at: str, recorded_at: str) -> bool:
    """An entry written more than 24 hours after the event is a late entry and must say so."""
    return parse(recorded_at) - parse(occurred_at) > LATE_ENTRY_AFTER

"""Words for what the records hold: labels for stored choices (navigator_desktop/labels.py, shared
with the documents), dates as people in England read them, names.

Stored values (``visit_two_workers``, ``2026-11-23T09:30:00.000Z``) never reach the screen as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from navigator_core import dates, timeutil
from navigator_desktop.labels import label as label
from navigator_desktop.labels import labels as labels


def day(text: str | date | None) -> str:
    """A stored date or instant as a day in England: "23 Nov 2026"."""
    if not text:
        return "—"
    if isinstance(text, date):
        return dates.day(text)
    if "T" in text:
        return dates.day(timeutil.parse(text))
    return dates.day(timeutil.parse_date(text))


def moment(text: str | None) -> str:
    """A stored instant with its time: "Mon 23 Nov 2026, 09:30"."""
    if not text:
        return "—"
    return dates.day_and_time(timeutil.parse(text))


def clock(text: str | None) -> str:
    """Only the time of day in England: "09:30"."""
    if not text:
        return "—"
    return dates.clock(timeutil.parse(text))


def today() -> str:
    """Today's date in England, as stored dates are written (YYYY-MM-DD)."""
    return timeutil.local(timeutil.utcnow()).date().isoformat()


def review(text: str | None) -> str:
    """A review date, saying when it has passed."""
    if text and text[:10] < today():
        return f"{day(text)} (overdue)"
    return day(text)


def age(born: str | None) -> str:
    if not born:
        return ""
    b, t = timeutil.parse_date(born), timeutil.parse_date(today())
    return str(t.year - b.year - ((t.month, t.day) < (b.month, b.day)))


def first_line(text: str | None, limit: int = 120) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def known_as(person: Mapping[str, Any]) -> str:
    """The name a client goes by: "Danny Okafor", or their preferred first name with the family name."""
    return f"{person.get('preferred_name') or person['given_name']} {person['family_name']}"


def full_name(person: Mapping[str, Any]) -> str:
    """Given and family name, as on the record: "Daniel Okafor"."""
    return f"{person['given_name']} {person['family_name']}"


def lock_note(idle_seconds: int | None, kept: int) -> str:
    """What the unlock screen says after a lock: why (idle for how long, or by hand) and how many
    open forms were kept as drafts."""
    if idle_seconds is None:
        why = "Locked."
    else:
        minutes = idle_seconds // 60
        span = f"{minutes} minute{'s' if minutes != 1 else ''}" if idle_seconds >= 60 else f"{idle_seconds} s"
        why = f"Locked after {span} without use."
    if not kept:
        return why
    return (
        f"{why} {kept} unsaved form{'s were' if kept != 1 else ' was'} kept, encrypted, and will open again "
        "when you unlock."
    )

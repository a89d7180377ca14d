"""Dates and times in words, the same on every platform.

Never glibc's "no leading zero" flag (a dash after the percent sign): it raises on Windows,
which spells it with ``#``.
The day number is written by hand instead. Instants are turned to Europe/London first; the zone comes
from the system's database or, on Windows which has none, from the ``tzdata`` package.
"""

from __future__ import annotations

from datetime import date, datetime

from navigator_core.timeutil import local


def _as_local(value: date) -> date:
    """A datetime (which must carry its zone) as London sees it; a plain date as it is."""
    return local(value) if isinstance(value, datetime) else value


def day(value: date) -> str:
    """``5 Dec 2026``: the day without a leading zero."""
    d = _as_local(value)
    return f"{d.day} {d.strftime('%b %Y')}"


def day_and_time(moment: datetime) -> str:
    """``Sat 5 Dec 2026, 09:30`` in London time."""
    m = local(moment)
    return f"{m.strftime('%a')} {m.day} {m.strftime('%b %Y, %H:%M')}"


def clock(moment: datetime) -> str:
    """``09:30`` in London time."""
    return local(moment).strftime("%H:%M")

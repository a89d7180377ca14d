"""Dates and times as people type them into one field, read the British way (day before month).

``read_date``: ``today``, ``yesterday``, ``tomorrow``, ``5/12`` (this year), ``05/12/2026``,
``5-12-26``, ``5.12.2026``, ``2026-12-05`` and ``5 Dec`` or ``Sat 5 Dec 2026`` (what
``show_date`` writes back, so a shown value reads again as itself).
``read_time``: ``14:30``, ``1430``, ``930``, ``14``, ``2:30pm``, ``2pm``, ``9.30 am``, ``noon``, ``midnight``.
``read_moment``: a date, a time, or both (``today 14:30``, ``5/12 2pm``, ``Sat 5 Dec 2026, 14:30``);
a time alone is on `today`, a date alone keeps `keep_time` (or is not enough without one).

Each returns None for anything it cannot read for certain: a field says so rather than guess.
Pure and Qt-free; the field widget is ui/widgets/typed_date.py.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIRST_YEAR, LAST_YEAR = 1900, 2100
_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NAMED = re.compile(r"(?:([a-z]+)\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2})|(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")


def _month(word: str) -> int | None:
    return MONTHS.index(word[:3]) + 1 if len(word) >= 3 and word[:3] in MONTHS else None


def _day(year: int, month: int, day: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(written: str | None, today: date) -> int:
    if written is None:
        return today.year
    return int(written) + 2000 if len(written) == 2 else int(written)


def read_date(typed: str, today: date) -> date | None:
    """The day `typed` names, or None when it names none for certain."""
    words = " ".join(typed.strip().lower().split())
    if words in _WORDS:
        return today + timedelta(days=_WORDS[words])
    if found := _ISO.fullmatch(words):
        return _day(int(found[1]), int(found[2]), int(found[3]))
    if found := _NUMERIC.fullmatch(words):
        return _day(_year(found[3], today), int(found[2]), int(found[1]))
    if found := _NAMED.fullmatch(words):
        weekday, month = found[1], _month(found[3])
        if month is None or (weekday is not None and weekday[:3] not in WEEKDAYS):
            return None
        day = _day(_year(found[4], today), month, int(found[2]))
        if day is not None and weekday is not None and WEEKDAYS[day.weekday()] != weekday[:3]:
            return None  # "Mon 5 Dec 2026" when the 5th is a Saturday: which one was meant?
        return day
    return None


def read_time(typed: str) -> time | None:
    """The time of day `typed` names (24-hour unless it says am or pm), or None."""
    words = " ".join(typed.strip().lower().split())
    if words in ("noon", "midday"):
        return time(12, 0)
    if words == "midnight":
        return time(0, 0)
    found = _TIME.fullmatch(words)
    if found is None:
        return None
    hour, minute = int(found[1]), int(found[2] or found[3] or 0)
    half = (found[4] or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def read_moment(typed: str, today: date, keep_time: time | None = None) -> datetime | None:
    """A date and a time (naive, as the person meant them locally), or None."""
    words = " ".join(typed.strip().lower().replace(",", " ").split())
    if not words:
        return None
    if (alone := read_time(words)) is not None and read_date(words, today) is None:
        return datetime.combine(today, alone)
    parts = words.split(" ")
    for cut in range(len(parts) - 1, 0, -1):  # the time is the last word or two ("2:30 pm")
        day, clock = read_date(" ".join(parts[:cut]), today), read_time(" ".join(parts[cut:]))
        if day is not None and clock is not None:
            return datetime.combine(day, clock)
    day = read_date(words, today)
    if day is not None and keep_time is not None:
        return datetime.combine(day, keep_time)
    return None


def show_date(day: date) -> str:
    """``Sat 5 Dec 2026``: the weekday and the month in words, so 5/12 and 12/5 cannot be confused."""
    return f"{WEEKDAYS[day.weekday()].title()} {day.day} {MONTHS[day.month - 1].title()} {day.year}"


def show_moment(moment: datetime) -> str:
    """``Sat 5 Dec 2026, 14:30``."""
    return f"{show_date(moment.date())}, {moment.hour:02d}:{moment.minute:02d}"

"""Dates and times typed into one field (navigator_core/typed_dates.py), read day-first."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from navigator_core.typed_dates import (
    FIRST_YEAR,
    LAST_YEAR,
    read_date,
    read_moment,
    read_time,
    show_date,
    show_moment,
)

TODAY = date(2026, 12, 5)
days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("5/12", date(2026, 12, 5)),
        ("05/12/2026", date(2026, 12, 5)),
        ("12/5", date(2026, 5, 12)),
        ("5-12-26", date(2026, 12, 5)),
        ("5.12.2026", date(2026, 12, 5)),
        ("2026-12-05", date(2026, 12, 5)),
        ("today", TODAY),
        (" Yesterday ", date(2026, 12, 4)),
        ("tomorrow", date(2026, 12, 6)),
        ("5 Dec", date(2026, 12, 5)),
        ("5th December 2025", date(2025, 12, 5)),
        ("Sat 5 Dec 2026", date(2026, 12, 5)),
    ],
)
def test_typed_dates_are_read_day_first(typed, day) -> None:
    assert read_date(typed, TODAY) == day


@pytest.mark.parametrize(
    "typed", ["31/2", "13/13", "Mon 5 Dec 2026", "5 Foo", "1/1/1899", "", "soon", "5//12"]
)
def test_what_names_no_day_for_certain_is_not_read(typed) -> None:
    assert read_date(typed, TODAY) is None


@pytest.mark.parametrize(
    ("typed", "clock"),
    [("14:30", time(14, 30)), ("1430", time(14, 30)), ("930", time(9, 30)), ("2:30pm", time(14, 30)),
     ("2 PM", time(14, 0)), ("12am", time(0, 0)), ("12pm", time(12, 0)), ("9.05 a.m.", time(9, 5)),
     ("14", time(14, 0)), ("noon", time(12, 0)), ("midnight", time(0, 0))],
)  # fmt: skip
def test_typed_times(typed, clock) -> None:
    assert read_time(typed) == clock


@pytest.mark.parametrize("typed", ["24:00", "13pm", "0am", "14:60", "2:3", "12345", "half two"])
def test_impossible_times_are_not_read(typed) -> None:
    assert read_time(typed) is None


@given(days)
def test_a_shown_date_reads_back_as_itself(day) -> None:
    assert read_date(show_date(day), TODAY) == day


@given(days, clocks)
def test_a_shown_moment_reads_back_as_itself(day, clock) -> None:
    moment = datetime.combine(day, clock)
    assert read_moment(show_moment(moment), TODAY) == moment


@given(days, st.sampled_from(["/", "-", "."]), st.booleans())
def test_day_month_year_with_any_separator_and_zero_padding(day, sep, padded) -> None:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if padded else (str(day.day), str(day.month))
    assert read_date(f"{d}{sep}{m}{sep}{day.year}", TODAY) == day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_two_digit_years_are_this_century(day) -> None:
    assert read_date(f"{day.day}/{day.month}/{day.year % 100:02d}", TODAY) == day


@given(clocks)
def test_24_hour_and_12_hour_spellings_agree(clock) -> None:
    hour12 = clock.hour % 12 or 12
    half = "am" if clock.hour < 12 else "pm"
    assert read_time(f"{clock.hour}:{clock.minute:02d}") == clock
    assert read_time(f"{clock.hour:02d}{clock.minute:02d}") == clock
    assert read_time(f"{hour12}:{clock.minute:02d}{half}") == clock


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 30)))
def test_words_are_relative_to_today(today) -> None:
    assert read_date("yesterday", today) == today - timedelta(days=1)
    assert read_date("tomorrow", today) == today + timedelta(days=1)


@given(st.text(max_size=30))
def test_anything_typed_is_read_or_refused_never_raises(typed) -> None:
    day, clock, moment = read_date(typed, TODAY), read_time(typed), read_moment(typed, TODAY, time(9, 0))
    assert day is None or FIRST_YEAR <= day.year <= LAST_YEAR
    assert clock is None or isinstance(clock, time)
    assert moment is None or isinstance(moment, datetime)


@given(clocks)
def test_a_time_alone_is_today_and_a_date_alone_keeps_the_time(clock) -> None:
    assert read_moment(f"{clock.hour:02d}:{clock.minute:02d}", TODAY) == datetime.combine(TODAY, clock)
    assert read_moment("5/12", TODAY, keep_time=clock) == datetime.combine(date(2026, 12, 5), clock)
    assert read_moment("5/12", TODAY) is None  # no time to keep: not enough

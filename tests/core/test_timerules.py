"""The time rules the central store applies to every pushed operation (issue 19, item 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from navigator_core import timeutil
from navigator_core.kinds import KINDS
from navigator_core.timerules import EARLIEST, RULES, Limits, problems, time_fields

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
LIMITS = Limits(drift=timedelta(minutes=10), tolerance=timedelta(minutes=5), horizon=timedelta(days=400))


def check(kind: str, recorded: datetime, **values: object) -> list[tuple[str, str]]:
    found = problems(kind, timeutil.to_text(recorded), values, values, now=NOW, limits=LIMITS)
    return [(p.field, p.message) for p in found]


def test_every_time_field_of_every_kind_has_a_rule() -> None:
    for name in KINDS:
        rules = RULES.get(name)
        fields = time_fields(name)
        assert fields <= set(rules.bounds if rules else ()), (name, fields)


def test_a_recording_time_in_the_year_9999_is_refused() -> None:
    found = problems("contact", "9999-12-31T23:59:59.000Z", {}, {}, now=NOW, limits=LIMITS)
    assert [p.field for p in found] == ["recorded_at"]
    assert "future" in found[0].message


@given(ahead=st.integers(min_value=0, max_value=10**6))
def test_a_recording_time_is_refused_exactly_beyond_the_drift(ahead: int) -> None:
    recorded = NOW + timedelta(seconds=ahead)
    refused = [f for f, _ in check("contact", recorded)] == ["recorded_at"]
    assert refused == (timedelta(seconds=ahead) > LIMITS.drift)


@given(after=st.integers(min_value=-(10**7), max_value=10**7))
def test_a_past_event_may_not_follow_its_recording_beyond_the_tolerance(after: int) -> None:
    recorded = NOW - timedelta(hours=1)
    occurred = timeutil.to_text(recorded + timedelta(seconds=after))
    refused = check("contact", recorded, occurred_at=occurred) != []
    assert refused == (timedelta(seconds=after) > LIMITS.tolerance)


@given(days=st.integers(min_value=0, max_value=2000))
def test_a_planned_visit_may_lie_ahead_up_to_the_horizon(days: int) -> None:
    start = timeutil.to_text(NOW + timedelta(days=days))
    refused = check("visit", NOW, planned_start=start) != []
    assert refused == (timedelta(days=days) > LIMITS.horizon)


def test_check_out_before_check_in_is_refused_on_the_merged_record() -> None:
    merged = {"checked_in_at": "2026-12-05T10:00:00.000Z", "checked_out_at": "2026-12-05T09:00:00.000Z"}
    changed = {"checked_out_at": merged["checked_out_at"]}
    found = problems("visit", timeutil.to_text(NOW), changed, merged, now=NOW, limits=LIMITS)
    assert [p.field for p in found] == ["checked_out_at"]
    assert problems("visit", timeutil.to_text(NOW), {"place": "x"}, merged, now=NOW, limits=LIMITS) == []


def test_zones_are_compared_as_instants_not_as_text() -> None:
    # 10:30+01:00 is 09:30Z: after a check-in at 09:00Z, though its text sorts before it.
    values = {"checked_in_at": "2026-12-05T09:00:00.000Z", "checked_out_at": "2026-12-05T10:30:00+01:00"}
    assert check("visit", NOW, **values) == []


def test_calendar_days_are_days_in_england() -> None:
    late_evening = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # already 2 July in London
    assert check("outcome", late_evening, achieved_on="2026-07-02") == []
    assert [f for f, _ in check("outcome", late_evening, achieved_on="2026-07-03")] == ["achieved_on"]


def test_ordered_pairs_and_the_earliest_day() -> None:
    assert [f for f, _ in check("client", NOW, date_of_birth="1980-01-01", referral_date="1979-01-01")] == [
        "referral_date"
    ]
    assert [f for f, _ in check("client", NOW, date_of_birth="1850-01-01")] == ["date_of_birth"]
    assert EARLIEST.year == 1900
    note = {"valid_from": "2026-12-05T10:00:00.000Z", "valid_until": "2026-12-04T10:00:00.000Z"}
    assert [f for f, _ in check("handover_note", NOW, **note)] == ["valid_until"]


def test_cleared_fields_and_kinds_without_times_pass() -> None:
    assert check("visit", NOW, checked_out_at=None) == []
    assert check("agency", NOW, name="Shelter") == []

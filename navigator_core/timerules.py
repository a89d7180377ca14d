"""Rules for every time a person or a device states in an operation, checked by the central store
against its own clock and against each other (issue 19).

A recording time (``recorded_at``) is the laptop's clock: it may be ahead of the store's by at most
the allowed clock drift. Every time field of a kind is one of:

* ``PAST``: something that happened (a contact, a check-in, a risk raised). It cannot be after the
  moment it was recorded, beyond a small tolerance for a person rounding up to the minute.
* ``PLANNED``: something planned or due (a visit's start, a review date, a note's validity). It may
  lie ahead of its recording, but not further than the planning horizon.

and some pairs are ordered: a check-out is not before its check-in, a note stops being valid after
it starts, a client is born before being referred. No time is earlier than ``EARLIEST``.

Pure and Qt-free: the caller gives the store's "now" and the limits (server settings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from navigator_core import timeutil
from navigator_core.fields import FieldError, FieldType
from navigator_core.kinds import KINDS

EARLIEST = date(1900, 1, 1)


class Bound(StrEnum):
    PAST = "past"
    PLANNED = "planned"


@dataclass(frozen=True)
class Limits:
    """How far ahead a time may be: of the store's clock (a recording time), of the recording time
    (a past event, by a tolerance; a planned one, by the horizon)."""

    drift: timedelta = timedelta(hours=24)
    tolerance: timedelta = timedelta(minutes=5)
    horizon: timedelta = timedelta(days=1096)


@dataclass(frozen=True)
class KindRules:
    bounds: Mapping[str, Bound]
    order: tuple[tuple[str, str, str], ...] = ()  # (earlier, later, what the refusal says)


_AFTER_BIRTH = (
    "referral_date",
    "hospital_discharge_date",
    "service_discharge_date",
    "cpa_review_date",
    "plan_review_date",
)

RULES: dict[str, KindRules] = {
    "client": KindRules(
        bounds={
            "date_of_birth": Bound.PAST,
            "referral_date": Bound.PAST,
            "hospital_discharge_date": Bound.PLANNED,
            "service_discharge_date": Bound.PLANNED,
            "cpa_review_date": Bound.PLANNED,
            "plan_review_date": Bound.PLANNED,
        },
        order=(
            *(("date_of_birth", name, "cannot be before the date of birth") for name in _AFTER_BIRTH),
            ("referral_date", "service_discharge_date", "cannot be before the referral date"),
        ),
    ),
    "risk_flag": KindRules(bounds={"raised_on": Bound.PAST, "review_date": Bound.PLANNED}),
    "visit": KindRules(
        bounds={"planned_start": Bound.PLANNED, "checked_in_at": Bound.PAST, "checked_out_at": Bound.PAST},
        order=(("checked_in_at", "checked_out_at", "cannot be before the check-in"),),
    ),
    "support_goal": KindRules(bounds={"target_date": Bound.PLANNED, "review_date": Bound.PLANNED}),
    "contact": KindRules(bounds={"occurred_at": Bound.PAST}),
    "handover_note": KindRules(
        bounds={"valid_from": Bound.PLANNED, "valid_until": Bound.PLANNED},
        order=(("valid_from", "valid_until", "cannot be before the time the note becomes valid"),),
    ),
    "outcome": KindRules(bounds={"achieved_on": Bound.PAST}),
    "visit_escalation": KindRules(bounds={"occurred_at": Bound.PAST}),
}


def time_fields(kind: str) -> frozenset[str]:
    """The kind's date and time fields, from its specification."""
    spec = KINDS[kind]
    return frozenset(f.name for f in spec.fields if f.type in (FieldType.DATE, FieldType.DATETIME))


def problems(
    kind: str,
    recorded_at: str,
    changed: Mapping[str, Any],
    merged: Mapping[str, Any],
    *,
    now: datetime,
    limits: Limits,
) -> list[FieldError]:
    """What is wrong with the times of one operation: ``changed`` holds the fields it sets (their
    stated times are bounded by this operation's ``recorded_at``), ``merged`` the record as it
    would be (for the ordering of pairs, checked when the operation sets either side)."""
    try:
        recorded = timeutil.parse(recorded_at)
    except ValueError:
        return [FieldError("recorded_at", "must be an ISO 8601 time with its zone")]
    if recorded > now + limits.drift:
        return [FieldError("recorded_at", "is in the future by more than the allowed clock drift")]
    if recorded.date() < EARLIEST:
        return [FieldError("recorded_at", f"cannot be before {EARLIEST.isoformat()}")]
    rules = RULES.get(kind, KindRules(bounds={}))
    found: list[FieldError] = []
    for name in sorted(time_fields(kind) & set(changed)):
        value = changed[name]
        if value is None:
            continue
        moment = _moment(value)
        if moment is None:
            found.append(FieldError(name, "must be a date or a date and time"))
            continue
        problem = _bound_problem(moment, rules.bounds.get(name), recorded, limits)
        if problem:
            found.append(FieldError(name, problem))
    for earlier, later, message in rules.order:
        if earlier not in changed and later not in changed:
            continue
        first, second = _moment(merged.get(earlier)), _moment(merged.get(later))
        if first is not None and second is not None and second < first:
            found.append(FieldError(later, message))
    return found


def _bound_problem(moment: datetime, bound: Bound | None, recorded: datetime, limits: Limits) -> str | None:
    if moment.date() < EARLIEST:
        return f"cannot be before {EARLIEST.isoformat()}"
    if bound is Bound.PAST and moment > recorded + limits.tolerance:
        return "cannot be after the time it was recorded"
    if moment > recorded + limits.horizon:  # planned, or a time field without a rule of its own
        return f"is more than {limits.horizon.days} days after the time it was recorded"
    return None


def _moment(value: object) -> datetime | None:
    """A stored time or calendar day as an instant (a day as its first moment in England, so a
    day counts as 'not after' any moment within it)."""
    if not isinstance(value, str):
        return None
    if len(value) == 10:
        try:
            day = timeutil.parse_date(value)
        except ValueError:
            return None
        end = datetime(day.year, day.month, day.day, tzinfo=timeutil.LONDON)
        return end.astimezone(UTC)
    try:
        return timeutil.parse(value)
    except ValueError:
        return None

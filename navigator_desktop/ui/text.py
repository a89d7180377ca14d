"""Words for what the records hold: labels for stored choices, and dates as people in England read them.

Stored values (``visit_two_workers``, ``2026-11-23T09:30:00.000Z``) never reach the screen as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from navigator_core import dates, timeutil

# Where a plain "capitalise and drop underscores" would read wrongly.
_LABELS = {
    "visit_two_workers": "Visit: two workers only",
    "visit_not_at_home": "Visit: not at home",
    "visit_public_place": "Visit: meet in a public place",
    "violence_to_others": "Violence or aggression to others",
    "self_harm": "Self-harm",
    "risk_from_others": "Risk from others / exploitation",
    "fire_setting": "Fire-setting",
    "environment": "Environment (dogs, hazards)",
    "in_reach": "In-reach (in hospital)",
    "active": "Active in community",
    "home_visit": "Home visit",
    "with_other_agency": "With another agency",
    "did_not_attend": "Did not attend",
    "family_social": "Family and social",
    "welfare_benefits": "Welfare benefits",
    "wellbeing_college": "Wellbeing college",
    "on_call": "On-call",
    "worker": "A named worker",
    "team": "The team",
    "conditional_discharge": "Conditional discharge",
    "community_treatment_order": "Community Treatment Order",
    "prefer_not_to_say": "Prefer not to say",
    "non_binary": "Non-binary",
    "gay_or_lesbian": "Gay or lesbian",
    "entered_in_error": "Entered in error",
    "break_glass": "Out-of-caseload look",
    "in_progress": "In progress",
    "not_started": "Not started",
    "handover_note": "Handover note",
    "risk_flag": "Risk flag",
    "support_goal": "Support-plan goal",
    "audit_event": "Audit event",
}


def label(value: str | None) -> str:
    """A stored choice in words: "visit_two_workers" -> "Visit: two workers only"."""
    if not value:
        return "—"
    return _LABELS.get(value, value.replace("_", " ").capitalize())


def labels(values: Iterable[str] | None) -> str:
    return ", ".join(label(v) for v in values or ()) or "—"


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

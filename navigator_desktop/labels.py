"""The words for stored choices, for screens (ui/text.py) and documents (documents/) alike. No Qt.

A stored value (``visit_two_workers``) never reaches a person as it is: it reads "Visit: two workers
only". Where a plain "capitalise and drop underscores" reads rightly, it needs no entry here. The
words follow the domain's (docs: DOMAIN.md): "On-call", "Violence or aggression to others".
"""

from __future__ import annotations

from collections.abc import Iterable

# Where a plain "capitalise and drop underscores" would read wrongly.
LABELS = {
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
    "physical_health": "Physical health",
    "substance_use": "Substance use",
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
    # Safeguarding concerns (the Care Act 2014's categories) and concerns for supervision.
    "physical": "Physical abuse",
    "sexual": "Sexual abuse",
    "psychological": "Psychological or emotional abuse",
    "financial": "Financial or material abuse",
    "neglect": "Neglect or acts of omission",
    "self_neglect": "Self-neglect",
    "discriminatory": "Discriminatory abuse",
    "organisational": "Organisational abuse",
    "child": "A child at risk",
    "safeguarding_concern": "Safeguarding concern",
    "supervision_item": "Concern for supervision",
    "open": "Open",
    "discussed": "Discussed",
    # Engagements (liaison and diversion): where, consent, needs.
    "not_able_to_decide": "Not able to decide",
    "finances_debt": "Finances and debt",
    # The agencies directory and referrals (issue 20).
    "agency": "Agency",
    "referral": "Referral or signpost",
    "recovery_gym": "Recovery gym",
    "college": "College or adult learning",
    "health": "Health (GP, clinics)",
    "referral_made": "Referral made",
    "outcome_recorded": "Outcome recorded",
}


def label(value: object) -> str:
    """A stored choice in words: "visit_two_workers" -> "Visit: two workers only"; "—" for none."""
    if not value:
        return "—"
    text = str(value)
    return LABELS.get(text, text.replace("_", " ").capitalize())


def labels(values: Iterable[str] | None) -> str:
    """Several choices in words, comma-separated; "—" for none."""
    return ", ".join(label(v) for v in values or ()) or "—"

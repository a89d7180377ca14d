"""Every kind of record Navigator keeps, as DOMAIN.md describes them.

Field order is the order forms show them in. Columns every record carries whatever its kind
(ids, authorship, clock stamps) are listed in ``ENTRY_META`` and ``MUTABLE_META``; the store and
the server add them, so they are not repeated in each kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.fields import FieldError, FieldSpec, KindSpec, RecordCheck
from navigator_core.fields import FieldType as T
from navigator_core.reach import reach_problems

# Columns the store and server manage on every append-only entry.
ENTRY_META = ("id", "author_id", "device_id", "recorded_at", "amends_id", "amend_reason")
# Columns managed on every mutable record. `field_stamps` maps field name to the clock stamp of its
# current value; `deleted` is the tombstone.
MUTABLE_META = ("id", "created_by", "created_at", "updated_by", "updated_at", "field_stamps", "deleted")

CLIENT_STATUSES = ("referred", "in_reach", "active", "discharged")
LEGAL_FRAMEWORKS = (
    "conditional_discharge",  # hospital order with restrictions, s37/41, discharged with conditions
    "community_treatment_order",
    "guardianship",
    "licence",  # released prisoner on probation licence
    "community_sentence",
    "none",
)
LEVELS = ("1", "2", "3")
PREFER_NOT = "prefer_not_to_say"
PATHWAYS = (
    "housing",
    "volunteering",
    "education",
    "employment",
    "welfare_benefits",
    "wellbeing_college",
    "physical_health",
    "substance_use",
    "family_social",
)
CONTACT_TYPES = (
    "home_visit",
    "community",
    "office",
    "phone",
    "video",
    "text",
    "with_other_agency",
    "did_not_attend",
    "cancelled",
)
RISK_CATEGORIES = (
    "violence_to_others",
    "self_harm",
    "suicide",
    "risk_from_others",
    "safeguarding_adult",
    "safeguarding_child",
    "substance_use",
    "fire_setting",
    "weapons",
    "sexual_risk",
    "environment",
    "visit_two_workers",
    "visit_not_at_home",
    "visit_public_place",
)
# Where each risk category matters to a lone worker's safety: the safety briefing shows every active
# flag whose category applies to the place of the visit. Reviewed category by category:
#  - harm others may do (violence, weapons, sexual risk, risk from others / exploitation: others at
#    the flat, or exploiters met outside) and substance use (sharps, intoxication) apply anywhere;
#  - the home's own dangers (environment: dogs, hazards; fire setting) and who else lives there
#    (safeguarding adults and children) apply at home;
#  - the visit restrictions apply wherever they restrict (two workers, not at home, a public place);
#  - self-harm and suicide are the client's safety, not the visit's: they stay on the risk banner.
AT_HOME, IN_COMMUNITY = "at home", "in the community"
_ANYWHERE = (AT_HOME, IN_COMMUNITY)
RISK_PLACES: dict[str, tuple[str, ...]] = {
    "violence_to_others": _ANYWHERE,
    "self_harm": (),
    "suicide": (),
    "risk_from_others": _ANYWHERE,
    "safeguarding_adult": (AT_HOME,),
    "safeguarding_child": (AT_HOME,),
    "substance_use": _ANYWHERE,
    "fire_setting": (AT_HOME,),
    "weapons": _ANYWHERE,
    "sexual_risk": _ANYWHERE,
    "environment": (AT_HOME,),
    "visit_two_workers": _ANYWHERE,
    "visit_not_at_home": _ANYWHERE,
    "visit_public_place": _ANYWHERE,
}


def risks_for_place(place: str) -> tuple[str, ...]:
    """The risk categories a worker must see before a visit `place` (AT_HOME or IN_COMMUNITY)."""
    return tuple(category for category, places in RISK_PLACES.items() if place in places)


SEVERITIES = ("low", "medium", "high")
RISK_STATUSES = ("active", "resolved")
PRIORITIES = ("routine", "urgent")
AUDIENCES = ("on_call", "team", "worker")
VISIT_STATUSES = ("planned", "in_progress", "overdue", "completed", "escalated", "cancelled")
GOAL_STATUSES = ("not_started", "in_progress", "achieved", "paused", "stopped")
# What a person records about a visit that ran over. Only "worker_safe" ends the store's chain of
# alerts; the others are noted in the alerts that follow.
PERSON_ESCALATION_STEPS = (
    "called_worker",
    "called_buddy",
    "called_key_contact",
    "called_manager",
    "escalated_to_police",
    "worker_safe",
    "other",
)
# Written only by the central store's escalation chain (navigator_server/escalation): a person's
# push of one is refused, and the desktop form does not offer them.
STORE_ESCALATION_STEPS = (
    "sos_raised",
    "notified",
    "notification_failed",
    "acknowledged_by_link",
    "alerts_stopped",
)
ESCALATION_STEPS = PERSON_ESCALATION_STEPS + STORE_ESCALATION_STEPS
CONFLICT_CHOICES = ("keep", "take_other")
OUTCOMES = (
    "housing_secured",
    "started_volunteering",
    "enrolled_on_course",
    "in_work",
    "benefits_in_payment",
    "other",
)
SAFEGUARDING_CATEGORIES = (
    "physical",
    "sexual",
    "psychological",
    "financial",
    "neglect",
    "self_neglect",
    "domestic_abuse",
    "modern_slavery",
    "discriminatory",
    "organisational",
    "child",
)
AGENCY_TYPES = (
    "housing",
    "probation",
    "police",
    "welfare_benefits",
    "substance_use",
    "recovery_gym",
    "college",
    "volunteering",
    "health",
    "other",
)
REFERRAL_STATUSES = ("signposted", "referral_made", "accepted", "declined", "attended", "outcome_recorded")
# The date field that says when a referral reached each status (referral.status_date_field).
REFERRAL_STATUS_DATES = {
    "signposted": "signposted_on",
    "referral_made": "referred_on",
    "accepted": "accepted_on",
    "declined": "declined_on",
    "attended": "attended_on",
    "outcome_recorded": "outcome_on",
}
ENGAGEMENT_SETTINGS = ("police_custody", "court", "community", "prison", "hospital")
CONSENT_ANSWERS = ("given", "declined", "not_able_to_decide")
# Needs a liaison-and-diversion engagement may identify: the service's pathways and what else the
# role profile names (mental health, learning disability, finances).
NEEDS = (*PATHWAYS, "mental_health", "learning_disability", "finances_debt")
SUPERVISION_TARGETS = ("contact", "engagement")
SUPERVISION_STATUSES = ("open", "discussed")
AUDIT_ACTIONS = (
    "view",
    "create",
    "update",
    "amend",
    "entered_in_error",
    "delete",
    "export",
    "break_glass",
    "search",
)
GENDERS = ("woman", "man", "non_binary", "other", PREFER_NOT)
ETHNICITIES = ("asian", "black", "mixed", "white", "other", PREFER_NOT)
YES_NO_PREFER = ("yes", "no", PREFER_NOT)
ORIENTATIONS = ("heterosexual", "gay_or_lesbian", "bisexual", "other", PREFER_NOT)
RELIGIONS = ("none", "christian", "muslim", "hindu", "sikh", "jewish", "buddhist", "other", PREFER_NOT)

_FUTURE_TOLERANCE = timedelta(minutes=5)


def _not_after(first: str, second: str, message: str) -> RecordCheck:
    def check(values: Mapping[str, Any]) -> list[FieldError]:
        a, b = values.get(first), values.get(second)
        if a and b and str(b) < str(a):
            return [FieldError(second, message)]
        return []

    return check


def _occurred_not_in_future(values: Mapping[str, Any]) -> list[FieldError]:
    when = values.get("occurred_at")
    if when and timeutil.parse(when) > timeutil.utcnow() + _FUTURE_TOLERANCE:
        return [FieldError("occurred_at", "A contact cannot be recorded as happening in the future.")]
    return []


def _active_risk_needs_review(values: Mapping[str, Any]) -> list[FieldError]:
    if values.get("status") == "active" and not values.get("review_date"):
        return [FieldError("review_date", "An active risk flag needs a review date.")]
    return []


def _resolved_risk_needs_reason(values: Mapping[str, Any]) -> list[FieldError]:
    if values.get("status") == "resolved" and not values.get("resolved_reason"):
        return [FieldError("resolved_reason", "Say why the risk is resolved.")]
    return []


def _named_worker_needed(values: Mapping[str, Any]) -> list[FieldError]:
    if values.get("audience") == "worker" and not values.get("for_user_id"):
        return [FieldError("for_user_id", "Choose the worker this note is for.")]
    return []


def _referral_reference_needed(values: Mapping[str, Any]) -> list[FieldError]:
    if values.get("referred_to_local_authority") and not values.get("local_authority_reference"):
        message = "Give the local authority's reference for the referral."
        return [FieldError("local_authority_reference", message)]
    return []


def _referral_status_dated(values: Mapping[str, Any]) -> list[FieldError]:
    problems = []
    if not values.get("client_id") and not values.get("engagement_id"):
        problems.append(FieldError("client_id", "Say who the referral is for: a client or an engagement."))
    status = values.get("status")
    dated = REFERRAL_STATUS_DATES.get(str(status))
    if dated and not values.get(dated):
        problems.append(FieldError(dated, "Give the date the referral reached this status."))
    made = values.get("made_on")
    for name in REFERRAL_STATUS_DATES.values():
        if made and values.get(name) and str(values[name]) < str(made):
            problems.append(FieldError(name, "This cannot be before the referral was made."))
    return problems


def _consent_answered(values: Mapping[str, Any]) -> list[FieldError]:
    if values.get("consent_asked") and not values.get("consent_answer"):
        return [FieldError("consent_answer", "Say what the person answered when asked about consent.")]
    if values.get("consent_answer") and not values.get("consent_asked"):
        return [FieldError("consent_asked", "An answer on consent means it was asked: tick it.")]
    return []


def _met_not_in_future(values: Mapping[str, Any]) -> list[FieldError]:
    when = values.get("met_at")
    if when and timeutil.parse(when) > timeutil.utcnow() + _FUTURE_TOLERANCE:
        return [FieldError("met_at", "An engagement cannot be recorded as happening in the future.")]
    return []


def _discussion_complete(values: Mapping[str, Any]) -> list[FieldError]:
    if values.get("status") != "discussed":
        return []
    missing = [n for n in ("discussed_on", "discussed_by", "discussion_note") if not values.get(n)]
    return [FieldError(n, "Say when, by whom and what was discussed.") for n in missing]


def _born_in_past(values: Mapping[str, Any]) -> list[FieldError]:
    born = values.get("date_of_birth")
    if born and timeutil.parse_date(born) >= timeutil.utcnow().date():
        return [FieldError("date_of_birth", "The date of birth must be in the past.")]
    return []


CLIENT = KindSpec(
    name="client",
    label="Client",
    mutable=True,
    client_field="id",
    fields=(
        FieldSpec("given_name", T.TEXT, "Given name", required=True, max_length=100, searchable=True),
        FieldSpec("family_name", T.TEXT, "Family name", required=True, max_length=100, searchable=True),
        FieldSpec("preferred_name", T.TEXT, "Preferred name", max_length=100, searchable=True),
        FieldSpec("pronouns", T.TEXT, "Pronouns", max_length=40),
        FieldSpec("date_of_birth", T.DATE, "Date of birth", required=True),
        FieldSpec("nhs_number", T.NHS_NUMBER, "NHS number", max_length=14),
        FieldSpec("address", T.TEXT, "Address", max_length=400),
        FieldSpec("postcode", T.TEXT, "Postcode", max_length=10),
        FieldSpec("phone", T.TEXT, "Phone", max_length=40),
        FieldSpec("team_id", T.UUID, "Team", required=True),
        FieldSpec("key_worker_id", T.UUID, "Key worker"),
        FieldSpec("co_worker_ids", T.LIST, "Co-workers"),
        FieldSpec("care_coordinator", T.TEXT, "NHS care coordinator", max_length=200),
        FieldSpec("status", T.ENUM, "Status", required=True, choices=CLIENT_STATUSES),
        FieldSpec("referral_source", T.TEXT, "Referral source", max_length=200),
        FieldSpec("referral_date", T.DATE, "Referral date"),
        FieldSpec("hospital_discharge_date", T.DATE, "Discharged from hospital"),
        FieldSpec("service_discharge_date", T.DATE, "Discharged from this service"),
        FieldSpec("legal_framework", T.ENUM, "Legal framework", choices=LEGAL_FRAMEWORKS),
        FieldSpec("conditions", T.TEXT, "Conditions of discharge"),
        FieldSpec("mappa_category", T.ENUM, "MAPPA category", choices=LEVELS),
        FieldSpec("mappa_level", T.ENUM, "MAPPA level", choices=LEVELS),
        FieldSpec("licence_conditions", T.TEXT, "Licence conditions"),
        FieldSpec("exclusion_zones", T.TEXT, "Exclusion zones"),
        FieldSpec("no_contact", T.TEXT, "No-contact list"),
        FieldSpec("recall_triggers", T.TEXT, "Recall triggers"),
        FieldSpec("crisis_plan", T.TEXT, "Crisis plan"),
        FieldSpec("cpa_review_date", T.DATE, "CPA review date"),
        FieldSpec("plan_review_date", T.DATE, "Support plan review date"),
        FieldSpec("language", T.TEXT, "Preferred language", max_length=60),
        FieldSpec("interpreter_needed", T.BOOL, "Needs an interpreter"),
        FieldSpec("accessibility_needs", T.TEXT, "Communication and accessibility needs"),
        FieldSpec("consent_to_share", T.BOOL, "Consents to information sharing"),
        FieldSpec("key_contacts", T.JSON, "Carers, family and friends"),
        FieldSpec("gender", T.ENUM, "Gender", choices=GENDERS),
        FieldSpec("ethnicity", T.ENUM, "Ethnic group", choices=ETHNICITIES),
        FieldSpec("disability", T.ENUM, "Disability", choices=YES_NO_PREFER),
        FieldSpec("sexual_orientation", T.ENUM, "Sexual orientation", choices=ORIENTATIONS),
        FieldSpec("religion", T.ENUM, "Religion or belief", choices=RELIGIONS),
    ),
    checks=(_born_in_past,),
)

RISK_FLAG = KindSpec(
    name="risk_flag",
    label="Risk flag",
    mutable=True,
    fields=(
        FieldSpec("client_id", T.UUID, "Client", required=True),
        FieldSpec("category", T.ENUM, "Category", required=True, choices=RISK_CATEGORIES),
        FieldSpec("severity", T.ENUM, "Severity", required=True, choices=SEVERITIES),
        FieldSpec("description", T.TEXT, "Description", required=True, searchable=True),
        FieldSpec("management_plan", T.TEXT, "Management plan"),
        FieldSpec("source", T.TEXT, "Source", max_length=200),
        FieldSpec("raised_by", T.UUID, "Raised by"),
        FieldSpec("raised_on", T.DATE, "Raised on", required=True),
        FieldSpec("review_date", T.DATE, "Review date"),
        FieldSpec("status", T.ENUM, "Status", required=True, choices=RISK_STATUSES),
        FieldSpec("resolved_reason", T.TEXT, "Why resolved"),
    ),
    checks=(_active_risk_needs_review, _resolved_risk_needs_reason),
)

VISIT = KindSpec(
    name="visit",
    label="Visit",
    mutable=True,
    fields=(
        FieldSpec("client_id", T.UUID, "Client", required=True),
        FieldSpec("worker_id", T.UUID, "Worker", required=True),
        FieldSpec("place", T.TEXT, "Place", required=True, max_length=400),
        FieldSpec("planned_start", T.DATETIME, "Planned start", required=True),
        FieldSpec("expected_minutes", T.INT, "Expected duration (minutes)", required=True),
        FieldSpec("call_contact", T.TEXT, "Who to call", max_length=200),
        FieldSpec("buddy_id", T.UUID, "Buddy"),
        FieldSpec("checked_in_at", T.DATETIME, "Checked in"),
        FieldSpec("checked_out_at", T.DATETIME, "Checked out"),
        FieldSpec("status", T.ENUM, "Status", required=True, choices=VISIT_STATUSES),
        FieldSpec("overrun_action", T.TEXT, "What was done when it ran over"),
    ),
    checks=(_not_after("checked_in_at", "checked_out_at", "Check-out cannot be before check-in."),),
)

SUPPORT_GOAL = KindSpec(
    name="support_goal",
    label="Support-plan goal",
    mutable=True,
    fields=(
        FieldSpec("client_id", T.UUID, "Client", required=True),
        FieldSpec("pathway", T.ENUM, "Pathway", required=True, choices=PATHWAYS),
        FieldSpec("goal", T.TEXT, "Goal, in the client's own words", required=True, searchable=True),
        FieldSpec("steps", T.JSON, "Steps"),
        FieldSpec("target_date", T.DATE, "Target date"),
        FieldSpec("review_date", T.DATE, "Review date"),
        FieldSpec("status", T.ENUM, "Status", required=True, choices=GOAL_STATUSES),
        FieldSpec("co_produced", T.BOOL, "Written with the client"),
        FieldSpec("review_log", T.JSON, "Reviews"),  # [{due, reviewed_on, by, note?}], plans.review_goal
    ),
)

AGENCY = KindSpec(
    name="agency",
    label="Agency",
    mutable=True,
    client_field=None,
    fields=(
        FieldSpec("team_id", T.UUID, "Team", required=True),
        FieldSpec("name", T.TEXT, "Name", required=True, max_length=200),
        FieldSpec("agency_type", T.ENUM, "Type", required=True, choices=AGENCY_TYPES),
        FieldSpec("phone", T.TEXT, "Phone", max_length=40),
        FieldSpec("email", T.TEXT, "Email", max_length=200),
        FieldSpec("address", T.TEXT, "Address", max_length=400),
        FieldSpec("pathways", T.TAGS, "Pathways", choices=PATHWAYS),
        FieldSpec("notes", T.TEXT, "Notes"),
    ),
    checks=(reach_problems,),  # a phone number one can dial, an e-mail address one can write to
)

# A referral or signpost to an agency. Mutable, merged field by field: it is one thing whose
# status moves on over weeks (made, accepted, attended, outcome), often updated by a colleague or
# after the agency rings back, offline on two laptops. Each status has its own date field, so two
# workers recording different steps do not overwrite each other's dates; only the status itself
# (or the outcome) can conflict, and the value that loses is kept for a person to review. Every
# change is in the record's history (revisions here, record_versions on the central store), so
# the status trail is as complete as a series of entries would be, without a fold over entries
# for every list and report. Before the person is a client it belongs to an engagement; when
# the engagement becomes a client, each of its referrals is attached to the client (ATTACHABLE).
REFERRAL = KindSpec(
    name="referral",
    label="Referral or signpost",
    mutable=True,
    fields=(
        FieldSpec("team_id", T.UUID, "Team", required=True),
        FieldSpec("client_id", T.UUID, "Client"),
        FieldSpec("engagement_id", T.UUID, "Engagement"),
        FieldSpec("agency_id", T.UUID, "Agency", required=True),
        FieldSpec("pathway", T.ENUM, "Pathway", required=True, choices=PATHWAYS),
        FieldSpec("what_for", T.TEXT, "What for", required=True),
        FieldSpec("made_on", T.DATE, "Made on", required=True),
        FieldSpec("made_by", T.UUID, "Made by", required=True),
        FieldSpec("status", T.ENUM, "Status", required=True, choices=REFERRAL_STATUSES),
        FieldSpec("signposted_on", T.DATE, "Signposted on"),
        FieldSpec("referred_on", T.DATE, "Referral made on"),
        FieldSpec("accepted_on", T.DATE, "Accepted on"),
        FieldSpec("declined_on", T.DATE, "Declined on"),
        FieldSpec("attended_on", T.DATE, "Attended on"),
        FieldSpec("outcome_on", T.DATE, "Outcome recorded on"),
        FieldSpec("outcome", T.TEXT, "Outcome"),
    ),
    checks=(_referral_status_dated,),
)

# A person met by liaison and diversion (police custody, court, the community), often before they
# are anyone's client. Mutable: it becomes a client's (client_id, linked_on) when the person is
# taken on, and the consent answer may come later; it belongs to the team meanwhile, read by the
# worker who recorded it and the team's managers (navigator_core.policy).
ENGAGEMENT = KindSpec(
    name="engagement",
    label="Engagement",
    mutable=True,
    fields=(
        FieldSpec("team_id", T.UUID, "Team", required=True),
        FieldSpec("client_id", T.UUID, "Became client"),
        FieldSpec("person", T.TEXT, "Name or description", required=True, max_length=200),
        FieldSpec("setting", T.ENUM, "Where", required=True, choices=ENGAGEMENT_SETTINGS),
        FieldSpec("place", T.TEXT, "Place", max_length=200),
        FieldSpec("met_at", T.DATETIME, "When", required=True),
        FieldSpec("consent_asked", T.BOOL, "Consent to share asked"),
        FieldSpec("consent_answer", T.ENUM, "Their answer", choices=CONSENT_ANSWERS),
        FieldSpec("needs", T.TAGS, "Needs identified", choices=NEEDS),
        FieldSpec("offered", T.TEXT, "What was offered or signposted"),
        FieldSpec("notes", T.TEXT, "Notes"),
        FieldSpec("linked_on", T.DATE, "Became a client on"),
    ),
    checks=(_consent_answered, _met_not_in_future),
)

# "Raise in supervision": a contact or an engagement flagged with why; the supervisor (a named one,
# or the team's managers when none is named) marks it discussed with a note. Mutable rather than
# a pair of entries: the discussion is the item's second state, written by another person on
# fields the worker does not touch (so it never conflicts), the policy judges the supervisor's
# update against the stored item (its supervisor_id), and both states stay in the record's
# history. It is never deleted (the policy refuses it).
SUPERVISION_ITEM = KindSpec(
    name="supervision_item",
    label="Concern for supervision",
    mutable=True,
    fields=(
        FieldSpec("team_id", T.UUID, "Team", required=True),
        FieldSpec("client_id", T.UUID, "Client"),
        FieldSpec("target_kind", T.ENUM, "Raised on", required=True, choices=SUPERVISION_TARGETS),
        FieldSpec("target_id", T.UUID, "Record", required=True),
        FieldSpec("reason", T.TEXT, "Why raise it", required=True),
        FieldSpec("supervisor_id", T.UUID, "Supervisor"),
        FieldSpec("status", T.ENUM, "Status", required=True, choices=SUPERVISION_STATUSES),
        FieldSpec("discussed_on", T.DATE, "Discussed on"),
        FieldSpec("discussed_by", T.UUID, "Discussed by"),
        FieldSpec("discussion_note", T.TEXT, "What was discussed"),
    ),
    checks=(_discussion_complete,),
)
# Fields the supervisor writes when marking an item discussed.
DISCUSSION_FIELDS = frozenset({"status", "discussed_on", "discussed_by", "discussion_note"})

CONTACT = KindSpec(
    name="contact",
    label="Contact",
    mutable=False,
    fields=(
        FieldSpec("client_id", T.UUID, "Client", required=True),
        FieldSpec("occurred_at", T.DATETIME, "When it happened", required=True),
        FieldSpec("contact_type", T.ENUM, "Type", required=True, choices=CONTACT_TYPES),
        FieldSpec("duration_minutes", T.INT, "Duration (minutes)"),
        FieldSpec("place", T.TEXT, "Place", max_length=400),
        FieldSpec("present", T.LIST, "Who was there"),
        FieldSpec("pathways", T.TAGS, "Pathways", choices=PATHWAYS),
        FieldSpec("narrative", T.TEXT, "What happened", required=True, searchable=True),
        FieldSpec("actions", T.TEXT, "Follow-up actions"),
        FieldSpec("feedback", T.TEXT, "Feedback from the client or carer"),
        FieldSpec("safeguarding_raised", T.BOOL, "Safeguarding concern raised"),
        FieldSpec("out_of_hours", T.BOOL, "Out of hours (recorded on call)"),
        FieldSpec("visit_id", T.UUID, "Visit"),
    ),
    checks=(_occurred_not_in_future,),
)

HANDOVER_NOTE = KindSpec(
    name="handover_note",
    label="Handover note",
    mutable=False,
    fields=(
        FieldSpec("team_id", T.UUID, "Team", required=True),
        FieldSpec("client_id", T.UUID, "Client"),
        FieldSpec("text", T.TEXT, "Note", required=True, searchable=True),
        FieldSpec("valid_from", T.DATETIME, "Valid from", required=True),
        FieldSpec("valid_until", T.DATETIME, "Valid until"),
        FieldSpec("priority", T.ENUM, "Priority", required=True, choices=PRIORITIES),
        FieldSpec("audience", T.ENUM, "For", required=True, choices=AUDIENCES),
        FieldSpec("for_user_id", T.UUID, "Named worker"),
    ),
    checks=(
        _not_after("valid_from", "valid_until", "A note cannot stop being valid before it starts."),
        _named_worker_needed,
    ),
)

ACKNOWLEDGEMENT = KindSpec(
    name="acknowledgement",
    label="Acknowledgement",
    mutable=False,
    client_field=None,
    fields=(
        FieldSpec("note_id", T.UUID, "Handover note", required=True),
        FieldSpec("team_id", T.UUID, "Team", required=True),
    ),
)

OUTCOME = KindSpec(
    name="outcome",
    label="Outcome",
    mutable=False,
    fields=(
        FieldSpec("client_id", T.UUID, "Client", required=True),
        FieldSpec("goal_id", T.UUID, "Goal"),
        FieldSpec("pathway", T.ENUM, "Pathway", required=True, choices=PATHWAYS),
        FieldSpec("outcome", T.ENUM, "Outcome", required=True, choices=OUTCOMES),
        FieldSpec("achieved_on", T.DATE, "Achieved on", required=True),
        FieldSpec("notes", T.TEXT, "Notes"),
    ),
)

SAFEGUARDING_CONCERN = KindSpec(
    name="safeguarding_concern",
    label="Safeguarding concern",
    mutable=False,
    fields=(
        FieldSpec("client_id", T.UUID, "Client", required=True),
        FieldSpec("category", T.ENUM, "Category", required=True, choices=SAFEGUARDING_CATEGORIES),
        FieldSpec("observed", T.TEXT, "What was seen or said", required=True),
        FieldSpec("action_taken", T.TEXT, "Action taken", required=True),
        FieldSpec("referred_to_local_authority", T.BOOL, "Referred to the local authority"),
        FieldSpec("local_authority_reference", T.TEXT, "Local authority reference", max_length=100),
    ),
    checks=(_referral_reference_needed,),
)

ENTERED_IN_ERROR = KindSpec(
    name="entered_in_error",
    label="Entered in error",
    mutable=False,
    fields=(
        FieldSpec("target_kind", T.TEXT, "Kind of record", required=True, max_length=40),
        FieldSpec("target_id", T.UUID, "Record", required=True),
        FieldSpec("client_id", T.UUID, "Client"),
        FieldSpec("reason", T.TEXT, "Reason", required=True),
    ),
)

AUDIT_EVENT = KindSpec(
    name="audit_event",
    label="Audit event",
    mutable=False,
    fields=(
        FieldSpec("action", T.ENUM, "Action", required=True, choices=AUDIT_ACTIONS),
        FieldSpec("target_kind", T.TEXT, "Kind of record", max_length=40),
        FieldSpec("target_id", T.UUID, "Record"),
        FieldSpec("client_id", T.UUID, "Client"),
        FieldSpec("reason", T.TEXT, "Reason"),
        FieldSpec("fields", T.LIST, "Fields changed"),
    ),
)

# What was done about a visit that ran over: each step (called the worker, called the buddy,
# escalated to police, the worker is safe) is its own dated, attributed entry.
VISIT_ESCALATION = KindSpec(
    name="visit_escalation",
    label="Escalation step",
    mutable=False,
    fields=(
        FieldSpec("client_id", T.UUID, "Client", required=True),
        FieldSpec("visit_id", T.UUID, "Visit", required=True),
        FieldSpec("step", T.ENUM, "What was done", required=True, choices=ESCALATION_STEPS),
        FieldSpec("occurred_at", T.DATETIME, "When", required=True),
        FieldSpec("notes", T.TEXT, "Notes"),
    ),
    checks=(_occurred_not_in_future,),
)

# A person's decision on a conflict (the same conflict, identified by its record, field and the
# two stamps, on every laptop and on the central store): it travels so that every copy of the
# conflict is marked settled, not only the one on the laptop where the choice was made.
CONFLICT_RESOLUTION = KindSpec(
    name="conflict_resolution",
    label="Conflict decision",
    mutable=False,
    fields=(
        FieldSpec("target_kind", T.TEXT, "Kind of record", required=True, max_length=40),
        FieldSpec("target_id", T.UUID, "Record", required=True),
        FieldSpec("client_id", T.UUID, "Client"),
        FieldSpec("field", T.TEXT, "Field", required=True, max_length=80),
        FieldSpec("kept_stamp", T.TEXT, "Stamp of the value the merge kept", required=True, max_length=80),
        FieldSpec("lost_stamp", T.TEXT, "Stamp of the value that lost", required=True, max_length=80),
        FieldSpec("choice", T.ENUM, "Choice", required=True, choices=CONFLICT_CHOICES),
        FieldSpec("note", T.TEXT, "Note"),
    ),
)

ALL_KINDS: tuple[KindSpec, ...] = (
    CLIENT,
    RISK_FLAG,
    VISIT,
    SUPPORT_GOAL,
    AGENCY,
    REFERRAL,
    ENGAGEMENT,
    SUPERVISION_ITEM,
    CONTACT,
    HANDOVER_NOTE,
    ACKNOWLEDGEMENT,
    OUTCOME,
    SAFEGUARDING_CONCERN,
    ENTERED_IN_ERROR,
    AUDIT_EVENT,
    VISIT_ESCALATION,
    CONFLICT_RESOLUTION,
)
KINDS: dict[str, KindSpec] = {k.name: k for k in ALL_KINDS}
# A correction of an append-only entry may be made to these kinds (not to audit events,
# acknowledgements or error marks, which are facts about other records).
AMENDABLE = frozenset({"contact", "handover_note", "outcome", "safeguarding_concern"})
# Kinds a record of which may be made before its person is a client and be attached to one later
# (client_id from none to a client, once; never from one client to another).
ATTACHABLE = frozenset({"engagement", "referral", "supervision_item"})


def kind(name: str) -> KindSpec:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no record kind called {name!r}") from None

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
# The categories a lone worker must see before walking in.
VISIT_RELEVANT_RISKS = (
    "violence_to_others",
    "weapons",
    "environment",
    "visit_two_workers",
    "visit_not_at_home",
    "visit_public_place",
)
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
        FieldSpec("notes", T.TEXT, "Notes"),
    ),
)

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


def kind(name: str) -> KindSpec:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no record kind called {name!r}") from None

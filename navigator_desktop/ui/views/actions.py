"""What the client screen (and its plan tab) can ask for: the ``requested`` signal's first value.

One name for each, so the flow that does them (ui/flows/client_actions.py) dispatches on the
enum in one place instead of comparing strings.
"""

from __future__ import annotations

from enum import StrEnum


class ClientAction(StrEnum):
    # the client, its contacts, notes and risks
    NEW_CONTACT = "new_contact"
    EDIT_CLIENT = "edit_client"
    WRITE_NOTE = "write_note"
    RAISE_RISK = "raise_risk"
    PLAN_VISIT = "plan_visit"
    AMEND_CONTACT = "amend_contact"
    CONTACT_IN_ERROR = "contact_in_error"
    REVIEW_RISK = "review_risk"
    RESOLVE_RISK = "resolve_risk"
    ACKNOWLEDGE = "acknowledge"
    # safeguarding concerns and concerns for supervision
    RAISE_SAFEGUARDING = "raise_safeguarding"
    AMEND_SAFEGUARDING = "amend_safeguarding"
    RAISE_SUPERVISION = "raise_supervision"
    # the support plan
    ADD_GOAL = "add_goal"
    RECORD_OUTCOME = "record_outcome"
    EDIT_GOAL = "edit_goal"
    REVIEW_GOAL = "review_goal"
    TICK_STEP = "tick_step"
    ADD_STEP = "add_step"
    AMEND_OUTCOME = "amend_outcome"
    OUTCOME_IN_ERROR = "outcome_in_error"
    # referrals and signposts to other agencies
    REFER = "refer"
    REFER_FROM_CONTACT = "refer_from_contact"
    UPDATE_REFERRAL = "update_referral"
    # documents
    EXPORT_PLAN = "export_plan"
    EXPORT_HANDOVER_CLIENT = "export_handover_client"
    EXPORT_HANDOVER_TEAM = "export_handover_team"
    EXPORT_SUBJECT_ACCESS = "export_subject_access"

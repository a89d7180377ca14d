"""The support plan's forms: a goal (new or edited), a goal's review, and an outcome achieved.

Each builder takes plain values (ids, the record being changed, the client's goals as choices),
so the form can be rebuilt from a draft after the idle lock. The form registry (registry.py) names
them beside their writers, so FormsFlow opens, saves and keeps them like every other form.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from navigator_core import timeutil
from navigator_core.fields import FieldSpec, KindSpec
from navigator_core.fields import FieldType as T
from navigator_core.kinds import GOAL_STATUSES, OUTCOME, SUPPORT_GOAL
from navigator_desktop.store.views import Who
from navigator_desktop.ui import text
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.forms.record_form import RecordForm

STEPS_TEXT = FieldSpec("steps_text", T.TEXT, "Steps, one per line", max_length=20_000)
REVIEW_NOTE = FieldSpec("note", T.TEXT, "What the review found", required=True, max_length=20_000)
NEXT_REVIEW = FieldSpec("review_date", T.DATE, "Next review", required=True)
REVIEW_STATUS = FieldSpec("status", T.ENUM, "Status", required=True, choices=GOAL_STATUSES)
AMEND_REASON = FieldSpec("amend_reason", T.TEXT, "Why is it being corrected?", required=True)
DEFAULT_REVIEW_DAYS = 90  # a plan reviewed every three months unless the worker picks otherwise


def _in_days(days: int) -> str:
    return (timeutil.parse_date(text.today()) + timedelta(days=days)).isoformat()


def steps_as_lines(steps: Any) -> str:
    return "\n".join(str(s.get("step", "")) for s in steps or [] if isinstance(s, dict))


def _client_form(
    name: str,
    kind: KindSpec,
    title: str,
    editors: list[FieldEditor],
    context: dict[str, Any],
    intro: str,
    parent: QWidget | None,
) -> RecordForm:
    """A form of one of the client's records: the client fixed, and named in the title (at its {})."""
    return RecordForm(
        name,
        title.format(context.get("client_name", "")),
        [(None, editors)],
        kind=kind,
        fixed={"client_id": context["client_id"]},
        context=context,
        intro=intro,
        parent=parent,
    )


def goal_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    """A new goal for a client, or an edit of one (context["record"])."""
    record = context.get("record")
    f = SUPPORT_GOAL.by_name
    editors = [
        FieldEditor(f["pathway"]),
        FieldEditor(f["goal"]),
        FieldEditor(STEPS_TEXT),
        FieldEditor(f["target_date"]),
        FieldEditor(f["review_date"]),
        FieldEditor(f["status"]),
        FieldEditor(f["co_produced"]),
    ]
    form = _client_form(
        "goal",
        SUPPORT_GOAL,
        "Edit a goal of {}" if record else "New goal with {}",
        editors,
        context,
        "Write the goal as the client says it, in their own words. Steps are the small things "
        "that get there; you can tick them off on the plan.",
        parent,
    )
    if record:
        form.set_values({**record, "steps_text": steps_as_lines(record.get("steps"))})
    else:
        form.set_values(
            {"status": "not_started", "co_produced": True, "review_date": _in_days(DEFAULT_REVIEW_DAYS)}
        )
    form.editors["goal"].widget.setFocus()
    return form


def goal_review_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    goal = context["goal"]
    form = RecordForm(
        "goal_review",
        f"Review goal: {text.first_line(goal['goal'], 60)}",
        [(None, [FieldEditor(REVIEW_NOTE), FieldEditor(NEXT_REVIEW), FieldEditor(REVIEW_STATUS)])],
        context=context,
        intro="Reviewed with the client today. The review is kept in the goal's history with your note.",
        save_text="&Mark reviewed",
        parent=parent,
    )
    form.set_values({"review_date": _in_days(DEFAULT_REVIEW_DAYS), "status": goal["status"]})
    return form


def outcome_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    """An outcome achieved (or a correction of one: context["amends"])."""
    amending = context.get("amends")
    f = OUTCOME.by_name
    goals = [(str(label), str(gid)) for label, gid in context.get("goals") or []]
    editors = [
        FieldEditor(f["outcome"]),
        FieldEditor(f["pathway"]),
        FieldEditor(f["achieved_on"]),
        FieldEditor(f["goal_id"], [("— no goal —", ""), *goals]),
        FieldEditor(f["notes"]),
    ]
    if amending:
        editors.append(FieldEditor(AMEND_REASON))
    form = _client_form(
        "outcome",
        OUTCOME,
        "Correct an outcome of {}" if amending else "Outcome achieved by {}",
        editors,
        context,
        "The original stays in the record's history; this correction replaces it."
        if amending
        else "What the client achieved, and when.",
        parent,
    )
    if amending:
        form.set_values({k: v for k, v in amending.items() if k in form.editors})
    else:
        form.set_values({"achieved_on": text.today(), "outcome": "housing_secured", "pathway": "housing"})
    return form

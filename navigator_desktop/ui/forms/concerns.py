"""The forms for concerns: a safeguarding concern about a client (new, or corrected to add a
referral made later), a contact or an engagement flagged "raise in supervision" with why, and the
supervisor's note that it was discussed. Same shape as every builder in catalogue.py."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from navigator_core.fields import FieldSpec
from navigator_core.fields import FieldType as T
from navigator_core.kinds import SAFEGUARDING_CONCERN, SUPERVISION_ITEM
from navigator_desktop.store.views import Who
from navigator_desktop.ui import text
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.forms.record_form import RecordForm

AMEND_REASON = FieldSpec("amend_reason", T.TEXT, "Why is it being corrected?", required=True)
MANAGERS = "The team's managers"  # a concern for supervision that names no supervisor goes to them


def safeguarding_form(context: dict[str, Any], _who: Who | None, parent: QWidget | None = None) -> RecordForm:
    """A new concern about the client in the context (``amends``: the concern being corrected;
    ``prefill``: values to start from, such as those of a contact that raised it)."""
    amending = context.get("amends")
    f = SAFEGUARDING_CONCERN.by_name
    names = [
        "category",
        "observed",
        "action_taken",
        "referred_to_local_authority",
        "local_authority_reference",
    ]
    editors = [FieldEditor(f[n]) for n in names]
    who = context.get("client_name", "")
    intro = (
        "The concern as first written stays in the record's history; this correction replaces it."
        if amending
        else context.get("intro") or "Say what was seen or said, in the words used, and what you did."
    )
    form = RecordForm(
        "safeguarding",
        f"Correct a safeguarding concern about {who}" if amending else f"Safeguarding concern about {who}",
        [(None, editors + ([FieldEditor(AMEND_REASON)] if amending else []))],
        kind=SAFEGUARDING_CONCERN,
        fixed={"client_id": context["client_id"]},
        context=context,
        intro=intro + " A referral to the local authority needs its reference.",
        parent=parent,
    )
    for name in ("observed", "action_taken"):
        form.editors[name].widget.setMaximumHeight(110)
    if amending:
        form.set_values({k: v for k, v in amending.items() if k in form.editors})
    else:
        form.set_values(context.get("prefill") or {})
    form.editors["observed"].widget.setFocus()
    return form


def supervision_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    """Flag a record for supervision. The context names it: ``target_kind`` ("contact" or
    "engagement"), ``target_id``, ``client_id`` (if any) and ``what`` (words for it, for the intro)."""
    f = SUPERVISION_ITEM.by_name
    me = who.user_id if who else None
    supervisor = FieldEditor(
        f["supervisor_id"], [(n, uid) for n, uid in (who.workers if who else []) if uid != me]
    )
    editors = [FieldEditor(f["reason"]), supervisor]
    fixed: dict[str, Any] = {
        "team_id": who.team_id if who else None,
        "target_kind": context["target_kind"],
        "target_id": context["target_id"],
        "status": "open",
    }
    if context.get("client_id"):
        fixed["client_id"] = context["client_id"]
    form = RecordForm(
        "supervision",
        "Raise in supervision",
        [(None, editors)],
        kind=SUPERVISION_ITEM,
        fixed=fixed,
        context=context,
        intro=f"About {context.get('what') or text.label(context['target_kind']).lower()}. "
        "One line of why is enough. Without a named supervisor it goes to the team's managers; "
        "the flag and what is said about it stay with the record.",
        save_text="&Raise it",
        parent=parent,
    )
    combo = supervisor.widget
    assert isinstance(combo, QComboBox)
    combo.setItemText(0, MANAGERS)
    form.editors["reason"].widget.setMaximumHeight(80)
    form.editors["reason"].widget.setFocus()
    return form


DISCUSSION_NOTE = FieldSpec("discussion_note", T.TEXT, "What was discussed", required=True)
DISCUSSED_ON = FieldSpec("discussed_on", T.DATE, "Discussed on", required=True)


def discussed_form(context: dict[str, Any], _who: Who | None, parent: QWidget | None = None) -> RecordForm:
    """The supervisor marks the concern in the context (``item``) discussed, with a note."""
    item = context["item"]
    about = f" ({item['client_name']})" if item.get("client_name") else ""
    form = RecordForm(
        "supervision_discussed",
        f"Discussed in supervision{about}",
        [(None, [FieldEditor(DISCUSSION_NOTE), FieldEditor(DISCUSSED_ON)])],
        context=context,
        intro=f"Raised because: “{item['reason']}”. The concern leaves the open list and stays in the "
        "record's history with your note.",
        save_text="&Mark discussed",
        parent=parent,
    )
    form.set_values({"discussed_on": text.today()})
    form.editors["discussion_note"].widget.setFocus()
    return form

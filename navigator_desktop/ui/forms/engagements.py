"""The engagement form: a person met in police custody, at court or in the community, recorded
quickly and before they are anyone's client (liaison and diversion); and what a new client record
made from an engagement starts with.

Built like every other form (field specs, errors at the field that clear once right, kept as a
draft on lock); the forms flow writes what it holds (registry.py, "engagement").
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from navigator_core import timeutil
from navigator_core.kinds import ENGAGEMENT
from navigator_desktop.store.views import Who
from navigator_desktop.ui import text
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.ui.widgets.typed_date import TypedDateEdit

FIELDS = ("person", "setting", "place", "met_at", "consent_asked", "consent_answer", "needs", "offered",
          "notes")  # fmt: skip
# A name as people write one ("Jordan Reid", "Mary-Jane O'Neil"), not a description ("Man in his 30s").
_NAME = re.compile(r"[A-Z][A-Za-z'\u2019-]+( [A-Z][A-Za-z'\u2019-]+)+")


def engagement_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    f = ENGAGEMENT.by_name
    form = RecordForm(
        "engagement",
        "Record an engagement",
        [(None, [FieldEditor(f[n]) for n in FIELDS])],
        kind=ENGAGEMENT,
        fixed={"team_id": who.team_id} if who and who.team_id else {},
        context=context,
        intro="Someone you met in custody, at court or in the community, who is not (yet) on a "
        "caseload. A name, or a description if they gave none. It stays counted as an engagement; "
        "if they are taken on, make a client from it on the Engagements screen.",
        parent=parent,
    )
    for name in ("offered", "notes"):
        form.editors[name].widget.setMaximumHeight(90)
    when = form.editors["met_at"].widget
    assert isinstance(when, TypedDateEdit)
    when.latest = timeutil.local(timeutil.utcnow() + timedelta(minutes=5)).replace(tzinfo=None)
    now = timeutil.utcnow().replace(second=0, microsecond=0)
    form.set_values({"met_at": timeutil.to_text(now), "setting": "police_custody"})
    form.editors["person"].widget.setFocus()
    return form


def client_prefill(engagement: dict[str, Any]) -> dict[str, Any]:
    """What the new-client form starts with when made from `engagement`: the name when the person
    was recorded by name, where the referral came from and when, and their answer on consent."""
    values: dict[str, Any] = {
        "referral_source": f"Liaison and diversion: {text.label(engagement.get('setting'))}",
        "referral_date": timeutil.local(timeutil.parse(engagement["met_at"])).date().isoformat(),
        "consent_to_share": engagement.get("consent_answer") == "given",
    }
    person = str(engagement.get("person") or "").strip()
    if _NAME.fullmatch(person):
        given, family = person.rsplit(" ", 1)
        values.update(given_name=given, family_name=family)
    return values

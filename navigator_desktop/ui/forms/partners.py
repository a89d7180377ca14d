"""The forms of the work with other agencies: an agency of the directory (new or changed), a
referral or signpost for a client, and a referral's next status.

Like every builder (catalogue.py), each takes plain values so it can be rebuilt from a draft: the
agencies to choose from come in the context as (words, id) pairs, read before the form opens.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from navigator_core.fields import FieldError, FieldSpec
from navigator_core.fields import FieldType as T
from navigator_core.kinds import AGENCY, REFERRAL, REFERRAL_STATUS_DATES, REFERRAL_STATUSES
from navigator_core.reach import reach_problems
from navigator_desktop.store.views import Who
from navigator_desktop.ui import text
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.forms.record_form import RecordForm

AGENCY_FIELDS = ("name", "agency_type", "phone", "email", "address", "pathways", "notes")
CHOOSE_AGENCY = "Choose an agency…"
STATUS_ON = FieldSpec("status_on", T.DATE, "On", required=True)
STATUS = FieldSpec("status", T.ENUM, "Status", required=True, choices=REFERRAL_STATUSES)
OUTCOME = FieldSpec("outcome", T.TEXT, "Outcome", max_length=20_000)


class AgencyForm(RecordForm):
    """An agency: its phone and e-mail are checked as they are typed once they were shown wrong,
    alongside a missing name (the kind's own check waits until every field is otherwise right)."""

    def problems(self) -> list[FieldError]:
        found = super().problems()
        named = {p.field for p in found}
        return found + [p for p in reach_problems(self.record_values()) if p.field not in named]


def agency_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    record = context.get("record")
    team = (record or {}).get("team_id") or (who.team_id if who else None)
    # "E-mail", as the directory says it (the kind's own title is "Email").
    editors = [
        FieldEditor(AGENCY.by_name[name], label="E-mail" if name == "email" else None)
        for name in AGENCY_FIELDS
    ]
    form = AgencyForm(
        "agency",
        f"Edit {record['name']}" if record else "New agency",
        [(None, editors)],
        kind=AGENCY,
        fixed={"team_id": team} if team else {},
        context=context,
        intro="The team's directory: everyone in the team sees it. Fields marked * are needed.",
        parent=parent,
    )
    if record:
        form.set_values({name: record.get(name) for name in AGENCY_FIELDS})
    return form


def edited(record: dict[str, Any], entered: dict[str, Any]) -> dict[str, Any]:
    """The agency's fields the person changed from what the form opened with (a blank is a blank,
    whether none or an empty list): only those are written, so a colleague's change to another
    field, synced meanwhile, stands."""

    def value(v: Any) -> Any:
        return v if v not in (None, "", []) else None

    return {
        name: value(entered.get(name))
        for name in AGENCY_FIELDS
        if value(entered.get(name)) != value(record.get(name))
    }


class ReferralForm(RecordForm):
    """A referral's status is dated the day it was made (a later step gets its own date), and the
    agencies serving the pathway chosen are listed first."""

    def record_values(self) -> dict[str, Any]:
        values = super().record_values()
        dated = REFERRAL_STATUS_DATES.get(str(values.get("status")))
        if dated and values.get("made_on"):
            values[dated] = values["made_on"]
        return values

    def list_agencies(self) -> None:
        """The agencies to choose from, those serving the pathway chosen first (each part by name),
        keeping the one chosen."""
        box = self.editors["agency_id"].widget
        assert isinstance(box, QComboBox)
        chosen, pathway = box.currentData(), self.editors["pathway"].value()
        listed = [(str(a[0]), str(a[1]), list(a[2])) for a in self.context["agencies"]]
        ordered = [a for a in listed if pathway in a[2]] + [a for a in listed if pathway not in a[2]]
        box.blockSignals(True)  # the same choice stays chosen: nothing to re-check
        box.clear()
        box.addItem(CHOOSE_AGENCY, None)
        for words, agency_id, serves in ordered:
            box.addItem(f"{words} ✓" if pathway in serves else words, agency_id)
        box.setCurrentIndex(max(box.findData(chosen), 0))
        box.blockSignals(False)


def referral_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    f = REFERRAL.by_name
    # No agency until one is chosen: saving without one says so at the field. The list is
    # filled by list_agencies (agencies come as (words, id, pathways) from flows/referrals.py).
    choices: list[tuple[str, Any]] = [(CHOOSE_AGENCY, None)]
    editors = [FieldEditor(f["agency_id"], choices)] + [
        FieldEditor(f[name]) for name in ("pathway", "what_for", "made_on", "status")
    ]
    team = context.get("team_id") or (who.team_id if who else None)
    fixed = {"client_id": context["client_id"], "team_id": team, "made_by": who.user_id if who else None}
    intro = (
        "Which agency, on which pathway, and what for (✓: the agency serves the pathway chosen). "
        "Its status is updated on the Referrals tab."
    )
    if context.get("after"):
        intro = f"{context['after']} {intro}"
    if not context["agencies"]:
        intro = "The team's directory has no agencies yet: add one first (Navigator menu, Agencies)."
    form = ReferralForm(
        "referral",
        f"Refer or signpost {context.get('client_name', '')}",
        [(None, editors)],
        kind=REFERRAL,
        fixed={k: v for k, v in fixed.items() if v},
        context=context,
        intro=intro,
        parent=parent,
    )
    form.list_agencies()
    pathway = form.editors["pathway"].widget
    assert isinstance(pathway, QComboBox)
    pathway.currentIndexChanged.connect(lambda _: form.list_agencies())
    form.set_values({"made_on": text.today(), "status": "signposted"})
    # Offered from a contact: its day and pathway (flows/referrals.py).
    form.set_values(context.get("prefill") or {})
    return form


class StatusForm(RecordForm):
    """A referral's next step: its date cannot be before the referral was made, and an outcome
    recorded says what it was."""

    def problems(self) -> list[FieldError]:
        found = super().problems()
        values, made = self.values(), str(self.context["referral"].get("made_on") or "")
        if values.get("status_on") and made and str(values["status_on"]) < made:
            found.append(
                FieldError("status_on", f"This cannot be before the referral was made ({text.day(made)}).")
            )
        if values.get("status") == "outcome_recorded" and not values.get("outcome"):
            found.append(FieldError("outcome", "Say what the outcome was."))
        return found

    def date_the_status(self) -> None:
        """The date beside the status chosen: the day the referral reached it when it already has
        (so adding an outcome to an accepted referral keeps the day it was accepted), else today."""
        status = self.editors["status"].value()
        reached = self.context["referral"].get(REFERRAL_STATUS_DATES.get(str(status), ""))
        self.editors["status_on"].set_value(reached or text.today())


def referral_status_form(
    context: dict[str, Any], _who: Who | None, parent: QWidget | None = None
) -> RecordForm:
    referral = context["referral"]
    about = f"{text.label(referral['pathway'])}: {referral.get('agency_name') or 'an agency'}"
    form = StatusForm(
        "referral_status",
        f"Update a referral: {about}",
        [(None, [FieldEditor(STATUS), FieldEditor(STATUS_ON), FieldEditor(OUTCOME)])],
        context=context,
        intro=f"Made {text.day(referral['made_on'])} for: {text.first_line(referral.get('what_for'), 100)}. "
        f"Now {text.label(referral['status']).lower()}. Each step keeps its own date.",
        parent=parent,
    )
    form.set_values({"status": referral["status"], "outcome": referral.get("outcome")})
    form.date_the_status()
    status = form.editors["status"].widget
    assert isinstance(status, QComboBox)
    status.currentIndexChanged.connect(lambda _: form.date_the_status())
    return form

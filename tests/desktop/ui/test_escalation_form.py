"""The "record an escalation step" form offers only what a person does (issue 14): the alert
steps the central store writes (alert sent, failed, acknowledged...) are not among its choices."""

from __future__ import annotations

from navigator_core.fields import new_id
from navigator_core.kinds import ESCALATION_STEPS, PERSON_ESCALATION_STEPS, STORE_ESCALATION_STEPS
from navigator_desktop.ui.forms.visits import escalation_form
from tests.desktop.ui.helpers import field


def test_the_step_choices_are_the_ones_a_person_records(qtbot) -> None:
    context = {"visit_id": new_id(), "client_id": new_id(), "client_name": "Test", "worker": "Nina"}
    form = escalation_form(context, None)
    qtbot.addWidget(form)
    combo = field(form, "step")
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == list(PERSON_ESCALATION_STEPS)
    assert not set(offered) & set(STORE_ESCALATION_STEPS)
    assert set(ESCALATION_STEPS) == set(PERSON_ESCALATION_STEPS) | set(STORE_ESCALATION_STEPS)
    assert all(combo.itemText(i) and "_" not in combo.itemText(i) for i in range(combo.count()))

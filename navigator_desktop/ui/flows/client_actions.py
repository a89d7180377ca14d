"""What the client screen's buttons ask for, turned into the forms that do it."""

from __future__ import annotations

from typing import Any

from navigator_desktop.ui.flows.client import ClientFlow
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.plan import PlanFlow


class ClientActions:
    def __init__(self, client: ClientFlow, forms: FormsFlow):
        self.client = client
        self.forms = forms
        self.plan = PlanFlow(client.runner, forms)
        # At each unlock, discharged clients past the retention period leave this laptop.
        client.signed_in.loaded.connect(lambda _who: self.plan.purge_retained())

    def _current(self) -> tuple[str, str] | None:
        record = self.client.view.record
        if record is None:
            return None
        c = record.client
        return c["id"], f"{c.get('preferred_name') or c['given_name']} {c['family_name']}"

    def new_contact(self) -> None:
        current = self._current()
        if current:
            self.forms.new_contact(*current)

    def handle(self, action: str, record: dict[str, Any] | None) -> None:
        current = self._current()
        if current is None:
            return
        client_id, name = current
        view_record = self.client.view.record
        if action == "new_contact":
            self.forms.new_contact(client_id, name)
        elif action == "edit_client" and view_record is not None:
            self.forms.edit_client(view_record.client)
        elif action == "write_note":
            self.forms.write_note(client_id, name)
        elif action == "raise_risk":
            self.forms.raise_risk(client_id, name)
        elif action.startswith("export_"):
            self._export(action, client_id, name)
        elif action == "add_goal":
            self.plan.add_goal(client_id, name)
        elif action == "record_outcome" and view_record is not None:
            self.plan.record_outcome(client_id, name, view_record.goals)
        elif record is None:
            return
        elif action == "amend_contact":
            self.forms.amend_contact(record, name)
        elif action == "contact_in_error":
            self.forms.contact_in_error(record)
        elif action == "review_risk":
            self.forms.review_risk(record)
        elif action == "resolve_risk":
            self.forms.resolve_risk(record)
        elif action == "acknowledge":
            self.forms.acknowledge(record)
        else:
            self._plan(action, record, name)

    def _plan(self, action: str, record: dict[str, Any], name: str) -> None:
        goals = self.client.view.record.goals if self.client.view.record else []
        if action == "edit_goal":
            self.plan.edit_goal(record, name)
        elif action == "review_goal":
            self.plan.review_goal(record)
        elif action == "tick_step":
            self.plan.tick_step(record["goal"], int(record["index"]), bool(record["done"]))
        elif action == "add_step":
            self.plan.add_step(record["goal"], str(record["step"]))
        elif action == "amend_outcome":
            self.plan.record_outcome(record["client_id"], name, goals, amends=record)
        elif action == "outcome_in_error":
            self.plan.outcome_in_error(record)

    def _export(self, action: str, client_id: str, name: str) -> None:
        who = self.client.signed_in.who
        if action == "export_plan":
            self.plan.export_plan(client_id, name)
        elif action == "export_subject_access":
            self.plan.export_subject_access(client_id, name)
        elif action == "export_handover_client":
            self.plan.export_handover(who.team_id if who else None, client_id, name)
        elif action == "export_handover_team":
            self.plan.export_handover(who.team_id if who else None, None, None)

"""What the client screen's buttons ask for, turned into the forms that do it."""

from __future__ import annotations

from typing import Any

from navigator_desktop.ui.client_flow import ClientFlow
from navigator_desktop.ui.forms_flow import FormsFlow


class ClientActions:
    def __init__(self, client: ClientFlow, forms: FormsFlow):
        self.client = client
        self.forms = forms

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

"""Referrals and signposts on the client screen: the Referrals tab and the overview's agencies are
read each time the client's record is (so a referral made here or pulled by sync shows at once),
and again when an agency changes; "Refer / signpost…" (from the tab or after a contact) and a
status update open their forms (registry: "referral", "referral_status")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.store import agencies, referrals
from navigator_desktop.store.changes import Change
from navigator_desktop.store.views import ClientRecord
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import text
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.flows.client import ClientFlow
from navigator_desktop.ui.flows.client_actions import ClientActions
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.views.actions import ClientAction

Record = dict[str, Any]
Found = tuple[str, list[Record], list[Record]]  # client id, their referrals, the agencies involved


class ReferralsFlow(QObject):
    def __init__(self, runner: TaskRunner[Session], client: ClientFlow, forms: FormsFlow, bus: ChangeBus):
        super().__init__()
        self.runner, self.client, self.forms = runner, client, forms
        client.shown.connect(self.load)
        bus.changed.connect(self._changed)

    def register(self, actions: ClientActions) -> None:
        """The client screen's referral buttons, dispatched with its other actions."""
        actions.extend(
            on_client={ClientAction.REFER: lambda c, name: self.refer(c.client["id"], name)},
            on_row={
                ClientAction.REFER_FROM_CONTACT: lambda row, c, name: self.refer_after(row, c, name),
                ClientAction.UPDATE_REFERRAL: lambda row, _c, _name: self.update_status(row),
            },
        )

    # --- the tab ----------------------------------------------------------------------------

    def load(self, client_id: str) -> None:
        self.runner.submit(lambda s: _read(s, client_id), self._loaded, name="referrals")

    def _loaded(self, found: Found) -> None:
        self.client.view.show_referrals(*found)

    def _changed(self, changes: list[Change]) -> None:
        # A referral of the client on screen reloads the record (ClientFlow), then this tab; an
        # agency renamed or given a new number changes the tab and the overview too.
        if self.client.client_id and concerns(changes, kinds={"agency"}):
            self.load(self.client.client_id)

    # --- the forms --------------------------------------------------------------------------

    def refer(self, client_id: str, name: str, offered: Record | None = None, key: str | None = None) -> None:
        """The referral form for the client, with the team's agencies to choose from (read first).
        `offered`: what it comes filled in with ("prefill") and what it follows ("after")."""
        who = self.client.signed_in.who
        team = who.team_id if who else None
        context: Record = {"client_id": client_id, "client_name": name, "team_id": team, **(offered or {})}

        def opened(choices: list[tuple[str, str, list[str]]]) -> None:
            self.forms.open("referral", {**context, "agencies": choices}, key or f"referral:new:{client_id}")

        self.runner.submit(lambda s: _choices(s, team), opened, name="agencies to choose from")

    def refer_after(self, contact: Record, shown: ClientRecord, name: str) -> None:
        """Refer or signpost after a contact: made the day of the contact, on its first pathway."""
        day = timeutil.local(timeutil.parse(contact["occurred_at"])).date().isoformat()
        prefill: Record = {"made_on": day}
        if contact.get("pathways"):
            prefill["pathway"] = contact["pathways"][0]
        offered = {
            "prefill": prefill,
            "after": f"After the contact of {text.moment(contact['occurred_at'])}.",
        }
        self.refer(shown.client["id"], name, offered, key=f"referral:contact:{contact['id']}")

    def update_status(self, referral: Record) -> None:
        self.forms.open("referral_status", {"referral": referral}, f"referral:status:{referral['id']}")


def _read(session: Session, client_id: str) -> Found:
    return (
        client_id,
        referrals.for_client(session.db, client_id),
        referrals.agencies_of_client(session.db, client_id),
    )


def _choices(session: Session, team_id: str | None) -> list[tuple[str, str, list[str]]]:
    """The team's agencies as the form lists them: "Name (type)", by name, with their pathways."""
    found = agencies.for_team(session.db, team_id) if team_id else []
    return [
        (f"{a['name']} ({text.label(a['agency_type'])})", a["id"], a.get("pathways") or []) for a in found
    ]

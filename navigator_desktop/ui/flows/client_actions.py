"""What the client screen's buttons ask for (a ``ClientAction``), turned into the form, the visit
or the export that does it: the one place the client screen's requests are dispatched."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from navigator_desktop.store.views import ClientRecord
from navigator_desktop.ui import text
from navigator_desktop.ui.flows.client import ClientFlow
from navigator_desktop.ui.flows.concerns import ConcernsFlow
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.plan import PlanFlow
from navigator_desktop.ui.flows.visits import VisitsFlow
from navigator_desktop.ui.views.actions import ClientAction as A

Record = dict[str, Any]
OnClient = Callable[[ClientRecord, str], object]  # the client on screen, the name they go by
OnRow = Callable[[Record, ClientRecord, str], object]  # and the row of a list the action is about


class ClientActions:
    def __init__(
        self, client: ClientFlow, forms: FormsFlow, plan: PlanFlow, visits: VisitsFlow, concerns: ConcernsFlow
    ):
        self.client = client

        def team() -> str | None:
            return client.signed_in.who.team_id if client.signed_in.who else None

        self._on_client: dict[A, OnClient] = {
            A.NEW_CONTACT: lambda c, name: forms.new_contact(c.client["id"], name),
            A.EDIT_CLIENT: lambda c, _name: forms.edit_client(c.client),
            A.WRITE_NOTE: lambda c, name: forms.write_note(c.client["id"], name),
            A.RAISE_RISK: lambda c, name: forms.raise_risk(c.client["id"], name),
            A.PLAN_VISIT: lambda c, name: visits.plan(c.client["id"], name),
            A.ADD_GOAL: lambda c, name: plan.add_goal(c.client["id"], name),
            A.RECORD_OUTCOME: lambda c, name: plan.record_outcome(c.client["id"], name, c.goals),
            A.EXPORT_PLAN: lambda c, name: plan.export_plan(c.client["id"], name),
            A.EXPORT_SUBJECT_ACCESS: lambda c, name: plan.export_subject_access(c.client["id"], name),
            A.EXPORT_HANDOVER_CLIENT: lambda c, name: plan.export_handover(team(), c.client["id"], name),
            A.EXPORT_HANDOVER_TEAM: lambda _c, _name: plan.export_handover(team(), None, None),
            A.RAISE_SAFEGUARDING: lambda c, name: concerns.raise_safeguarding(c.client["id"], name),
        }
        self._on_row: dict[A, OnRow] = {
            A.AMEND_CONTACT: lambda row, _c, name: forms.amend_contact(row, name),
            A.CONTACT_IN_ERROR: lambda row, _c, _name: forms.contact_in_error(row),
            A.REVIEW_RISK: lambda row, _c, _name: forms.review_risk(row),
            A.RESOLVE_RISK: lambda row, _c, _name: forms.resolve_risk(row),
            A.ACKNOWLEDGE: lambda row, _c, _name: forms.acknowledge(row),
            A.EDIT_GOAL: lambda row, _c, name: plan.edit_goal(row, name),
            A.REVIEW_GOAL: lambda row, _c, _name: plan.review_goal(row),
            A.TICK_STEP: lambda row, _c, _name: plan.tick_step(
                row["goal"], int(row["index"]), bool(row["done"])
            ),
            A.ADD_STEP: lambda row, _c, _name: plan.add_step(row["goal"], str(row["step"])),
            A.AMEND_OUTCOME: lambda row, c, name: plan.record_outcome(row["client_id"], name, c.goals, row),
            A.OUTCOME_IN_ERROR: lambda row, _c, _name: plan.outcome_in_error(row),
            A.AMEND_SAFEGUARDING: lambda row, _c, name: concerns.amend_safeguarding(row, name),
            A.RAISE_SUPERVISION: lambda row, _c, name: concerns.contact_for_supervision(row, name),
        }

    def extend(self, on_client: Mapping[A, OnClient], on_row: Mapping[A, OnRow]) -> None:
        """Actions done by a flow built after this one (referrals: ui/flows/referrals.py)."""
        self._on_client.update(on_client)
        self._on_row.update(on_row)

    def new_contact(self) -> None:
        self.handle(A.NEW_CONTACT, None)

    def handle(self, action: str, row: Record | None) -> None:
        """Do `action` for the client on screen (nothing when none is); `row` is the record of a
        list it is about, for the actions that need one."""
        shown = self.client.view.record
        if shown is None:
            return
        name = text.known_as(shown.client)
        what = A(action)
        if what in self._on_client:
            self._on_client[what](shown, name)
        elif row is not None:
            self._on_row[what](row, shown, name)

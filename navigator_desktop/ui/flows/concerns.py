"""Raising concerns: a safeguarding concern about a client (and correcting one, to add a referral
made later), and "raise in supervision" on a contact or an engagement. A contact saved with its
"safeguarding concern raised" tick on opens the safeguarding form for the same client.

The forms open through FormsFlow (drafts on lock, errors at the field); their writers are in the
form registry. ``raise_in_supervision`` is the one action for any record that can be flagged:
the client screen uses it for contacts, an engagement screen can use it the same way.
"""

from __future__ import annotations

from typing import Any

from navigator_desktop.ui import text
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.forms.record_form import RecordForm

Values = dict[str, Any]
FROM_CONTACT = (
    "You ticked “safeguarding concern raised” on the contact of {when}: record the concern now, "
    "while it is fresh."
)


class ConcernsFlow:
    def __init__(self, forms: FormsFlow):
        self.forms = forms
        forms.saved.connect(self._saved)

    def raise_safeguarding(self, client_id: str, client_name: str, *, intro: str | None = None) -> RecordForm:
        context: Values = {"client_id": client_id, "client_name": client_name}
        if intro:
            context["intro"] = intro
        return self.forms.open("safeguarding", context, f"safeguarding:new:{client_id}")

    def amend_safeguarding(self, concern: Values, client_name: str) -> RecordForm:
        context = {"client_id": concern["client_id"], "client_name": client_name, "amends": concern}
        return self.forms.open("safeguarding", context, f"safeguarding:amend:{concern['id']}")

    def raise_in_supervision(
        self, target_kind: str, target_id: str, client_id: str | None, what: str
    ) -> RecordForm:
        """Flag a contact or an engagement for supervision; `what` names it in the form ("the
        contact of …"), so a draft restored after the lock still says what it is about."""
        context = {"target_kind": target_kind, "target_id": target_id, "client_id": client_id, "what": what}
        return self.forms.open("supervision", context, f"supervision:new:{target_id}")

    def contact_for_supervision(self, contact: Values, client_name: str) -> RecordForm:
        what = f"the contact of {text.moment(contact['occurred_at'])} with {client_name}"
        return self.raise_in_supervision("contact", contact["id"], contact["client_id"], what)

    def engagement_for_supervision(self, engagement: Values) -> RecordForm:
        what = f"the engagement of {text.moment(engagement['met_at'])} with {engagement['person']}"
        return self.raise_in_supervision("engagement", engagement["id"], engagement.get("client_id"), what)

    def _saved(self, name: str, values: Values, context: Values) -> None:
        """A contact newly saying a safeguarding concern was raised opens the concern's form."""
        if name != "contact" or not values.get("safeguarding_raised"):
            return
        if (context.get("amends") or {}).get("safeguarding_raised"):
            return  # the correction of a contact that already said so
        when = text.moment(values.get("occurred_at"))
        client_name = context.get("client_name") or ""
        self.raise_safeguarding(values["client_id"], client_name, intro=FROM_CONTACT.format(when=when))

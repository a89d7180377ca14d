"""Screenshots of the work with other agencies: the agencies directory with the demo team's
agencies (docs/screenshots/agencies.png, and agencies-search.png searched by a pathway), the agency
form refusing what cannot be dialled or written to (agency-form-validation.png), a client's
Referrals tab (client-referrals.png), the agencies on their overview (client-overview-agencies.png)
and the referral form opened after a contact (referral-form.png). Run under a virtual display:

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_agencies.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import demo_window, form_named, idle, settle, shoot

from navigator_desktop.app import Navigator
from navigator_desktop.store import referrals


def directory(app: Navigator) -> None:
    app.agencies.action.trigger()
    idle(app)
    view = app.agencies_view
    view.table.selectRow(0)
    settle(300)
    shoot(app, "agencies")
    view.search.setText("housing")
    view.table.selectRow(0)
    view.copy_phone.click()
    settle(300)
    shoot(app, "agencies-search")
    view.search.clear()

    view.add.click()
    form = form_named(app, "agency")
    form.set_values({"name": "", "phone": "ring reception", "email": "hub at example"})
    form.submit()  # the errors beside their fields
    settle(200)
    shoot(app, "agency-form-validation", form)
    form.reject()


def client(app: Navigator) -> None:
    """The caseload's client with the most referrals: the tab (one with an outcome selected), the
    overview scrolled to its agencies, and "Refer / signpost…" after a contact."""
    ids = [app.caseload_model.row(i).client_id for i in range(app.caseload_model.rowCount())]
    counts = app.runner.call(lambda s: {cid: len(referrals.for_client(s.db, cid)) for cid in ids})
    app.open_client(max(ids, key=lambda cid: counts[cid]))
    idle(app)
    view = app.client_view
    view.tabs.setCurrentWidget(view.referrals)
    listed = view.referrals.model
    done = next((i for i in range(listed.rowCount()) if listed.record(i).get("outcome")), 0)
    view.referrals.table.selectRow(done)
    settle(300)
    shoot(app, "client-referrals")

    view.tabs.setCurrentIndex(0)
    bar = view.overview.verticalScrollBar()
    bar.setValue(bar.maximum())  # the agencies are at the end of the overview
    settle(200)
    shoot(app, "client-overview-agencies")

    view.tabs.setCurrentIndex(1)
    timeline = view.record.timeline if view.record else []
    view.contact_table.selectRow(next((i for i, c in enumerate(timeline) if c.get("pathways")), 0))
    view.refer_contact.click()
    idle(app)
    form = form_named(app, "referral")
    form.set_values({"agency_id": form.editors["agency_id"].widget.itemData(1)})  # type: ignore[attr-defined]
    form.set_values({"what_for": "Open-access assessment, with someone to go along the first time."})
    shoot(app, "referral-form", form)
    form.reject()


def main() -> int:
    with demo_window() as app:
        directory(app)
        client(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

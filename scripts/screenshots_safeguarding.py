"""Screenshots of concerns: a safeguarding concern form filled in (a referral with its reference),
the client's Safeguarding tab, a contact being raised in supervision, and the team manager's
Supervision screen with the demo's concerns. Run under a virtual display:

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_safeguarding.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, form_named, idle, settle, shoot, small_demo

from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.store import safeguarding
from navigator_desktop.ui.views.actions import ClientAction


def as_manager(session: Session) -> None:
    """Sign the demo vault in as its team's manager (who supervises the navigators)."""
    demo.sign_in_as(session.db, "manager")


def concern_shots(app: Navigator) -> None:
    """The concern form filled in for a client who has one already, then the client's tab."""
    team_id = app.signed_in.who.team_id if app.signed_in.who else ""
    # A client with a concern already: the tab then shows an open one beside a referred one.
    held = app.runner.call(lambda s: safeguarding.for_team(s.db, team_id or ""))
    app.open_client(held[0]["client_id"])
    idle(app)
    view = app.client_view
    view.tabs.setCurrentWidget(view.safeguarding)
    app.client_actions.handle(ClientAction.RAISE_SAFEGUARDING, None)
    form = form_named(app, "safeguarding")
    form.resize(720, 560)
    form.set_values({
        "category": "financial",
        "observed": "Said his cousin has kept his bank card since he moved in, and gives him £20 a week "
        "“for food”. Looked worried when the cousin's name came up.",
        "action_taken": "Talked it through with him alone; he agreed to a referral. Rang the local "
        "authority's adult safeguarding team and told the manager.",
        "referred_to_local_authority": True,
        "local_authority_reference": "ASC-2026-004211",
    })  # fmt: skip
    shoot(app, "safeguarding-concern-form", form)
    form.submit()
    idle(app)
    view.safeguarding.view.selectRow(0)
    settle(300)
    shoot(app, "client-safeguarding")


def supervision_shots(app: Navigator) -> None:
    """A contact of the open client raised in supervision, then the manager's Supervision screen."""
    view = app.client_view
    view.tabs.setCurrentIndex(1)
    view.contact_table.selectRow(0)
    app.client_actions.handle(ClientAction.RAISE_SUPERVISION, view.selected(view.contact_table))
    flag = form_named(app, "supervision")
    flag.resize(720, 400)
    flag.editors["reason"].set_value(
        "Unsure whether this meets the safeguarding threshold; want a second view."
    )
    shoot(app, "supervision-raise", flag)
    flag.cancel_button.click()
    idle(app)
    app.supervision.action.trigger()
    idle(app)
    if app.supervision.view.open_items.rowCount():
        app.supervision.view.open_table.selectRow(0)
    settle(300)
    shoot(app, "supervision-list")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = small_demo(Path(tmp) / "demo", as_manager)
        try:
            concern_shots(app)
            supervision_shots(app)
        finally:
            app.shutdown()
            app.window.close()
            qt.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

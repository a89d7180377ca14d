"""Screenshots of break-glass and the access audit, taken through the real path: a central store
on loopback (SQLite in a temp dir), laptops with their own vaults, the records fetched online.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_break_glass.py

Writes docs/screenshots/break-glass-reason.png, break-glass.png and access-audit.png.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import settle  # noqa: E402

from navigator_core import timeutil  # noqa: E402
from navigator_core.policy import Role  # noqa: E402
from navigator_desktop.store import audit, visits  # noqa: E402
from navigator_desktop.sync import access_audit, break_glass  # noqa: E402
from navigator_desktop.ui.dialogs.break_glass import BreakGlassWindow, ReasonDialog  # noqa: E402
from navigator_desktop.ui.views.access_audit import AccessAuditView  # noqa: E402
from navigator_server import accounts, security  # noqa: E402
from navigator_server.app import create_app  # noqa: E402
from tests.e2e.harness import PASSWORD, Laptop, Org, live_server, sqlite_org  # noqa: E402
from tests.server.helpers import client_values, risk_values  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
REASON = "Police welfare check requested at 23:40; need crisis contacts and recent contacts"


def ago(**delta: float) -> str:
    return timeutil.to_text(timeutil.utcnow() - timedelta(**delta))


def person(org: Org, username: str, role: str, display_name: str) -> None:
    with org.db.write() as conn:
        org.users[username] = accounts.create_user(
            conn,
            security.Passwords(org.settings),
            org.settings,
            username=username,
            team_id=org.team_id,
            role=Role.parse(role),
            password=PASSWORD,
            display_name=display_name,
        )


def main(app: QApplication) -> int:
    """`app` outlives every widget made here (a QApplication destroyed first crashes at exit)."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        org = sqlite_org(base / "server.db")
        db = org.db
        roles = {
            "priya": ("navigator", "Priya Shah"),
            "olu": ("on-call", "Olu Adeyemi"),
            "nina": ("navigator", "Nina Kowalska"),
            "morgan": ("manager", "Morgan Reid"),
        }
        with live_server(create_app(db.settings, db)) as url:
            laptops: dict[str, Laptop] = {}
            for name, (role, display) in roles.items():
                person(org, name, role, display)
                laptops[name] = Laptop(base / name, url)
                laptops[name].enrol(org, name)
            nav = laptops["priya"]
            client = nav.create(
                "client",
                **client_values(
                    org.team_id,
                    org.users["priya"],
                    given_name="Daniel",
                    family_name="Okafor",
                    preferred_name="Danny",
                    pronouns="he/him",
                    address="Flat 4, 12 Canal Street, Salford",
                    postcode="M5 4AB",
                    phone="07700 900123",
                    crisis_plan="If distressed: call his sister, then the crisis team 0161 496 0999.",
                    exclusion_zones="Not to enter Eccles town centre (licence condition).",
                    ethnicity="black",
                    legal_framework="conditional_discharge",
                ),
            )
            nav.create(
                "risk_flag",
                **risk_values(
                    client,
                    category="environment",
                    severity="medium",
                    description="Large dog (Staffordshire) at the flat; usually shut in the kitchen.",
                    management_plan="Ask for the dog to be shut away before entering.",
                ),
            )
            nav.create(
                "risk_flag",
                **risk_values(
                    client,
                    category="self_harm",
                    severity="high",
                    description="Self-harm when anniversaries approach (March).",
                    management_plan="Check mood at each contact; crisis plan agreed with Danny.",
                    review_date="2027-01-15",
                ),
            )
            for days, narrative in (
                (9, "Home visit. Danny talked about the tenancy renewal and is worried about rent arrears."),
                (3, "Phone call. Benefits appointment booked for Thursday; Danny sounded low but engaged."),
            ):
                nav.append(
                    "contact",
                    client_id=client,
                    occurred_at=ago(days=days),
                    contact_type="home_visit" if days == 9 else "phone",
                    narrative=narrative,
                    pathways=["housing", "welfare_benefits"],
                    duration_minutes=45,
                )
            visits.plan(
                nav.db,
                nav.actor,
                {
                    "client_id": client,
                    "place": "Danny's flat",
                    "planned_start": ago(hours=3),
                    "expected_minutes": 60,
                },
            )
            audit.record_view(nav.db, nav.actor, client)
            nav.sync()
            olu = laptops["olu"]
            olu.sync()

            dialog = ReasonDialog("Danny Okafor", break_glass.check_reason)
            dialog.reason.setPlainText(REASON)
            dialog.show()
            settle()
            dialog.grab().save(str(OUT / "break-glass-reason.png"))
            print(f"wrote {OUT / 'break-glass-reason.png'}")
            dialog.close()

            record = break_glass.fetch(break_glass.read_config(olu.session), client, REASON)
            names = {org.users[n]: display for n, (_role, display) in roles.items()}
            window = BreakGlassWindow(record, "Danny Okafor", names)
            window.resize(900, 760)
            window.show()
            settle(500)
            window.grab().save(str(OUT / "break-glass.png"))
            print(f"wrote {OUT / 'break-glass.png'}")
            window.close()

            with contextlib.suppress(break_glass.BreakGlassError):  # refused: Nina is not on call
                break_glass.fetch(
                    break_glass.read_config(laptops["nina"].session), client, "Want to check something"
                )
            boss = laptops["morgan"]
            found = access_audit.fetch(break_glass.read_config(boss.session))
            view = AccessAuditView()
            view.resize(1200, 420)
            view.show()
            view.show_audit(found)
            settle(500)
            view.grab().save(str(OUT / "access-audit.png"))
            print(f"wrote {OUT / 'access-audit.png'}")
            view.close()
            for laptop in laptops.values():
                laptop.close()
        db.dispose()
    app.processEvents()
    return 0


if __name__ == "__main__":
    APP = QApplication(sys.argv)
    raise SystemExit(main(APP))

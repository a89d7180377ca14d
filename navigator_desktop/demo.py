"""Demo mode: a vault of synthetic clients, made on first start, with a passphrase shown on screen.

Everything in it comes from navigator_core.demo (Faker en_GB names, NHS numbers from the 999 test
range). The passphrase is public by design: demo vaults must never hold real records, and the
window title and unlock screen say so.
"""

from __future__ import annotations

import logging

from navigator_core.demo import Scale, generate
from navigator_desktop.session import Session
from navigator_desktop.store import bulk, directory, settings
from navigator_desktop.store.db import Database

log = logging.getLogger("navigator.demo")

DEMO_PASSPHRASE = "demo caseload: synthetic people only"  # noqa: S105 - public by design
DEFAULT_SCALE = Scale.caseload()


def ensure_demo_vault(session: Session, scale: Scale | None = None) -> None:
    """Create and fill the demo vault unless one is already there; leaves it locked."""
    if session.vault.exists():
        return
    team, rows = generate(scale or DEFAULT_SCALE)
    session.create(DEMO_PASSPHRASE, recovery_key=False)
    db = session.db
    with db.transaction():
        directory.save_team(db, team.team_id, team.team_name)
        directory.save_users(db, [vars(u) | {"team_id": team.team_id} for u in team.users])
        settings.put(db, settings.CURRENT_USER, team.demo_user_id)
        settings.put(db, settings.DEMO_DATA, "1")
        counts = bulk.load_stream(db, rows)
    log.info("demo vault created: %s", ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    session.lock()


def sign_in_as(db: Database, role: str) -> str:
    """Make the demo team's first user of `role` the one signed in on this vault (a manager, to
    show the supervisor's screens); their id. Takes effect at the next unlock."""
    me = directory.user(db, settings.get(db, settings.CURRENT_USER) or "")
    team_id = me["team_id"] if me else None
    user = next(u for u in directory.users(db, team_id) if u["role"] == role)
    with db.transaction():
        settings.put(db, settings.CURRENT_USER, user["id"])
    return str(user["id"])

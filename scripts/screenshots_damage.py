"""Screenshot of the damaged-vault message: a demo vault with one byte flipped in the middle of
its data file and a half-typed draft, unlocked; the background integrity check finds the damage,
the unsent work goes to the rescue file, and the message says what to do.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_damage.py

Writes docs/screenshots/damaged-vault.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import OUT, SIZE, idle, shoot, wait_for  # noqa: E402

from navigator_core.demo import Scale  # noqa: E402
from navigator_desktop import demo  # noqa: E402
from navigator_desktop.app import Navigator  # noqa: E402
from navigator_desktop.session import Session  # noqa: E402
from navigator_desktop.store import drafts  # noqa: E402
from navigator_desktop.vault import KdfParams  # noqa: E402


def damaged_demo_vault(where: Path) -> None:
    session = Session(where, KdfParams.for_tests())
    demo.ensure_demo_vault(session, Scale.small())
    session.unlock(demo.DEMO_PASSPHRASE)
    with session.db.transaction():
        values = {"narrative": "Met at the hostel; he asked about"}
        drafts.save(session.db, "contact:new:demo", {"form": "contact", "values": values}, user_id=None)
    session.lock()
    db = where / "navigator.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))


def main(qt: QApplication) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp) / "data"
        damaged_demo_vault(where)
        app = Navigator(where, kdf=KdfParams.for_tests(), demo_mode=True)
        app.window.resize(*SIZE)
        app.start()
        wait_for(lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled())
        app.unlock_view.passphrase.setText(demo.DEMO_PASSPHRASE)
        app.unlock_view.button.click()
        wait_for(lambda: app.damage.box is not None and app.damage.box.isVisible())
        idle(app)
        box = app.damage.box
        assert box is not None
        shoot(app, "damaged-vault", box)
        app.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(QApplication.instance() or QApplication(sys.argv)))

"""Takes a PNG of every screen from demo data, for docs/screenshots/ and the README.

Run it through scripts/screenshots.sh, which starts a virtual display. Each screen is shown in a
real window at a laptop-sized resolution and grabbed with QWidget.grab(); a form (its own window)
is drawn over the main window where it would open.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from navigator_core import timeutil
from navigator_core.demo import Scale
from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.vault import KdfParams

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1280, 800)


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], timeout_ms: int = 120_000) -> None:
    waited = 0
    while not condition():
        settle(50)
        waited += 50
        if waited > timeout_ms:
            raise TimeoutError("the screen did not get there in time")


def idle(app: Navigator) -> None:
    wait_for(lambda: app.runner.pending == 0)
    settle()


def shoot(app: Navigator, name: str, dialog: QWidget | None = None) -> None:
    settle()
    image = app.window.grab()
    if dialog is not None:
        over = dialog.grab()
        painter = QPainter(image)
        painter.fillRect(image.rect(), QColor(0, 0, 0, 90))  # the window behind a modal form
        painter.drawPixmap(QPoint((image.width() - over.width()) // 2, 40), over)
        painter.end()
    path = OUT / f"{name}.png"
    image.save(str(path))
    print(f"wrote {path}")


def unlock_demo(app: Navigator) -> None:
    """Type the demo passphrase on the unlock screen and wait for Today, signed in."""
    wait_for(lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled())
    app.unlock_view.passphrase.setText(demo.DEMO_PASSPHRASE)
    app.unlock_view.button.click()
    wait_for(lambda: app.window.current_screen() == "today" and app.signed_in.who is not None)
    idle(app)


def small_demo(where: Path, prepare: Callable[[Session], object] | None = None) -> Navigator:
    """A small demo vault in `where`, its app started, at the window size, and unlocked;
    `prepare` runs on the unlocked vault first (to sign in as someone else, say)."""
    session = Session(where, KdfParams.for_tests())
    demo.ensure_demo_vault(session, Scale.small())
    if prepare is not None:
        session.unlock(demo.DEMO_PASSPHRASE)
        prepare(session)
        session.lock()
    return started_demo(where)


def started_demo(where: Path) -> Navigator:
    """The demo app on `where` (a caseload-sized demo vault is made unless one is there), at the
    window size, unlocked."""
    app = Navigator(where, demo_mode=True, kdf=KdfParams.for_tests())
    app.window.resize(*SIZE)
    app.start()
    unlock_demo(app)
    return app


@contextmanager
def demo_window() -> Iterator[Navigator]:
    """A small demo vault in a temporary folder, its app unlocked at the window size; shut down
    and removed afterwards."""
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = small_demo(Path(tmp) / "demo")
        try:
            yield app
        finally:
            app.shutdown()
            app.window.close()
    qt.processEvents()


def form_named(app: Navigator, name: str) -> RecordForm:
    wait_for(lambda: any(f.name == name for f in app.forms.open_forms.values()))
    form = next(f for f in app.forms.open_forms.values() if f.name == name)
    form.resize(720, 700)
    return form


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        # First run: an empty data directory.
        first = Navigator(Path(tmp) / "new", kdf=KdfParams.for_tests())
        first.window.resize(*SIZE)
        first.start()
        wait_for(lambda: first.window.stack.currentWidget() is first.create_view)
        first.create_view.first.setText("kettle harbour lantern")
        shoot(first, "01-first-run")
        first.shutdown()
        first.window.close()

        app = Navigator(Path(tmp) / "demo", demo_mode=True, kdf=KdfParams.for_tests())
        app.window.resize(*SIZE)
        app.start()
        wait_for(lambda: app.unlock_view.button.isEnabled())
        shoot(app, "02-unlock-demo")
        app.unlock_view.passphrase.setText("wrong passphrase here")
        app.unlock_view.button.click()
        wait_for(lambda: app.unlock_view.button.isEnabled() and bool(app.unlock_view.message.text()))
        shoot(app, "03-unlock-wrong-passphrase")
        app.unlock_view.passphrase.setText(demo.DEMO_PASSPHRASE)
        app.unlock_view.button.click()
        wait_for(lambda: app.window.current_screen() == "today")
        idle(app)
        shoot(app, "04-today")

        app.window.nav["caseload"].trigger()
        idle(app)
        shoot(app, "05-caseload")
        busiest = max(
            range(app.caseload_model.rowCount()), key=lambda i: app.caseload_model.row(i).risk_count
        )
        app.caseload_view.search.setText(app.caseload_model.row(busiest).family_name[:3])
        idle(app)
        settle(400)
        idle(app)
        shoot(app, "06-caseload-search-names")
        app.caseload_view.search.setText("housing")
        settle(400)
        idle(app)
        shoot(app, "07-caseload-search-notes")
        app.caseload_view.search.clear()

        app.open_client(app.caseload_model.row(busiest).client_id)
        idle(app)
        tabs = app.client_view.tabs
        for index, name in enumerate(("overview", "contacts", "risk", "support-plan", "handover")):
            tabs.setCurrentIndex(index)
            shoot(app, f"{8 + index:02d}-client-{name}")
        tabs.setCurrentIndex(tabs.count() - 1)  # the history is the last tab, after any added
        shoot(app, "13-client-history")

        app.client_actions.new_contact()
        form = form_named(app, "contact")
        form.editors["narrative"].set_value("Met at the café on Market Street. Talked through the PIP form.")
        form.editors["pathways"].tags["welfare_benefits"].setChecked(True)
        shoot(app, "14-new-contact", form)
        form.editors["occurred_at"].set_value(timeutil.to_text(timeutil.utcnow() - timedelta(days=2)))
        shoot(app, "15-new-contact-late-entry", form)
        form.cancel_button.click()
        idle(app)

        app.client_actions.handle("raise_risk", None)
        risk = form_named(app, "risk")
        shoot(app, "16-raise-risk-flag", risk)
        risk.cancel_button.click()

        app.window.new_client_action.trigger()
        client = form_named(app, "client")
        client.editors["given_name"].set_value("Ada")
        client.editors["nhs_number"].set_value("1234567890")
        client.submit()
        shoot(app, "17-client-form-validation", client)
        client.cancel_button.click()

        app.client_actions.handle("write_note", None)
        note = form_named(app, "handover")
        note.editors["text"].set_value(
            "May ring on-call tonight about the hostel move; calm on the phone today."
        )
        shoot(app, "18-handover-note", note)
        note.cancel_button.click()
        idle(app)

        app.client_actions.new_contact()
        draft = form_named(app, "contact")
        draft.editors["narrative"].set_value("Half-written on the doorstep when the laptop locked")
        app.idle.set_timeout(200)
        wait_for(lambda: app.window.current_screen() == "unlock")
        idle(app)
        shoot(app, "19-idle-locked")
        app.idle.set_timeout(5 * 60_000)
        app.unlock_view.passphrase.setText(demo.DEMO_PASSPHRASE)
        app.unlock_view.button.click()
        restored = form_named(app, "contact")
        idle(app)
        shoot(app, "20-draft-restored", restored)
        restored.editors["occurred_at"].set_value(timeutil.now_text())
        app.shutdown()
    QCoreApplication.processEvents()
    del qt
    return 0


if __name__ == "__main__":
    sys.exit(main())

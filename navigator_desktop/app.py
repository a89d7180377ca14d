"""Start-up: build the objects and connect them; nothing else."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from navigator_desktop import demo, logs, paths
from navigator_desktop.gc_guard import GuiThreadCollector
from navigator_desktop.session import Session
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.caseload_flow import CaseloadFlow
from navigator_desktop.ui.main_window import MainWindow
from navigator_desktop.ui.models.caseload import CaseloadModel
from navigator_desktop.ui.vault_flow import VaultFlow
from navigator_desktop.ui.views.caseload import CaseloadView
from navigator_desktop.ui.views.create_vault import CreateVaultView
from navigator_desktop.ui.views.unlock import UnlockView
from navigator_desktop.vault import KdfParams, passphrase

log = logging.getLogger("navigator.app")


class Navigator:
    """The running app's objects, kept together so tests can build exactly what users get."""

    def __init__(self, data_dir: Path, demo_mode: bool = False, kdf: KdfParams = KdfParams.DEFAULT):
        self.runner: TaskRunner[Session] = TaskRunner(Session(data_dir, kdf))
        self.caseload_model = CaseloadModel()
        self.create_view = CreateVaultView(passphrase.weaknesses, passphrase.strength)
        self.unlock_view = UnlockView(demo.DEMO_PASSPHRASE if demo_mode else None)
        self.caseload_view = CaseloadView(self.caseload_model)
        self.window = MainWindow(
            {"create": self.create_view, "unlock": self.unlock_view, "caseload": self.caseload_view},
            demo=demo_mode,
        )
        self.vault_flow = VaultFlow(self.runner, self.create_view, self.unlock_view, demo_mode, self.window)
        self.caseload = CaseloadFlow(self.runner, self.caseload_model)

        self.vault_flow.screen_wanted.connect(self.window.show_screen)
        self.vault_flow.unlocked.connect(lambda: self.window.show_screen("caseload"))
        self.vault_flow.unlocked.connect(self.caseload.refresh)
        self.vault_flow.locked.connect(self.caseload.clear)
        self.window.lock_action.triggered.connect(self.vault_flow.lock)
        self.window.find_action.triggered.connect(self.caseload_view.search.setFocus)
        self.runner.busy_changed.connect(lambda busy: self.window.status.setText("Working…" if busy else ""))

    def start(self) -> None:
        self.window.show()
        self.vault_flow.start()

    def shutdown(self) -> None:
        self.runner.call(lambda session: session.lock())
        self.runner.stop()


def refuse_core_dumps() -> None:
    """A crash must not leave the decrypted records of an unlocked vault in a core file."""
    try:
        import resource  # POSIX only

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        log.warning("could not turn off core dumps")


def run(data_dir: Path, demo: bool = False, self_test: bool = False) -> int:
    refuse_core_dumps()
    logs.configure(paths.log_dir(data_dir))
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Navigator")
    app.setOrganizationName("Navigator")
    collector = GuiThreadCollector(app)
    navigator = Navigator(data_dir, demo_mode=demo)
    navigator.start()
    if self_test:
        navigator.vault_flow.screen_wanted.connect(lambda name: _report_and_quit(app, name))
    code = app.exec()
    navigator.shutdown()
    collector.stop()
    log.info("quit")
    return code


def _report_and_quit(app: QCoreApplication, screen: str) -> None:
    print(f"navigator-desktop: {screen} window shown", flush=True)
    app.quit()

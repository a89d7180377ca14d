"""Connect to your organisation: enrolment from the app, offered once the vault is created and in
the Navigator menu until the laptop is enrolled.

It is the same enrolment as `navigator-desktop enrol` (sync/engine.py ``SyncEngine.enrol``): the
HTTP runs on a NetworkJob's thread, and the vault's part (this laptop's device id, then saving
the token) on the database worker, as a sync's steps do (sync_worker.RunnerAccess). A failure is
said as sync/enrolment.py words it, the same sentence the command line prints.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from navigator_desktop.session import Session
from navigator_desktop.store import settings
from navigator_desktop.sync import enrolment
from navigator_desktop.sync.engine import SyncEngine, TransportFactory
from navigator_desktop.sync.transport import Transport
from navigator_desktop.sync_worker import RunnerAccess
from navigator_desktop.tasks import NetworkJob, TaskRunner
from navigator_desktop.ui.dialogs.enrolment import EnrolmentDialog

MENU_TEXT = "C&onnect to your organisation…"


def _transport(url: str, token: str | None) -> Transport:
    # Someone is waiting at the dialog: one quick retry, not a sync's patient backoff.
    return Transport(url, token, retries=1, backoff=0.25)


class EnrolmentFlow(QObject):
    enrolled = Signal(str)  # a sentence for the status bar; the laptop is now enrolled

    def __init__(
        self, runner: TaskRunner[Session], parent: QWidget, transports: TransportFactory = _transport
    ) -> None:
        super().__init__()
        self.runner, self.parent_widget, self.transports = runner, parent, transports
        self.action = QAction(MENU_TEXT, parent)
        self.action.setEnabled(False)
        self.action.triggered.connect(self.open)
        self.dialog: EnrolmentDialog | None = None
        self._job: NetworkJob | None = None
        self._server = ""  # the address typed last, offered again

    def check(self) -> None:
        """After an unlock: the menu entry shows only while the laptop is not enrolled."""
        self.runner.submit(_is_enrolled, self._show_entry, lambda _error: None, name="enrolled?")

    def _show_entry(self, enrolled: bool) -> None:
        self.action.setVisible(not enrolled)
        self.action.setEnabled(not enrolled)

    def offer(self) -> None:
        """Just after the vault is created (never enrolled yet): ask at once."""
        self._show_entry(False)
        self.open()

    def open(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        dialog = EnrolmentDialog(self.parent_widget, self._server)
        dialog.submitted.connect(self._connect)
        dialog.finished.connect(lambda _code: self._forget(dialog))
        self.dialog = dialog
        dialog.open()

    def close(self) -> None:
        """On lock: the dialog goes (a connection in flight finishes; its answer is not shown)."""
        self.action.setEnabled(False)
        if self.dialog is not None:
            self.dialog.reject()

    def _forget(self, dialog: EnrolmentDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _connect(self, server: str, username: str, code: str, password: str) -> None:
        self._server = server
        dialog = self.dialog
        engine = SyncEngine(RunnerAccess(self.runner), self.transports)
        self._job = NetworkJob(
            lambda: engine.enrol(server, username, code, password),
            lambda _user_id: self._done(dialog, username),
            lambda error: self._failed(dialog, error, server, username),
        ).start()

    def _done(self, dialog: EnrolmentDialog | None, username: str) -> None:
        self._job = None
        self._show_entry(True)
        if dialog is not None and dialog is self.dialog:
            dialog.accept()
        self.enrolled.emit(
            f"This laptop is connected to your organisation as {username}. The first sync starts now."
        )

    def _failed(self, dialog: EnrolmentDialog | None, error: Exception, server: str, username: str) -> None:
        self._job = None
        failure = enrolment.explain(error, server, username)
        if dialog is not None and dialog is self.dialog:
            dialog.show_failure(failure.sentence, failure.field)


def _is_enrolled(session: Session) -> bool:
    return bool(settings.get(session.db, settings.DEVICE_TOKEN))

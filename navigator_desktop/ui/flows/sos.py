"""SOS during a visit: "I need help now" (the visit banner's button, or Ctrl+Shift+S anywhere while
unlocked), a confirm that Enter cannot pass, then the store's SOS sent at once.

The server address and token are read on the database worker, the request goes on a network
thread (``tasks.NetworkJob``); the answer, sent or not, is said in a message that stays until
dismissed, with what to do when it did not go (ring the duty line; 999 if in danger).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.sync import break_glass, sos
from navigator_desktop.sync.break_glass import ServerConfig
from navigator_desktop.tasks import NetworkJob, TaskRunner
from navigator_desktop.ui import text
from navigator_desktop.ui.dialogs.sos_confirm import SosConfirmDialog

Record = dict[str, Any]
Sender = Callable[[ServerConfig, str], sos.SosSent]
NO_VISIT = (
    "SOS is for a visit in progress, and you are not checked in to one. If you need help, ring the "
    "duty line. If you are in danger, call 999."
)


class SosFlow(QObject):
    said = Signal(bool, str)  # sent or not, and the message shown

    def __init__(
        self,
        runner: TaskRunner[Session],
        parent: QWidget,
        current_visit: Callable[[], Record | None],
        sender: Sender | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.parent_widget, self.current_visit = runner, parent, current_visit
        self.send_sos: Sender = sender or (lambda config, visit_id: sos.send(config, visit_id))
        self.action = QAction("I need &help now (SOS)…", parent)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.action.triggered.connect(lambda: self.ask())
        self.confirm: SosConfirmDialog | None = None
        self.answer: QMessageBox | None = None
        self.job: NetworkJob | None = None

    def ask(self, visit: Record | None = None) -> None:
        visit = visit or self.current_visit()
        if visit is None:
            self._say(False, NO_VISIT)
            return
        if self.confirm is not None and shiboken6.isValid(self.confirm):
            self.confirm.close()
        dialog = SosConfirmDialog(text.clock(visit.get("due_out_at")), self.parent_widget)
        self.confirm = dialog
        visit_id = str(visit["id"])
        dialog.accepted.connect(lambda: self.send(visit_id))
        dialog.open()

    def send(self, visit_id: str) -> None:
        def start(config: ServerConfig) -> None:
            self.job = NetworkJob(
                lambda: self.send_sos(config, visit_id),
                lambda _sent: self._say(True, sos.sent_message(text.clock(timeutil.now_text()))),
                self._failed,
            ).start()

        self.runner.submit(break_glass.read_config, start, self._failed, name="SOS config")

    def _failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, sos.SosError) else sos.UNSENT
        self._say(False, message)

    def _say(self, sent: bool, message: str) -> None:
        if self.answer is not None and shiboken6.isValid(self.answer):
            self.answer.close()
        icon = QMessageBox.Icon.Information if sent else QMessageBox.Icon.Critical
        title = "SOS sent" if sent else "SOS NOT sent"
        self.answer = QMessageBox(icon, title, message, parent=self.parent_widget)
        self.answer.setObjectName("sosAnswer")
        self.answer.open()
        self.said.emit(sent, message)

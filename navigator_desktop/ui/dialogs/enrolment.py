"""Connect to your organisation: the server address, the username, the one-time code and the
password. The flow (ui/flows/enrolment.py) does the connecting and hands back a sentence for
a failure, with the field to look at again."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

TITLE = "Connect to your organisation"
INTRO = (
    "Connecting this laptop lets your team see what you record here, and brings your caseload to "
    "it. IT gives you the server address and a one-time code (it works once and expires). Your "
    "username and password are the ones IT set up for you in Navigator."
)


class EnrolmentDialog(QDialog):
    submitted = Signal(str, str, str, str)  # server address, username, one-time code, password

    def __init__(self, parent: QWidget | None = None, server: str = ""):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setModal(True)
        self.setMinimumWidth(540)
        heading = QLabel(f"<h2>{TITLE}</h2>")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.server = QLineEdit(server)
        self.server.setPlaceholderText("https://…")
        self.username = QLineEdit()
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields = {"server": self.server, "username": self.username, "code": self.code,
                       "password": self.password}  # fmt: skip
        form = QFormLayout()
        for label, name, field in (
            ("&Server address", "Server address", self.server),
            ("&Username", "Username", self.username),
            ("One-time co&de", "One-time code", self.code),
            ("&Password", "Password", self.password),
        ):
            field.setAccessibleName(name)
            form.addRow(label, field)
        self.password.returnPressed.connect(self._submit)

        self.message = QLabel(
            wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.message.setObjectName("enrolMessage")
        self.message.setAccessibleName("Message")
        self.buttons = QDialogButtonBox()
        accept, reject = QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.RejectRole
        self.connect_button: QPushButton = self.buttons.addButton("&Connect", accept)
        self.later: QPushButton = self.buttons.addButton("&Not now", reject)
        self.connect_button.setDefault(True)
        self.later.setAutoDefault(False)  # Enter in any field connects, whatever had the focus
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        for part in (self.message, self.buttons):
            layout.addWidget(part)
        (self.username if server else self.server).setFocus()

    def _submit(self) -> None:
        if not self.connect_button.isEnabled():
            return
        values = {name: field.text().strip() for name, field in self.fields.items()}
        values["password"] = self.password.text()  # a password is taken as typed
        missing = [name for name, value in values.items() if not value]
        if missing:
            label = self.fields[missing[0]].accessibleName().lower()
            self.show_failure(f"Type the {label} first.", missing[0])
            return
        self.set_busy(True, f"Connecting to {values['server']}…")
        self.submitted.emit(values["server"], values["username"], values["code"], values["password"])

    def set_busy(self, busy: bool, message: str = "") -> None:
        for widget in (*self.fields.values(), self.connect_button):
            widget.setEnabled(not busy)
        self.message.setStyleSheet("")
        self.message.setText(message)
        if self.isVisible() and self.sizeHint().height() > self.height():  # room for the sentence
            self.resize(self.width(), self.sizeHint().height())

    def show_failure(self, sentence: str, field: str = "") -> None:
        """Say why it did not work; the field to look at again (if any) takes the focus."""
        self.set_busy(False, sentence)
        self.message.setStyleSheet("color: #b3261e")
        target = self.fields.get(field)
        if target is not None:
            target.selectAll()
            target.setFocus()

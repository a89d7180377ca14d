"""The part both passphrase dialogs share: prove who you are, then choose a new passphrase twice.

The new passphrase is checked as the first-run screen checks it (the same rules, the same
strength meter) before anything is sent to the vault; the vault checks again, and its answer
(a wrong passphrase or recovery key, a wait, a wipe) is shown in the dialog as a sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.ui.views.create_vault import STRENGTH_WORDS


class NewPassphraseDialog(QDialog):
    submitted = Signal(str, str)  # the proof (current passphrase or recovery key), the new passphrase

    def __init__(
        self,
        *,
        title: str,
        intro: str,
        proof_label: str,
        proof_name: str,
        proof_secret: bool,
        action: str,
        weaknesses: Callable[[str], list[str]],
        strength: Callable[[str], int],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(520)
        self._weaknesses = weaknesses
        self._strength = strength
        self._proof_name = proof_name

        text = QLabel(intro)
        text.setWordWrap(True)
        self.proof = QLineEdit()
        self.proof.setAccessibleName(proof_name)
        if proof_secret:
            self.proof.setEchoMode(QLineEdit.EchoMode.Password)
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, name in ((self.first, "New passphrase"), (self.second, "Repeat the new passphrase")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        self.first.textChanged.connect(self._update_strength)
        self.second.returnPressed.connect(self._submit)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName("Passphrase strength")

        form = QFormLayout()
        form.addRow(proof_label, self.proof)
        form.addRow("&New passphrase", self.first)
        form.addRow("Re&peat it", self.second)
        form.addRow("Strength", self.meter)

        self.message = QLabel()
        self.message.setObjectName("passphraseMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.ok: QPushButton = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.cancel: QPushButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.clicked.connect(self._submit)
        self.cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._update_strength()
        self.proof.setFocus()

    def _update_strength(self) -> None:
        typed = self.first.text()
        score = self._strength(typed) if typed else 0
        self.meter.setValue(score)
        self.meter.setFormat(STRENGTH_WORDS[score] if typed else "")

    def _submit(self) -> None:
        if not self.ok.isEnabled():
            return
        proof, first, second = self.proof.text(), self.first.text(), self.second.text()
        if not proof.strip():
            self._problem(f"Type your {self._proof_name.lower()} first.", self.proof)
            return
        problems = self._weaknesses(first)
        if problems:
            self._problem("This passphrase can't be used: " + " ".join(problems), self.first)
            return
        if first != second:
            self._problem("The two new passphrases are different. Type the same one twice.", self.second)
            return
        self.set_busy(True, "Working… this takes a moment.")
        self.submitted.emit(proof, first)

    def _problem(self, message: str, field: QLineEdit) -> None:
        self.message.setText(message)
        field.selectAll()
        field.setFocus()

    def set_busy(self, busy: bool, message: str = "") -> None:
        for widget in (self.proof, self.first, self.second, self.ok):
            widget.setEnabled(not busy)
        self.message.setText(message)

    def show_error(self, message: str) -> None:
        self.set_busy(False, message)
        self.proof.selectAll()
        self.proof.setFocus()

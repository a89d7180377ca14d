"""The part both passphrase dialogs share: prove who you are, then choose a new passphrase twice.

The new passphrase is checked as the first-run screen checks it (the same rules, the same
strength meter) before anything is sent to the vault; the vault checks again, and its answer
(a wrong passphrase or recovery key, a wait, a wipe) is shown in the dialog as a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
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

from navigator_desktop.ui.widgets.new_passphrase import NewPassphraseFields, PassphraseRules, show_busy


@dataclass(frozen=True)
class Proof:
    """What one passphrase dialog asks for to prove who you are, and what it says."""

    title: str
    intro: str
    label: str  # the proof field's label, with its mnemonic
    name: str  # the proof field's accessible name, also used in "Type your ... first."
    secret: bool  # typed hidden, like a passphrase
    action: str  # the accepting button
    placeholder: str = ""  # an example of its form, shown in a fixed-width font


class NewPassphraseDialog(QDialog):
    """Subclasses say what they ask for in ``proof_asked``."""

    submitted = Signal(str, str)  # the proof (current passphrase or recovery key), the new passphrase
    proof_asked: Proof

    def __init__(self, rules: PassphraseRules, parent: QWidget | None = None):
        super().__init__(parent)
        asked = self.proof_asked
        self.setWindowTitle(asked.title)
        self.setModal(True)
        self.setMinimumWidth(520)
        self._proof_name = asked.name

        text = QLabel(asked.intro)
        text.setWordWrap(True)
        self.proof = QLineEdit()
        self.proof.setAccessibleName(asked.name)
        if asked.secret:
            self.proof.setEchoMode(QLineEdit.EchoMode.Password)
        if asked.placeholder:
            self.proof.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            self.proof.setPlaceholderText(asked.placeholder)
        self.new = NewPassphraseFields(rules, "Repeat the new passphrase")
        self.first, self.second, self.meter = self.new.first, self.new.second, self.new.meter
        self.second.returnPressed.connect(self._submit)

        form = QFormLayout()
        form.addRow(asked.label, self.proof)
        self.new.add_rows(form, "&New passphrase")

        self.message = QLabel()
        self.message.setObjectName("passphraseMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.ok: QPushButton = self.buttons.addButton(asked.action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.cancel: QPushButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.clicked.connect(self._submit)
        self.cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.proof.setFocus()

    def _submit(self) -> None:
        if not self.ok.isEnabled():
            return
        proof, first, second = self.proof.text(), self.first.text(), self.second.text()
        if not proof.strip():
            self._problem(f"Type your {self._proof_name.lower()} first.", self.proof)
            return
        weakness = self.new.weakness()
        if weakness:
            self._problem(weakness, self.first)
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
        show_busy((self.proof, self.first, self.second, self.ok), self.message, busy, message)

    def show_error(self, message: str) -> None:
        self.set_busy(False, message)
        self.proof.selectAll()
        self.proof.setFocus()

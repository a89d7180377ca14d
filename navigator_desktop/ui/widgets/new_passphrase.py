"""A new passphrase typed twice, with its strength meter: the part the first-run screen and both
passphrase dialogs share. The passphrase is checked by the vault's own rules (`weaknesses`) before
anything is sent to the vault."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget

STRENGTH_WORDS = ("Very weak", "Weak", "Fair", "Good", "Strong")


class PassphraseRules(Protocol):
    """The vault's rules for a passphrase (navigator_desktop.vault.passphrase, handed in by the app)."""

    def weaknesses(self, passphrase: str) -> list[str]: ...

    def strength(self, passphrase: str) -> int: ...


class NewPassphraseFields:
    def __init__(self, rules: PassphraseRules, repeat_name: str) -> None:
        self._rules = rules
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, name in ((self.first, "New passphrase"), (self.second, repeat_name)):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        self.first.textChanged.connect(self.update_strength)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName("Passphrase strength")
        self.update_strength()

    def add_rows(self, form: QFormLayout, first_label: str) -> None:
        form.addRow(first_label, self.first)
        form.addRow("Re&peat it", self.second)
        form.addRow("Strength", self.meter)

    def update_strength(self) -> None:
        typed = self.first.text()
        score = self._rules.strength(typed) if typed else 0
        self.meter.setValue(score)
        self.meter.setFormat(STRENGTH_WORDS[score] if typed else "")

    def weakness(self) -> str | None:
        """Why the new passphrase can't be used, or None when it can."""
        problems = self._rules.weaknesses(self.first.text())
        return "This passphrase can't be used: " + " ".join(problems) if problems else None


def show_busy(controls: Iterable[QWidget], message_label: QLabel, busy: bool, message: str) -> None:
    """While the vault works on a passphrase screen: its controls off, and what is happening said."""
    for control in controls:
        control.setEnabled(not busy)
    message_label.setText(message)

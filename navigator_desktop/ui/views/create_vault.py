"""First run: choose a passphrase (twice), see why a weak one is refused, optionally make a recovery key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.ui.widgets.centred import centre

STRENGTH_WORDS = ("Very weak", "Weak", "Fair", "Good", "Strong")


class CreateVaultView(QWidget):
    create_requested = Signal(str, bool)  # passphrase, make a recovery key

    def __init__(
        self,
        weaknesses: Callable[[str], list[str]],
        strength: Callable[[str], int],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._weaknesses = weaknesses
        self._strength = strength
        title = QLabel("<h1>Welcome to Navigator</h1>")
        intro = QLabel(
            "The records on this laptop are kept encrypted. Choose a passphrase to protect them: "
            "several ordinary words you will remember, at least 12 characters. Nobody can recover "
            "the records without it, unless you also make a recovery key."
        )
        intro.setWordWrap(True)

        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, name in ((self.first, "New passphrase"), (self.second, "Repeat the passphrase")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
            field.textChanged.connect(self._update_strength)
        self.second.returnPressed.connect(self._submit)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName("Passphrase strength")
        self.recovery = QCheckBox("Also make a &recovery key (shown once: write it down and keep it safe)")
        self.recovery.setChecked(True)
        self.button = QPushButton("&Create my vault")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.message = QLabel()
        self.message.setObjectName("createMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Passphrase", self.first)
        form.addRow("Re&peat it", self.second)
        form.addRow("Strength", self.meter)

        box = QFrame()
        box.setFixedWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addLayout(form)
        inner.addWidget(self.recovery)
        inner.addWidget(self.button)
        inner.addWidget(self.message)
        centre(self, box)
        self._update_strength()

    def _update_strength(self) -> None:
        score = self._strength(self.first.text()) if self.first.text() else 0
        self.meter.setValue(score)
        self.meter.setFormat(STRENGTH_WORDS[score] if self.first.text() else "")

    def _submit(self) -> None:
        first, second = self.first.text(), self.second.text()
        problems = self._weaknesses(first)
        if problems:
            self.message.setText("This passphrase can't be used: " + " ".join(problems))
            self.first.setFocus()
            return
        if first != second:
            self.message.setText("The two passphrases are different. Type the same one twice.")
            self.second.selectAll()
            self.second.setFocus()
            return
        self.set_busy(True, "Creating your encrypted vault…")
        self.create_requested.emit(first, self.recovery.isChecked())

    def set_busy(self, busy: bool, message: str = "") -> None:
        for widget in (self.first, self.second, self.recovery, self.button):
            widget.setEnabled(not busy)
        self.message.setText(message)

    def show_error(self, message: str) -> None:
        self.set_busy(False, message)

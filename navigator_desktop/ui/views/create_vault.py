"""First run: choose a passphrase (twice), see why a weak one is refused, optionally make a recovery key."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.ui.widgets.centred import centre
from navigator_desktop.ui.widgets.new_passphrase import NewPassphraseFields, PassphraseRules, show_busy


class CreateVaultView(QWidget):
    create_requested = Signal(str, bool)  # passphrase, make a recovery key

    def __init__(self, rules: PassphraseRules, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("<h1>Welcome to Navigator</h1>")
        intro = QLabel(
            "The records on this laptop are kept encrypted. Choose a passphrase to protect them: "
            "several ordinary words you will remember, at least 12 characters. Nobody can recover "
            "the records without it, unless you also make a recovery key."
        )
        intro.setWordWrap(True)

        self.new = NewPassphraseFields(rules, "Repeat the passphrase")
        self.first, self.second, self.meter = self.new.first, self.new.second, self.new.meter
        self.second.returnPressed.connect(self._submit)
        self.recovery = QCheckBox("Also make a &recovery key (shown once: write it down and keep it safe)")
        self.recovery.setChecked(True)
        self.button = QPushButton("&Create my vault")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.message = QLabel()
        self.message.setObjectName("createMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        self.new.add_rows(form, "&Passphrase")

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

    def _submit(self) -> None:
        first, second = self.first.text(), self.second.text()
        weakness = self.new.weakness()
        if weakness:
            self.message.setText(weakness)
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
        show_busy((self.first, self.second, self.recovery, self.button), self.message, busy, message)

    def show_error(self, message: str) -> None:
        self.set_busy(False, message)

"""The SOS confirm: hard to hit by accident, quick to use on purpose.

Cancel is the default button and has the focus, so Enter, Space or Escape pressed in a hurry (or a
bag leaning on the keyboard) cancels; sending needs a deliberate click on "Send SOS now" (or Tab
to it, then Space). No client details: the dialog may be seen by whoever is in the room.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from navigator_desktop.ui import theme
from navigator_desktop.ui.widgets.buttons import named_button


class SosConfirmDialog(QDialog):
    def __init__(self, due_out: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sosConfirm")
        self.setWindowTitle("I need help now")
        self.setModal(True)
        heading = QLabel("<h2>Send an SOS?</h2>")
        body = QLabel(
            "On call and your manager are alerted at once, marked urgent, for your visit in progress "
            f"(due out at {due_out}).<br><br><b>If you are in danger, call 999.</b>"
        )
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setDefault(True)
        self.cancel_button.setAutoDefault(True)
        self.cancel_button.clicked.connect(self.reject)
        self.send_button = named_button("Send SOS now", "sosSend")
        self.send_button.setAutoDefault(False)
        self.send_button.setDefault(False)
        # Reached by a click, or by Tab then Space: never by Enter, which is Cancel's.
        self.send_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.send_button.setAccessibleDescription(
            "Sends the SOS. Enter cancels; click, or Tab then Space, sends"
        )
        colour = theme.colour("high").name()
        self.send_button.setStyleSheet(
            f"QPushButton#sosSend {{ background: {colour}; color: white; font-weight: bold; "
            "padding: 8px 16px; }"
        )
        self.send_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(body)
        column.addLayout(buttons)
        self.setMinimumWidth(440)
        self.cancel_button.setFocus()

"""The main window: composes the screens and wires them together. No SQL, no flows, no logic."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget


class MainWindow(QMainWindow):
    def __init__(self, screens: dict[str, QWidget], demo: bool):
        super().__init__()
        self.setWindowTitle("Navigator — demo (synthetic records)" if demo else "Navigator")
        self.resize(1100, 720)
        self.stack = QStackedWidget()
        self.screens = screens
        for widget in screens.values():
            self.stack.addWidget(widget)
        self.setCentralWidget(self.stack)
        self.status = QLabel()
        self.status.setAccessibleName("Status")
        self.statusBar().addPermanentWidget(self.status, 1)

        self.lock_action = QAction("&Lock now", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(False)
        self.find_action = QAction("&Find client", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu("&Navigator")
        for action in (self.find_action, self.lock_action, quit_action):
            menu.addAction(action)

    def show_screen(self, name: str) -> None:
        self.stack.setCurrentWidget(self.screens[name])
        self.lock_action.setEnabled(name not in ("create", "unlock"))

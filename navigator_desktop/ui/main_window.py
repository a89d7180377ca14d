"""The main window: the screens (``add_screen``), the menus and the toolbar. No SQL, no flows, no logic."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QStackedWidget, QToolBar, QVBoxLayout, QWidget

LOCKED_SCREENS = ("create", "unlock")
NAVIGATION = (
    ("today", "&Today", "Ctrl+1"),
    ("caseload", "&Caseload", "Ctrl+2"),
    ("client", "C&lient", "Ctrl+3"),
    ("on_call", "On c&all", "Ctrl+4"),
    ("reports", "Re&ports", "Ctrl+5"),
)  # each entry appears when its screen is added


class MainWindow(QMainWindow):
    def __init__(self, demo: bool, banner: QWidget | None = None):
        """`banner`: a strip shown above every screen when it has something to say (a visit in
        progress); it shows and hides itself."""
        super().__init__()
        self.setWindowTitle("Navigator — demo (synthetic records)" if demo else "Navigator")
        self.resize(1100, 720)
        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {}
        self._unlocked = False
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        if banner is not None:
            column.addWidget(banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.status.setAccessibleName("Status")
        # Takes the room left: at a large text size a long message is cut, never what sync says.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addPermanentWidget(self.status, 1)

        self.lock_action = QAction("&Lock now", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.find_action = QAction("&Find client or note", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.new_contact_action = QAction("&New contact…", self)
        self.new_contact_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_client_action = QAction("New c&lient…", self)
        self.new_client_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.note_action = QAction("&Handover note…", self)
        self.note_action.setShortcut(QKeySequence("Ctrl+H"))
        self.change_passphrase_action = QAction("Change &passphrase…", self)
        self.about_action = QAction("&About Navigator…", self)
        self._quit_action = QAction("&Quit", self)
        self._quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self._quit_action.triggered.connect(self.close)
        self._app_menu = self.menuBar().addMenu("&Navigator")
        for action in (self.find_action, self.lock_action, self.change_passphrase_action, self.about_action,
                       self._quit_action):  # fmt: skip
            self._app_menu.addAction(action)
        records = self.menuBar().addMenu("&Record")
        for action in (self.new_contact_action, self.new_client_action, self.note_action):
            records.addAction(action)

        self.nav: dict[str, QAction] = {}
        self._group = QActionGroup(self)
        # A screen without a toolbar entry (Engagements, from the menu) leaves none of them checked.
        self._group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.toolbar = QToolBar("Screens")
        self.toolbar.setObjectName("screens")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._go = self.menuBar().addMenu("&Go")
        self._screens_end = self.toolbar.addSeparator()  # screens' entries go before it, as added
        for action in (self.new_contact_action, self.new_client_action, self.note_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.lock_action)
        self.addToolBar(self.toolbar)
        self._set_unlocked(False)

    def add_screen(self, name: str, widget: QWidget) -> None:
        """A screen, and its entry in the Go menu and the toolbar when NAVIGATION has one."""
        self.screens[name] = widget
        self.stack.addWidget(widget)
        entry = next((e for e in NAVIGATION if e[0] == name), None)
        if entry is None:
            return
        _, label, keys = entry
        action = QAction(label, self)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(f"{label.replace('&', '')} ({keys})")
        action.triggered.connect(lambda _=False, n=name: self.show_screen(n))
        self._group.addAction(action)
        self.nav[name] = action
        self.toolbar.insertAction(self._screens_end, action)
        self._go.addAction(action)
        self._set_unlocked(self._unlocked)

    def add_menu_action(self, action: QAction) -> None:
        """An entry in the Navigator menu, above Quit."""
        self._app_menu.insertAction(self._quit_action, action)

    def show_screen(self, name: str) -> None:
        self.stack.setCurrentWidget(self.screens[name])
        self._set_unlocked(name not in LOCKED_SCREENS)
        if name in self.nav:
            self.nav[name].setChecked(True)
        elif (checked := self._group.checkedAction()) is not None:
            checked.setChecked(False)

    def current_screen(self) -> str:
        return next(n for n, w in self.screens.items() if w is self.stack.currentWidget())

    def _set_unlocked(self, unlocked: bool) -> None:
        self._unlocked = unlocked
        self.toolbar.setVisible(unlocked)
        self.menuBar().setVisible(True)
        for action in (self.lock_action, self.find_action, self.new_client_action, self.note_action,
                       self.change_passphrase_action, *self.nav.values()):  # fmt: skip
            action.setEnabled(unlocked and (action is not self.nav.get("client") or self.client_open))
        self.new_contact_action.setEnabled(unlocked and self.client_open)

    @property
    def client_open(self) -> bool:
        return bool(getattr(self, "_client_open", False))

    def set_client_open(self, name: str | None) -> None:
        """A client's record is on the Client screen (`name`), or none is (None)."""
        self._client_open = name is not None
        self.nav["client"].setEnabled(name is not None)
        self.nav["client"].setText(f"C&lient: {name}" if name else "C&lient")
        self.new_contact_action.setEnabled(name is not None)

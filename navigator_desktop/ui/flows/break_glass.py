"""Break-glass in the app: ask for the reason, fetch the record online off the GUI thread, and
show it in a window with a red banner for as long as it is open.

The flow reads the server address and token from the vault through the TaskRunner (the database
worker), then does the HTTP on a thread of its own (``tasks.NetworkJob``): neither ever runs on the
GUI thread. The record lives only in the window's memory: closing it, or the app locking
(``close_all``), drops it; nothing is written to the vault. The store audits the read.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from navigator_desktop.session import Session
from navigator_desktop.sync import break_glass
from navigator_desktop.sync.break_glass import BreakGlassError, BreakGlassRecord, ServerConfig
from navigator_desktop.tasks import NetworkJob, TaskRunner
from navigator_desktop.ui.dialogs.break_glass import BreakGlassWindow, ReasonDialog

Fetcher = Callable[[ServerConfig, str, str], BreakGlassRecord]


class BreakGlassFlow(QObject):
    """``request(client_id, client_name)``: reason, then the fetch, then the window (or a message
    saying plainly why not). The lead connects the on-call screen's signal to ``request`` and the
    app's lock to ``close_all``."""

    opened = Signal(object)  # the BreakGlassWindow
    failed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        runner: TaskRunner[Session],
        names: Callable[[], dict[str, str]] | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.runner = runner
        self.names = names or dict
        self.fetcher: Fetcher = fetcher or (
            lambda config, cid, reason: break_glass.fetch(config, cid, reason)
        )
        self.dialog: ReasonDialog | None = None
        self._asked: tuple[str, str] | None = None  # (client id, name) the open dialog is about
        self.message: QMessageBox | None = None
        self.windows: list[BreakGlassWindow] = []
        self.job: NetworkJob | None = None
        # Bumped by close_all (lock, sign-out): a fetch started before it is stale, and its
        # record (or its failure) is dropped rather than shown over the unlock screen.
        self.generation = 0

    def request(self, client_id: str, client_name: str) -> None:
        dialog = ReasonDialog(client_name, break_glass.check_reason, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._asked = (client_id, client_name)
        # Bound methods, not lambdas holding `self` or the dialog: PySide6 can crash on teardown.
        dialog.accepted.connect(self._accepted)
        self.dialog = dialog
        dialog.open()

    def _accepted(self) -> None:
        if self.dialog is None or self._asked is None:
            return
        client_id, client_name = self._asked
        self._fetch(client_id, client_name, self.dialog.text)

    def _fetch(self, client_id: str, client_name: str, reason: str) -> None:
        generation = self.generation

        def failed(error: BaseException) -> None:
            self._fail(error, generation)

        def start(config: ServerConfig) -> None:
            if generation != self.generation:
                return  # locked while the config was read: do not go to the network
            self.job = NetworkJob(
                lambda: self.fetcher(config, client_id, reason),
                lambda record: self._show(record, client_name, generation),
                failed,
            ).start()

        self.runner.submit(break_glass.read_config, start, failed, name="break-glass config")

    def _show(self, record: BreakGlassRecord, client_name: str, generation: int | None = None) -> None:
        if generation is not None and generation != self.generation:
            return  # the app locked while this was in flight: drop the record, open nothing
        window = BreakGlassWindow(record, client_name, self.names())
        window.closed.connect(self._closed)
        self.windows.append(window)
        window.show()
        self.opened.emit(window)

    def _fail(self, error: BaseException, generation: int | None = None) -> None:
        if generation is not None and generation != self.generation:
            return  # stale: the person locked the app; no message over the unlock screen
        message = str(error) if isinstance(error, BreakGlassError) else "The record could not be fetched."
        box = QMessageBox(QMessageBox.Icon.Warning, "Break-glass", message, parent=self.parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.open()
        self.failed.emit(message)

    def _closed(self, window: BreakGlassWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def close_all(self) -> None:
        """On lock or sign-out: every break-glass window closes and its record is dropped, and
        any fetch still in flight is made stale so its result never opens a window."""
        self.generation += 1
        # A reason dialog or a message left open would sit over the unlock screen naming the client.
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.reject()
        if self.message is not None and shiboken6.isValid(self.message):
            self.message.close()
        self.dialog, self.message, self._asked = None, None, None
        for window in list(self.windows):
            window.close()
        self.windows.clear()

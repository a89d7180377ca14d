"""One copy of Navigator per vault.

Two copies on one vault would each run their own sync and search indexer against the same
database. The first copy holds a lock file next to the vault (``QLockFile``: an OS-level lock on
Windows, macOS and Linux, taken over when the process holding it has died) and listens on a local
socket named after the vault's folder; a second start finds the lock, asks the first copy to bring
its window forward, and says plainly that Navigator is already open with this vault.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)
LOCK_NAME = "navigator.lock"


class AlreadyOpenError(Exception):
    def __init__(self, data_dir: Path):
        super().__init__(
            f"Navigator is already open with this vault ({data_dir}). Use the Navigator window that is "
            "already open (it has been brought forward); close it first if you need to start again."
        )


def server_name(data_dir: Path) -> str:
    """A local-socket name for the vault's folder (the same for every copy started on it)."""
    return "navigator-" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:24]


def acquire(data_dir: Path) -> QLockFile:
    """Take the vault's lock or raise AlreadyOpenError. Keep the returned lock for the app's life."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        raise AlreadyOpenError(data_dir)
    raise OSError(f"Navigator could not make its lock file in {data_dir}: check the folder can be written")


def ask_first_to_come_forward(data_dir: Path, timeout_ms: int = 1000) -> bool:
    """Tell the copy already running on this vault to show its window; False if it did not answer."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.disconnectFromServer()
    return True


class ComeForward(QObject):
    """Listens for a second start on the same vault; `asked` is emitted when one knocks."""

    asked = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.server = QLocalServer(self)
        name = server_name(data_dir)
        QLocalServer.removeServer(name)  # a name left by a copy that crashed (we hold the lock now)
        if not self.server.listen(name):
            log.warning("a second start cannot bring this window forward: %s", self.server.errorString())
        self.server.newConnection.connect(self._knock)

    def _knock(self) -> None:
        """Any connection is a knock: the only thing a second copy ever says is "come forward"."""
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.disconnectFromServer()
            socket.deleteLater()
        self.asked.emit()


def bring_forward(window: QWidget) -> None:
    """Show the window on top, restored if it was minimised."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def refuse_second_copy(error: AlreadyOpenError, data_dir: Path, *, ask: bool = True) -> QMessageBox:
    """The second copy: wake the first, then say why this one does not open (``ask``: wait for OK)."""
    ask_first_to_come_forward(data_dir)
    log.info("a second copy was started on the same vault")
    box = QMessageBox(QMessageBox.Icon.Information, "Navigator is already open", str(error))
    if ask:
        box.exec()
    return box

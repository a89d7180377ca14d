"""First run, unlock and lock: which screen shows, and what a failure says.

Vault work (key derivation takes a few hundred milliseconds) runs on the database worker; this
object only reacts to the results. Errors the person can act on (a wrong passphrase, a damaged
file) become a sentence on the screen; anything else is logged as a bug and said plainly.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from navigator_desktop import demo
from navigator_desktop.session import Session, VaultState
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.dialogs.recovery_key import RecoveryKeyDialog
from navigator_desktop.ui.views.create_vault import CreateVaultView
from navigator_desktop.ui.views.unlock import UnlockView
from navigator_desktop.vault.errors import TooManyAttempts, VaultError

log = logging.getLogger("navigator.ui")

UNEXPECTED = (
    "Something went wrong inside Navigator (not anything you did). Nothing was changed. "
    "The details are in the log for IT support; please try again or restart Navigator."
)


def explain(error: BaseException) -> str:
    if isinstance(error, VaultError):
        return str(error)
    log.error("unexpected error", exc_info=error)
    return UNEXPECTED


class VaultFlow(QObject):
    screen_wanted = Signal(str)  # "create" or "unlock"
    unlocked = Signal()
    locked = Signal()

    def __init__(
        self,
        runner: TaskRunner[Session],
        create_view: CreateVaultView,
        unlock_view: UnlockView,
        demo_mode: bool,
        dialog_parent: QWidget | None = None,
    ):
        super().__init__()
        self.runner = runner
        self.create_view = create_view
        self.unlock_view = unlock_view
        self.demo_mode = demo_mode
        self.dialog_parent = dialog_parent
        create_view.create_requested.connect(self.create)
        unlock_view.unlock_requested.connect(self.unlock)

    def start(self) -> None:
        if self.demo_mode:
            self.screen_wanted.emit("unlock")
            self.unlock_view.set_busy(True, "Preparing the demo caseload…")
            self.runner.submit(
                demo.ensure_demo_vault, lambda _: self._show_for(VaultState.LOCKED), self._failed
            )
        else:
            self.runner.submit(lambda session: session.state, self._show_for, self._failed)

    def _show_for(self, state: VaultState) -> None:
        if state is VaultState.NEW:
            self.screen_wanted.emit("create")
            self.create_view.first.setFocus()
        else:
            self.screen_wanted.emit("unlock")
            self.unlock_view.reset()

    def create(self, passphrase: str, recovery_key: bool) -> None:
        self.runner.submit(
            lambda session: session.create(passphrase, recovery_key),
            self._created,
            lambda error: self.create_view.show_error(explain(error)),
            name="create vault",
        )

    def _created(self, key: str | None) -> None:
        self.create_view.set_busy(False)
        if key:
            RecoveryKeyDialog(key, self.dialog_parent).exec()
        self.unlocked.emit()

    def unlock(self, passphrase: str) -> None:
        self.runner.submit(
            lambda session: session.unlock(passphrase),
            lambda _: self._unlocked(),
            self._unlock_failed,
            name="unlock",
        )

    def _unlocked(self) -> None:
        self.unlock_view.reset()
        self.unlocked.emit()

    def _unlock_failed(self, error: BaseException) -> None:
        retry = error.retry_after_seconds if isinstance(error, TooManyAttempts) else 0.0
        self.unlock_view.show_error(explain(error), retry_after=retry)

    def _failed(self, error: BaseException) -> None:
        self.screen_wanted.emit("unlock")
        self.unlock_view.show_error(explain(error))

    def lock(self) -> None:
        self.runner.submit(
            lambda session: session.lock(), lambda _: self._locked(), self._failed, name="lock"
        )

    def _locked(self) -> None:
        self.screen_wanted.emit("unlock")
        self.unlock_view.reset()
        self.locked.emit()

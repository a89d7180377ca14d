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
from navigator_desktop.sync import server_policy
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.dialogs.passphrase_change import PassphraseChangeDialog
from navigator_desktop.ui.dialogs.passphrase_form import NewPassphraseDialog
from navigator_desktop.ui.dialogs.recovery_key import RecoveryKeyDialog
from navigator_desktop.ui.dialogs.recovery_unlock import RecoveryUnlockDialog
from navigator_desktop.ui.flows import errors
from navigator_desktop.ui.views.create_vault import CreateVaultView
from navigator_desktop.ui.views.unlock import UnlockView
from navigator_desktop.vault import passphrase
from navigator_desktop.vault.errors import NoRecoveryKey, TooManyAttempts, VaultWiped

log = logging.getLogger("navigator.ui")


def explain(error: BaseException) -> str:
    return errors.explain(error, errors.NOTHING_CHANGED)


class VaultFlow(QObject):
    screen_wanted = Signal(str)  # "create" or "unlock"
    unlocked = Signal()
    created = Signal()  # a new vault was made (and is unlocked): nothing is enrolled yet
    locked = Signal()
    idle_limit = Signal(object)  # the organisation's longest idle time in minutes, or None
    message = Signal(str)  # a sentence for the status bar

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
        self.dialog: NewPassphraseDialog | None = None  # the passphrase dialog open now, if any
        create_view.create_requested.connect(self.create)
        unlock_view.unlock_requested.connect(self.unlock)
        unlock_view.recovery_requested.connect(self.recover)

    def start(self) -> None:
        if self.demo_mode:
            self.screen_wanted.emit("unlock")
            self.unlock_view.set_busy(True, "Preparing the demo caseload…")
            self.runner.submit(
                demo.ensure_demo_vault, lambda _: self._show_for(VaultState.LOCKED), self._failed
            )
        else:
            self.runner.submit(_state_and_wiped, self._show_for_state, self._failed)

    def _show_for_state(self, found: tuple[VaultState, bool]) -> None:
        state, wiped = found
        self._show_for(state)
        if wiped:
            self.unlock_view.show_wiped(str(VaultWiped()))

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
        self.created.emit()

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
        if isinstance(error, VaultWiped):
            self.unlock_view.show_wiped(explain(error))
            return
        retry = error.retry_after_seconds if isinstance(error, TooManyAttempts) else 0.0
        self.unlock_view.show_error(explain(error), retry_after=retry)

    # -- a forgotten passphrase: the recovery key ----------------------------------------------

    def recover(self) -> None:
        """Ask for the recovery key and a new passphrase, if a recovery key was set up."""
        self.unlock_view.set_busy(True)
        self.runner.submit(
            lambda session: session.vault.has_recovery_key(),
            self._open_recovery,
            self._unlock_failed,
            name="check recovery key",
        )

    def _open_recovery(self, has_key: bool) -> None:
        self.unlock_view.set_busy(False)
        if not has_key:
            self.unlock_view.show_error(str(NoRecoveryKey()))
            return
        dialog = RecoveryUnlockDialog(passphrase, self.dialog_parent)
        dialog.submitted.connect(lambda key, new: self._recover(dialog, key, new))
        self._show_dialog(dialog)

    def _recover(self, dialog: NewPassphraseDialog, key: str, new: str) -> None:
        def job(session: Session) -> None:
            session.vault.change_passphrase_with_recovery_key(key, new)
            session.unlock_with_recovery_key(key)

        self.runner.submit(
            job,
            lambda _: self._recovered(dialog),
            lambda error: dialog.show_error(explain(error)),
            name="unlock with recovery key",
        )

    def _recovered(self, dialog: NewPassphraseDialog) -> None:
        dialog.accept()
        self._unlocked()
        self.message.emit("Your new passphrase is set. Use it from now on; your recovery key still works.")

    # -- changing the passphrase while unlocked --------------------------------------------------

    def change_passphrase(self) -> None:
        dialog = PassphraseChangeDialog(passphrase, self.dialog_parent)
        dialog.submitted.connect(lambda old, new: self._change(dialog, old, new))
        self._show_dialog(dialog)

    def _change(self, dialog: NewPassphraseDialog, old: str, new: str) -> None:
        self.runner.submit(
            lambda session: _change_passphrase(session, old, new),
            lambda _: self._changed(dialog),
            lambda error: self._change_failed(dialog, error),
            name="change passphrase",
        )

    def _changed(self, dialog: NewPassphraseDialog) -> None:
        dialog.accept()
        self.message.emit("Passphrase changed. Use the new one from now on.")

    def _change_failed(self, dialog: NewPassphraseDialog, error: BaseException) -> None:
        if isinstance(error, VaultWiped):  # the session was locked before the wipe finished
            dialog.reject()
            self._locked()
            self.unlock_view.show_wiped(explain(error))
            return
        dialog.show_error(explain(error))

    def _show_dialog(self, dialog: NewPassphraseDialog) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = dialog
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: NewPassphraseDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # -- the organisation's idle lock --------------------------------------------------------------

    def read_idle_limit(self) -> None:
        """Look up the organisation's idle time (kept in the vault) and announce it."""
        self.runner.submit(
            lambda session: server_policy.idle_lock_minutes(session.db),
            self.idle_limit.emit,
            lambda _error: None,  # locked again before it ran: it is read at the next unlock
            name="read idle lock",
        )

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


def _state_and_wiped(session: Session) -> tuple[VaultState, bool]:
    return session.state, session.vault.is_wiped()


def _change_passphrase(session: Session, old: str, new: str) -> None:
    """Change it; if that reached the organisation's wipe limit, the vault has just destroyed its
    keys and files, so close the store too rather than keep an open, deleted database."""
    try:
        session.vault.change_passphrase(old, new)
    except VaultWiped:
        session.lock()
        raise

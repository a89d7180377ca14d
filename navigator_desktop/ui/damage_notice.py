"""Tells the worker, at once and plainly, that the vault is damaged, and what happens next.

Two ways in: the background integrity check after unlock (integrity_watch.py), and a damaged
page met by any job during normal work (the task runner reports every job's error). Either way
the unsent work goes to the encrypted rescue file first, then one message says what is wrong,
where the unsent work is, and that IT rebuilds the laptop from the central store. Never a
traceback; shown once per unlock.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from navigator_desktop import integrity_watch
from navigator_desktop.integrity_watch import Damage
from navigator_desktop.session import Session
from navigator_desktop.store.errors import DatabaseDamagedError
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.vault import errors
from navigator_desktop.vault.connection import is_damage_error
from navigator_desktop.vault.vault import Vault

log = logging.getLogger("navigator.ui.damage")

TITLE = "Navigator's data on this laptop is damaged"
MET_IN_USE = "A damaged part of Navigator's data file was found while reading it."


def is_damage(error: BaseException) -> bool:
    return isinstance(error, DatabaseDamagedError | errors.DatabaseDamaged) or is_damage_error(error)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def explain(damage: Damage) -> str:
    if damage.rescued is not None:
        r = damage.rescued
        kept = (
            "What was not yet sent to the central store "
            f"({_count(r.changes, 'change')} and {_count(r.drafts, 'draft')}) "
            f"has been saved, encrypted, to a rescue file:\n{r.path}"
        )
        if r.unreadable:
            kept += f"\n(The damage kept these from being read: {', '.join(r.unreadable)}.)"
    else:
        kept = "The changes not yet sent could not be saved to a rescue file; leave the data folder as it is."
    return (
        f"{damage.reason}\n\n{kept}\n\n"
        "What to do now: stop recording on this laptop and call your IT service desk. They rebuild "
        "the laptop from the central store (it is enrolled again and the next sync brings every "
        "record back), and read the rescue file with `navigator-desktop rescue --read`. Records "
        "already sent to the central store are safe."
    )


class DamageNotice(QObject):
    damaged = Signal(str)  # what is wrong, from the checking thread; queued to the GUI thread
    rescued = Signal(object)  # Damage, from the rescuing thread

    def __init__(self, runner: TaskRunner[Session], parent: QWidget) -> None:
        super().__init__()
        self.runner = runner
        self.parent_widget = parent
        self.box: QMessageBox | None = None
        self._rescuing = False
        self.damaged.connect(self._rescue)
        self.rescued.connect(self._show)
        runner.error_seen.connect(self.consider)

    def check_after_unlock(self) -> None:
        """Start the full check on its own connection and thread; a damaged vault is reported."""
        self.runner.submit(_vault_and_key, self._start, name="integrity check")

    def _start(self, found: tuple[Vault, bytes | None]) -> None:
        vault, key = found
        if key is not None:
            integrity_watch.in_background(vault, key, self._checked)

    def _checked(self, reason: str | None) -> None:  # on the checking thread
        if reason is not None:
            self.damaged.emit(reason)

    def consider(self, error: BaseException) -> None:
        """A job's error: a damaged page met in normal work leads to the same message."""
        if is_damage(error):
            self._rescue(MET_IN_USE)

    def _rescue(self, reason: str) -> None:
        if self._rescuing:  # once per run: the first report wins
            return
        self._rescuing = True

        def start(found: tuple[Vault, bytes | None]) -> None:
            vault, key = found
            if key is not None:
                integrity_watch.rescue_in_background(vault, key, reason, self.rescued.emit)

        self.runner.submit(_vault_and_key, start, name="rescue")

    def _show(self, damage: Damage) -> None:
        if self.box is not None:
            self.box.close()
        self.box = QMessageBox(QMessageBox.Icon.Critical, TITLE, TITLE, parent=self.parent_widget)
        self.box.setInformativeText(explain(damage))  # plain text: a path is shown as it is
        self.box.setTextFormat(Qt.TextFormat.PlainText)
        self.box.setObjectName("damage_notice")
        self.box.open()


def _vault_and_key(s: Session) -> tuple[Vault, bytes | None]:
    return s.vault, s.data_key

"""Keeps an open form as an encrypted draft while it is being typed in.

Two seconds after the last change to any field (the debounce), what the form holds is written to
the drafts table (store/drafts.py, in the encrypted vault) by a job on the database worker, so
the GUI thread never waits for the disk and a crash, a power cut or a killed process loses at
most the last two seconds of typing. The draft comes back at the next unlock exactly as one kept
at the lock does (FormsFlow.restore). Saving the form discards its draft in the same job as the
write, and stops the timer first, so no draft outlives the record it became.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from navigator_desktop.session import Session
from navigator_desktop.store import drafts
from navigator_desktop.tasks import TaskRunner

DEBOUNCE_MS = 2_000

Payload = Callable[[], dict[str, Any]]


def _on_change(form: QWidget, changed: Callable[[], None]) -> None:
    """Call `changed` whenever any field of `form` is edited."""
    for w in form.findChildren(QWidget):
        if isinstance(w, QLineEdit | QPlainTextEdit):
            w.textChanged.connect(changed)
        elif isinstance(w, QComboBox):
            w.currentIndexChanged.connect(changed)
        elif isinstance(w, QSpinBox):
            w.valueChanged.connect(changed)
        elif isinstance(w, QDateTimeEdit):  # QDateEdit too
            w.dateTimeChanged.connect(changed)
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            w.toggled.connect(changed)


class DraftAutosave(QObject):
    """One debounce timer per open form, keyed like the drafts table (form key)."""

    def __init__(self, runner: TaskRunner[Session], user_id: Callable[[], str | None]) -> None:
        super().__init__()
        self.runner = runner
        self.user_id = user_id
        self._timers: dict[str, QTimer] = {}

    def watch(self, key: str, form: QWidget, payload: Payload) -> None:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(DEBOUNCE_MS)
        timer.timeout.connect(lambda: self._keep(key, form, payload))
        self.stop(key)
        self._timers[key] = timer
        _on_change(form, timer.start)

    def stop(self, key: str) -> None:
        """No more saves for this form (it is being saved, closed or stashed)."""
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()

    def pause(self, key: str) -> None:
        """Stop the pending save but keep watching (a save was asked for; it may be refused)."""
        timer = self._timers.get(key)
        if timer is not None:
            timer.stop()

    def stop_all(self) -> None:
        for key in list(self._timers):
            self.stop(key)

    def _keep(self, key: str, form: QWidget, payload: Payload) -> None:
        if not shiboken6.isValid(form) or key not in self._timers:
            return
        values, user_id = payload(), self.user_id()
        self.runner.submit(
            lambda s: drafts.save(s.db, key, values, user_id=user_id), name="keep draft while typing"
        )

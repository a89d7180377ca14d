"""Where an export (a PDF, a CSV) is saved: the person's Documents folder (never the working
directory), under a name that does not name the client (a short reference and the date), and
with a plain word that the file is not encrypted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import QFileDialog, QGridLayout, QLabel, QWidget

from navigator_core import timeutil
from navigator_desktop.ui import theme

NOT_ENCRYPTED = (
    "The file is not encrypted: anyone who can open it can read it. Keep it on this laptop, "
    "and delete it once it has served its purpose."
)
SAVED_NOTE = "It is not encrypted: delete it when it has served its purpose."  # after "Saved X."


def reference(client_id: str) -> str:
    """A short reference to a client that means nothing outside Navigator: the id's first 8 characters."""
    return client_id.replace("-", "")[:8].upper()


def file_name(what: str, client_id: str | None, extension: str, *, today: date | None = None) -> str:
    """``crisis-sheet-3F2A9C1B-2026-12-05.pdf``."""
    when = today or timeutil.local(timeutil.utcnow()).date()
    parts = [what, reference(client_id) if client_id else "", when.isoformat()]
    return "-".join(p for p in parts if p) + f".{extension}"


def folder() -> Path:
    """The user's Documents folder; their home folder if there is none (never the working directory)."""
    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def proposed_path(name: str) -> Path:
    return folder() / name


def save_dialog(parent: QWidget | None, caption: str, name: str, filter_text: str) -> QFileDialog:
    """The save dialog, proposing Documents/`name`, with the warning that the file will not be
    encrypted in the dialog itself (Qt's own dialog: a system dialog cannot carry the warning)."""
    dialog = QFileDialog(parent, f"{caption} (the file will not be encrypted)", str(folder()))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(filter_text)
    dialog.selectFile(str(proposed_path(name)))
    warning = QLabel(f"⚠ {NOT_ENCRYPTED}")
    warning.setObjectName("notEncrypted")
    warning.setWordWrap(True)
    warning.setStyleSheet(f"color: {theme.colour('error').name()}; font-weight: bold;")
    grid = dialog.layout()
    if isinstance(grid, QGridLayout):
        grid.addWidget(warning, grid.rowCount(), 0, 1, grid.columnCount())
    return dialog


def ask_save_path(parent: QWidget | None, caption: str, name: str, filter_text: str) -> Path | None:
    """Ask where to save; None when the person cancels."""
    dialog = save_dialog(parent, caption, name, filter_text)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])

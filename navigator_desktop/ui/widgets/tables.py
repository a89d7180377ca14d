"""A read-only table set up the same way everywhere: whole rows, keyboard activation, accessible name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def table(
    model: QAbstractItemModel, name: str, parent: QWidget | None = None, *, stretch: int = -1
) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setObjectName(name.lower().replace(" ", "_"))
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab moves on to the next control, arrows move in the table
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Measure a screenful of rows, not thousands, when fitting columns to their contents.
    header.setResizeContentsPrecision(60)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return view


def empty_note(text: str) -> str:
    return f"<i>{text}</i>"


def select_by_id(view: QTableView, rows: list[dict[str, Any]], kept: object) -> None:
    """Select the row whose ``id`` is `kept` (the one selected before a refresh), else the first."""
    ids = [r["id"] for r in rows]
    if ids:
        view.selectRow(ids.index(kept) if kept in ids else 0)

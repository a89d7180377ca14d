"""Parts of bigger layouts: a widget holding a column with no margins of its own; buttons over a
list and its detail."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget


def bare_column() -> tuple[QWidget, QVBoxLayout]:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    return box, column


def buttons_over_split(
    pane: QWidget, buttons: list[QPushButton], top: QWidget, bottom: QWidget, sizes: list[int]
) -> None:
    """Lay `pane` out as a row of buttons over a list (`top`) and its detail (`bottom`) split
    one above the other, as the client's record tabs are."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(top)
    split.addWidget(bottom)
    split.setSizes(sizes)
    column = QVBoxLayout(pane)
    column.addLayout(row)
    column.addWidget(split)

"""A fixed-width panel centred on a screen (the unlock and first-run screens)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget


def centre(screen: QWidget, box: QWidget) -> None:
    """Give `screen` a layout that centres `box`, a little above the middle.

    Centred by stretches, not by an alignment flag: an aligned widget loses height-for-width,
    and its wrapped labels get clipped."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(box)
    row.addStretch(1)
    outer = QVBoxLayout(screen)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)

"""Python's garbage collector runs on the GUI thread only.

The cyclic collector runs in whichever thread happens to allocate. When it frees a Qt object
held in a reference cycle (a widget and a lambda connected to its signal, say) from the database
or sync worker thread, Qt deletes the object on the wrong thread and the process crashes. As in
qutebrowser, automatic collection is switched off and the GUI thread collects on a timer instead,
following the same thresholds the automatic collector would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 1000):
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> int:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for level in range(3):
            if counts[level] > thresholds[level]:
                generation = level
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        gc.enable()

"""One box for a date, or a date and time, typed the way people write them (``5/12``, ``today``,
``14:30``, ``2:30pm``; navigator_core/typed_dates.py reads them). When the typing is done the box
shows what it understood in words (``Sat 5 Dec 2026, 14:30``), so 5/12 cannot pass for 12 May.

The box works in London's local time with naive values; the form turns them into stored text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from navigator_core import timeutil
from navigator_core.typed_dates import read_date, read_moment, show_date, show_moment

DATE_HINT = "A date: 5/12/2026, 5/12, today, yesterday"
MOMENT_HINT = "A date and time: today 14:30, 5/12 2:30pm, or a time alone for today"


def london_today() -> date:
    return timeutil.local(timeutil.utcnow()).date()


class TypedDateEdit(QLineEdit):
    """`with_time`: a date and a time (naive datetimes), else a date. `latest`: the last moment
    allowed (a contact cannot have happened tomorrow)."""

    changed = Signal()  # what the box reads changed (a new value, emptied, or unreadable)

    def __init__(
        self, with_time: bool, today: Callable[[], date] = london_today, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.with_time, self.today = with_time, today
        self.latest: datetime | None = None
        self._kept: date | datetime | None = None  # the last value read, to keep its time
        self.setPlaceholderText(("today 14:30" if with_time else "5/12/2026") + " — Not set")
        self.setToolTip(MOMENT_HINT if with_time else DATE_HINT)
        self.setClearButtonEnabled(True)
        self.textChanged.connect(self._typed)
        self.editingFinished.connect(self.tidy)

    def reading(self) -> date | datetime | None:
        """What the text says (None when empty or unreadable)."""
        typed = self.text().strip()
        if not typed:
            return None
        if self.with_time:
            keep = self._kept.time() if isinstance(self._kept, datetime) else None
            return read_moment(typed, self.today(), keep)
        return read_date(typed, self.today())

    def problem(self) -> str | None:
        """Why the text cannot be used, in words; None when it is empty or fine."""
        if not self.text().strip():
            return None
        found = self.reading()
        if found is None:
            return (
                "Type a date and time like 5/12/2026 14:30, today 9am, or a time alone."
                if self.with_time
                else "Type a date like 5/12/2026, 5/12, today or yesterday."
            )
        if self.latest is not None and isinstance(found, datetime) and found > self.latest:
            return f"{show_moment(found)} is in the future."
        return None

    def set_value(self, value: date | datetime | None) -> None:
        self._kept = value
        self.setText("" if value is None else self._shown(value))

    def tidy(self) -> None:
        """Write what was understood back in words (left as typed when it cannot be read)."""
        found = self.reading()
        if found is not None:
            self.set_value(found)

    def _shown(self, value: date | datetime) -> str:
        if isinstance(value, datetime):
            return show_moment(value) if self.with_time else show_date(value.date())
        return show_moment(datetime.combine(value, time(9, 0))) if self.with_time else show_date(value)

    def _typed(self, _text: str) -> None:
        found = self.reading()
        if found is not None:
            self._kept = found
        self.changed.emit()

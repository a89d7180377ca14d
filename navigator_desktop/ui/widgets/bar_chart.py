"""A small bar chart drawn with QPainter (no QtCharts): a title, one bar per category, the value
written on each bar and the category under it.

Colour is never the only signal: every bar carries its number. The chart's accessible
description (and its tooltip) is a text alternative listing every category and value, and the
screens that use it show the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from navigator_desktop.ui import theme

Bar = tuple[str, float]


def _plain(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


class BarChart(QWidget):
    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        *,
        value_text: Callable[[float], str] = _plain,
        unit: str = "",
        horizontal: bool = False,
    ):
        """`horizontal`: bars run left to right with the category names before them, for long
        names (pathways) that would not fit under a bar."""
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.unit = unit
        self.value_text = value_text
        self.bars: list[Bar] = []
        self.setAccessibleName(title)
        self.setObjectName(title.lower().replace(" ", "_"))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, so a screen reader reads the description
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_bars([])

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = [(str(name), float(value)) for name, value in bars]
        alternative = self.text_alternative()
        self.setAccessibleDescription(alternative)
        self.setToolTip(alternative)
        self.update()

    def text_alternative(self) -> str:
        if not self.bars:
            return f"{self.title}: nothing to show."
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.title}: " + "; ".join(f"{n} {self.value_text(v)}{unit}" for n, v in self.bars) + "."

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 180)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(8, 4, -8, -4)
        title_font = self.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QRectF(area.left(), area.top(), area.width(), line + 4), self.title)
        painter.setFont(self.font())
        if not self.bars:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Nothing to show for this period.")
            return
        if self.horizontal:
            self._paint_horizontal(painter, area.adjusted(0, line * 2 + 6, 0, 0), metrics, text)
            painter.end()
            return
        labels = [name for name, _ in self.bars]
        slot = area.width() / len(self.bars)
        # Category names under the bars: one line when they fit, else two.
        widest = max(metrics.horizontalAdvance(n) for n in labels)
        rows = 1 if widest <= slot - 4 else 2
        plot = QRectF(
            area.left(), area.top() + line * 2 + 6, area.width(), area.height() - line * (2 + rows) - 14
        )
        top = max(v for _, v in self.bars) or 1.0
        painter.setPen(QPen(text, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        fill = self._fill()
        for i, (name, value) in enumerate(self.bars):
            x = plot.left() + i * slot
            width = max(4.0, slot * 0.62)
            height = plot.height() * (value / top)
            bar = QRectF(x + (slot - width) / 2, plot.bottom() - height, width, height)
            painter.fillRect(bar, fill)
            painter.setPen(text)
            painter.drawText(
                QRectF(x, bar.top() - line - 2, slot, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                self.value_text(value),
            )
            under = QRectF(x, plot.bottom() + 3, slot, line * rows + 2)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            painter.drawText(under, int(flags) | int(Qt.TextFlag.TextWordWrap), name)
        painter.end()

    def _paint_horizontal(self, painter: QPainter, area: QRectF, metrics: QFontMetrics, text: QColor) -> None:
        names = max(metrics.horizontalAdvance(n) for n, _ in self.bars) + 10
        values = max(metrics.horizontalAdvance(self.value_text(v)) for _, v in self.bars) + 10
        slot = area.height() / len(self.bars)
        top = max(v for _, v in self.bars) or 1.0
        room = max(10.0, area.width() - names - values)
        fill = self._fill()
        painter.setPen(QPen(text, 1))
        painter.drawLine(
            int(area.left() + names), int(area.top()), int(area.left() + names), int(area.bottom())
        )
        for i, (name, value) in enumerate(self.bars):
            y = area.top() + i * slot
            thickness = max(4.0, min(slot * 0.66, 28.0))
            bar = QRectF(area.left() + names, y + (slot - thickness) / 2, room * value / top, thickness)
            painter.fillRect(bar, fill)
            painter.setPen(text)
            row = QRectF(area.left(), y, names - 8, slot)
            painter.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            after = QRectF(bar.right() + 5, y, values, slot)
            painter.drawText(
                after, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.value_text(value)
            )

    def _fill(self) -> QColor:
        fill = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        return fill.lighter(120) if theme.is_dark(self.palette()) else fill

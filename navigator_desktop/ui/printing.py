"""Paper: one HTML document (built by a pure function elsewhere) written to a PDF or sent to a
printer. A4, with margins, a footer naming the document, its date and the page.

The documents these produce carry special category data: callers write PDFs only where the
person chose (a save dialog), and record an "export" audit event for every one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from navigator_desktop import private_file

MARGINS_MM = QMarginsF(15, 15, 15, 15)
STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4pt 0; }
h2 { font-size: 12pt; margin: 10pt 0 3pt 0; border-bottom: 1px solid #888; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #999; padding: 3pt; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
.high { background: #f8d7da; } .medium { background: #fff3cd; } .low { background: #e2e3e5; }
.muted { color: #555; } .banner { background: #f8d7da; border: 1px solid #a00; padding: 4pt; }
"""


def document(html: str, page_width_pt: float | None = None) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(html)
    if page_width_pt:
        doc.setPageSize(QSizeF(page_width_pt, -1))
    return doc


def _layout() -> QPageLayout:
    a4 = QPageSize(QPageSize.PageSizeId.A4)
    return QPageLayout(a4, QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter)


def write_pdf(html: str, path: Path, title: str) -> Path:
    """Write `html` as an A4 PDF at `path` (replaced atomically, owner-only) and return the path."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(partial))
    writer.setTitle(title)
    writer.setCreator("Navigator")
    writer.setPageLayout(_layout())
    writer.setResolution(300)
    doc = document(html)
    doc.print_(writer)
    del writer  # the file is finished when the writer goes
    private_file.restrict(partial)  # readable by its owner only, before it takes the name
    partial.replace(path)
    return path


def print_html(html: str, title: str, parent: QWidget | None = None) -> bool:
    """Ask where to print, then print; False if the person cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageLayout(_layout())
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document(html).print_(printer)
    return True

"""Screenshots of safe exports and the About box: the save dialog that proposes Documents and says
the file will not be encrypted (save-warning.png), the status after a crisis sheet is saved
(crisis-sheet-saved.png) and the About box with its licences (about.png). Run under a virtual
display:

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_portable.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, idle, settle, shoot, wait_for
from screenshots_reports import open_app

from navigator_desktop.ui.dialogs import export_dialog
from navigator_desktop.ui.dialogs.about import show_about


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        app, _reports = open_app(Path(tmp) / "demo")
        about = show_about(app.window)
        about.resize(720, 560)
        shoot(app, "about", about)
        about.close()

        app.window.show_screen("on_call")
        app.on_call.refresh()
        idle(app)
        view = app.on_call_view
        wait_for(lambda: view.clients.rowCount() > 0)
        view.client_table.selectRow(0)
        wait_for(lambda: view.summary is not None)
        idle(app)
        client_id = view.summary.client["id"]
        name = export_dialog.file_name("crisis-sheet", client_id, "pdf")
        dialog = export_dialog.save_dialog(app.window, "Save the crisis sheet", name, "PDF (*.pdf)")
        dialog.resize(760, 460)
        dialog.show()
        settle(500)
        shoot(app, "save-warning", dialog)
        dialog.reject()

        app.on_call.ask_path = lambda _parent, suggested: Path(tmp) / suggested
        app.on_call.crisis_pdf()
        wait_for(lambda: "not encrypted" in app.window.status.text())
        idle(app)
        shoot(app, "crisis-sheet-saved")
        app.shutdown()
        app.window.close()
    del qt
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The crisis sheet saved as a PDF: the save dialog proposes the Documents folder and a name that
does not name the client, says the file is not encrypted, the file is readable by its owner only,
and the sheet carries the urgent handover notes about the client written minutes before."""

from __future__ import annotations

import stat
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import platformdirs
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from navigator_core import timeutil
from navigator_desktop.documents.crisis_sheet import crisis_sheet_html
from navigator_desktop.store import handover
from navigator_desktop.ui.dialogs import export_dialog
from tests.desktop.ui.helpers import shortcut, wait_idle
from tests.desktop.ui.test_on_call import _seed


def _words(path: Path) -> str:
    return " ".join(unicodedata.normalize("NFKC", PdfReader(str(path)).pages[0].extract_text()).split())


def test_the_proposed_file_is_in_documents_and_does_not_name_the_client() -> None:
    client_id = "3f2a9c1b-0000-4000-8000-000000000000"
    name = export_dialog.file_name("crisis-sheet", client_id, "pdf", today=date(2026, 12, 5))
    assert name == "crisis-sheet-3F2A9C1B-2026-12-05.pdf"
    assert "not encrypted" in export_dialog.NOT_ENCRYPTED


def test_the_crisis_sheet_lists_urgent_handover_notes() -> None:
    note = {
        "priority": "urgent",
        "text": "Said he <would> go to Birch Row tonight",
        "valid_from": timeutil.now_text(),
    }
    routine = {
        "priority": "routine",
        "text": "Routine: prescription collected",
        "valid_from": timeutil.now_text(),
    }
    client = {"id": "c1", "given_name": "Jeffrey", "family_name": "Khan"}
    html = crisis_sheet_html(client, [], {}, made_by="Me", made_at=timeutil.now_text(), refreshed_at=None,
                             notes=[note, routine])  # fmt: skip
    assert "Urgent handover notes" in html and "Said he &lt;would&gt; go to Birch Row tonight" in html
    assert "prescription collected" not in html


def test_the_crisis_sheet_pdf_is_private_says_it_is_not_encrypted_and_has_the_note_of_minutes_ago(
    qtbot, app, tmp_path
):
    ids = _seed(app)
    view, flow = app.on_call_view, app.on_call
    shortcut(qtbot, app, "Ctrl+4")
    flow.show_client(ids["other"])
    qtbot.waitUntil(lambda: view.summary is not None and view.summary.client["id"] == ids["other"])
    wait_idle(qtbot, app)

    # Minutes after the summary was opened, a colleague's urgent note about the client arrives (as a
    # sync brings it: straight into the store); on call has already read it on another screen.
    def arrives(s) -> None:
        values = {
            "team_id": app.signed_in.who.team_id,
            "client_id": ids["other"],
            "priority": "urgent",
            "text": "Rang the ward: he left without leave at 01:40",
            "valid_from": timeutil.to_text(timeutil.utcnow() - timedelta(minutes=3)),
        }
        note = handover.write(s.db, s.actor, values).record_id
        handover.acknowledge(s.db, s.actor, note)

    app.runner.call(arrives)
    asked: list[str] = []

    def ask(_parent, name: str) -> Path:
        asked.append(name)
        return tmp_path / name

    flow.ask_path = ask
    messages: list[str] = []
    flow.message.connect(messages.append)
    qtbot.mouseClick(view.crisis_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked) and (tmp_path / asked[0]).exists(), timeout=10_000)
    wait_idle(qtbot, app)
    family = view.summary.client["family_name"]
    assert family.lower() not in asked[0].lower() and asked[0].startswith("crisis-sheet-")
    path = tmp_path / asked[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    words = _words(path)
    assert "Rang the ward: he left without leave at 01:40" in words
    assert "Urgent unread" in words  # the seeded urgent note about the client, still current
    qtbot.waitUntil(lambda: any("not encrypted" in m for m in messages))


def test_the_save_dialog_proposes_documents_and_says_the_file_is_not_encrypted(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(documents))
    name = "crisis-sheet-3F2A9C1B-2026-12-05.pdf"
    dialog = export_dialog.save_dialog(None, "Save the crisis sheet", name, "PDF (*.pdf)")
    qtbot.addWidget(dialog)
    assert "not be encrypted" in dialog.windowTitle()
    warning = dialog.findChild(QLabel, "notEncrypted")
    assert warning is not None and warning.isVisibleTo(dialog) and "not encrypted" in warning.text()
    assert Path(dialog.directory().absolutePath()) == documents
    assert dialog.acceptMode() == dialog.AcceptMode.AcceptSave
    assert export_dialog.proposed_path(name) == documents / name


def test_without_a_documents_folder_the_home_folder_is_proposed_not_the_working_directory(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "no-such-folder"))
    assert export_dialog.folder() == Path.home()

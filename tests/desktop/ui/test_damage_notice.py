"""A damaged vault is reported at once, with the unsent work saved to an encrypted rescue file."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from navigator_desktop import rescue
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.store import drafts
from navigator_desktop.store.errors import DatabaseDamagedError
from navigator_desktop.ui.damage_notice import MET_IN_USE, TITLE
from navigator_desktop.vault import KdfParams
from tests.desktop.ui.conftest import unlock, wait_idle
from tests.desktop.vault.vault_helpers import snapshot

DRAFT_TEXT = "Half a note about the tenancy meeting"


def notice(qtbot, app: Navigator) -> QMessageBox:
    qtbot.waitUntil(lambda: app.damage.box is not None and app.damage.box.isVisible(), timeout=20_000)
    assert app.damage.box is not None
    return app.damage.box


def rescued_file(data: Path) -> Path:
    (found,) = sorted(data.glob("navigator-rescue-*.json"))
    return found


def data_key(data: Path) -> bytes:
    from navigator_desktop import demo

    return Session(data, KdfParams.for_tests()).vault.data_key(demo.DEMO_PASSPHRASE)


def test_a_damaged_page_is_reported_after_unlock_with_the_unsent_work_rescued(qtbot, tmp_path, demo_template):
    from navigator_desktop import demo

    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    session = Session(data, KdfParams.for_tests())
    session.unlock(demo.DEMO_PASSPHRASE)
    with session.db.transaction():
        drafts.save(session.db, "contact:new:x", {"form": "contact", "values": {"narrative": DRAFT_TEXT}})
    session.lock()
    db = data / "navigator.db"
    damaged = bytearray(db.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    db.write_bytes(bytes(damaged))

    app = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    app.start()
    try:
        unlock(qtbot, app)
        box = notice(qtbot, app)
        assert box.windowTitle() == TITLE
        text = box.informativeText()
        assert "damaged" in text and "rescue file" in text and "central store" in text
        assert "Traceback" not in text
        path = rescued_file(data)
        assert str(path) in text
        content = rescue.read(path, data_key(data))
        assert [d["form_key"] for d in content["drafts"]] == ["contact:new:x"]
        assert DRAFT_TEXT in content["drafts"][0]["payload"]
        assert DRAFT_TEXT.encode() not in path.read_bytes(), "the rescue file is encrypted"
    finally:
        app.shutdown()


def test_a_damaged_page_met_in_normal_work_gives_the_same_message(qtbot, app):
    def meets_a_damaged_page(_s: Session) -> None:
        raise DatabaseDamagedError("database disk image is malformed")

    app.runner.submit(meets_a_damaged_page, name="open client")
    box = notice(qtbot, app)
    assert box.windowTitle() == TITLE
    assert box.text() == TITLE
    assert MET_IN_USE in box.informativeText() and "rescue file" in box.informativeText()
    assert "Traceback" not in box.informativeText()
    wait_idle(qtbot, app)


def test_a_healthy_vault_shows_no_damage_notice(qtbot, app):
    qtbot.wait(1_000)  # the background check has had time to run on the small demo vault
    assert app.damage.box is None


def test_the_rescue_command_reads_only_and_its_file_reads_back(tmp_path, demo_template, monkeypatch):
    import argparse
    import io

    from navigator_desktop import cli, demo

    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    before = snapshot(data)
    monkeypatch.setenv(cli.TEST_KDF_ENV, "1")
    out = io.StringIO()
    args = argparse.Namespace(command="rescue", data_dir=data, ca_bundle=None, read=None)
    assert cli.run(args, cli.Secrets(io.StringIO(demo.DEMO_PASSPHRASE + "\n")), out) == 0
    path = rescued_file(data)
    assert snapshot(data, ignore=(path.name,)) == before
    read = argparse.Namespace(command="rescue", data_dir=data, ca_bundle=None, read=path)
    shown = io.StringIO()
    assert cli.run(read, cli.Secrets(io.StringIO(demo.DEMO_PASSPHRASE + "\n")), shown) == 0
    assert '"outbox"' in shown.getvalue() and '"drafts"' in shown.getvalue()

"""The demo vault opened as someone other than its navigator: a team manager, with records the
navigator wrote beforehand (the way they would arrive by sync)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.vault import KdfParams
from tests.desktop.ui.conftest import unlock

Prepare = Callable[[Session], Any]


def start_as(
    qtbot, tmp_path: Path, template: Path, role: str, prepare: Prepare | None = None
) -> tuple[Navigator, Any]:
    """The app unlocked as the demo team's first user of `role`; `prepare` runs first, as the
    demo's navigator, and what it returns comes back beside the app."""
    data = tmp_path / "data"
    shutil.copytree(template, data)
    session = Session(data, KdfParams.for_tests())
    session.unlock(demo.DEMO_PASSPHRASE)
    prepared = prepare(session) if prepare is not None else None
    demo.sign_in_as(session.db, role)
    session.lock()
    app = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    app.start()
    unlock(qtbot, app)
    return app, prepared

"""The full integrity check after unlock runs at the lowest priority, so the window keeps the
processor (issue 15: a GUI that never stalls), and still reports a healthy vault as healthy."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from navigator_desktop import integrity_watch
from navigator_desktop.session import Session
from navigator_desktop.vault import KdfParams


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_the_background_check_runs_at_the_lowest_priority_and_finds_a_healthy_vault(tmp_path) -> None:
    session = Session(tmp_path / "data", KdfParams.for_tests())
    session.create("a long enough passphrase for tests only", recovery_key=False)
    assert session.data_key is not None
    seen: dict[str, object] = {}

    def report(reason: str | None) -> None:  # called on the checking thread
        seen["reason"] = reason
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    integrity_watch.in_background(session.vault, session.data_key, report).join(30)
    session.lock()
    assert seen == {"reason": None, "nice": integrity_watch.LOWEST}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # this thread's unchanged

"""One copy of Navigator per vault: a second start on the same vault is refused with a plain
sentence and brings the first copy's window forward; a lock left by a copy that died is taken over."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from navigator_desktop import single_instance


def test_a_second_lock_on_the_same_vault_is_refused_and_another_vault_is_not(tmp_path: Path) -> None:
    first = single_instance.acquire(tmp_path / "vault")
    with pytest.raises(single_instance.AlreadyOpenError, match="already open with this vault"):
        single_instance.acquire(tmp_path / "vault")
    other = single_instance.acquire(tmp_path / "other")
    first.unlock()
    again = single_instance.acquire(tmp_path / "vault")
    again.unlock()
    other.unlock()


def test_a_lock_left_by_a_copy_that_died_is_taken_over(tmp_path: Path) -> None:
    code = (
        "import os, sys; from PySide6.QtCore import QLockFile; "
        "lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0); assert lock.tryLock(1000); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / single_instance.LOCK_NAME)], check=True)
    assert (tmp_path / single_instance.LOCK_NAME).exists()  # left behind by the dead process
    single_instance.acquire(tmp_path).unlock()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stack
def test_a_knock_from_a_second_start_brings_the_window_forward(qtbot, tmp_path: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    listener = single_instance.ComeForward(tmp_path)
    listener.asked.connect(lambda: single_instance.bring_forward(window))
    with qtbot.waitSignal(listener.asked, timeout=5000):
        assert single_instance.ask_first_to_come_forward(tmp_path)
    qtbot.waitUntil(lambda: not window.isMinimized() and window.isVisible())
    box = single_instance.refuse_second_copy(single_instance.AlreadyOpenError(tmp_path), tmp_path, ask=False)
    assert box.windowTitle() == "Navigator is already open" and str(tmp_path) in box.text()


def test_two_real_copies_on_one_vault(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.environ.get("PYTHONPATH", "")}  # fmt: skip
    data = tmp_path / "data"
    command = [sys.executable, "-m", "navigator_desktop", "--data-dir", str(data)]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock_file = data / single_instance.LOCK_NAME

        def held_by_first() -> bool:  # QLockFile writes the holder's process id on its first line
            try:
                return lock_file.read_text().splitlines()[0] == str(first.pid)
            except (OSError, IndexError):
                return False

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not held_by_first() and first.poll() is None:
            time.sleep(0.2)
        assert held_by_first()
        assert first.poll() is None, first.communicate()
        second = subprocess.run(
            [*command, "--self-test"], env=env, capture_output=True, text=True, timeout=120
        )
        assert second.returncode == 3
        assert "Navigator is already open with this vault" in second.stderr
        assert "window shown" not in second.stdout
    finally:
        first.terminate()
        first.communicate(timeout=30)
    done = subprocess.run([*command, "--self-test"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "window shown" in done.stdout, done.stderr

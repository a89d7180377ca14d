"""Settings every test shares. Qt runs offscreen: without a display Qt would abort the process."""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep test runs from reading or writing a real user's settings.
os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tempfile.gettempdir()) / "navigator-test-config"))


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_on_the_main_thread_only():
    """As in the app (navigator_desktop/gc_guard.py): a collection run by a worker thread that frees
    a Qt object crashes the process, so automatic collection is off and tests collect here."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test():
    yield
    gc.collect()
    # What survived is in use by the session (modules, caches, templates): freezing it keeps the
    # next collection to what this test left behind, instead of walking the whole heap each time.
    gc.freeze()

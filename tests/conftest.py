"""Settings every test shares. Qt runs offscreen: without a display Qt would abort the process."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep test runs from reading or writing a real user's settings.
os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(os.environ.get("TMPDIR", "/tmp"), "navigator-test-config"))

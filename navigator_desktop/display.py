"""Before Qt starts: is there a screen to draw on?

Qt aborts the whole process when it cannot reach a display. A person starting the app over SSH
or from a service should get a sentence instead, and an exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

NO_DISPLAY = (
    "Navigator needs a screen, and none was found: neither DISPLAY nor WAYLAND_DISPLAY is set, "
    "or the display they name is not running. Start Navigator from your desktop session. "
    "(For automated use without a screen, set QT_QPA_PLATFORM=offscreen.)"
)


def display_problem(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """A message saying why no display can be used, or None when Qt should be able to start."""
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have their native platform.
    if env.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return None
    if env.get("WAYLAND_DISPLAY"):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        return NO_DISPLAY
    host, _, number = display.rpartition(":")
    if host in ("", "unix"):
        # A local X display is a socket; when it is gone Qt would abort.
        socket = Path("/tmp/.X11-unix") / f"X{number.split('.')[0]}"  # noqa: S108 - X's fixed path
        if not socket.exists():
            return NO_DISPLAY
    return None

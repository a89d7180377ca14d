"""Licence texts and third-party notices, shipped in the package and so in the bundle (the spec
collects every data file of navigator_desktop); shown by the About box."""

from __future__ import annotations

import importlib.resources

NOTICES = "THIRD-PARTY-NOTICES.txt"
# (file, what the About box calls it)
FILES = (
    (NOTICES, "Third-party notices"),
    ("LGPL-3.0.txt", "Qt's licence: LGPL 3.0"),
    ("GPL-3.0.txt", "GPL 3.0"),
)


def text(name: str) -> str:
    return importlib.resources.files(__name__).joinpath(name).read_text("utf-8")

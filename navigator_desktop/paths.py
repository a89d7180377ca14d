"""Where Navigator keeps its files. `--data-dir` overrides everything for portable use and tests."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "navigator"
AUTHOR = "Navigator"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, AUTHOR))


def log_dir(data_dir: Path) -> Path:
    # Logs live beside the vault they describe, so a portable data directory carries its own and a
    # wipe removes them too. They never hold record content.
    return data_dir / "logs"


def settings_file() -> Path:
    """Plain, non-sensitive preferences only (window geometry, last data directory)."""
    return Path(platformdirs.user_config_dir(APP, AUTHOR)) / "ui.ini"

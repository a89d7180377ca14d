"""Logging: one named logger per subsystem, written beside the vault, never holding record content.

What may be logged: ids, counts, timings, error classes. What may not: names, NHS numbers,
note text, passphrases, keys, tokens. Code logs ids, not records; the canary test proves it.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(log_dir: Path, level: int = logging.INFO) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "navigator.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger("navigator")
    root.setLevel(level)
    root.handlers[:] = [handler]
    root.propagate = False
    return path

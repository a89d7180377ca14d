"""Logging for the server: named loggers to standard error (the journal, under systemd).

What is logged is ids and counts. Request bodies, record values, names, NHS numbers and note text
are never passed to a logger; uvicorn's access log shows paths, which carry only ids and cursors.
Third-party loggers stay at WARNING whatever our level, so a library's debug output (SQL with its
parameters, say) never reaches the log.
"""

from __future__ import annotations

import logging
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OURS = ("navigator_server", "uvicorn", "uvicorn.error", "uvicorn.access")


def uvicorn_log_config(level: str) -> dict[str, Any]:
    handler = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {name: {"handlers": ["stderr"], "level": level, "propagate": False} for name in OURS},
    }


def configure(level: str) -> None:
    logging.basicConfig(level=logging.WARNING, format=FORMAT)
    logging.getLogger("navigator_server").setLevel(level)

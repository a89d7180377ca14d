"""Logging for the server: named loggers to standard error (the journal, under systemd).

What is logged is ids and counts. Request bodies, record values, names, NHS numbers and note text
are never passed to a logger; uvicorn's access log shows paths, which carry only ids and cursors.
Third-party loggers stay at WARNING whatever our level, so a library's debug output (SQL with its
parameters, say) never reaches the log.

Every line carries the id of the request it was written for (``request_id``: the proxy's
``X-Request-ID`` when it sends a plain one, else one made here, and sent back in the answer), so a
request's lines can be found across workers. ``NAVIGATOR_LOG_JSON=1`` writes each line as a JSON
object for a log collector: time, level, logger, message and request id, nothing more.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
OURS = ("navigator_server", "uvicorn", "uvicorn.error", "uvicorn.access")
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            line["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else "-"
        return json.dumps(line, ensure_ascii=False)


def uvicorn_log_config(level: str, as_json: bool = False) -> dict[str, Any]:
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json" if as_json else "plain",
        "stream": "ext://sys.stderr",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"plain": {"format": FORMAT}, "json": {"()": JsonFormatter}},
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {name: {"handlers": ["stderr"], "level": level, "propagate": False} for name in OURS},
    }


def configure(level: str, as_json: bool = False) -> None:
    logging.basicConfig(level=logging.WARNING, format=FORMAT)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RequestIdFilter())
        if as_json:
            handler.setFormatter(JsonFormatter())
    logging.getLogger("navigator_server").setLevel(level)

"""Small pieces the documents share: escaping, labels and dates in words, a key/value table. No Qt."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from navigator_core import dates, timeutil
from navigator_desktop.labels import label as label


def day(value: Any) -> str:
    if not value:
        return "—"
    text = str(value)
    if "T" in text:
        return dates.day(timeutil.parse(text))
    return dates.day(timeutil.parse_date(text[:10]))


def moment(value: Any) -> str:
    if not value:
        return "—"
    return dates.day_and_time(timeutil.parse(str(value)))


def e(value: Any) -> str:
    """Escaped text with line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br>")


def pairs(rows: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th width='28%'>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows if v not in (None, "")
    )
    return f"<table cellspacing='0' cellpadding='4'>{cells}</table>"


def grid(headings: list[str], rows: Iterable[list[Any]], empty: str) -> str:
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    if not body:
        return f"<p class='muted'><i>{e(empty)}</i></p>"
    head = "".join(f"<th>{e(h)}</th>" for h in headings)
    return f"<table cellspacing='0' cellpadding='4'><tr>{head}</tr>{body}</table>"

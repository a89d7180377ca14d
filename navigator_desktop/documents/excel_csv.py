"""CSV written for Excel, where the people who read reports open them.

Excel reads a CSV without a byte-order mark in the machine's legacy code page, so "Zoë" becomes
"ZoÃ«": the file starts with UTF-8's mark (``ENCODING``). A cell starting with ``= + - @``, a tab
or a carriage return is run by Excel as a formula (CSV injection): such a cell is prefixed with a
single quote, as OWASP advises, unless it is a plain number, which no formula can hide in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")


def cell(value: str) -> str:
    """``value`` as Excel shows it, never run."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def row(values: Iterable[str]) -> list[str]:
    return [cell(v) for v in values]

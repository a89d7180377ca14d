"""Whether a phone number or an e-mail address is written so it can be used: the agencies
directory's check (navigator_core.kinds.AGENCY), the same on the laptop and the server."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from navigator_core.fields import FieldError

# Digits with the usual separators: "0113 496 0123", "+44 (0)113 496 0123", "101", "0800-123-456".
_PHONE = re.compile(r"^\+?[0-9 ()\-]+$")
_PHONE_DIGITS = (3, 15)  # a short code such as 101 at the least; E.164 allows 15 at the most
# Something before and after one @, a dot in the domain, no spaces: what a mail client accepts.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")

PHONE_PROBLEM = "Give a phone number in digits (spaces, brackets, + and - are fine)."
EMAIL_PROBLEM = "Give an e-mail address such as referrals@example.org."


def phone_problem(value: object) -> str | None:
    """Why `value` is not a phone number one could dial; None when it is (or is blank)."""
    if not value:
        return None
    written = str(value).strip()
    digits = sum(ch.isdigit() for ch in written)
    low, high = _PHONE_DIGITS
    if not _PHONE.match(written) or not low <= digits <= high:
        return PHONE_PROBLEM
    return None


def email_problem(value: object) -> str | None:
    """Why `value` is not an e-mail address; None when it is (or is blank)."""
    if not value:
        return None
    return None if _EMAIL.match(str(value).strip()) else EMAIL_PROBLEM


def reach_problems(values: Mapping[str, Any]) -> list[FieldError]:
    """The problems with a record's `phone` and `email` (a record check, see KindSpec.checks)."""
    found = []
    for name, problem in (("phone", phone_problem), ("email", email_problem)):
        message = problem(values.get(name))
        if message:
            found.append(FieldError(name, message))
    return found

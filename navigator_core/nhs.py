"""NHS numbers: ten digits, the last a Modulus 11 check digit."""

from __future__ import annotations

import random

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise(text: str) -> str:
    """Drop the spaces and dashes people type ("943 476 5919" -> "9434765919")."""
    return "".join(ch for ch in text if ch not in " -")


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no digit is valid (remainder 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def problem(text: str) -> str | None:
    """Why `text` is not a valid NHS number, in words a person can act on; None when it is valid."""
    digits = normalise(text)
    if not digits.isdigit() or len(digits) != 10:
        return "An NHS number has 10 digits (spaces are fine), for example 943 476 5919."
    expected = check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        return "This NHS number's check digit is wrong: please check it against a letter or the spine record."
    return None


def is_valid(text: str) -> bool:
    return problem(text) is None


def make_test_number(rng: random.Random) -> str:
    """A valid NHS number from the 999 test range, which is never issued to a real person."""
    while True:
        nine = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        digit = check_digit(nine)
        if digit is not None:
            return nine + str(digit)


def formatted(digits: str) -> str:
    d = normalise(digits)
    return f"{d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else digits


def spaced(text: str) -> str:
    """An NHS number as people read it aloud and check it: "943 476 5919" (other text unchanged)."""
    digits = normalise(text)
    if len(digits) != 10 or not digits.isdigit():
        return text
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"

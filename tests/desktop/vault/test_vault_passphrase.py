"""Which passphrases are accepted, and the strength meter."""

from __future__ import annotations

import pytest

from navigator_desktop.vault.passphrase import (
    ONE_CHARACTER,
    ONLY_DIGITS,
    REPEATED_PATTERN,
    SEQUENCE,
    TOO_COMMON,
    TOO_SHORT,
    _common,
    strength,
    weaknesses,
)


@pytest.mark.parametrize(
    "good",
    [
        "kettle orbit marble seven",
        "Tr0ub4dor&3-extended!",
        "my dog eats toast on tuesdays",
        "cafe crème brûlée niño",
    ],
)
def test_a_good_passphrase_has_no_weaknesses(good: str) -> None:
    assert weaknesses(good) == []
    assert strength(good) >= 2


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("", TOO_SHORT),
        ("eleven char", TOO_SHORT),
        ("password", TOO_COMMON),
        ("PASSWORD", TOO_COMMON),
        ("Password123!", TOO_COMMON),
        ("P@ssw0rd", TOO_COMMON),
        ("iloveyou2024!!", TOO_COMMON),
        ("Correct Horse Battery Staple", TOO_COMMON),
        ("correcthorsebatterystaple", TOO_COMMON),
        ("Liverpool 1892!!", TOO_COMMON),
        ("qwertyuiopasdfghjkl", TOO_COMMON),
        ("passwordpasswordpassword", TOO_COMMON),
        ("zzzzzzzzzzzzzzzz", ONE_CHARACTER),
        ("            ", ONE_CHARACTER),
        ("abababababab", REPEATED_PATTERN),
        ("3141592653589793", ONLY_DIGITS),
        ("abcdefghijklmn", SEQUENCE),
        ("9876543210987", SEQUENCE),
        ("QWERTYUIOPASDF", SEQUENCE),
    ],
)
def test_each_weakness_is_reported_in_plain_words(weak: str, reason: str) -> None:
    assert reason in weaknesses(weak)
    assert strength(weak) <= 1


def test_a_short_common_password_gets_every_reason_that_applies() -> None:
    assert weaknesses("123456") == [TOO_SHORT, ONLY_DIGITS, TOO_COMMON, SEQUENCE]


def test_the_common_list_ships_with_the_package() -> None:
    exact, letters = _common()
    assert len(exact) >= 200
    assert "password" in exact
    assert "correcthorsebatterystaple" in letters


def test_strength_rises_with_length_and_variety() -> None:
    assert strength("") == 0
    assert strength("short") == 0
    assert strength("password1234") == 1
    assert strength("violet kettle") == 2
    assert strength("violet kettle orbit") == 3
    assert strength("violet kettle orbit marble seven") == 4
    for text in ["", "a", "violet kettle orbit marble seven", "x" * 500]:
        assert 0 <= strength(text) <= 4

"""Which passphrases are accepted (zxcvbn's estimate, at least 12 characters), what a refusal
says, and the strength meter."""

from __future__ import annotations

import re

import pytest

from navigator_desktop.vault import errors
from navigator_desktop.vault.passphrase import (
    ABOUT_NAVIGATOR,
    ADD_WORDS,
    COMMON_WORDS,
    KEYBOARD,
    MIN_GUESSES_LOG10,
    ONE_CHARACTER,
    ONLY_DIGITS,
    REPEATED_PATTERN,
    SCORED_LENGTH,
    SEQUENCE,
    TOO_COMMON,
    TOO_SHORT,
    _estimate,
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
    assert _estimate(good)["guesses_log10"] >= MIN_GUESSES_LOG10
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
        ("Liverpool 1892!!", TOO_COMMON),
        ("qwertyuiopasdfghjkl", TOO_COMMON),
        ("violet kettle", COMMON_WORDS),
        ("navigator vault", ABOUT_NAVIGATOR),
        ("passwordpasswordpassword", REPEATED_PATTERN),
        ("zzzzzzzzzzzzzzzz", ONE_CHARACTER),
        ("            ", ONE_CHARACTER),
        ("abababababab", REPEATED_PATTERN),
        ("3141592653589793", ONLY_DIGITS),
        ("abcdefghijklmnop", SEQUENCE),
        ("9876543210987", SEQUENCE),
        ("asdfghjkl;'zxcv", KEYBOARD),
    ],
)
def test_each_weakness_is_reported_in_plain_words(weak: str, reason: str) -> None:
    found = weaknesses(weak)
    assert reason in found
    assert strength(weak) <= 1
    if found != [TOO_SHORT]:
        assert found[-1] == ADD_WORDS  # what to do about it comes last


def test_the_bar_is_zxcvbn_s_estimate_not_a_word_list() -> None:
    """Two common words pass a length rule but not the estimate; a third unrelated word does."""
    assert (
        _estimate("violet kettle")["guesses_log10"]
        < MIN_GUESSES_LOG10
        <= _estimate("violet kettle orbit")["guesses_log10"]
    )
    assert weaknesses("violet kettle") and not weaknesses("violet kettle orbit")


def test_a_very_long_passphrase_is_scored_on_its_beginning() -> None:
    long = "kettle orbit marble seven " * 10
    assert len(long) > SCORED_LENGTH
    assert weaknesses(long) == [] and strength(long) == 4


def test_no_advice_offers_an_example_passphrase() -> None:
    """A passphrase shown to everyone is the first an attacker tries: no quoted phrase of words."""
    said = " ".join(weaknesses("violet kettle") + weaknesses("short") + weaknesses("123456"))
    said += str(errors.WeakPassphrase(weaknesses("violet kettle")))
    assert not re.search(r"['\"][a-z]+( [a-z]+)+['\"]", said)
    assert "for example" not in said


def test_strength_rises_with_length_and_variety() -> None:
    assert strength("") == 0
    assert strength("short") == 0
    assert strength("password1234") == 0
    assert strength("violet kettle") == 1
    assert strength("violet kettle orbit") == 3
    assert strength("violet kettle orbit marble seven") == 4
    for text in ["", "a", "violet kettle orbit marble seven", "x" * 500]:
        assert 0 <= strength(text) <= 4

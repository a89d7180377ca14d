"""Is a new passphrase good enough, and how strong does it look (for the meter under the field)?

The rules are few and explained in plain words. Length matters most: several unrelated words are
both long and memorable. Passphrases are compared after Unicode NFC normalisation, the same form
that is fed to the key derivation, so an accented letter typed two ways is the same passphrase.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import unicodedata

MIN_LENGTH = 12
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)

TOO_SHORT = (
    f"It is shorter than {MIN_LENGTH} characters. A few unrelated words make a passphrase that is "
    "long and still easy to remember."
)
TOO_COMMON = "It is one of the passwords or phrases people use most often, so it would be guessed first."
ONE_CHARACTER = "It is one character repeated."
REPEATED_PATTERN = "It is a few characters repeated over and over."
ONLY_DIGITS = "It is only digits."
SEQUENCE = "It is a run of letters, digits or keys in order, such as 'abcdef', '123456' or 'qwerty'."


def normalise(passphrase: str) -> str:
    return unicodedata.normalize("NFC", passphrase)


def _letters(text: str) -> str:
    """Lower-case letters only: 'Password123!' and 'pass word' both become comparable to a list entry."""
    return "".join(ch for ch in text.casefold() if ch.isalpha())


@functools.cache
def _common() -> tuple[frozenset[str], frozenset[str]]:
    text = importlib.resources.files(__package__).joinpath("common_passphrases.txt").read_text("utf-8")
    entries = [line.strip().casefold() for line in text.splitlines()]
    entries = [e for e in entries if e and not e.startswith("#")]
    return frozenset(entries), frozenset(filter(None, map(_letters, entries)))


def _is_common(passphrase: str) -> bool:
    exact, letters = _common()
    folded = passphrase.casefold()
    return folded in exact or folded.replace(" ", "") in exact or _letters(passphrase) in letters


def _is_sequence(passphrase: str) -> bool:
    text = passphrase.casefold()
    if len(text) < 3:
        return False
    for seq in _SEQUENCES:
        for candidate in (seq, seq[::-1]):
            doubled = candidate + candidate  # lets a run wrap round, e.g. "89012345"
            if text in doubled:
                return True
    return False


def _repeated_unit(passphrase: str) -> str | None:
    """The shortest unit the passphrase is a repetition of ('ab' for 'abababab'), if any."""
    n = len(passphrase)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and passphrase[:size] * (n // size) == passphrase:
            return passphrase[:size]
    return None


def weaknesses(passphrase: str) -> list[str]:
    """Why this passphrase is not acceptable, in plain words; empty when it is acceptable."""
    text = normalise(passphrase)
    reasons: list[str] = []
    if len(text) < MIN_LENGTH:
        reasons.append(TOO_SHORT)
    if not text:
        return reasons
    unit = _repeated_unit(text)
    if len(set(text)) == 1:
        reasons.append(ONE_CHARACTER)
    elif unit is not None and len(unit) <= 4:
        reasons.append(REPEATED_PATTERN)
    if text.isdigit():
        reasons.append(ONLY_DIGITS)
    if _is_common(text) or (unit is not None and _is_common(unit)):
        reasons.append(TOO_COMMON)
    if _is_sequence(text) and ONE_CHARACTER not in reasons:
        reasons.append(SEQUENCE)
    return reasons


def strength(passphrase: str) -> int:
    """0 (very weak) to 4 (very strong), for feedback while typing. Not a security decision:
    ``weaknesses`` decides what is accepted, and any passphrase it accepts scores at least 2."""
    text = normalise(passphrase)
    if weaknesses(text):
        return 0 if len(text) < 8 else 1
    pool = 0
    pool += 26 if any(ch.islower() for ch in text) else 0
    pool += 26 if any(ch.isupper() for ch in text) else 0
    pool += 10 if any(ch.isdigit() for ch in text) else 0
    # Spaces only separate words: they do not add to the pool.
    pool += 33 if any(not ch.isalnum() and not ch.isspace() for ch in text) else 0
    # Counting each distinct character at most three times discounts padding like "aaaa...".
    effective = min(len(text), 3 * len(set(text)))
    bits = effective * math.log2(max(pool, 2))
    if bits < 64:
        return 2
    if bits < 100:
        return 3
    return 4

"""Is a new passphrase good enough, and how strong does it look (for the meter under the field)?

Strength is estimated with zxcvbn: it recognises common passwords, words and names in several
languages, keyboard patterns, sequences, repeats and dates, and estimates how many guesses an
attacker would need. A passphrase must be at least 12 characters and need at least 10^10 guesses
(zxcvbn's top score): the key file can be attacked offline, at the slow key derivation's pace.
Reasons are said in plain words and offer no example passphrase to copy. Passphrases are compared
after Unicode NFC normalisation, the same form that is fed to the key derivation, so an accented
letter typed two ways is the same passphrase.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_GUESSES_LOG10 = 10.0  # zxcvbn's score 4
SCORED_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters are scored
# Words about this app an attacker would try first.
CONTEXT_WORDS = ("navigator", "nhs", "vault", "passphrase", "caseload", "recovery")

TOO_SHORT = (
    f"It is shorter than {MIN_LENGTH} characters. A few unrelated words make a passphrase that is "
    "long and still easy to remember."
)
TOO_COMMON = "It is, or is close to, one of the passwords people use most often: it would be tried first."
COMMON_WORDS = "It is too few common words or names: a program trying words and names would find it."
ABOUT_NAVIGATOR = "It uses a word about Navigator itself, which is among the first things tried."
ONE_CHARACTER = "It is one character repeated."
REPEATED_PATTERN = "It is a few characters repeated over and over."
ONLY_DIGITS = "It is only digits."
SEQUENCE = "It is a run of letters or digits in order, forwards or backwards."
KEYBOARD = "It follows keys that sit next to each other on the keyboard."
DATE = "It contains a date or a year, which is among the first things tried."
GUESSABLE = "It would be guessed too quickly."
ADD_WORDS = "Add another word or two that do not belong together; unusual words are better."


def normalise(passphrase: str) -> str:
    return unicodedata.normalize("NFC", passphrase)


@functools.lru_cache(maxsize=64)
def _estimate(text: str) -> dict[str, Any]:
    """zxcvbn's estimate (cached: the meter asks on every key press, the check again on submit)."""
    result: dict[str, Any] = zxcvbn(text[:SCORED_LENGTH], user_inputs=list(CONTEXT_WORDS))
    return result


def _reason(match: dict[str, Any]) -> str | None:
    """What a weak part of the passphrase is, in plain words (None: nothing to say about it)."""
    pattern = match.get("pattern")
    if pattern == "dictionary":
        if match.get("dictionary_name") == "user_inputs":
            return ABOUT_NAVIGATOR
        return TOO_COMMON if match.get("dictionary_name") == "passwords" else COMMON_WORDS
    if pattern == "repeat":
        return ONE_CHARACTER if len(set(match.get("base_token", "") or "x")) == 1 else REPEATED_PATTERN
    return {"sequence": SEQUENCE, "spatial": KEYBOARD, "date": DATE, "regex": DATE}.get(str(pattern))


def weaknesses(passphrase: str) -> list[str]:
    """Why this passphrase is not acceptable, in plain words; empty when it is acceptable."""
    text = normalise(passphrase)
    reasons: list[str] = []
    if len(text) < MIN_LENGTH:
        reasons.append(TOO_SHORT)
    if not text:
        return reasons
    if text.isdigit():
        reasons.append(ONLY_DIGITS)
    estimate = _estimate(text)
    if estimate["guesses_log10"] < MIN_GUESSES_LOG10:
        found = [_reason(match) for match in estimate["sequence"]]
        reasons += [r for r in dict.fromkeys(found) if r is not None and r not in reasons] or [GUESSABLE]
    if reasons and reasons != [TOO_SHORT]:  # (too short says what to do itself)
        reasons.append(ADD_WORDS)
    return reasons


def strength(passphrase: str) -> int:
    """0 (very weak) to 4 (very strong), for feedback while typing. Not a security decision:
    ``weaknesses`` decides what is accepted, and any passphrase it accepts scores at least 2."""
    text = normalise(passphrase)
    if not text:
        return 0
    guesses = float(_estimate(text)["guesses_log10"])
    if weaknesses(text):
        return 0 if guesses < 6 or len(text) < 8 else 1
    if guesses < 14:
        return 2
    return 3 if guesses < 18 else 4

"""Key derivation settings, wrapping, and recovery key formatting."""

from __future__ import annotations

import re

import pytest

from navigator_desktop.vault import keys
from navigator_desktop.vault.keys import KdfParams, KdfParamsError


def test_default_settings_meet_the_minimum() -> None:
    d = KdfParams.DEFAULT
    assert d.memory_kib >= 64 * 1024
    assert d.iterations >= 3
    assert not d.testing


@pytest.mark.parametrize(
    "settings",
    [
        {"memory_kib": 32 * 1024, "iterations": 3, "lanes": 1},
        {"memory_kib": 64 * 1024, "iterations": 2, "lanes": 1},
        {"memory_kib": 4 * 1024 * 1024, "iterations": 3, "lanes": 1},
        {"memory_kib": 64 * 1024, "iterations": 100, "lanes": 1},
        {"memory_kib": 64 * 1024, "iterations": 3, "lanes": 0},
        {"memory_kib": 64 * 1024, "iterations": 3, "lanes": 64},
        {"memory_kib": 64 * 1024.0, "iterations": 3, "lanes": 1},
        {"memory_kib": 64 * 1024, "iterations": True, "lanes": 1},
    ],
)
def test_settings_outside_the_bounds_are_refused(settings: dict[str, object]) -> None:
    with pytest.raises(KdfParamsError):
        KdfParams(**settings)  # type: ignore[arg-type]


def test_only_test_settings_may_go_below_the_floor_but_never_above_the_ceiling() -> None:
    assert KdfParams.for_tests().memory_kib < KdfParams.MIN_MEMORY_KIB
    with pytest.raises(KdfParamsError):
        KdfParams(memory_kib=8, iterations=1, lanes=1)
    with pytest.raises(KdfParamsError):
        KdfParams(memory_kib=8 * 1024 * 1024, iterations=1, lanes=1, testing=True)


def test_settings_from_a_header_are_real_settings_unless_the_caller_allows_tests() -> None:
    recorded = KdfParams.for_tests().to_json()
    with pytest.raises(KdfParamsError):
        KdfParams.from_json(recorded)
    assert KdfParams.from_json(recorded, allow_testing=True) == KdfParams.for_tests()
    assert KdfParams.from_json(KdfParams.DEFAULT.to_json()) == KdfParams.DEFAULT


def test_wrapping_round_trips_and_binds_the_associated_data() -> None:
    data_key, kek, salt = keys.new_data_key(), keys.new_data_key(), keys.new_salt()
    wrapped = keys.wrap(data_key, kek, salt, b"vault-a")
    assert keys.unwrap(wrapped, kek, b"vault-a") == data_key
    assert keys.unwrap(wrapped, kek, b"vault-b") is None
    assert keys.unwrap(wrapped, keys.new_data_key(), b"vault-a") is None


def test_derivation_depends_on_passphrase_salt_and_settings() -> None:
    salt, other_salt = keys.new_salt(), keys.new_salt()
    t = KdfParams.for_tests()
    base = keys.derive_from_passphrase("kettle orbit marble seven", salt, t)
    assert base == keys.derive_from_passphrase("kettle orbit marble seven", salt, t)
    assert base != keys.derive_from_passphrase("kettle orbit marble seveN", salt, t)
    assert base != keys.derive_from_passphrase("kettle orbit marble seven", other_salt, t)
    assert base != keys.derive_from_passphrase(
        "kettle orbit marble seven", salt, KdfParams(memory_kib=16, iterations=1, lanes=1, testing=True)
    )


def test_recovery_key_is_shown_in_eight_groups_of_four() -> None:
    raw = keys.new_recovery_key()
    assert len(raw) >= 20
    shown = keys.format_recovery_key(raw)
    assert len(shown) == 39
    assert all(re.fullmatch("[A-Z2-7]{4}", group) for group in shown.split("-"))


@pytest.mark.parametrize(
    "typed",
    [
        lambda s: s,
        lambda s: s.lower(),
        lambda s: s.replace("-", ""),
        lambda s: s.replace("-", " "),
        lambda s: " " + s.replace("-", " - ").lower() + "\t",
    ],
)
def test_recovery_key_parsing_forgives_case_spaces_and_dashes(typed: object) -> None:
    raw = keys.new_recovery_key()
    assert keys.parse_recovery_key(typed(keys.format_recovery_key(raw))) == raw  # type: ignore[operator]


def test_recovery_key_parsing_accepts_digits_typed_for_lookalike_letters() -> None:
    raw = keys.parse_recovery_key("OIBA" * 8)
    assert raw is not None
    assert keys.parse_recovery_key("01BA" * 8) == raw
    assert keys.parse_recovery_key("OI8A" * 8) == raw


@pytest.mark.parametrize(
    "typed", ["", "ABCD", "A" * 31, "A" * 33, "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-456!", "é" * 32]
)
def test_text_that_cannot_be_a_recovery_key_is_refused(typed: str) -> None:
    assert keys.parse_recovery_key(typed) is None

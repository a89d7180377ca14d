"""The header file: round trip and atomic replacement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from navigator_desktop.vault import errors, keys
from navigator_desktop.vault import header as header_file
from navigator_desktop.vault.header import Header
from navigator_desktop.vault.keys import KdfParams


def make_header(recovery: bool = False) -> Header:
    wrapped = keys.wrap(keys.new_data_key(), keys.new_data_key(), keys.new_salt(), b"ad")
    return Header(header_file.new_vault_id(), KdfParams.DEFAULT, wrapped, wrapped if recovery else None)


@pytest.mark.parametrize("recovery", [False, True])
def test_header_round_trips(tmp_path: Path, recovery: bool) -> None:
    path = tmp_path / "navigator.vault"
    hdr = make_header(recovery)
    header_file.write(path, hdr)
    assert header_file.read(path) == hdr


def test_header_is_private_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "navigator.vault"
    header_file.write(path, make_header())
    assert path.stat().st_mode & 0o077 == 0


def test_writing_replaces_the_file_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "navigator.vault"
    header_file.write(path, make_header())
    second = make_header(recovery=True)
    header_file.write(path, second)
    assert header_file.read(path) == second
    assert [p.name for p in tmp_path.iterdir()] == ["navigator.vault"]


def test_a_failed_write_leaves_the_old_header_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "navigator.vault"
    first = make_header()
    header_file.write(path, first)
    before = path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(errors.CannotWrite):
        header_file.write(path, make_header(recovery=True))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["navigator.vault"]


def test_a_folder_in_place_of_the_header_is_damage(tmp_path: Path) -> None:
    (tmp_path / "navigator.vault").mkdir()
    with pytest.raises(errors.HeaderDamaged):
        header_file.read(tmp_path / "navigator.vault")


def test_header_holds_no_key_in_the_clear(tmp_path: Path) -> None:
    data_key, kek, salt = keys.new_data_key(), keys.new_data_key(), keys.new_salt()
    wrapped = keys.wrap(data_key, kek, salt, b"ad")
    path = tmp_path / "navigator.vault"
    header_file.write(path, Header(header_file.new_vault_id(), KdfParams.DEFAULT, wrapped))
    text = path.read_bytes()
    for secret in (data_key, kek):
        assert secret.hex().encode() not in text
        assert secret not in text

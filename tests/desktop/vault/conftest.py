"""Fixtures for the vault tests: a fresh data folder, fast key derivation, a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from navigator_desktop.vault import KdfParams, Vault
from tests.desktop.vault.vault_helpers import PASSPHRASE, SCHEMA, FakeClock


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_vault(data_dir: Path, clock: FakeClock) -> Callable[..., Vault]:
    """A new Vault object on the data folder, as a restarted app would make one."""

    def make(**options: Any) -> Vault:
        settings: dict[str, Any] = {"kdf": KdfParams.for_tests(), "clock": clock, "migrations": SCHEMA}
        settings.update(options)
        return Vault(data_dir, **settings)

    return make


@pytest.fixture
def created(data_dir: Path, clock: FakeClock) -> Vault:
    """A freshly created vault (test key-derivation settings, the test schema)."""
    vault, _ = Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), clock=clock, migrations=SCHEMA)
    return vault

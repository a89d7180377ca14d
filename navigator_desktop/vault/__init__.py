"""The encrypted local database: creating it, unlocking it, changing its keys, opening it."""

from navigator_desktop.vault.connection import close
from navigator_desktop.vault.errors import VaultError
from navigator_desktop.vault.keys import KdfParams
from navigator_desktop.vault.vault import Vault, check_integrity

__all__ = ["KdfParams", "Vault", "VaultError", "check_integrity", "close"]

"""Forgotten passphrase: the recovery key, then a new passphrase twice. The vault checks the key,
sets the new passphrase (rewriting only the key file) and opens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QWidget

from navigator_desktop.ui.dialogs.passphrase_form import NewPassphraseDialog


class RecoveryUnlockDialog(NewPassphraseDialog):
    def __init__(
        self,
        weaknesses: Callable[[str], list[str]],
        strength: Callable[[str], int],
        parent: QWidget | None = None,
    ):
        super().__init__(
            title="Use your recovery key",
            intro=(
                "Type the recovery key you were shown when Navigator was set up (eight groups of four "
                "letters and digits; capitals, spaces and dashes do not matter). Then choose a new "
                "passphrase: several ordinary words you will remember, at least 12 characters. "
                "Your recovery key keeps working afterwards."
            ),
            proof_label="&Recovery key",
            proof_name="Recovery key",
            proof_secret=False,
            action="&Set passphrase and unlock",
            weaknesses=weaknesses,
            strength=strength,
            parent=parent,
        )
        self.proof.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.proof.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")

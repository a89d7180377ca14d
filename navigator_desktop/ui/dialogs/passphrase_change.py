"""Change passphrase (Navigator menu): the current one, then the new one twice. Only the small
key file is rewritten; the records are not touched."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from navigator_desktop.ui.dialogs.passphrase_form import NewPassphraseDialog


class PassphraseChangeDialog(NewPassphraseDialog):
    def __init__(
        self,
        weaknesses: Callable[[str], list[str]],
        strength: Callable[[str], int],
        parent: QWidget | None = None,
    ):
        super().__init__(
            title="Change passphrase",
            intro=(
                "Type your current passphrase, then choose a new one: several ordinary words you will "
                "remember, at least 12 characters. Your records stay as they are."
            ),
            proof_label="&Current passphrase",
            proof_name="Current passphrase",
            proof_secret=True,
            action="&Change passphrase",
            weaknesses=weaknesses,
            strength=strength,
            parent=parent,
        )

"""Change passphrase (Navigator menu): the current one, then the new one twice. Only the small
key file is rewritten; the records are not touched."""

from __future__ import annotations

from navigator_desktop.ui.dialogs.passphrase_form import NewPassphraseDialog, Proof


class PassphraseChangeDialog(NewPassphraseDialog):
    proof_asked = Proof(
        title="Change passphrase",
        intro=(
            "Type your current passphrase, then choose a new one: several ordinary words you will "
            "remember, at least 12 characters. Your records stay as they are."
        ),
        label="&Current passphrase",
        name="Current passphrase",
        secret=True,
        action="&Change passphrase",
    )

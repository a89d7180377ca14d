"""Forgotten passphrase: the recovery key, then a new passphrase twice. The vault checks the key,
sets the new passphrase (rewriting only the key file) and opens."""

from __future__ import annotations

from navigator_desktop.ui.dialogs.passphrase_form import NewPassphraseDialog, Proof


class RecoveryUnlockDialog(NewPassphraseDialog):
    proof_asked = Proof(
        title="Use your recovery key",
        intro=(
            "Type the recovery key you were shown when Navigator was set up (eight groups of four "
            "letters and digits; capitals, spaces and dashes do not matter). Then choose a new "
            "passphrase: several ordinary words you will remember, at least 12 characters. "
            "Your recovery key keeps working afterwards."
        ),
        label="&Recovery key",
        name="Recovery key",
        secret=False,
        action="&Set passphrase and unlock",
        placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX",
    )

"""The first-run screen, the change-passphrase dialog and `navigator-desktop init` judge a new
passphrase with the same zxcvbn check, say the same reasons, and show no example passphrase."""

from __future__ import annotations

import pytest

from navigator_desktop.ui.dialogs.passphrase_change import PassphraseChangeDialog
from navigator_desktop.ui.views.create_vault import CreateVaultView
from navigator_desktop.vault import passphrase
from tests.desktop.test_cli_passphrase import _test_kdf, run  # noqa: F401 - the fixture

TWO_WORDS = "violet kettle"  # long enough, but two common words: under zxcvbn's bar
THREE_WORDS = "violet kettle orbit"


def test_the_create_screen_says_zxcvbn_s_reasons_and_the_meter_follows(qtbot) -> None:
    view = CreateVaultView(passphrase)
    qtbot.addWidget(view)
    qtbot.keyClicks(view.first, TWO_WORDS)
    assert view.meter.format() == "Weak"
    qtbot.keyClicks(view.second, TWO_WORDS)
    with qtbot.assertNotEmitted(view.create_requested):
        view.button.click()
    said = view.message.text()
    assert passphrase.COMMON_WORDS in said and said.endswith(passphrase.ADD_WORDS)
    view.first.clear()
    qtbot.keyClicks(view.first, THREE_WORDS)
    assert view.meter.format() == "Good"


def test_the_advice_on_screen_shows_no_example_passphrase(qtbot) -> None:
    view = CreateVaultView(passphrase)
    dialog = PassphraseChangeDialog(passphrase)
    qtbot.addWidget(view)
    qtbot.addWidget(dialog)
    for widget in (view, dialog):
        text = " ".join(label.text() for label in widget.findChildren(type(view.message)))
        assert "for example" not in text and "e.g." not in text
        assert "'" not in text.replace("can't", "").replace("don't", "")


def test_the_change_dialog_and_the_command_line_say_the_same(qtbot, tmp_path) -> None:
    dialog = PassphraseChangeDialog(passphrase)
    qtbot.addWidget(dialog)
    for widget, text in ((dialog.proof, "anything"), (dialog.first, TWO_WORDS), (dialog.second, TWO_WORDS)):
        qtbot.keyClicks(widget, text)
    dialog.ok.click()
    on_screen = dialog.message.text()
    code, _out, err = run("init", tmp_path / "v", TWO_WORDS, TWO_WORDS)
    assert code == 1
    reasons = passphrase.weaknesses(TWO_WORDS)
    assert reasons
    for reason in reasons:
        assert reason in on_screen and reason in err


@pytest.mark.parametrize("typed", ["", "a", TWO_WORDS])
def test_the_meter_never_calls_a_refused_passphrase_good(qtbot, typed: str) -> None:
    view = CreateVaultView(passphrase)
    qtbot.addWidget(view)
    qtbot.keyClicks(view.first, typed)
    assert view.meter.value() <= 1

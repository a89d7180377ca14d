"""deploy/navigator-server.env names every setting, and a commented-out line shows its true default."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from navigator_server.settings import Settings

ENV_FILE = Path(__file__).resolve().parents[2] / "deploy" / "navigator-server.env"


def _lines() -> list[tuple[bool, str, str]]:
    found = []
    for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"(#?)NAVIGATOR_([A-Z0-9_]+)=(.*)", line.strip())
        if match:
            found.append((match[1] == "#", match[2].lower(), match[3]))
    return found


def _plain(value: Any) -> Any:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def test_every_setting_is_listed() -> None:
    listed = {name for _c, name, _v in _lines()}
    assert set(Settings.model_fields) - listed == set(), "settings missing from the env file"
    assert listed - set(Settings.model_fields) == set(), "the env file names settings that do not exist"


def test_a_commented_out_setting_shows_its_true_default() -> None:
    for commented, name, shown in _lines():
        default = _plain(Settings.model_fields[name].default)
        if not commented and shown != "":
            continue  # a value this deployment chooses (the database, the public address)
        if default is None or default == "":
            assert shown == "", (name, shown)
            continue
        parsed = _plain(getattr(Settings.model_validate({name: shown}), name))
        assert parsed == default, f"NAVIGATOR_{name.upper()}={shown} but the default is {default!r}"

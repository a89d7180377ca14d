import subprocess
import sys

import pytest

from navigator_core import __version__
from navigator_desktop.__main__ import main
from navigator_desktop.display import NO_DISPLAY, display_problem


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out.strip() == f"navigator-desktop {__version__}"


def test_help_describes_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--data-dir" in out and "--demo" in out


def test_without_a_display_it_says_so_and_exits_non_zero(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "navigator_desktop", "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "needs a screen" in done.stderr
    assert "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir()), "nothing is created when the app cannot start"


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, True),
        ({"DISPLAY": ":99999"}, True),  # names a display whose socket does not exist
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"DISPLAY": "remote.example:0"}, False),  # a remote display cannot be checked here; Qt will try
    ],
)
def test_display_detection(env, problem):
    assert (display_problem(env, platform="linux") == NO_DISPLAY) is problem


def test_other_platforms_always_have_a_display():
    assert display_problem({}, platform="win32") is None


def test_self_test_starts_to_the_first_run_screen_and_quits_cleanly(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "navigator_desktop", "--self-test", "--data-dir", str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "create window shown" in done.stdout


def test_the_app_icon_is_found_in_the_source_tree(qtbot):
    from navigator_desktop import branding

    assert branding.icon_file() is not None
    assert not branding.app_icon().isNull()

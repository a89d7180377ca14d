"""The desktop-integration files in resources/: they validate with the freedesktop tools, name one
another consistently, carry the package version, and every icon size is there.

desktop-file-validate (desktop-file-utils) and appstreamcli (appstream) are installed by
scripts/test.sh through scripts/setup.sh; these tests fail, never skip, when they are missing.
"""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from navigator_core import __version__

ROOT = Path(__file__).resolve().parents[2]
RES = ROOT / "resources"
APP_ID = "uk.nhs.navigator"
DESKTOP = RES / f"{APP_ID}.desktop"
METAINFO = RES / f"{APP_ID}.metainfo.xml"
ICONS = RES / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, (
        f"{name} is missing: scripts/test.sh installs it (apt package {package}) via scripts/setup.sh"
    )
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def install_tree(root: Path) -> Path:
    """resources/ laid out the way the bundle's share/ and a system install put them."""
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir(parents=True)
    shutil.copy(DESKTOP, share / "applications")
    shutil.copy(METAINFO, share / "metainfo")
    shutil.copytree(ICONS / "hicolor", share / "icons" / "hicolor")
    return root


def test_desktop_entry_validates() -> None:
    result = run(tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP))
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_validates() -> None:
    result = run(tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_tree_validates(tmp_path: Path) -> None:
    """appstreamcli's whole-tree check: the metainfo's launchable .desktop file and its icon are found."""
    result = run(tool("appstreamcli", "appstream"), "validate-tree", "--no-net", str(install_tree(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr


def test_newest_release_is_the_package_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("./releases/release")
    assert releases, "the metainfo lists no release"
    newest = releases[0].get("version")  # AppStream lists releases newest first
    assert newest == __version__, (
        f"{METAINFO.name} says {newest}, navigator_core.__version__ is {__version__}: "
        "add a <release> for the new version at the top of <releases>"
    )
    assert all(r.get("date") for r in releases)


def test_ids_and_names_agree() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("provides/binary") == "navigator-desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Icon"] == APP_ID
    assert desktop["Exec"].split()[0] == "navigator-desktop"
    assert desktop["Name"] == root.findtext("name")
    spec = (ROOT / "packaging" / "navigator-desktop.spec").read_text("utf-8")
    assert f'APP_ID = "{APP_ID}"' in spec


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", PNG_SIZES)
def test_every_png_size_exists(size: int) -> None:
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert path.is_file(), f"{path} is missing: run resources/icons/render.sh"
    assert png_size(path) == (size, size)


def test_scalable_icon_is_the_source_svg() -> None:
    source = ICONS / f"{APP_ID}.svg"
    installed = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert installed.read_bytes() == source.read_bytes()
    assert ET.parse(source).getroot().get("viewBox") == "0 0 512 512"


def test_windows_icon_holds_every_size() -> None:
    data = (ICONS / "navigator.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an .ico file"
    sizes = set()
    for i in range(count):
        width, height = data[6 + 16 * i], data[7 + 16 * i]
        sizes.add((width or 256, height or 256))  # 0 means 256 in an .ico directory
    assert sizes == {(s, s) for s in ICO_SIZES}


def test_macos_icon_exists() -> None:
    data = (ICONS / "navigator.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)

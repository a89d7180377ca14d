"""Navigator runs on the trust's Windows laptops: no POSIX-only call or strftime directive may reach
them outside a branch that checks the platform first."""

from __future__ import annotations

import ast
import re
import zoneinfo
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from navigator_core import dates

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("navigator_core", "navigator_desktop")

# Modules that exist only on POSIX.
POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "posix", "syslog", "crypt"}
# os.<name> and signal.<name> that Windows lacks.
POSIX_OS = {
    "fork", "forkpty", "getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "setsid", "getpgid",
    "killpg", "chown", "lchown", "fchown", "mkfifo", "uname", "wait3", "wait4", "getloadavg", "sync",
    "WNOHANG", "O_NOFOLLOW", "O_CLOEXEC",
}  # fmt: skip
POSIX_SIGNAL = {
    "SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGPIPE", "SIGSTOP",
    "SIGCONT", "alarm", "pause", "setitimer", "siginterrupt",
}  # fmt: skip
# glibc's dash flag and Windows' hash flag ("no leading zero"): each raises or prints garbage on
# the other platform.
STRFTIME_FLAG = re.compile(r"%[-#_^][A-Za-z]")


def _mentions_platform(test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and (
            (node.attr == "platform" and isinstance(node.value, ast.Name) and node.value.id == "sys")
            or (node.attr == "name" and isinstance(node.value, ast.Name) and node.value.id == "os")
        ):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "hasattr":
            return True
    return False


def _catches_import_error(handlers: list[ast.ExceptHandler]) -> bool:
    types = [h.type for h in handlers if h.type is not None]
    names = {n.id for t in types for n in ast.walk(t) if isinstance(n, ast.Name)}
    return bool(names & {"ImportError", "ModuleNotFoundError", "AttributeError"})


def _leaves(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise)


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.guarded = 0

    def _guarded_block(self, nodes: list[ast.stmt]) -> None:
        self.guarded += 1
        for node in nodes:
            self.visit(node)
        self.guarded -= 1

    def _body(self, body: list[ast.stmt]) -> None:
        # "if os.name != 'posix': return" guards the rest of the block.
        for i, stmt in enumerate(body):
            if isinstance(stmt, ast.If) and _mentions_platform(stmt.test) and _leaves(stmt.body):
                self._guarded_block([stmt, *body[i + 1 :]])
                return
            self.visit(stmt)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._body(node.body)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._body(node.body)

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def visit_If(self, node: ast.If) -> None:
        if _mentions_platform(node.test):
            self._guarded_block([*node.body, *node.orelse])
        else:
            self.generic_visit(node)

    def visit_Try(self, node: ast.Try) -> None:
        if _catches_import_error(node.handlers):
            self._guarded_block(node.body)
            for part in (*node.handlers, *node.orelse, *node.finalbody):
                self.visit(part)
        else:
            self.generic_visit(node)

    def _flag(self, node: ast.AST, what: str) -> None:
        if not self.guarded:
            self.found.append((getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in POSIX_MODULES:
                self._flag(node, f"import {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = (node.module or "").split(".")[0]
        if module in POSIX_MODULES:
            self._flag(node, f"from {node.module} import")
        for alias in node.names:
            banned = POSIX_OS if module == "os" else POSIX_SIGNAL if module == "signal" else set()
            if alias.name in banned:
                self._flag(node, f"from {module} import {alias.name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name):
            if node.value.id == "os" and node.attr in POSIX_OS:
                self._flag(node, f"os.{node.attr}")
            if node.value.id == "signal" and node.attr in POSIX_SIGNAL:
                self._flag(node, f"signal.{node.attr}")
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        is_docstring = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        if not is_docstring:
            self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and STRFTIME_FLAG.search(node.value):
            self._flag(node, f"strftime flag in {node.value!r}")


def posix_only(source: str) -> list[tuple[int, str]]:
    finder = _Finder()
    finder.visit(ast.parse(source))
    return finder.found


def test_the_desktop_and_core_packages_use_nothing_windows_lacks() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, what in posix_only(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    "source",
    [
        'when.strftime("%' + '-d %b")',  # split, so this file itself holds no such call
        'when.strftime("%#d %b")',
        "import fcntl",
        "from os import fork",
        "os.getuid()",
        "os.kill(pid, signal.SIGKILL)",
        "def f():\n    if ready:\n        return\n    os.fork()",
    ],
)
def test_the_check_finds_posix_only_code(source: str) -> None:
    assert posix_only(source) != []


@pytest.mark.parametrize(
    "source",
    [
        'when.strftime("%d %b %Y")',
        "if sys.platform != 'win32':\n    os.kill(pid, signal.SIGKILL)",
        "if os.name == 'posix':\n    import fcntl\nelse:\n    import msvcrt",
        "try:\n    import resource\nexcept ImportError:\n    resource = None",
        "def f():\n    if os.name != 'posix':\n        return\n    os.fsync(os.open('.', os.O_RDONLY))",
        "if hasattr(os, 'getuid'):\n    os.getuid()",
        "sql = \"strftime('%Y-%m-%dT%H:%M:%fZ', x)\"",
    ],
)
def test_the_check_lets_guarded_code_through(source: str) -> None:
    assert posix_only(source) == []


def test_day_has_no_leading_zero_on_any_platform() -> None:
    assert dates.day(date(2026, 12, 5)) == "5 Dec 2026"
    assert dates.day(date(2026, 11, 23)) == "23 Nov 2026"


def test_an_instant_is_shown_in_london_time() -> None:
    summer = datetime(2026, 7, 4, 8, 30, tzinfo=UTC)  # 09:30 BST
    assert dates.day_and_time(summer) == "Sat 4 Jul 2026, 09:30"
    assert dates.clock(summer) == "09:30"
    winter = datetime(2026, 12, 5, 9, 5, tzinfo=UTC)
    assert dates.day_and_time(winter) == "Sat 5 Dec 2026, 09:05"
    # just before midnight UTC in summer is already the next day in London
    assert dates.day(datetime(2026, 7, 4, 23, 30, tzinfo=UTC)) == "5 Jul 2026"


def test_europe_london_comes_from_the_tzdata_package_when_the_system_has_no_zone_database() -> None:
    """Windows has no /usr/share/zoneinfo: zoneinfo then reads the tzdata package, a dependency."""
    try:
        zoneinfo.reset_tzpath(to=[])
        zone = zoneinfo.ZoneInfo.no_cache("Europe/London")
    finally:
        zoneinfo.reset_tzpath()
    assert datetime(2026, 7, 4, 12, tzinfo=zone).utcoffset() is not None
    assert datetime(2026, 7, 4, 12, tzinfo=zone).strftime("%Z") == "BST"

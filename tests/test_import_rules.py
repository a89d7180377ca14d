"""The layering rules, read from the source with `ast` (nothing is imported): a forbidden import or
an import circle fails here, with the modules named.

- No import circle in navigator_desktop or navigator_server (imports inside functions count too: a
  circle hidden in a function is still a circle; those under `if TYPE_CHECKING:` are never run and
  name types only, so they do not).
- navigator_core, navigator_desktop.store and navigator_desktop.sync import no Qt.
- navigator_desktop.sync runs no SQL: no sqlite module, no statement run on a connection or on
  the store's Database; what a sync does to the store's tables is a function of store/.
(tests/desktop/test_ui_imports.py keeps the rules of ui/, app.py, labels.py and documents/, and
the circle finder both use.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.desktop.test_ui_imports import circles

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("navigator_core", "navigator_desktop", "navigator_server")
QT = ("PySide6", "shiboken6")
SQL_MODULES = ("sqlite3", "sqlcipher3", "sqlalchemy")
# Statements run on a DB-API connection or cursor, or through the store's Database.
SQL_CALLS = {"execute", "executemany", "executescript", "query", "one", "scalar", "column"}

# Rules broken only by code that another change is moving, each (rule, module, what it imports),
# with the reason beside it. Empty since the ui/ redesign (issue 16) landed; an entry whose import
# is gone fails the test, so none outlives its cause.
KNOWN_EXCEPTIONS: set[tuple[str, str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, tuple[Path, ast.Module]]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = (path, ast.parse(path.read_text("utf-8"), str(path)))
    return found


SOURCES = sources()


def imports(name: str, tree: ast.Module) -> Iterator[str]:
    """Every module `name` imports, anywhere in it (`from a import b` is a.b when that is a module)."""
    package = name if SOURCES[name][0].name == "__init__.py" else name.rpartition(".")[0]
    type_only = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in SOURCES else base


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The nodes inside `if TYPE_CHECKING:` blocks (the block itself, not an else)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test).split("."):
            found |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    return found


def graph(prefix: str) -> dict[str, set[str]]:
    return {
        name: {target for target in imports(name, tree) if target in SOURCES and target != name}
        for name, (_, tree) in SOURCES.items()
        if name.split(".")[0] == prefix
    }


def known(rule: str) -> set[tuple[str, str]]:
    return {(module, target) for kind, module, target in KNOWN_EXCEPTIONS if kind == rule}


def in_package(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in packages)


def test_no_import_circle_in_the_desktop_client_or_the_server() -> None:
    allowed = known("circle")
    problems = []
    for prefix in ("navigator_desktop", "navigator_server"):
        edges = graph(prefix)
        for module, target in allowed:  # known edges are taken out, then the rest must be clear
            edges.get(module, set()).discard(target)
        problems += circles(edges)
    assert problems == [], f"import circles: {problems}"


def test_core_store_and_sync_import_no_qt() -> None:
    layers = ("navigator_core", "navigator_desktop.store", "navigator_desktop.sync")
    bad = [
        (name, target)
        for name, (_, tree) in SOURCES.items()
        if in_package(name, *layers)
        for target in imports(name, tree)
        if in_package(target, *QT)
    ]
    assert bad == [], f"Qt imported below the screens: {bad}"


def test_sync_runs_no_sql() -> None:
    bad = []
    for name, (path, tree) in SOURCES.items():
        if not in_package(name, "navigator_desktop.sync"):
            continue
        bad += [(name, target) for target in imports(name, tree) if in_package(target, *SQL_MODULES)]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS
            ):
                bad.append((name, f"{path.name}:{node.lineno} .{node.func.attr}("))
    assert bad == [], f"SQL in sync/ (move it behind a function of store/): {bad}"


def test_every_known_exception_still_applies() -> None:
    """An exception whose import is gone is removed from the list, so it cannot hide a new one."""
    stale = [
        (rule, module, target)
        for rule, module, target in KNOWN_EXCEPTIONS
        if module not in SOURCES or target not in set(imports(module, SOURCES[module][1]))
    ]
    assert stale == [], f"remove these from KNOWN_EXCEPTIONS: {stale}"


def test_the_checker_reads_imports_in_functions_and_not_type_only_ones() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import navigator_desktop.app\n"
        "def f():\n    from navigator_desktop.store import db\n    import PySide6.QtCore\n"
    )
    name = "navigator_desktop.sync.apply"
    assert set(imports(name, tree)) == {"typing", "navigator_desktop.store.db", "PySide6.QtCore"}

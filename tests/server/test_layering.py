"""The central store's layering, read from its source with `ast` (issue 16, item 7): only store.py
writes the record tables, and no route compares roles itself (they use deps.require_role)."""

from __future__ import annotations

import ast
from pathlib import Path

from navigator_core.policy import Role

SERVER = Path(__file__).resolve().parents[2] / "navigator_server"
RECORD_TABLES = {"records", "conflicts", "client_facts"}
WRITES = {"insert", "update", "delete"}


def _sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _table_writes(tree: ast.AST) -> list[int]:
    """Lines that build an INSERT, UPDATE or DELETE of a record table: ``records.insert()`` or
    ``sa.insert(records)``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in WRITES:
            continue
        target = node.func.value
        if (isinstance(target, ast.Name) and target.id in RECORD_TABLES) or any(
            isinstance(a, ast.Name) and a.id in RECORD_TABLES for a in node.args
        ):
            found.append(node.lineno)
    return sorted(set(found))


def _role_comparisons(tree: ast.AST) -> list[int]:
    """Lines comparing a role (``x.role``, ``x.role.value``) or a role's name, in any way."""
    names = {r.value for r in Role}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for side in [node.left, *node.comparators]:
            text = ast.unparse(side)
            if (
                text.endswith((".role", ".role.value"))
                or "Role." in text
                or (isinstance(side, ast.Constant) and side.value in names)
            ):
                found.append(node.lineno)
    return sorted(set(found))


def test_only_store_py_writes_the_record_tables() -> None:
    offenders = {
        str(path.relative_to(SERVER)): lines
        for path in _sources(SERVER)
        if path.name != "store.py" or path.parent != SERVER
        if (lines := _table_writes(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_no_route_compares_roles() -> None:
    offenders = {
        path.name: lines
        for path in _sources(SERVER / "api")
        if path.name != "deps.py"
        if (lines := _role_comparisons(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_checks_find_what_they_look_for() -> None:
    """The two readers catch the shapes they were written for (so a green run means something)."""
    writes = "records.insert().values(id=1)\nconn.execute(sa.update(conflicts))\nusers.insert()"
    assert _table_writes(ast.parse(writes)) == [1, 2]
    roles = 'if who.actor.role.value == "admin": pass\nif x.role is Role.MANAGER: pass\nif n == 3: pass'
    assert _role_comparisons(ast.parse(roles)) == [1, 2]

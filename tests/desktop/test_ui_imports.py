"""The desktop client's layering, read from the source with ``ast`` (nothing is imported).

- Views, models, widgets, dialogs and forms import only the core, data types from the store (and
  the sync and vault modules' results and errors), the labels, and each other: never a flow, the
  task runner, the session or the sync engine.
- Nothing imports app.py (it only builds and wires); __main__ starts it.
- documents/ never imports ui/; labels.py has no Qt.
- No import circle runs through ui/, app.py, labels.py, tasks.py or documents/.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "navigator_desktop"
PRESENTATION = ("views", "models", "widgets", "dialogs", "forms")
# Shared by presentation modules: plain words, colours, and one another.
PRESENTATION_OK = (
    "navigator_core",
    f"{PACKAGE}.labels",
    f"{PACKAGE}.ui.text",
    f"{PACKAGE}.ui.theme",
    *(f"{PACKAGE}.ui.{p}" for p in PRESENTATION),
)
# Where data types come from: only names that are types or constants (CapWords, UPPER_CASE) may be
# imported from these, never a module or a function that works on the store or the network.
DATA_TYPES_FROM = (
    f"{PACKAGE}.store",
    f"{PACKAGE}.sync",
    f"{PACKAGE}.vault",
    f"{PACKAGE}.sync_worker",  # SyncStatus, the indicator's data, until it moves into sync/
)
ENGINE = (f"{PACKAGE}.sync.engine", f"{PACKAGE}.sync.transport", f"{PACKAGE}.sync.apply")
EXCEPTIONS = {
    # The form registry joins each form to the store writer that saves it (registry.py says so).
    f"{PACKAGE}.ui.forms.registry": (f"{PACKAGE}.store",),
    # The report tables' columns and figures, Qt-free, shared by the Reports screen and its CSV.
    f"{PACKAGE}.ui.views.reports": (
        f"{PACKAGE}.documents.report_csv",
        f"{PACKAGE}.documents.partnership_csv",
    ),
    f"{PACKAGE}.ui.models.reports": (f"{PACKAGE}.documents.report_csv",),
    # ... and the partnership report's (its tab on the Reports screen).
    f"{PACKAGE}.ui.views.partnership": (f"{PACKAGE}.documents.partnership_csv",),
    f"{PACKAGE}.ui.models.partnership": (f"{PACKAGE}.documents.partnership_csv",),
    # The About box shows the third-party notices that ship with the app (Qt's LGPL among them).
    f"{PACKAGE}.ui.dialogs.about": (f"{PACKAGE}.licences",),
}
CIRCLE_WATCH = (
    f"{PACKAGE}.ui",
    f"{PACKAGE}.app",
    f"{PACKAGE}.labels",
    f"{PACKAGE}.tasks",
    f"{PACKAGE}.documents",
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str, root: Path) -> bool:
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def imports(path: Path, root: Path) -> Iterator[tuple[str, list[str]]]:
    """(module, names) for every import in the file, at any depth (TYPE_CHECKING and lazy ones too).
    ``from pkg import sub`` of a submodule is reported as module ``pkg.sub`` with no names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path, root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's package, up one more for each extra dot
                package = here.split(".") if path.name == "__init__.py" else here.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([base] if base else [])])
            names = []
            for alias in node.names:
                if is_module(f"{base}.{alias.name}", root):
                    yield f"{base}.{alias.name}", []
                else:
                    names.append(alias.name)
            if names:
                yield base, names


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def sources(root: Path, under: str = PACKAGE) -> list[Path]:
    return sorted(root.joinpath(*under.split(".")).rglob("*.py"))


def presentation_faults(root: Path) -> list[str]:
    faults = []
    for part in PRESENTATION:
        for path in sources(root, f"{PACKAGE}.ui.{part}"):
            here = module_name(path, root)
            for module, names in imports(path, root):
                if not module.startswith(("navigator_", PACKAGE)):
                    continue  # the standard library, Qt and other libraries
                if within(module, PRESENTATION_OK) or within(module, EXCEPTIONS.get(here, ())):
                    continue
                types_only = names and all(n[:1].isupper() for n in names)
                if within(module, DATA_TYPES_FROM) and not within(module, ENGINE) and types_only:
                    continue
                faults.append(f"{here} imports {module} {names or ''}".rstrip())
    return faults


def graph(root: Path) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in sources(root):
        here = module_name(path, root)
        edges[here] = {m for m, _ in imports(path, root) if m.startswith(PACKAGE + ".") or m == PACKAGE}
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_views_models_widgets_dialogs_and_forms_import_no_flow_runner_or_engine() -> None:
    assert presentation_faults(ROOT) == []


def test_nothing_imports_app_but_the_entry_point() -> None:
    importers = [m for m, deps in graph(ROOT).items() if f"{PACKAGE}.app" in deps]
    assert importers == [f"{PACKAGE}.__main__"]


def test_documents_never_import_ui_and_labels_have_no_qt() -> None:
    documents = [
        f"{m} imports {d}" for m, d in ((m, d) for m, deps in graph(ROOT).items() for d in deps)
        if within(m, (f"{PACKAGE}.documents",)) and within(d, (f"{PACKAGE}.ui",))
    ]  # fmt: skip
    assert documents == []
    labels = [m for m, _ in imports(ROOT / PACKAGE / "labels.py", ROOT)]
    assert not [m for m in labels if m.startswith(("PySide6", "shiboken6", PACKAGE))]


def test_no_import_circle_runs_through_the_ui_app_labels_tasks_or_documents() -> None:
    assert [c for c in circles(graph(ROOT)) if any(within(m, CIRCLE_WATCH) for m in c)] == []


@pytest.mark.parametrize(
    ("source", "fault"),
    [
        (
            "from navigator_desktop.ui.flows.forms import FormsFlow\n",
            "imports navigator_desktop.ui.flows.forms",
        ),
        ("from navigator_desktop.store import plans\n", "imports navigator_desktop.store.plans"),
        ("from navigator_desktop.store.plans import add_goal\n", "['add_goal']"),
        ("from navigator_desktop.sync.engine import SyncEngine\n", "imports navigator_desktop.sync.engine"),
        ("import navigator_desktop.tasks\n", "imports navigator_desktop.tasks"),
    ],
)
def test_the_rule_catches_a_forbidden_import(tmp_path: Path, source: str, fault: str) -> None:
    for part in ("navigator_desktop/ui/views", "navigator_desktop/ui/flows", "navigator_desktop/store",
                 "navigator_desktop/sync"):  # fmt: skip
        (tmp_path / part).mkdir(parents=True)
        (tmp_path / part / "__init__.py").write_text("")
    for module in ("ui/flows/forms.py", "store/plans.py", "sync/engine.py", "tasks.py"):
        (tmp_path / "navigator_desktop" / module).write_text("")
    (tmp_path / "navigator_desktop/ui/views/today.py").write_text(source)
    (found,) = presentation_faults(tmp_path)
    assert found.startswith("navigator_desktop.ui.views.today imports") and fault in found

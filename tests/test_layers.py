"""The package's layers, read from its source with ``ast``: no import cycle among its
modules, and a domain that imports nothing of the Socket.IO transport.

Every ``import`` and ``from ... import`` counts, at module level and inside functions
alike: an import moved into a function to dodge a cycle still ties the two modules
together. Only imports under ``if TYPE_CHECKING:`` are left out (they never run).
Importing a name from a package counts as importing its ``__init__``; importing a
submodule counts as importing that submodule only.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "facilitation"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# The workshop's domain: tested without a socket, reused by the CLI and the exports.
DOMAIN = (
    f"{PACKAGE}.workshop",
    f"{PACKAGE}.activities",
    f"{PACKAGE}.plans",
    f"{PACKAGE}.errors",
)
# The real-time transport, which the domain must not reach, even through another module.
TRANSPORT = (
    "socketio",
    "flask_socketio",
    "engineio",
    f"{PACKAGE}.live",
    f"{PACKAGE}.extensions",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _under_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST):
    """Every import statement under ``node``, except those under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif _under_type_checking(child):
            yield from (found for other in child.orelse for found in _import_nodes(other))
        else:
            yield from _import_nodes(child)


def _base(module: str, is_package: bool, statement: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` reads from."""
    if not statement.level:
        return statement.module or ""
    parts = module.split(".")
    keep = len(parts) - statement.level + (1 if is_package else 0)
    anchor = parts[:keep]
    return ".".join(anchor + ([statement.module] if statement.module else []))


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """What ``module`` imports: modules of the package by full name, others by top level."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for statement in _import_nodes(tree):
        if isinstance(statement, ast.Import):
            names = [alias.name for alias in statement.names]
        else:
            base = _base(module, path.name == "__init__.py", statement)
            submodules = [f"{base}.{alias.name}" for alias in statement.names]
            names = [name for name in submodules if name in known]
            if len(names) < len(submodules):  # some names are the base module's own
                names.append(base)
        for name in names:
            found.add(name if name in known else name.split(".")[0])
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = package_modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle, as a path, per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, group) for group in groups]


def _cycle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the group's first module, by breadth-first search."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle in {sorted(group)}")


def _within(name: str, prefixes) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def transport_reached(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """The import path from ``start`` to the transport, or None when there is none."""
    came_from = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph.get(node, ())):
                if target in came_from:
                    continue
                came_from[target] = node
                if _within(target, TRANSPORT):
                    path = [target]
                    while came_from[path[-1]] is not None:
                        path.append(came_from[path[-1]])
                    return list(reversed(path))
                if target in graph:
                    following.append(target)
        frontier = following
    return None


def test_the_graph_sees_relative_function_level_and_package_imports():
    graph = import_graph()
    assert f"{PACKAGE}.app" in graph[PACKAGE]  # inside create_app, relative
    assert f"{PACKAGE}.live.events" in graph[f"{PACKAGE}.app"]
    assert "flask_socketio" in graph[f"{PACKAGE}.extensions"]


def test_cycles_are_found_and_named():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]


def test_no_import_cycle_in_the_package():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_the_domain_imports_nothing_of_the_transport():
    graph = import_graph()
    reached = [
        path
        for module in sorted(graph)
        if _within(module, DOMAIN)
        for path in [transport_reached(graph, module)]
        if path is not None
    ]
    assert not reached, "the domain reaches the transport:\n" + "\n".join(
        " -> ".join(path) for path in reached
    )

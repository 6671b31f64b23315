"""The package's modules import each other in one direction only."""

from __future__ import annotations

import ast
from pathlib import Path

import skhyper

PACKAGE = Path(skhyper.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """skhyper modules imported at module level (also under TYPE_CHECKING);
    imports inside functions are deferred and do not count."""
    tree = ast.parse(path.read_text())
    found = set()
    statements = list(tree.body)
    while statements:
        node = statements.pop()
        if isinstance(node, (ast.If, ast.Try)):
            statements += node.body + node.orelse + getattr(node, "finalbody", [])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules}


def test_no_import_cycle():
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: imported_modules(path, set(paths)) for name, path in paths.items()}
    # A package's __init__ re-exports its modules: an edge into a package
    # stands for the package itself, not for its every module.
    cycles = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if target == name:
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_checkpoint_knows_nothing_of_the_loop():
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    for module in ("skhyper.search._checkpoint", "skhyper.search._checkpoint_file"):
        imported = imported_modules(paths[module], set(paths))
        assert "skhyper.search._loop" not in imported
        assert "skhyper.search._replay" not in imported

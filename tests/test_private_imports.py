"""scikit-learn's private names are imported in one module only.

Private modules and names (a leading underscore) change without notice
between scikit-learn releases; keeping them in ``skhyper/utils/_sklearn_compat.py``
keeps every adaptation to a new release in one place.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import skhyper

PACKAGE = Path(skhyper.__file__).parent
COMPAT = PACKAGE / "utils" / "_sklearn_compat.py"


def _private_sklearn_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "sklearn"
        ):
            private_module = any(p.startswith("_") for p in node.module.split("."))
            names = [a.name for a in node.names if a.name.startswith("_")]
            if private_module or names:
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sklearn") and any(
                    p.startswith("_") for p in alias.name.split(".")
                ):
                    found.append(f"line {node.lineno}: import {alias.name}")
    return found


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(PACKAGE.rglob("*.py")) if p != COMPAT],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_private_sklearn_import_outside_the_compat_module(path):
    assert _private_sklearn_imports(path) == []


def test_the_check_finds_the_compat_modules_own():
    assert _private_sklearn_imports(COMPAT)

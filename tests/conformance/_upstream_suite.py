"""Run an upstream project's own tests of the class a skhyper face replaces.

scikit-optimize's ``skopt/tests/test_searchcv.py`` and optuna-integration's
``tests/sklearn/test_sklearn.py`` import ``BayesSearchCV`` or
``OptunaSearchCV`` from their own packages. :func:`load_upstream` runs a copy
of such a module with those imports answered by shim modules put in
``sys.modules`` while it loads (the names the module imports, mapped to the
skhyper face), and :func:`upstream_tests` returns its tests, each under its
own name: the intended failures marked ``xfail(strict=True)`` with the reason,
so that a fix (or a change upstream) shows up, and the tests of upstream
internals the face does not have skipped with the reason.

The upstream files are not part of this repository. Each suite names the
upstream file by repository, commit and path (:class:`UpstreamFile`) and
looks for a copy of it in the directory named by the
``SKHYPER_UPSTREAM_TESTS`` environment variable, else in
``tests/conformance/upstream/`` (ignored by git). Without a copy, or with a
copy of another version (the intended failures were triaged on the one
named), the suite is skipped with a message saying which file it needs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

#: The environment variable naming a directory of upstream test files.
UPSTREAM_DIR_VARIABLE = "SKHYPER_UPSTREAM_TESTS"

#: Where the upstream test files are looked for without that variable.
DEFAULT_UPSTREAM_DIR = Path(__file__).parent / "upstream"


@dataclass(frozen=True)
class UpstreamFile:
    """One upstream test module: where it comes from and its local name."""

    repo: str
    commit: str
    path: str
    license: str
    #: The git blob id of the file at ``commit`` (``git rev-parse
    #: <commit>:<path>``), which a local copy must match.
    blob: str
    #: The copy's file name in the upstream directory (not ``test_*.py``, so
    #: that pytest does not collect it on its own).
    local_name: str

    def describe(self) -> str:
        return (
            f"{self.path} of github.com/{self.repo} at commit {self.commit} "
            f"({self.license})"
        )


def _git_blob_id(content: bytes) -> str:
    return hashlib.sha1(
        b"blob %d\0" % len(content) + content, usedforsecurity=False
    ).hexdigest()


def _skip_module(reason: str) -> NoReturn:
    pytest.skip(reason, allow_module_level=True)
    raise AssertionError("unreachable")  # pytest.skip raises


def upstream_path(upstream: UpstreamFile) -> Path:
    """The local copy of ``upstream``, or a module-level skip saying why not."""
    directory = Path(os.environ.get(UPSTREAM_DIR_VARIABLE) or DEFAULT_UPSTREAM_DIR)
    path = directory / upstream.local_name
    if not path.is_file():
        _skip_module(
            f"needs a copy of {upstream.describe()} as {path} (the directory "
            f"is ${UPSTREAM_DIR_VARIABLE}, else {DEFAULT_UPSTREAM_DIR})"
        )
    blob = _git_blob_id(path.read_bytes())
    if blob != upstream.blob:
        _skip_module(
            f"{path} is not {upstream.describe()}: its git blob id is {blob}, "
            f"not {upstream.blob}; the intended failures were triaged on that "
            "version"
        )
    return path


def shim_module(name: str, **attributes: Any) -> types.ModuleType:
    """A module ``name`` holding ``attributes``, to stand in for an upstream
    package while its tests load."""
    module = types.ModuleType(name, f"skhyper's stand-in for {name} (tests).")
    module.__dict__.update(attributes)
    return module


def load_upstream(
    module_name: str,
    upstream: UpstreamFile,
    shims: Mapping[str, types.ModuleType],
) -> types.ModuleType:
    """A fresh copy of the upstream module, loaded while ``shims`` (module
    name to module) answer its imports. The modules they replace, the real
    packages if installed, are put back afterwards."""
    path = upstream_path(upstream)
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    missing = object()
    replaced = {name: sys.modules.get(name, missing) for name in shims}
    # A package's submodule is also its attribute: ``from a.b import c``
    # works on sys.modules alone, ``import a.b`` then ``a.b.c`` needs both.
    for name, shim in shims.items():
        parent, _, child = name.rpartition(".")
        if parent in shims:
            setattr(shims[parent], child, shim)
    try:
        sys.modules.update(shims)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    finally:
        for name, original in replaced.items():
            if original is missing:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = original  # type: ignore[assignment]
    return module


def upstream_tests(
    module: types.ModuleType,
    intended_failures: Mapping[str, str],
    skipped: Mapping[str, str],
) -> dict[str, Callable[..., Any]]:
    """Every test of the loaded upstream module, by name, marked as listed."""
    tests = {}
    for name in dir(module):
        test = getattr(module, name)
        if not (name.startswith("test_") and callable(test)):
            continue
        if name in skipped:
            test = pytest.mark.skip(reason=skipped[name])(test)
        elif name in intended_failures:
            test = pytest.mark.xfail(reason=intended_failures[name], strict=True)(test)
        tests[name] = test
    unknown = (set(intended_failures) | set(skipped)) - set(tests)
    assert not unknown, f"listed but not in the upstream module: {sorted(unknown)}"
    return tests

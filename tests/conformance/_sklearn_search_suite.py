"""Load scikit-learn's own ``model_selection/tests/test_search.py`` with its
``GridSearchCV`` and ``RandomizedSearchCV`` replaced by skhyper searches.

:func:`search_shim` builds a shim: a subclass of a skhyper search whose
``__init__`` has the signature of the installed scikit-learn class (read from
it, so a keyword a newer scikit-learn adds is passed on), the deliberate
differences given as arguments. :func:`shimmed_tests` loads a fresh copy of
the installed test module that imports the shims given, and returns its
tests, the ones listed as intended failures marked ``xfail(strict=True)``
with the reason, so that a fix (or a change in scikit-learn) shows up.
:func:`load_with_shims` and :func:`tests_of` do the same for any of
scikit-learn's test modules (``_sklearn_halving_suite.py`` loads
``test_successive_halving.py`` with them).
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import sklearn.model_selection

try:
    from sklearn.model_selection.tests import test_search as _installed
except ImportError as exc:  # a scikit-learn without its tests, or too old
    pytest.skip(
        f"scikit-learn's test_search.py cannot be imported: {exc}",
        allow_module_level=True,
    )

#: The reason shared by the tests that compare the exact set of keys.
ITERATION_COLUMN = (
    "compares the exact set of cv_results_ keys with scikit-learn's; skhyper "
    "adds an 'iteration' column (in which ask each candidate was proposed), as "
    "scikit-learn's halving searches add 'iter' and 'n_resources'"
)

#: Tests of ``test_search.py`` that fail on every skhyper search by design.
INTENDED_FAILURES: dict[str, str] = {
    "test_grid_search_cv_results": ITERATION_COLUMN,
    "test_random_search_cv_results": ITERATION_COLUMN,
    "test_custom_run_search": ITERATION_COLUMN
    + "; it also compares every fitted attribute, and skhyper adds "
    "generator_, n_iter_ and stop_reason_",
    "test_grid_search_bad_param_grid": (
        "expects a TypeError for a single value ({'C': 1}, {'C': '1,2,3'}); "
        "skhyper takes a value that is not a sequence as fixed (never searched), "
        "an addition on top of scikit-learn's grids, which refuse it"
    ),
}


def search_shim(
    sklearn_class: type,
    base: type,
    module: str,
    *,
    defaults: Mapping[str, Any] | None = None,
    fixed: Mapping[str, Any] | None = None,
) -> type:
    """A subclass of the skhyper search ``base`` with the constructor
    signature of the installed scikit-learn class ``sklearn_class``, named as
    that class and as the global of ``module`` it is to be assigned to (so
    that pickle finds it there).

    Its ``__init__`` is a real function with that signature (which
    scikit-learn's ``get_params``, ``clone`` and ``repr`` read), so a keyword
    a newer scikit-learn adds is taken and passed on to ``base`` by the same
    name. The deliberate differences are the arguments:

    ``defaults``
        scikit-learn's keywords whose default the shim replaces.
    ``fixed``
        keywords of ``base`` passed as given, not parameters of the shim
        (``progress_bar=False`` unless given).
    """
    defaults = dict(defaults or {})
    fixed = {"progress_bar": False, **(fixed or {})}
    name = sklearn_class.__name__
    assert sklearn_class.__module__.startswith("sklearn."), sklearn_class
    params = [
        param
        for param in inspect.signature(sklearn_class.__init__).parameters.values()
        if param.name != "self"
    ]
    unknown = set(defaults) - {p.name for p in params}
    assert not unknown, f"not keywords of scikit-learn's {name}: {sorted(unknown)}"
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    assert all(p.kind in kinds for p in params), params
    default = {p.name: defaults.get(p.name, p.default) for p in params}

    def forward(self: Any, kwargs: dict[str, Any]) -> None:
        super(shim, self).__init__(**kwargs, **fixed)

    # def __init__(self, estimator, param_grid, *, scoring=_default["scoring"],
    #              ...):
    #     _forward(self, {"estimator": estimator, "param_grid": param_grid, ...})
    declared = ["self"]
    for param in params:
        if param.kind == param.KEYWORD_ONLY and "*" not in declared:
            declared.append("*")
        if default[param.name] is inspect.Parameter.empty:
            declared.append(param.name)
        else:
            declared.append(f"{param.name}=_default[{param.name!r}]")
    passed = ", ".join(f"{p.name!r}: {p.name}" for p in params)
    namespace: dict[str, Any] = {"_forward": forward, "_default": default}
    source = f"def __init__({', '.join(declared)}):\n    _forward(self, {{{passed}}})\n"
    exec(source, namespace)
    init = namespace["__init__"]
    init.__module__ = module
    init.__qualname__ = f"{name}.__init__"

    attributes: dict[str, Any] = {
        "__init__": init,
        "__module__": module,
        "__qualname__": name,
        "__doc__": f"scikit-learn's {name} signature over {base}.",
    }
    shim = type(base)(name, (base,), attributes)
    return shim


def load_with_shims(module_name: str, installed: Any, shims: Mapping[str, type]) -> Any:
    """A fresh copy of the installed scikit-learn test module ``installed``
    that imported ``shims`` (class name to shim) from
    ``sklearn.model_selection`` in place of scikit-learn's classes."""
    spec = importlib.util.spec_from_file_location(module_name, installed.__file__)
    module = importlib.util.module_from_spec(spec)
    originals = {name: getattr(sklearn.model_selection, name) for name in shims}
    for name, shim in shims.items():
        setattr(sklearn.model_selection, name, shim)
    try:
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    finally:
        for name, cls in originals.items():
            setattr(sklearn.model_selection, name, cls)
    return module


def tests_of(module: Any, intended_failures: dict[str, str]) -> dict[str, Any]:
    """Every test of ``module`` by name, those in ``intended_failures``
    marked ``xfail(strict=True)`` with the reason."""
    tests = {}
    for name in dir(module):
        test = getattr(module, name)
        if not (name.startswith("test_") and callable(test)):
            continue
        if name in intended_failures:
            test = pytest.mark.xfail(reason=intended_failures[name], strict=True)(test)
        tests[name] = test
    return tests


def shimmed_tests(
    module_name: str,
    grid: type,
    randomized: type,
    intended_failures: dict[str, str],
) -> dict[str, Callable[..., Any]]:
    """Every test of scikit-learn's ``test_search.py`` run on the shims, by
    name."""
    shimmed = load_with_shims(
        module_name,
        _installed,
        {"GridSearchCV": grid, "RandomizedSearchCV": randomized},
    )
    return tests_of(shimmed, intended_failures)

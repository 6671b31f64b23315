"""Load scikit-learn's own ``model_selection/tests/test_search.py`` with its
``GridSearchCV`` and ``RandomizedSearchCV`` replaced by skhyper searches.

:func:`shimmed_tests` builds shims with scikit-learn's signatures over the
skhyper classes given, loads a fresh copy of the installed test module that
imports them, and returns its tests, the ones listed as intended failures
marked ``xfail(strict=True)`` with the reason, so that a fix (or a change in
scikit-learn) shows up. :func:`load_with_shims` and :func:`tests_of` do the
same for any of scikit-learn's test modules (``_sklearn_halving_suite.py``
loads ``test_successive_halving.py`` with them).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
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


def _as_global_of(cls: type, module: str) -> type:
    """``cls`` named as the global of ``module`` it is assigned to, so that
    pickle finds it there."""
    cls.__module__ = module
    cls.__qualname__ = cls.__name__
    return cls


def grid_search_shim(base: type, module: str, **fixed: Any) -> type:
    """A ``GridSearchCV`` with scikit-learn's signature over ``base``, the
    grid passed as ``param_grid=`` (plus ``fixed`` keywords), to be assigned
    to the global ``GridSearchCV`` of ``module``."""

    class GridSearchCV(base):  # type: ignore[misc, valid-type]
        def __init__(
            self,
            estimator,
            param_grid,
            *,
            scoring=None,
            n_jobs=None,
            refit=True,
            cv=None,
            verbose=0,
            pre_dispatch="2*n_jobs",
            error_score=np.nan,
            return_train_score=False,
        ):
            super().__init__(
                estimator,
                param_grid=param_grid,
                scoring=scoring,
                n_jobs=n_jobs,
                refit=refit,
                cv=cv,
                verbose=verbose,
                pre_dispatch=pre_dispatch,
                error_score=error_score,
                return_train_score=return_train_score,
                progress_bar=False,
                **fixed,
            )

    GridSearchCV.__doc__ = f"scikit-learn's GridSearchCV signature over {base}."
    return _as_global_of(GridSearchCV, module)


def randomized_search_shim(base: type, module: str) -> type:
    """A ``RandomizedSearchCV`` with scikit-learn's signature over ``base``,
    the space passed as ``param_distributions=``, to be assigned to the
    global ``RandomizedSearchCV`` of ``module``."""

    class RandomizedSearchCV(base):  # type: ignore[misc, valid-type]
        def __init__(
            self,
            estimator,
            param_distributions,
            *,
            n_iter=10,
            scoring=None,
            n_jobs=None,
            refit=True,
            cv=None,
            verbose=0,
            pre_dispatch="2*n_jobs",
            random_state=None,
            error_score=np.nan,
            return_train_score=False,
        ):
            super().__init__(
                estimator,
                param_distributions=param_distributions,
                n_iter=n_iter,
                scoring=scoring,
                n_jobs=n_jobs,
                refit=refit,
                cv=cv,
                verbose=verbose,
                pre_dispatch=pre_dispatch,
                random_state=random_state,
                error_score=error_score,
                return_train_score=return_train_score,
                progress_bar=False,
            )

    RandomizedSearchCV.__doc__ = (
        f"scikit-learn's RandomizedSearchCV signature over {base}."
    )
    return _as_global_of(RandomizedSearchCV, module)


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

"""scikit-learn's own ``model_selection/tests/test_search.py``, run on skhyper.

The module is loaded from the installed scikit-learn with ``GridSearchCV`` and
``RandomizedSearchCV`` replaced by thin shims over skhyper's searches
(:class:`GridSearchCV` is ``HyperSearchCV(generator="grid")`` and
:class:`RandomizedSearchCV` is :class:`~skhyper.RandomSearchCV`), taking the
grid by scikit-learn's keywords. Every test of that module then runs here
under its own name. The few that cannot pass by design are listed in
:data:`INTENDED_FAILURES` with the reason. The same module run on
``BayesSearchCV`` is ``test_sklearn_search_suite_bayes.py``.
"""

from __future__ import annotations

import sklearn.model_selection

from skhyper import HyperSearchCV, RandomSearchCV
from tests.conformance._sklearn_search_suite import (
    INTENDED_FAILURES as COMMON_INTENDED_FAILURES,
)
from tests.conformance._sklearn_search_suite import search_shim, shimmed_tests

GridSearchCV = search_shim(
    sklearn.model_selection.GridSearchCV,
    HyperSearchCV,
    __name__,
    fixed={"generator": "grid"},
)
RandomizedSearchCV = search_shim(
    sklearn.model_selection.RandomizedSearchCV, RandomSearchCV, __name__
)

#: Tests of scikit-learn's module that fail on skhyper by design, and why.
INTENDED_FAILURES: dict[str, str] = {
    **COMMON_INTENDED_FAILURES,
}

globals().update(
    shimmed_tests(
        "skhyper_shimmed_sklearn_test_search",
        GridSearchCV,
        RandomizedSearchCV,
        INTENDED_FAILURES,
    )
)

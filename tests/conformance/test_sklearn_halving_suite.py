"""scikit-learn's own ``model_selection/tests/test_successive_halving.py``,
run on ``HalvingBayesSearchCV`` with its default generator (the GP).

A user changes ``HalvingGridSearchCV(est, param_grid, ...)`` or
``HalvingRandomSearchCV(est, param_distributions, ...)`` into
``HalvingBayesSearchCV`` with the same arguments. Here both of scikit-learn's
classes are shims over ``HalvingBayesSearchCV`` with that signature (see
``_sklearn_halving_suite.py``), and every test of scikit-learn's module runs
on them. Those that cannot pass by design are listed, with the reason, in
``_sklearn_halving_suite.INTENDED_FAILURES`` and ``INTENDED_CASE_FAILURES``.
The same module with ``generator="random"`` is
``test_sklearn_halving_suite_random.py``.
"""

from __future__ import annotations

import sklearn.model_selection

from skhyper import HalvingBayesSearchCV
from tests.conformance._sklearn_halving_suite import (
    HALVING_DEFAULTS,
    intended_case_failure,  # noqa: F401 (an autouse fixture)
    shimmed_halving_tests,
)
from tests.conformance._sklearn_search_suite import search_shim

HalvingGridSearchCV = search_shim(
    sklearn.model_selection.HalvingGridSearchCV,
    HalvingBayesSearchCV,
    __name__,
    defaults=HALVING_DEFAULTS,
)
HalvingRandomSearchCV = search_shim(
    sklearn.model_selection.HalvingRandomSearchCV,
    HalvingBayesSearchCV,
    __name__,
    defaults=HALVING_DEFAULTS,
)

globals().update(
    shimmed_halving_tests(
        "skhyper_shimmed_sklearn_test_successive_halving",
        HalvingGridSearchCV,
        HalvingRandomSearchCV,
    )
)

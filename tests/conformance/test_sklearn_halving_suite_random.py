"""scikit-learn's own ``model_selection/tests/test_successive_halving.py``,
run on ``HalvingBayesSearchCV(generator="random")``, the class as a
``HalvingRandomSearchCV``; see ``test_sklearn_halving_suite.py``.
"""

from __future__ import annotations

from skhyper import HalvingBayesSearchCV
from tests.conformance._sklearn_halving_suite import (
    halving_grid_search_shim,
    halving_random_search_shim,
    intended_case_failure,  # noqa: F401 (an autouse fixture)
    shimmed_halving_tests,
)

HalvingGridSearchCV = halving_grid_search_shim(
    HalvingBayesSearchCV, __name__, generator="random"
)
HalvingRandomSearchCV = halving_random_search_shim(
    HalvingBayesSearchCV, __name__, generator="random"
)

globals().update(
    shimmed_halving_tests(
        "skhyper_shimmed_sklearn_test_successive_halving_random",
        HalvingGridSearchCV,
        HalvingRandomSearchCV,
    )
)

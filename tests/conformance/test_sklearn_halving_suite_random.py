"""scikit-learn's own ``model_selection/tests/test_successive_halving.py``,
run on ``HalvingBayesSearchCV(generator="random")``, the class as a
``HalvingRandomSearchCV``; see ``test_sklearn_halving_suite.py``.
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
    fixed={"generator": "random"},
)
HalvingRandomSearchCV = search_shim(
    sklearn.model_selection.HalvingRandomSearchCV,
    HalvingBayesSearchCV,
    __name__,
    defaults=HALVING_DEFAULTS,
    fixed={"generator": "random"},
)

globals().update(
    shimmed_halving_tests(
        "skhyper_shimmed_sklearn_test_successive_halving_random",
        HalvingGridSearchCV,
        HalvingRandomSearchCV,
    )
)

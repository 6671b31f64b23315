"""scikit-optimize's own ``skopt/tests/test_searchcv.py``, run on
:class:`skhyper.skopt.BayesSearchCV`.

The module imports ``from skopt import BayesSearchCV`` and ``from skopt.space
import Categorical, Integer, Real``; while it loads, stand-in ``skopt`` and
``skopt.space`` modules answer those imports with :mod:`skhyper.skopt`'s
classes, so scikit-optimize itself is never imported (nor needed). Every test
of the module then runs here under its own name; those that cannot pass by
design are listed in :data:`INTENDED_FAILURES` with the reason. The upstream
file is not vendored: see :mod:`tests.conformance._upstream_suite` for where
a copy is looked for.
"""

from __future__ import annotations

from skhyper.skopt import BayesSearchCV, Categorical, Integer, Real
from tests.conformance._upstream_suite import (
    UpstreamFile,
    load_upstream,
    shim_module,
    upstream_tests,
)

#: scikit-optimize 0.10.2's test module (the release commit).
UPSTREAM = UpstreamFile(
    repo="holgern/scikit-optimize",
    commit="328525dbdc9069b8e656024a777aba526a36b525",
    path="skopt/tests/test_searchcv.py",
    license="BSD-3-Clause",
    blob="b10c6d63d6ef0d0dc65ac71e93606ee251057569",
    local_name="skopt-test_searchcv.py",
)

#: Tests of scikit-optimize's module that fail on the face by design, and why.
INTENDED_FAILURES: dict[str, str] = {
    "test_raise_errors": (
        "expects BayesSearchCV(...) itself to raise for an empty space ({}), "
        "a string ({'C': '1 ... 100.0'}) and a list that is not of sub-spaces "
        "(['C', (1.0, 1)]); the face validates in fit, not in __init__, as "
        "scikit-learn's estimators do (doc/migration.rst), where {} and the "
        "list raise ValueError and TypeError, and it takes a string as a fixed "
        "value (never searched), as skhyper's searches do"
    ),
}

#: Tests of scikit-optimize internals the face does not have, and why.
SKIPPED: dict[str, str] = {}

_module = load_upstream(
    "skhyper_shimmed_skopt_test_searchcv",
    UPSTREAM,
    {
        "skopt": shim_module("skopt", BayesSearchCV=BayesSearchCV),
        "skopt.space": shim_module(
            "skopt.space", Categorical=Categorical, Integer=Integer, Real=Real
        ),
    },
)
globals().update(upstream_tests(_module, INTENDED_FAILURES, SKIPPED))

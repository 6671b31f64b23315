"""optuna-integration's own ``tests/sklearn/test_sklearn.py``, run on
:class:`skhyper.optuna.OptunaSearchCV`.

The module imports ``from optuna_integration import OptunaSearchCV`` and three
private helpers of ``optuna_integration.sklearn.sklearn``; while it loads,
stand-in modules answer those imports (``OptunaSearchCV`` is skhyper's face,
the helpers skip the tests that call them), so optuna-integration itself is
never imported (nor needed). The module also uses Optuna's own distributions,
studies and samplers, so without Optuna it is skipped.

The one addition the stand-in makes to the face is optuna-integration's
private ``_check_is_fitted()`` (scikit-learn's ``check_is_fitted``), which
``test_optuna_search`` calls before fitting; the rest of that test (fit
parameters, ``trials_dataframe``, the delegated methods) is the face's.

Every test then runs here under its own name; those that cannot pass by
design are listed in :data:`INTENDED_FAILURES` (whole tests) and
:data:`INTENDED_CASE_FAILURES` (parametrized cases) with the reason, those of
optuna-integration's internals in :data:`SKIPPED`. The upstream file is not
vendored: see :mod:`tests.conformance._upstream_suite` for where a copy is
looked for.
"""

from __future__ import annotations

from typing import Any, NoReturn

import pytest

pytest.importorskip("optuna", reason="optuna-integration's tests use Optuna itself")

from sklearn.utils.validation import check_is_fitted

from skhyper.optuna import OptunaSearchCV as FaceOptunaSearchCV
from tests.conformance._upstream_suite import (
    UpstreamFile,
    load_upstream,
    shim_module,
    upstream_tests,
)

#: optuna-integration's test module at the newest commit that changed it
#: (the repository's version there is 5.0.0.dev).
UPSTREAM = UpstreamFile(
    repo="optuna/optuna-integration",
    commit="5982b92468620c719c79ef0618aaf80588819047",
    path="tests/sklearn/test_sklearn.py",
    license="MIT",
    blob="423b36481507fa6fd5df93967e5d2f509a506d1e",
    local_name="optuna-integration-test_sklearn.py",
)


class OptunaSearchCV(FaceOptunaSearchCV):
    """The face, plus optuna-integration's private ``_check_is_fitted``."""

    def _check_is_fitted(self) -> None:
        check_is_fitted(self)


_INTERNALS = (
    "tests a private helper of optuna-integration's module "
    "(_is_arraylike, _num_samples, _make_indexable), not part of OptunaSearchCV"
)


def _internal(*args: Any, **kwargs: Any) -> NoReturn:
    pytest.skip(_INTERNALS)
    raise AssertionError("unreachable")  # pytest.skip raises


_MOCKED = (
    "replaces optuna-integration's internal cross_validate with a mock "
    "(unittest.mock.patch of optuna_integration.sklearn.sklearn), which the face "
    "does not call"
)
_PRUNING = (
    "passes enable_pruning=True; the face prunes no trial (skhyper's searches "
    "call fit, not partial_fit epochs) and raises a ValueError at fit naming "
    "HalvingBayesSearchCV instead (doc/migration.rst)"
)
_STUDY = (
    "passes study=create_study(...); the face runs no Optuna study (sampler, "
    "pruner, storage) and raises a ValueError at fit naming the skhyper search "
    "for the study's sampler (doc/migration.rst)"
)
_WORDING = (
    "the face raises a ValueError too, in scikit-learn's parameter-validation "
    "wording (InvalidParameterError), not optuna-integration's {!r}"
)
_ALL_FAILED = (
    "when every trial fails, the face's fit raises scikit-learn's 'All the N "
    "fits failed' ValueError at the end of the search, as GridSearchCV does, "
    "where optuna-integration logs the failure and refits the estimator with "
    "its own defaults (doc/migration.rst)"
)

#: Tests of optuna-integration's module that fail on the face by design, and
#: why.
INTENDED_FAILURES: dict[str, str] = {
    "test_optuna_search_invalid_estimator": _WORDING.format(
        "estimator must be a scikit-learn estimator."
    ),
    "test_optuna_search_negative_max_iter": _WORDING.format("max_iter must be > 0"),
    "test_objective_error_score_invalid": _WORDING.format(
        "error_score must be 'raise' or numeric."
    ),
    "test_optuna_search_pruning_without_partial_fit": _PRUNING
    + "; the message is not optuna-integration's 'estimator must support "
    "partial_fit.'",
    "test_optuna_search_study_with_minimize": _STUDY
    + "; the message is not optuna-integration's 'direction of study must be "
    "'maximize'.'",
    "test_callbacks": _PRUNING
    + "; its check (each callback called with study_ and every trial of "
    "trials_) runs without pruning in tests/optuna/test_trials.py::"
    "test_each_callback_gets_the_study_and_each_trial",
    "test_objective_error_score_nan": _PRUNING
    + "; without it, all of its fits fail (no y), and "
    + _ALL_FAILED
    + ": not that refit's 'requires y to be passed'",
    "test_optuna_search_tuple_instead_of_distribution": (
        "expects a ValueError for a tuple ('gaussian', 'linear') in "
        "param_distributions; the face takes anything a skhyper search space "
        "takes, a tuple being a list of choices (doc/migration.rst)"
    ),
    "test_optuna_search_convert_deprecated_distribution": (
        "expects OptunaSearchCV(...) itself to raise a ValueError for Optuna's "
        "deprecated distributions (UniformDistribution, "
        "DiscreteUniformDistribution, ...), which optuna-integration refuses "
        "because its clone breaks on them (optuna#4084); the face validates in "
        "fit and searches them as their new forms (q and step honoured, clone "
        "unaffected)"
    ),
}

#: Parametrized cases that fail by design (their other cases pass).
INTENDED_CASE_FAILURES: dict[str, str] = {
    "test_optuna_search[-True]": _PRUNING,
    "test_optuna_search[coef_init-True]": _PRUNING,
    "test_no_halt_with_error[param_dist0-all_params0]": _STUDY
    + "; without it the face evaluates max_depth 0 and 1 and goes on after the "
    "failed fit, as the test wants",
    "test_no_halt_with_error[param_dist1-all_params1]": _STUDY
    + "; without it, max_depth=0 is the only candidate and fails, and "
    + _ALL_FAILED,
    "test_catch[catch0]": (
        "expects catch=(ValueError,) to record the three trials of a "
        "distribution that raises when sampled as FAIL trials and go on; the "
        "face checks parameter names before searching and raises a ValueError "
        "for 'param' (SGDClassifier has none), and catch has no effect in it: "
        "a distribution it does not recognise is a fixed value, whose failed "
        "fits end in scikit-learn's 'All the 3 fits failed' (doc/migration.rst)"
    ),
}

#: Tests of optuna-integration's internals the face does not have, and why.
SKIPPED: dict[str, str] = {
    "test_is_arraylike": _INTERNALS,
    "test_num_samples": _INTERNALS,
    "test_make_indexable": _INTERNALS,
    "test_terminator_cv_score_reporting": _MOCKED
    + "; the face's system_attrs['terminator:cv_scores'] are checked in "
    "tests/optuna/test_trials.py::test_trials_are_the_rows_of_cv_results",
    "test_single_cv_split_terminator_warning": _MOCKED,
}


@pytest.fixture(autouse=True)
def _intended_case_failure(request: pytest.FixtureRequest) -> None:
    reason = INTENDED_CASE_FAILURES.get(request.node.name)
    if reason is not None:
        request.node.add_marker(pytest.mark.xfail(reason=reason, strict=True))


_sklearn = shim_module(
    "optuna_integration.sklearn.sklearn",
    OptunaSearchCV=OptunaSearchCV,
    _is_arraylike=_internal,
    _make_indexable=_internal,
    _num_samples=_internal,
)
_module = load_upstream(
    "skhyper_shimmed_optuna_integration_test_sklearn",
    UPSTREAM,
    {
        "optuna_integration": shim_module(
            "optuna_integration", OptunaSearchCV=OptunaSearchCV
        ),
        "optuna_integration.sklearn": shim_module(
            "optuna_integration.sklearn", OptunaSearchCV=OptunaSearchCV
        ),
        "optuna_integration.sklearn.sklearn": _sklearn,
    },
)
globals().update(upstream_tests(_module, INTENDED_FAILURES, SKIPPED))

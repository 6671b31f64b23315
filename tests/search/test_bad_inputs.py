"""The bad-input suite: every awkward input gives a clear error or a correct
result, and loses nothing.

Each table below is one kind of input, run through every search it concerns
(HyperSearchCV with the grid, random and Sobol generators, RandomSearchCV and
BayesSearchCV). "Nothing lost" means: ``cv_results_`` holds every evaluated
candidate once with its scores (NaN for failures), the generator was told the
same scores, ``best_*`` point at the best finite candidate, and the warnings
have the right category and name the problem, once per search.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import warnings
from pathlib import Path

import numpy as np
import pytest
import sklearn
from joblib import parallel_backend
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import FitFailedWarning, UnsetMetadataPassedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import (
    BayesSearchCV,
    GridGenerator,
    HyperSearchCV,
    Integer,
    RandomSearchCV,
    Real,
)
from tests._joblib_features import needs_unordered_results

from .test_dropin import assert_same_results

SEARCHES = ["grid", "random", "sobol", "RandomSearchCV", "BayesSearchCV"]
SEARCH_CLASSES = ["HyperSearchCV", "RandomSearchCV", "BayesSearchCV"]
NON_FINITE = "One or more of the test scores are non-finite"


def make_search(kind, estimator, space, **kwargs):
    """One of the searches under test, with small settings."""
    kwargs.setdefault("cv", 3)
    kwargs.setdefault("random_state", 0)
    if kind in ("RandomSearchCV", "random_cv"):
        return RandomSearchCV(estimator, space, **kwargs)
    if kind == "BayesSearchCV":
        kwargs.setdefault("n_initial_points", 3)
        return BayesSearchCV(estimator, space, **kwargs)
    if kind == "HyperSearchCV":
        return HyperSearchCV(estimator, space, **kwargs)
    generator = GridGenerator(n_points=6) if kind == "grid" else kind
    return HyperSearchCV(estimator, space, generator=generator, **kwargs)


class Toy(RegressorMixin, BaseEstimator):
    """A zero-cost estimator whose score is a known function of ``x``.

    The score is ``scale * -(x - 0.3) ** 2``; above a threshold the fit
    raises, the prediction raises or the score is NaN.
    """

    def __init__(
        self,
        x=0.0,
        scale=1.0,
        fail_above=np.inf,
        predict_fails_above=np.inf,
        nan_above=np.inf,
    ):
        self.x = x
        self.scale = scale
        self.fail_above = fail_above
        self.predict_fails_above = predict_fails_above
        self.nan_above = nan_above

    def fit(self, X, y):
        if self.x > self.fail_above:
            raise ArithmeticError(f"Toy refuses to fit at x={self.x}")
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        if self.x > self.predict_fails_above:
            raise FloatingPointError(f"Toy cannot predict at x={self.x}")
        return np.zeros(len(X))

    def score(self, X, y):
        self.predict(X)
        if self.x > self.nan_above:
            return np.nan
        return self.scale * -((self.x - 0.3) ** 2)


def infinite_scorer(sign):
    """A scorer that returns NaN on (0.4, 0.6] and ``sign * inf`` above 0.6."""

    def score(estimator, X, y):
        if estimator.x > 0.6:
            return sign * np.inf
        if estimator.x > 0.4:
            return np.nan
        return -((estimator.x - 0.3) ** 2)

    return score


def fit_recording(search, X, y, **params):
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        search.fit(X, y, **params)
    return records


def messages(records, category):
    return [str(r.message) for r in records if r.category is category]


def assert_nothing_lost(search, n_candidates, key="mean_test_score"):
    results = search.cv_results_
    scores = np.asarray(results[key], dtype=float)
    assert len(results["params"]) == n_candidates
    assert all(len(v) == n_candidates for v in results.values())
    # The generator holds the candidates in ask order; cv_results_ list them
    # in grid order when a whole grid was evaluated.
    told = sorted(
        zip(
            map(repr, search.generator_.candidates_),
            search.generator_.scores_,
            strict=True,
        ),
        key=str,
    )
    listed = sorted(zip(map(repr, results["params"]), scores, strict=True), key=str)
    assert [c for c, _ in told] == [c for c, _ in listed]
    np.testing.assert_array_equal([v for _, v in told], [v for _, v in listed])
    finite = np.isfinite(scores)
    assert np.isfinite(search.best_score_)
    assert search.best_score_ == scores[finite].max()
    assert results["params"][search.best_index_] == search.best_params_
    # failures rank last
    assert (results[key.replace("mean", "rank")][~finite] > finite.sum()).all()


def unique(params):
    return len({tuple(sorted(p.items())) for p in params})


# -- scores: NaN, failures, infinities, constants, scales ------------------------
# id: (estimator, extra search kwargs, expected (category, message) warnings,
#      the candidates whose score must be non-finite)
SCORE_ROWS = {
    "nan-scores": (
        Toy(nan_above=0.6),
        {},
        [(UserWarning, NON_FINITE)],
        lambda x: x > 0.6,
    ),
    "candidate-fails-every-fold": (
        Toy(fail_above=0.6),
        {},
        [(FitFailedWarning, "Toy refuses to fit at x=0.9"), (UserWarning, NON_FINITE)],
        lambda x: x > 0.6,
    ),
    "raises-only-in-predict": (
        Toy(predict_fails_above=0.6),
        {},
        [
            (UserWarning, "Scoring failed(.|\n)*Toy cannot predict at x=0.9"),
            (UserWarning, NON_FINITE),
        ],
        lambda x: x > 0.6,
    ),
    "scorer-nan-and-minus-inf": (
        Toy(),
        {"scoring": infinite_scorer(-1)},
        [(UserWarning, NON_FINITE)],
        lambda x: x > 0.4,
    ),
    "constant-scores": (Toy(scale=0.0), {}, [], lambda x: False),
}


@pytest.mark.parametrize("kind", SEARCHES)
@pytest.mark.parametrize("row", SCORE_ROWS)
def test_bad_scores_are_recorded_and_the_search_goes_on(iris, row, kind):
    estimator, kwargs, expected, non_finite = SCORE_ROWS[row]
    X, y = iris
    # The first batch (one candidate) is a bad one, whatever the generator.
    search = make_search(
        kind,
        estimator,
        {"x": Real(0.0, 1.0)},
        n_iter=6,
        batch_size=1,
        initial_points=[{"x": 0.9}, {"x": 0.2}],
        **kwargs,
    )
    records = fit_recording(search, X, y)
    assert_nothing_lost(search, 6)
    assert unique(search.cv_results_["params"]) == 6
    xs = np.array([p["x"] for p in search.cv_results_["params"]])
    scores = search.cv_results_["mean_test_score"]
    np.testing.assert_array_equal(~np.isfinite(scores), non_finite(xs))
    for category, match in expected:
        assert any(re.search(match, m) for m in messages(records, category)), (
            category,
            match,
            [str(r.message)[:80] for r in records],
        )
    # sklearn would repeat this one at every batch
    assert len([m for m in messages(records, UserWarning) if NON_FINITE in m]) == (
        1 if expected else 0
    )
    allowed = {c for c, _ in expected} | {RuntimeWarning}
    assert {r.category for r in records} <= allowed
    if kind == "BayesSearchCV" and non_finite(0.9):
        # the model imputes the bad scores; the search's warning says enough
        assert not [m for m in messages(records, RuntimeWarning) if "scored NaN" in m]
    if row == "constant-scores":
        assert search.best_index_ == 0
        assert (search.cv_results_["rank_test_score"] == 1).all()


@pytest.mark.parametrize("kind", SEARCHES)
def test_a_scorer_returning_plus_inf_wins_as_in_gridsearchcv(iris, kind):
    X, y = iris
    search = make_search(
        kind,
        Toy(),
        {"x": Real(0.0, 1.0)},
        n_iter=5,
        batch_size=1,
        initial_points=[{"x": 0.2}, {"x": 0.9}],
        scoring=infinite_scorer(+1),
    )
    records = fit_recording(search, X, y)
    assert search.best_params_ == {"x": 0.9} and search.best_score_ == np.inf
    assert len(search.cv_results_["params"]) == 5
    assert len([m for m in messages(records, UserWarning) if NON_FINITE in m]) == 1
    # the model clips +inf without a note of its own inside a search
    assert not any("infinite" in m for m in messages(records, RuntimeWarning))


@pytest.mark.parametrize("kind", ["random", "sobol", "RandomSearchCV", "BayesSearchCV"])
def test_a_whole_grid_put_back_in_grid_order_warns_once_of_non_finite_scores(
    iris, kind
):
    # A whole grid of lists asked out of grid order: cv_results_ are formatted
    # again in grid order, which must not repeat scikit-learn's own warning
    # next to the search's one (a GridSearchCV user sees it once).
    X, y = iris
    grid = {"x": [0.1, 0.2, 0.5, 0.7, 0.9], "scale": [1.0, 2.0]}
    search = make_search(kind, Toy(nan_above=0.6), grid, n_iter=10, batch_size=1)
    records = fit_recording(search, X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its own non-finite-score warning
        reference = GridSearchCV(Toy(nan_above=0.6), grid, cv=3).fit(X, y)
    assert search.cv_results_["params"] == reference.cv_results_["params"]
    assert len([m for m in messages(records, UserWarning) if NON_FINITE in m]) == 1
    assert not messages(records, RuntimeWarning) or kind == "BayesSearchCV"


def fit_failure_report(message):
    """The header of scikit-learn's failed-fit warning and its error blocks
    (their order follows the order the candidates were evaluated in; the
    line numbers in scikit-learn depend on the path a fit took)."""
    header, _, details = message.partition("Below are more details")
    details = re.sub(r"line \d+", "line N", details)
    blocks = sorted(b.strip() for b in details.split("-" * 80 + "\n")[1:])
    return header, blocks


@pytest.mark.parametrize(
    "kind, asynchronous",
    [(kind, False) for kind in SEARCHES]
    + [pytest.param("BayesSearchCV", True, marks=needs_unordered_results)],
)
def test_failed_fits_give_one_warning_over_the_search_as_gridsearchcv(
    iris, kind, asynchronous
):
    # A GridSearchCV user sees one FitFailedWarning counting the failed fits
    # of the whole search; evaluated in many batches (some with only failed
    # fits), the search must not give one per batch.
    X, y = iris
    grid = {"x": [0.1, 0.2, 0.5, 0.7, 0.9], "scale": [1.0, 2.0]}
    search = make_search(
        kind,
        Toy(fail_above=0.6),
        grid,
        n_iter=10,
        batch_size=None if asynchronous else 1,
        asynchronous=asynchronous,
    )
    records = fit_recording(search, X, y)
    with warnings.catch_warnings(record=True) as reference_records:
        warnings.simplefilter("always")
        GridSearchCV(Toy(fail_above=0.6), grid, cv=3).fit(X, y)
    (expected,) = messages(reference_records, FitFailedWarning)
    failed = messages(records, FitFailedWarning)
    assert len(failed) == 1, [m[:80] for m in failed]
    assert fit_failure_report(failed[0]) == fit_failure_report(expected)
    assert "12 fits failed out of a total of 30" in failed[0]
    assert np.isnan(search.cv_results_["mean_test_score"]).sum() == 4


@pytest.mark.parametrize("kind", SEARCHES)
@pytest.mark.parametrize("scale", [1e-9, 1e9])
def test_score_scale_does_not_change_the_search(iris, kind, scale):
    X, y = iris
    space = {"x": Real(0.0, 1.0)}
    kwargs = dict(n_iter=6, batch_size=2)
    reference = make_search(kind, Toy(), space, **kwargs).fit(X, y)
    scaled = make_search(kind, Toy(scale=scale), space, **kwargs).fit(X, y)
    assert_nothing_lost(scaled, 6)
    ours = [p["x"] for p in scaled.cv_results_["params"]]
    theirs = [p["x"] for p in reference.cv_results_["params"]]
    # The GP standardizes the scores: only rounding differs.
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-7)
    assert scaled.best_index_ == reference.best_index_


# -- every candidate failing -----------------------------------------------------
@pytest.mark.parametrize("kind", SEARCHES)
def test_every_candidate_failing_to_fit_raises_with_the_first_error(iris, kind):
    X, y = iris
    search = make_search(kind, Toy(fail_above=-1), {"x": Real(0, 1)}, n_iter=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(
            ValueError,
            match=r"All the 12 fits failed(.|\n)*"
            r"ArithmeticError: Toy refuses to fit",
        ):
            search.fit(X, y)


@pytest.mark.parametrize("kind", SEARCHES)
def test_every_candidate_failing_to_predict_warns_that_best_means_nothing(iris, kind):
    X, y = iris
    search = make_search(
        kind, Toy(predict_fails_above=-1), {"x": Real(0, 1)}, n_iter=4, batch_size=2
    )
    records = fit_recording(search, X, y)
    assert np.isnan(search.cv_results_["mean_test_score"]).all()
    assert len(search.cv_results_["params"]) == 4
    assert any(
        "None of the 4 candidates got a finite mean_test_score" in m
        for m in messages(records, UserWarning)
    )


def two_metrics(estimator, X, y):
    return {"neg_sq": estimator.score(X, y), "one": 1.0}


@pytest.mark.parametrize("kind", SEARCHES)
def test_callable_multimetric_scoring_survives_a_batch_where_every_fit_failed(
    iris, kind
):
    X, y = iris
    search = make_search(
        kind,
        Toy(fail_above=0.6),
        {"x": Real(0, 1)},
        n_iter=4,
        batch_size=1,
        initial_points=[{"x": 0.9}],
        scoring=two_metrics,
        refit="neg_sq",
    )
    records = fit_recording(search, X, y)
    assert_nothing_lost(search, 4, key="mean_test_neg_sq")
    results = search.cv_results_
    failed = np.array([p["x"] > 0.6 for p in results["params"]])
    assert failed[0]
    np.testing.assert_array_equal(np.isnan(results["mean_test_one"]), failed)
    assert (results["mean_test_one"][~failed] == 1.0).all()
    # one warning over the whole search, in scikit-learn's words
    (failed_fits,) = messages(records, FitFailedWarning)
    assert f"{3 * failed.sum()} fits failed out of a total of 12" in failed_fits


# -- duplicates ------------------------------------------------------------------
REPEATED_CHOICES = {
    "numbers": (Toy(), {"x": [0.1, 0.1, 0.3]}),
    "strings": (SVC(), {"kernel": ["linear", "rbf", "linear", "poly"]}),
}


@pytest.mark.parametrize("kind", SEARCHES)
@pytest.mark.parametrize("row", REPEATED_CHOICES)
def test_repeated_choices_are_one_candidate_except_in_the_grid(iris, row, kind):
    estimator, space = REPEATED_CHOICES[row]
    ((name, choices),) = space.items()
    X, y = iris
    search = make_search(kind, estimator, space, n_iter=len(choices))
    records = fit_recording(search, X, y)
    values = [p[name] for p in search.cv_results_["params"]]
    if kind == "grid":  # enumerated as given, as GridSearchCV does
        assert values == choices
        assert not records
    else:
        distinct = len(set(choices))
        assert sorted(values) == sorted(set(choices))
        assert any(
            f"total space of parameters {distinct} is smaller" in m
            for m in messages(records, UserWarning)
        )
    assert_nothing_lost(search, len(values))


@pytest.mark.parametrize("kind", SEARCHES)
def test_repeated_initial_points_are_evaluated_once(iris, kind):
    X, y = iris
    point = {"x": 0.5}
    search = make_search(
        kind, Toy(), {"x": Real(0, 1)}, n_iter=4, initial_points=[point, point]
    )
    with pytest.warns(UserWarning, match=r"initial_points\[1\] repeats"):
        search.fit(X, y)
    params = search.cv_results_["params"]
    assert params[0] == point and point not in params[1:]
    assert_nothing_lost(search, 4)


GP_FINITE_SPACES = {
    "integer": (Toy(), {"x": Integer(1, 3)}, 3),
    "numeric-lists": (Toy(), {"x": [0.1, 0.2, 0.3], "scale": [1.0, 2.0]}, 6),
    # one-hot encoded, with a repeated choice (the GP used to stall on it)
    "repeated-strings": (
        SVC(),
        {"kernel": ["linear", "rbf", "linear", "poly"], "shrinking": [True, False]},
        6,
    ),
}


@pytest.mark.parametrize("row", GP_FINITE_SPACES)
def test_the_gp_never_proposes_a_candidate_twice_until_the_space_is_exhausted(
    iris, row
):
    estimator, space, n = GP_FINITE_SPACES[row]
    X, y = iris
    search = BayesSearchCV(
        estimator, space, n_iter=n, batch_size=1, n_initial_points=1, cv=3
    ).fit(X, y)
    assert unique(search.cv_results_["params"]) == n
    assert search.generator_.exhausted


# -- small and degenerate spaces -------------------------------------------------
# id: (space, n_iter, candidates expected, warning expected)
SPACE_ROWS = {
    "one-point": ({"C": [1.0]}, 4, 1, "parameters 1 is smaller than n_iter=4"),
    "fixed-values-only": (
        {"C": 1.0, "kernel": "linear"},
        4,
        1,
        "parameters 1 is smaller than n_iter=4",
    ),
    "categorical-only": (
        {"kernel": ["linear", "rbf", "poly"], "shrinking": [True, False]},
        4,
        4,
        None,
    ),
    "categorical-only-exhausted": (
        {"kernel": ["linear", "rbf", "poly"], "shrinking": [True, False]},
        6,
        6,
        None,
    ),
    "n_iter-above-a-finite-grid": (
        {"C": [1, 2], "kernel": ["rbf", "linear"]},
        10,
        4,
        "parameters 4 is smaller than n_iter=10. Running 4 iterations",
    ),
}


@pytest.mark.parametrize("kind", SEARCHES)
@pytest.mark.parametrize("row", SPACE_ROWS)
def test_small_spaces_are_searched_exactly_once(iris, row, kind):
    space, n_iter, expected, warning = SPACE_ROWS[row]
    X, y = iris
    search = make_search(kind, SVC(), space, n_iter=n_iter, batch_size=2)
    records = fit_recording(search, X, y)
    if warning is None:
        assert not records
    else:
        assert [m for m in messages(records, UserWarning) if warning in m]
    params = search.cv_results_["params"]
    assert len(params) == unique(params) == expected
    assert_nothing_lost(search, expected)


# -- invalid specifications and parameters: a clear error at fit -----------------
class NoPpf:
    def rvs(self, size=None, random_state=None):
        return np.full(size or 1, "a")


INVALID_ROWS = {
    "low-above-high": ({"C": Real(10, 1)}, ValueError, r"'C'.*low < high"),
    "log-from-zero": ({"C": Real(0, 1, log=True)}, ValueError, r"'C'.*low > 0"),
    "infinite-bound": ({"C": Real(0, np.inf)}, TypeError, r"'C'.*finite numbers"),
    "real-bounds-for-integer": (
        {"C": Integer(1.5, 3)},
        TypeError,
        r"'C'.*integer bounds",
    ),
    "empty-choices": ({"C": []}, ValueError, r"'C'.*empty"),
    "dict-value": ({"C": {"a": 1}}, TypeError, r"'C'.*not a search dimension"),
    "set-value": ({"C": {1, 2}}, TypeError, r"'C'.*not a search dimension"),
    "2d-array": ({"C": np.ones((2, 2))}, ValueError, r"'C'.*1-d arrays"),
    "rvs-of-strings": ({"C": NoPpf()}, TypeError, r"'C'.*not finite numbers"),
    "string-spec": ("C", ValueError, r"search_spaces"),
    "empty-list": ([], ValueError, r"search_spaces is an empty list"),
    "list-of-lists": ([["C"]], TypeError, r"search_spaces\[0\] must be a dict"),
    "non-string-name": ({1: [1]}, TypeError, r"names must be strings"),
    "unknown-parameter": ({"Cc": [1]}, ValueError, r"'Cc'.*no such parameter"),
    "unknown-in-second-subspace": (
        [{"C": [1]}, {"gamma_": [1]}],
        ValueError,
        r"'gamma_'.*no such parameter",
    ),
}


@pytest.mark.parametrize("search_class", SEARCH_CLASSES)
@pytest.mark.parametrize("row", INVALID_ROWS)
def test_invalid_search_spaces_raise_at_fit_naming_the_problem(iris, row, search_class):
    space, error, match = INVALID_ROWS[row]
    X, y = iris
    search = make_search(search_class, SVC(), space, n_iter=2)  # never raises here
    with pytest.raises(error, match=match):
        search.fit(X, y)


def test_an_unknown_nested_parameter_suggests_the_right_name(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), SVC())
    for search_class in SEARCH_CLASSES:
        search = make_search(search_class, pipe, {"svm__C": Real(0.1, 10)}, n_iter=2)
        with pytest.raises(ValueError, match=r"'svm__C'.*Did you mean.*'svc__C'"):
            search.fit(X, y)


INVALID_PARAMETER_ROWS = {
    "n_iter-zero": ({"n_iter": 0}, ValueError, "n_iter"),
    "batch_size-negative": ({"batch_size": -1}, ValueError, "batch_size"),
    "initial-point-outside": (
        {"initial_points": [{"C": 1e6}]},
        ValueError,
        "does not lie in the search space",
    ),
    "initial-point-not-a-dict": (
        {"initial_points": [1.0]},
        TypeError,
        "initial_points must be dicts",
    ),
}


@pytest.mark.parametrize("search_class", SEARCH_CLASSES)
@pytest.mark.parametrize("row", INVALID_PARAMETER_ROWS)
def test_invalid_search_parameters_raise_at_fit(iris, row, search_class):
    params, error, match = INVALID_PARAMETER_ROWS[row]
    X, y = iris
    search = make_search(search_class, SVC(), {"C": Real(0.1, 10)}, **params)
    with pytest.raises(error, match=match):
        search.fit(X, y)


@pytest.mark.parametrize(
    ("search_class", "params", "match"),
    [
        ("HyperSearchCV", {"generator": "nope"}, "generator"),
        ("BayesSearchCV", {"acquisition": "nope"}, "acquisition"),
        ("BayesSearchCV", {"n_initial_points": 0}, "n_initial_points"),
    ],
)
def test_invalid_generator_settings_raise_at_fit(iris, search_class, params, match):
    X, y = iris
    search = make_search(search_class, SVC(), {"C": Real(0.1, 10)}, **params)
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)


# -- groups and sample_weight, with and without metadata routing -----------------
def routed_ridge(routing):
    ridge = Ridge()
    if routing:
        ridge = ridge.set_fit_request(sample_weight=True)
        ridge = ridge.set_score_request(sample_weight=False)
    return ridge


@pytest.mark.parametrize("kind", SEARCHES)
@pytest.mark.parametrize("routing", [False, True], ids=["plain", "routing"])
@pytest.mark.parametrize("fit_params", ["groups", "groups+sample_weight"])
def test_groups_and_sample_weight_reach_the_splitter_and_fit(
    diabetes, kind, routing, fit_params
):
    X, y = diabetes
    groups = np.arange(len(y)) % 4
    params = {"groups": groups}
    if "sample_weight" in fit_params:
        params["sample_weight"] = np.linspace(0.2, 3.0, len(y))
    with sklearn.config_context(enable_metadata_routing=routing):
        estimator = routed_ridge(routing)
        search = make_search(
            kind,
            estimator,
            {"alpha": Real(1e-3, 1e3, log=True)},
            n_iter=4,
            batch_size=2,
            cv=GroupKFold(4),
        ).fit(X, y, **params)
        # GridSearchCV on the same candidates is the reference.
        grid = [{k: [v] for k, v in p.items()} for p in search.cv_results_["params"]]
        reference = GridSearchCV(estimator, grid, cv=GroupKFold(4)).fit(X, y, **params)
        unweighted = GridSearchCV(estimator, grid, cv=GroupKFold(4)).fit(
            X, y, groups=groups
        )
    scores = search.cv_results_["mean_test_score"]
    np.testing.assert_array_equal(scores, reference.cv_results_["mean_test_score"])
    weighted = "sample_weight" in params
    assert weighted == (scores != unweighted.cv_results_["mean_test_score"]).all()
    assert_nothing_lost(search, 4)


@pytest.mark.parametrize("search_class", SEARCH_CLASSES)
def test_routing_errors_name_the_metadata(diabetes, search_class):
    X, y = diabetes
    space = {"alpha": Real(0.1, 10)}
    weights = np.ones(len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        search = make_search(search_class, Ridge(), space, n_iter=2)
        with pytest.raises(UnsetMetadataPassedError, match=r"\[sample_weight\]"):
            search.fit(X, y, sample_weight=weights)
    search = make_search(search_class, Ridge(), space, n_iter=2, cv=GroupKFold(3))
    with pytest.raises(ValueError, match="'groups' parameter should not be None"):
        search.fit(X, y)


# -- pickling and reproducibility ------------------------------------------------
@pytest.mark.parametrize("kind", SEARCHES)
def test_a_fitted_search_pickles_and_its_generator_goes_on_identically(iris, kind):
    X, y = iris
    search = make_search(
        kind, SVC(), {"C": Real(0.1, 10, log=True)}, n_iter=4, batch_size=2
    ).fit(X, y)
    restored = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(restored.predict(X), search.predict(X))
    assert_same_results(restored.cv_results_, search.cv_results_, skip=())
    assert restored.best_params_ == search.best_params_
    assert restored.generator_.ask(2) == search.generator_.ask(2)


@pytest.mark.parametrize("kind", SEARCHES)
def test_same_seed_same_results_with_two_jobs(diabetes, kind):
    X, y = diabetes
    space = {"alpha": Real(1e-3, 1e3, log=True), "fit_intercept": [True, False]}
    # batch_size is explicit: by default the GP's batch grows with n_jobs.
    kwargs = dict(n_iter=6, batch_size=3, random_state=7)
    reference = make_search(kind, Ridge(), space, **kwargs).fit(X, y)
    other = make_search(kind, Ridge(), space, n_jobs=2, **kwargs).fit(X, y)
    assert_same_results(reference.cv_results_, other.cv_results_)


def test_the_gp_default_batch_depends_on_n_jobs(iris):
    X, y = iris
    kwargs = dict(n_iter=4, n_initial_points=2, cv=5, random_state=0)
    one = BayesSearchCV(SVC(), {"C": Real(0.1, 10)}, n_jobs=1, **kwargs).fit(X, y)
    two = BayesSearchCV(SVC(), {"C": Real(0.1, 10)}, n_jobs=2, **kwargs).fit(X, y)
    assert list(one.cv_results_["iteration"]) == [0, 1, 2, 3]
    assert list(two.cv_results_["iteration"]) == [0, 0, 1, 1]


# -- a parallel worker killed mid-search -----------------------------------------
class KilledOnce(RegressorMixin, BaseEstimator):
    """Its first fit anywhere SIGKILLs the process it runs in (a worker)."""

    def __init__(self, alpha=1.0, marker=""):
        self.alpha = alpha
        self.marker = marker

    def fit(self, X, y):
        marker = Path(self.marker)
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.alpha)


def search_killing_a_worker(tmp_path, **kwargs):
    marker = tmp_path / "killed"
    search = HyperSearchCV(
        KilledOnce(marker=str(marker)),
        {"alpha": Real(0.0, 100.0)},
        generator="sobol",
        n_iter=6,
        batch_size=3,
        cv=3,
        random_state=0,
        **kwargs,
    )
    return search, marker


def check_killed_search(search, marker, records):
    assert marker.exists() and int(marker.read_text()) != os.getpid()
    results = search.cv_results_
    assert len(results["params"]) == unique(results["params"]) == 6
    assert np.isfinite(results["mean_test_score"]).all()
    assert list(results["iteration"]) == [0, 0, 0, 1, 1, 1]
    lost = messages(records, RuntimeWarning)
    assert all("worker was lost" in m and "evaluated again" in m for m in lost)


@pytest.mark.slow
def test_a_killed_dask_worker_does_not_lose_the_search(diabetes, tmp_path):
    distributed = pytest.importorskip("distributed")
    X, y = diabetes
    search, marker = search_killing_a_worker(tmp_path, n_jobs=-1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
        parallel_backend("dask"),
    ):
        records = fit_recording(search, X, y)
    check_killed_search(search, marker, records)


@pytest.mark.slow
def test_a_killed_loky_worker_does_not_lose_the_search(diabetes, tmp_path):
    X, y = diabetes
    search, marker = search_killing_a_worker(tmp_path, n_jobs=2)
    records = fit_recording(search, X, y)
    check_killed_search(search, marker, records)
    assert messages(records, RuntimeWarning)  # loky always reports the death

"""Time budgets and stopping callbacks end a search cleanly."""

import math
import time

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LogisticRegression

from skhyper import (
    BayesSearchCV,
    GridGenerator,
    HyperSearchCV,
    NoImprovement,
    RandomSearchCV,
    Real,
    SearchState,
    TargetScore,
)
from tests.conftest import FailingClassifier

SPACE = {"C": Real(1e-3, 1e3, log=True)}


def constant_search(**kwargs):
    """Every candidate scores the same: the best never improves."""
    return HyperSearchCV(
        FailingClassifier(),
        {"quality": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]},
        generator="grid",
        batch_size=1,
        cv=3,
        **kwargs,
    )


def assert_refitted_on_what_ran(search, n_candidates):
    assert len(search.cv_results_["params"]) == n_candidates
    assert search.n_iter_ == len(set(search.cv_results_["iteration"]))
    assert search.best_params_ in search.cv_results_["params"]
    assert hasattr(search, "best_estimator_")


@pytest.mark.parametrize("search_class", [RandomSearchCV, BayesSearchCV])
def test_max_time_stops_after_the_first_batch(iris, search_class):
    X, y = iris
    search = search_class(
        LogisticRegression(max_iter=200),
        SPACE,
        n_iter=6,
        batch_size=2,
        max_time=1e-9,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert_refitted_on_what_ran(search, 2)
    assert search.stop_reason_ == "max_time=1e-09 s reached"


def test_no_improvement_stops_after_n_batches_without_progress(iris):
    X, y = iris
    search = constant_search(callbacks=[NoImprovement(n_batches=3)]).fit(X, y)
    assert_refitted_on_what_ran(search, 4)
    assert "did not improve by more than 0.0 in 3 batches" in search.stop_reason_
    assert search.stop_reason_.startswith("NoImprovement: ")


def test_target_score_stops_once_reached(iris):
    X, y = iris
    search = RandomSearchCV(
        LogisticRegression(max_iter=200),
        SPACE,
        n_iter=8,
        batch_size=2,
        callbacks=TargetScore(0.5),
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert search.best_score_ >= 0.5
    assert len(search.cv_results_["params"]) < 8
    assert "reached 0.5" in search.stop_reason_


def test_a_plain_function_can_stop_the_search_and_sees_the_state(iris):
    X, y = iris
    seen = []

    def stop_at_five(state):
        seen.append((state.n_evaluated, state.n_batches, state.n_iter))
        assert state.objective == "mean_test_score"
        assert len(state.candidates) == len(state.scores) == state.n_evaluated
        return state.n_evaluated >= 5

    search = constant_search(callbacks=stop_at_five).fit(X, y)
    assert seen == [(i, i, 10) for i in range(1, 6)]
    assert search.stop_reason_ == "stop_at_five asked to stop"
    assert_refitted_on_what_ran(search, 5)


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        ({}, "n_iter=10 candidates evaluated"),
        ({"n_iter": 3}, "n_iter=3 candidates evaluated"),
    ],
)
def test_stop_reason_without_callbacks(iris, kwargs, reason):
    X, y = iris
    search = constant_search(**kwargs).fit(X, y)
    assert search.stop_reason_ == reason


def test_a_grid_in_several_batches_ends_with_its_last_point(iris):
    X, y = iris
    search = HyperSearchCV(
        LogisticRegression(max_iter=200),
        {"C": Real(1e-2, 1e2, log=True), "fit_intercept": [True, False]},
        generator=GridGenerator(n_points=2),
        batch_size=3,
        cv=3,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4 and search.n_iter_ == 2
    assert search.stop_reason_ == "n_iter=4 candidates evaluated"


@pytest.mark.parametrize(
    "callbacks, match",
    [
        ([1], "callbacks must be callables"),
        (["stop"], "callbacks must be callables"),
    ],
)
def test_bad_callbacks_are_refused(iris, callbacks, match):
    X, y = iris
    with pytest.raises(TypeError, match=match):
        constant_search(callbacks=callbacks).fit(X, y)


def test_sklearn_callbacks_get_a_pointer_to_set_callbacks(iris):
    class LooksLikeSklearnCallback:
        def on_fit_task_begin(self, *args):
            pass

    X, y = iris
    with pytest.raises(TypeError, match="set_callbacks"):
        constant_search(callbacks=[LooksLikeSklearnCallback()]).fit(X, y)


@pytest.mark.parametrize("max_time", [0, -1.0, "1"])
def test_bad_max_time_is_refused(iris, max_time):
    X, y = iris
    with pytest.raises(ValueError, match="max_time"):
        constant_search(max_time=max_time).fit(X, y)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_batches": 0}, "n_batches must be an int >= 1"),
        ({"n_batches": 1.5}, "n_batches must be an int >= 1"),
        ({"min_delta": -0.1}, "min_delta must be >= 0"),
        ({"min_delta": math.nan}, "min_delta must be >= 0"),
    ],
)
def test_no_improvement_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NoImprovement(**kwargs)


def make_state(batches):
    state = SearchState(n_iter=10)
    for scores in batches:
        state.record_batch([{"x": s} for s in scores], scores)
    return state


def test_search_state_tracks_the_best_across_failed_batches():
    state = make_state([[math.nan], [0.5, 0.2], [math.nan, 0.1]])
    assert state.best_after_batch == [-math.inf, 0.5, 0.5]
    assert state.best_score == 0.5 and state.best_params == {"x": 0.5}
    assert state.n_evaluated == 5 and state.n_batches == 3
    assert make_state([[math.nan]]).best_params is None


@pytest.mark.parametrize(
    "history, n_batches, min_delta, stops",
    [
        ([[0.1], [0.1], [0.1]], 2, 0.0, True),
        ([[0.1], [0.1]], 2, 0.0, False),
        ([[0.1], [0.2], [0.2]], 2, 0.0, False),
        ([[0.1], [0.15], [0.15]], 2, 0.1, True),
        ([[math.nan], [math.nan], [math.nan]], 2, 0.0, True),
        ([[math.nan], [math.nan], [0.3]], 2, 0.0, False),
    ],
)
def test_no_improvement_rule(history, n_batches, min_delta, stops):
    rule = NoImprovement(n_batches=n_batches, min_delta=min_delta)
    assert bool(rule(make_state(history))) is stops


def test_target_score_rule():
    assert TargetScore(0.5)(make_state([[0.4], [0.5]]))
    assert not TargetScore(0.5)(make_state([[0.4], [np.nan]]))


def test_verbose_prints_one_line_per_batch_and_why_it_stopped(iris, capsys):
    X, y = iris
    constant_search(n_iter=3, verbose=1).fit(X, y)
    lines = [
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("[HyperSearchCV]")
    ]
    assert len(lines) == 4
    assert "3/3 candidates done, best score so far 0.32" in lines[2]
    assert lines[3] == "[HyperSearchCV] stopped: n_iter=3 candidates evaluated"


@pytest.mark.parametrize("n_iter, note", [(5, True), (24, False), (None, True)])
def test_the_stop_line_says_when_n_iter_left_part_of_a_grid_out(
    iris, capsys, n_iter, note
):
    # A script swapped from GridSearchCV keeps a default n_iter (50 for
    # BayesSearchCV): on a larger grid, verbose says how much did not run.
    X, y = iris
    grid = {
        "C": [0.01, 0.1, 1.0, 10.0],
        "fit_intercept": [True, False],
        "tol": [1e-4, 1e-3, 1e-2],
    }
    if n_iter is None:
        grid["tol"] = list(np.logspace(-6, -1, 9))  # 72 candidates, n_iter 50
    kwargs = {} if n_iter is None else {"n_iter": n_iter}
    BayesSearchCV(
        LogisticRegression(max_iter=200),
        grid,
        cv=2,
        verbose=1,
        random_state=0,
        **kwargs,
    ).fit(X, y)
    (last,) = [
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("[BayesSearchCV] stopped")
    ]
    size = 4 * 2 * len(grid["tol"])
    evaluated = size if n_iter is None and size <= 50 else (n_iter or 50)
    expected = f"[BayesSearchCV] stopped: n_iter={evaluated} candidates evaluated"
    if note:
        expected += (
            f" ({evaluated} of the space's {size}; n_iter={size} evaluates them all)"
        )
    assert last == expected


class SleepyRegressor(RegressorMixin, BaseEstimator):
    """Every fit sleeps ``delay`` seconds; scores follow ``a``."""

    def __init__(self, a=0.5, delay=0.05):
        self.a = a
        self.delay = delay

    def fit(self, X, y=None):
        time.sleep(self.delay)
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None):
        return -abs(self.a - 0.3)


@pytest.mark.parametrize("generator", ["grid", "random", "sobol"])
def test_max_time_bounds_generators_that_ignore_scores(generator):
    """30 candidates of 0.1 s (2 folds of 0.05 s) under max_time=0.5: the
    search stops after a few, not after all 30 in one batch."""
    X, y = np.zeros((20, 1)), np.zeros(20)
    space = (
        {"a": [i / 30 for i in range(30)]}
        if generator == "grid"
        else {"a": Real(0.0, 1.0)}
    )
    kwargs = dict(generator=generator, n_iter=30, cv=2, random_state=0)
    search = HyperSearchCV(SleepyRegressor(), space, max_time=0.5, **kwargs)
    search.fit(X, y)
    n_done = len(search.cv_results_["params"])
    assert n_done < 30
    assert search.stop_reason_ == "max_time=0.5 s reached"
    unbounded = HyperSearchCV(SleepyRegressor(delay=0.0), space, **kwargs).fit(X, y)
    assert search.cv_results_["params"] == unbounded.cv_results_["params"][:n_done]


def test_max_time_batches_grow_for_cheap_fits():
    X, y = np.zeros((20, 1)), np.zeros(20)
    search = HyperSearchCV(
        SleepyRegressor(delay=0.0),
        {"a": Real(0.0, 1.0)},
        generator="random",
        n_iter=200,
        cv=2,
        max_time=600,
        random_state=0,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 200
    assert search.n_iter_ < 20

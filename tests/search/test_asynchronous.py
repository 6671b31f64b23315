"""Asynchronous evaluation: fits finishing in any order, stops, failures."""

from __future__ import annotations

import os
import time
import warnings

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV, KFold

from skhyper import BayesSearchCV, HyperSearchCV, Real
from skhyper.generators import GPGenerator
from skhyper.search._async import AskSize, TaskFeed
from tests._joblib_features import needs_unordered_results

from .test_bad_inputs import KilledOnce


class Sleeper(RegressorMixin, BaseEstimator):
    """Sleeps longer for small ``a`` (so fits finish out of their order),
    fails for ``a`` above ``fail_above``; scores ``-(a - 0.3)^2`` and, on
    a second metric, ``a``."""

    def __init__(self, a=0.5, fail_above=2.0, scale=0.01):
        self.a = a
        self.fail_above = fail_above
        self.scale = scale

    def fit(self, X, y):
        time.sleep(self.scale * (1.0 - self.a) * (1 + len(X) % 3))
        if self.a > self.fail_above:
            raise ArithmeticError(f"Sleeper refuses a={self.a}")
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.a)

    def score(self, X, y):
        return -((self.a - 0.3) ** 2)


X = np.arange(30, dtype=float).reshape(-1, 1)
Y = np.zeros(30)
SPACE = {"a": Real(0.0, 1.0)}
CV = KFold(3)


def async_search(n_jobs=4, **kwargs):
    defaults = dict(generator="gp", n_iter=14, cv=CV, random_state=0, asynchronous=True)
    return HyperSearchCV(Sleeper(), SPACE, n_jobs=n_jobs, **{**defaults, **kwargs})


def gridsearch_of(search, **kwargs):
    """GridSearchCV evaluating exactly the candidates the search evaluated,
    in its order."""
    grid = [{k: [v] for k, v in p.items()} for p in search.cv_results_["params"]]
    return GridSearchCV(search.estimator, grid, cv=search.cv, **kwargs).fit(X, Y)


def assert_formatted_as_sklearn(search, reference):
    ours, theirs = search.cv_results_, reference.cv_results_
    assert set(ours) - set(theirs) == {"iteration"}
    for key, value in theirs.items():
        if "time" in key:
            assert np.shape(ours[key]) == np.shape(value)
        elif key == "params":
            assert ours[key] == value
        else:
            np.testing.assert_array_equal(ours[key], value, err_msg=key)
    assert search.best_index_ == reference.best_index_
    assert search.best_params_ == reference.best_params_


@needs_unordered_results
def test_results_arriving_out_of_order_are_formatted_as_sklearn():
    with parallel_config(backend="threading"):
        search = async_search().fit(X, Y)
    assert len(search.cv_results_["params"]) == 14
    assert len({p["a"] for p in search.cv_results_["params"]}) == 14
    assert_formatted_as_sklearn(search, gridsearch_of(search))
    iterations = search.cv_results_["iteration"]
    # Each ask is an iteration; a candidate asked later can finish earlier.
    assert iterations.min() == 0 and search.n_iter_ == iterations.max() + 1
    np.testing.assert_array_equal(
        search.generator_.scores_, search.cv_results_["mean_test_score"]
    )
    assert search.stop_reason_ == "n_iter=14 candidates evaluated"


@needs_unordered_results
def test_multimetric_scoring_tells_the_refit_metric():
    scoring = {"neg": "neg_mean_squared_error", "own": lambda est, X, y: est.a}
    with parallel_config(backend="threading"):
        search = async_search(scoring=scoring, refit="own").fit(X, Y)
    np.testing.assert_array_equal(
        search.generator_.scores_, search.cv_results_["mean_test_own"]
    )
    reference = gridsearch_of(search, scoring=scoring, refit="own")
    assert_formatted_as_sklearn(search, reference)
    # Maximizing a drives the GP to the top of the range.
    assert search.best_params_["a"] > 0.9


@needs_unordered_results
def test_failing_fits_are_recorded_and_the_search_goes_on():
    search = HyperSearchCV(
        Sleeper(fail_above=0.6),
        SPACE,
        generator="gp",
        n_iter=12,
        cv=CV,
        n_jobs=3,
        random_state=0,
        asynchronous=True,
    )
    with parallel_config(backend="threading"), warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        search.fit(X, Y)
    params = [p["a"] for p in search.cv_results_["params"]]
    scores = search.cv_results_["mean_test_score"]
    assert len(params) == 12
    failed = np.array(params) > 0.6
    assert failed.any() and np.isnan(scores[failed]).all()
    assert np.isfinite(scores[~failed]).all()
    assert search.best_params_["a"] <= 0.6


@needs_unordered_results
def test_every_fit_failing_raises_as_in_batch_mode():
    search = HyperSearchCV(
        Sleeper(fail_above=-1.0),
        SPACE,
        generator="gp",
        n_iter=4,
        cv=CV,
        n_jobs=2,
        asynchronous=True,
    )
    with (
        parallel_config(backend="threading"),
        warnings.catch_warnings(),
        pytest.raises(ValueError, match="All the 12 fits failed"),
    ):
        warnings.simplefilter("ignore", FitFailedWarning)
        search.fit(X, Y)


@needs_unordered_results
def test_error_score_raise_reraises():
    search = HyperSearchCV(
        Sleeper(fail_above=-1.0),
        SPACE,
        n_iter=4,
        cv=CV,
        n_jobs=2,
        generator="gp",
        asynchronous=True,
        error_score="raise",
    )
    with parallel_config(backend="threading"):
        with pytest.raises(ArithmeticError, match="Sleeper refuses"):
            search.fit(X, Y)


@needs_unordered_results
def test_max_time_stops_asking_and_keeps_what_finished():
    search = async_search(n_iter=2000, max_time=0.5, generator="random")
    with parallel_config(backend="threading"):
        search.fit(X, Y)
    n_done = len(search.cv_results_["params"])
    assert 0 < n_done < 2000
    assert search.stop_reason_ == "max_time=0.5 s reached"
    assert_formatted_as_sklearn(search, gridsearch_of(search))


@needs_unordered_results
def test_a_callback_sees_every_candidate_and_stops_the_search():
    seen = []

    def stop_after_five(state):
        seen.append(state.n_evaluated)
        return "enough" if state.n_evaluated >= 5 else None

    search = async_search(n_iter=40, callbacks=stop_after_five, n_jobs=3)
    with parallel_config(backend="threading"):
        search.fit(X, Y)
    assert seen[:5] == [1, 2, 3, 4, 5]
    # The candidates already running when it stopped finish and are kept.
    n_done = len(search.cv_results_["params"])
    assert 5 <= n_done <= 5 + 3 + 2
    assert search.stop_reason_ == "stop_after_five: enough"


@pytest.mark.slow
@needs_unordered_results
def test_a_killed_loky_worker_loses_only_its_fits(diabetes, tmp_path):
    X_, y_ = diabetes
    marker = tmp_path / "killed"
    search = HyperSearchCV(
        KilledOnce(marker=str(marker)),
        {"alpha": Real(0.0, 100.0)},
        generator="gp",
        n_iter=6,
        cv=3,
        n_jobs=2,
        random_state=0,
        asynchronous=True,
    )
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        search.fit(X_, y_)
    assert marker.exists() and int(marker.read_text()) != os.getpid()
    results = search.cv_results_
    assert len(results["params"]) == 6
    assert np.isfinite(results["mean_test_score"]).all()
    lost = [str(r.message) for r in records if r.category is RuntimeWarning]
    assert any("worker was lost" in m and "evaluated again" in m for m in lost)
    assert isinstance(search.estimator, KilledOnce)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(generator="gradient"), "proposes in batches of its own"),
        (dict(batch_size=2), "batch_size=2 asks for batches"),
    ],
)
def test_asynchronous_true_refuses_what_needs_batches(kwargs, match):
    search = async_search(**kwargs)
    with pytest.raises(ValueError, match=match):
        search.fit(X, Y)


def test_auto_keeps_batches_below_eight_workers_and_goes_async_from_there():
    kwargs = dict(n_iter=4, cv=CV, random_state=0)
    two = BayesSearchCV(Sleeper(), SPACE, n_jobs=2, **kwargs)
    with parallel_config(backend="threading"):
        two.fit(X, Y)
        eight = BayesSearchCV(Sleeper(), SPACE, n_jobs=8, **kwargs).fit(X, Y)
    assert list(two.cv_results_["iteration"]) == [0, 0, 1, 1]
    # Asynchronously the 4 candidates fill 8 workers: asked in one go or
    # one at a time, never as equal batches of the balanced size (3).
    assert eight.n_iter_ != 2
    assert len(eight.cv_results_["params"]) == 4


def test_an_invalid_asynchronous_value_is_refused_at_fit():
    with pytest.raises(ValueError, match="asynchronous"):
        async_search(asynchronous="always").fit(X, Y)


def test_the_gp_spreads_candidates_asked_while_others_are_pending():
    space = {"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)}
    gp = GPGenerator(n_initial_points=4).start(space, random_state=0)
    rng = np.random.default_rng(0)
    told = [{"x": float(a), "y": float(b)} for a, b in rng.random((8, 2))]
    gp.tell(told, [-((p["x"] - 0.7) ** 2 + (p["y"] - 0.2) ** 2) for p in told])
    first = gp.ask(1)[0]
    second = gp.ask(1)[0]  # the first is pending: believed, not told
    distance = np.hypot(first["x"] - second["x"], first["y"] - second["y"])
    assert distance > 1e-3


def tags(feed, n):
    out = []
    for _ in range(n):
        try:
            out.append(next(feed))
        except StopIteration:
            out.append("stop")
    return out


def test_the_task_feed_keeps_joblib_asking_while_nothing_is_ready():
    feed = TaskFeed(pull_size=3, keep_alive=True)
    feed.push([((0, 0), "t0")])
    # The call's first pull is filled up with placeholders.
    first = tags(feed, 3)
    assert first[0] == "t0" and all(callable(t[0]) for t in first[1:])
    # A later pull: one placeholder when empty, then the pull ends.
    later = tags(feed, 2)
    assert callable(later[0][0]) and later[1] == "stop"
    assert feed.n_starved == 1
    feed.push([((1, 0), "t1"), ((1, 1), "t2")])
    assert tags(feed, 3) == ["t1", "t2", "stop"]
    assert feed.handed_out == {(0, 0), (1, 0), (1, 1)}
    feed.close()
    assert tags(feed, 1) == ["stop"]


def test_the_task_feed_without_keep_alive_only_hands_out_tasks():
    feed = TaskFeed(pull_size=1, keep_alive=False)
    assert tags(feed, 1) == ["stop"]
    feed.push([((0, 0), "a"), ((0, 1), "b")])
    feed.push([((1, 0), "c")], front=True)
    assert tags(feed, 4) == ["c", "a", "b", "stop"]
    assert feed.lost() == [(0, 0), (0, 1), (1, 0)]
    assert feed.handed_out == set()


def test_asks_grow_while_a_busy_generator_starves_workers_and_shrink_back():
    size = AskSize(largest=16)
    assert size.size(n_starved=0, busy=0.9) == 1
    sizes = []
    for starved in [0, 1, 3, 4, 9, 12, 14, 14, 14, 14, 14, 14]:
        sizes.append(size.size(starved, busy=0.9))
        size.asked(starved, busy=0.9)
    assert sizes == [1, 2, 4, 8, 16, 16, 16, 8, 4, 2, 1, 1]
    assert AskSize(largest=0).size(5, busy=0.9) == 1
    # A generator that keeps up easily asks one candidate at a time, even
    # when a worker found no fit ready (a burst of results).
    idle = AskSize(largest=16)
    for starved in [1, 2, 3]:
        assert idle.size(starved, busy=0.2) == 1
        idle.asked(starved, busy=0.2)
    idle.asked(4, busy=0.9)
    assert idle.current == 2
    assert idle.size(4, busy=0.2) == 1


class SlowForLargeA(Sleeper):
    """Sleeps in short steps (so a time limit can stop it) for ``a > 0.7``."""

    def fit(self, X, y):
        if self.a > 0.7:
            for _ in range(200):
                time.sleep(0.01)
        self.n_features_in_ = X.shape[1]
        return self


@needs_unordered_results
def test_fit_timeout_stops_slow_fits_of_an_asynchronous_search():
    search = HyperSearchCV(
        SlowForLargeA(),
        SPACE,
        generator="random",
        n_iter=8,
        cv=CV,
        n_jobs=3,
        random_state=0,
        asynchronous=True,
        fit_timeout=0.2,
    )
    with (
        parallel_config(backend="threading"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", FitFailedWarning)
        search.fit(X, Y)
    params = np.array([p["a"] for p in search.cv_results_["params"]])
    scores = search.cv_results_["mean_test_score"]
    assert len(params) == 8 and (params > 0.7).any()
    assert np.isnan(scores[params > 0.7]).all()
    assert np.isfinite(scores[params <= 0.7]).all()

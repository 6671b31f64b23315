"""Refit rules: ties, NaN scores, multi-metric, and use in real searches."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.tree import DecisionTreeClassifier

from skhyper import HyperSearchCV
from skhyper.selection import (
    FastestWithinTolerance,
    OneStandardError,
    ParetoRefit,
    hypervolume,
    pareto_front,
    pareto_mask,
)


def results(
    means, stds=None, fit_times=None, score_times=None, params=None, n_splits=4
):
    """A minimal single-metric cv_results_."""
    n = len(means)
    means = np.asarray(means, dtype=float)
    out = {
        "params": params or [{"depth": i + 1} for i in range(n)],
        "mean_test_score": means,
        "std_test_score": np.zeros(n) if stds is None else np.asarray(stds, float),
        "rank_test_score": np.argsort(np.argsort(-np.nan_to_num(means, nan=-np.inf)))
        + 1,
        "mean_fit_time": np.ones(n) if fit_times is None else np.asarray(fit_times),
        "mean_score_time": (
            np.ones(n) if score_times is None else np.asarray(score_times)
        ),
    }
    for k in range(n_splits):
        out[f"split{k}_test_score"] = means
    return out


# -- OneStandardError -------------------------------------------------------
def test_one_se_picks_simplest_within_band():
    # best 0.90 with std 0.04 over 4 splits: standard error 0.02, band >= 0.88.
    r = results([0.85, 0.88, 0.90, 0.89], stds=[0, 0, 0.04, 0])
    assert OneStandardError("depth")(r) == 1
    assert OneStandardError("depth", simpler="higher")(r) == 3
    assert OneStandardError("depth", n_std=0)(r) == 2
    assert OneStandardError("depth", n_std=2.6)(r) == 0


def test_one_se_ties_in_complexity_go_to_the_higher_score_then_earlier():
    params = [{"depth": 2}, {"depth": 2}, {"depth": 2}, {"depth": 5}]
    r = results([0.88, 0.89, 0.89, 0.90], stds=[0, 0, 0, 0.08], params=params)
    assert OneStandardError("depth")(r) == 1


def test_one_se_none_and_missing_are_least_simple():
    params = [{"depth": None}, {"other": 1}, {"depth": 3}]
    r = results([0.9, 0.9, 0.8], stds=[0.4, 0, 0], params=params)
    assert OneStandardError("depth")(r) == 2
    assert OneStandardError("depth", simpler="higher")(r) == 2


def test_one_se_nan_scores_are_never_picked():
    r = results([np.nan, 0.88, 0.90, np.nan], stds=[np.nan, 0, 0.04, np.nan])
    assert OneStandardError("depth")(r) == 1
    r = results([0.9, np.nan], stds=[np.nan, np.nan])  # best std NaN: no band
    assert OneStandardError("depth")(r) == 0


def test_rules_fall_back_to_rank_when_nothing_scored():
    r = results([np.nan, np.nan, np.nan])
    for rule in (OneStandardError("depth"), FastestWithinTolerance(), ParetoRefit()):
        with pytest.warns(UserWarning, match="no candidate has a finite"):
            assert rule(r) in (0, 1, 2)


def test_one_se_callable_and_bad_values():
    params = [{"k": "rbf"}, {"k": "linear"}]
    r = results([0.9, 0.9], params=params)
    with pytest.raises(TypeError, match="not a number"):
        OneStandardError("k")(r)
    simple = OneStandardError(lambda p: {"linear": 0, "rbf": 1}[p["k"]])
    assert simple(r) == 1
    with pytest.raises(ValueError, match="simpler"):
        OneStandardError("k", simpler="smaller")
    with pytest.raises(ValueError, match="n_std"):
        OneStandardError("k", n_std=-1)


# -- FastestWithinTolerance -------------------------------------------------
def test_fastest_within_tolerance():
    r = results(
        [0.90, 0.895, 0.80, 0.891],
        fit_times=[4.0, 2.0, 0.1, 1.0],
        score_times=[0.1, 0.1, 0.1, 3.0],
    )
    assert FastestWithinTolerance(0.01)(r) == 3
    assert FastestWithinTolerance(0.01, time="total_time")(r) == 1
    assert FastestWithinTolerance(0.0)(r) == 0
    assert FastestWithinTolerance(0.2)(r) == 2
    assert FastestWithinTolerance(0.006, relative=True)(r) == 1


def test_fastest_ties_go_to_higher_score_then_earlier_and_skip_nan():
    r = results([0.9, 0.95, 0.95, np.nan], fit_times=[1.0, 1.0, 1.0, 0.0])
    assert FastestWithinTolerance(0.1)(r) == 1
    with pytest.raises(ValueError, match="time must be"):
        FastestWithinTolerance(time="predict")


# -- multi-metric -----------------------------------------------------------
def multi_metric():
    r = results([0.0, 0.0, 0.0], fit_times=[3.0, 2.0, 1.0])
    del r["mean_test_score"], r["std_test_score"], r["rank_test_score"]
    for k in range(4):
        del r[f"split{k}_test_score"]
    for name, means in {"acc": [0.9, 0.89, 0.5], "f1": [0.5, 0.7, 0.69]}.items():
        r[f"mean_test_{name}"] = np.array(means)
        r[f"std_test_{name}"] = np.zeros(3)
        r[f"rank_test_{name}"] = np.argsort(np.argsort(-np.array(means))) + 1
    return r


def test_rules_need_a_metric_under_multi_metric_scoring():
    r = multi_metric()
    for rule in (OneStandardError("depth"), FastestWithinTolerance()):
        with pytest.raises(ValueError, match="several metrics"):
            rule(r)
    with pytest.raises(ValueError, match="not in cv_results_"):
        FastestWithinTolerance(metric="recall")(r)
    assert FastestWithinTolerance(0.02, metric="acc")(r) == 1
    assert FastestWithinTolerance(0.02, metric="f1")(r) == 2
    assert OneStandardError("depth", metric="f1", n_std=0)(r) == 1
    assert ParetoRefit(["acc", "f1"], pick="first")(r) == 0
    assert set(pareto_front(r, ["acc", "f1", "fit_time"])) == {0, 1, 2}


# -- ParetoRefit and the front ----------------------------------------------
def test_pareto_refit_picks_on_the_front():
    r = results([0.90, 0.89, 0.70, 0.60], fit_times=[10.0, 1.0, 0.1, 0.2])
    assert pareto_front(r).tolist() == [0, 1, 2]
    assert ParetoRefit()(r) == 1
    assert ParetoRefit(pick="first")(r) == 0
    assert ParetoRefit(pick=lambda res, front: front[-1])(r) == 2
    with pytest.raises(ValueError, match="not on the Pareto front"):
        ParetoRefit(pick=lambda res, front: 3)(r)
    with pytest.raises(ValueError, match="Unknown objective"):
        ParetoRefit(["score", "memory"])(r)


def brute_force_front(points):
    front = []
    for i, p in enumerate(points):
        if not np.isfinite(p).all():
            continue
        dominated = any(
            np.isfinite(q).all() and (q >= p).all() and (q > p).any() for q in points
        )
        if not dominated:
            front.append(i)
    return front


points_strategy = st.integers(1, 25).flatmap(
    lambda n: st.lists(
        st.lists(
            st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, np.nan]), min_size=3, max_size=3
        ),
        min_size=n,
        max_size=n,
    )
)


@settings(max_examples=80, deadline=None)
@given(points_strategy)
def test_pareto_mask_matches_brute_force(points):
    points = np.array(points, dtype=float)
    assert np.flatnonzero(pareto_mask(points)).tolist() == brute_force_front(points)


@settings(max_examples=60, deadline=None)
@given(points_strategy, st.integers(2, 3))
def test_hypervolume_matches_a_grid_count(points, m):
    # Values on a 0.5 grid: count the grid cells any point dominates.
    points = np.nan_to_num(np.array(points, dtype=float)[:, :m], nan=3.5)
    ref = np.full(m, 3.5)
    cells = itertools.product(*[np.arange(0.0, 3.5, 0.5)] * m)
    expected = sum(0.5**m for c in cells if ((points <= np.array(c)).all(axis=1)).any())
    assert hypervolume(points, ref) == pytest.approx(expected)


# -- in real searches -------------------------------------------------------
@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X[::2], y[::2]


@pytest.mark.parametrize(
    "rule",
    [
        OneStandardError("max_depth"),
        FastestWithinTolerance(0.02),
        ParetoRefit(["score", "fit_time"]),
    ],
)
@pytest.mark.parametrize("search_class", ["grid", "randomized", "skhyper"])
def test_rules_in_searches(cancer, rule, search_class):
    X, y = cancer
    est = DecisionTreeClassifier(random_state=0)
    space = {"max_depth": [1, 2, 3, 5, 8, None]}
    if search_class == "grid":
        search = GridSearchCV(est, space, refit=rule)
    elif search_class == "randomized":
        search = RandomizedSearchCV(est, space, n_iter=6, refit=rule, random_state=0)
    else:
        search = HyperSearchCV(est, space, generator="grid", refit=rule)
    search.fit(X, y)
    assert search.best_index_ == rule(search.cv_results_)
    assert search.best_params_ == search.cv_results_["params"][search.best_index_]
    assert search.best_estimator_.max_depth == search.best_params_["max_depth"]
    if isinstance(rule, OneStandardError):
        # The rule's choice is never deeper than the best-scoring tree.
        best = int(np.argmax(search.cv_results_["mean_test_score"]))
        depth = search.cv_results_["params"][best]["max_depth"] or 99
        assert (search.best_params_["max_depth"] or 99) <= depth


def test_rules_in_a_multi_metric_search(cancer):
    X, y = cancer
    rule = OneStandardError("max_depth", metric="f1")
    search = HyperSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": [1, 2, 3, 5, 8]},
        generator="grid",
        scoring={"acc": "accuracy", "f1": "f1"},
        refit=rule,
    ).fit(X, y)
    assert search.best_index_ == rule(search.cv_results_)
    assert search.predict(X[:3]).shape == (3,)

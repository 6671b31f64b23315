"""Searches with several objectives: the generator, the front, refit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from skhyper import BayesSearchCV, HyperSearchCV, Integer, ParetoGPGenerator
from skhyper.selection import ParetoRefit, objective_matrix, pareto_front

from .test_rules import brute_force_front


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X[::2], y[::2]


def n_leaves(estimator, X, y):
    """A user metric of the fitted model: fewer leaves is better."""
    return -float(estimator.get_n_leaves())


@pytest.mark.parametrize("generator", ["gp", "random", "sobol", "grid"])
def test_front_of_any_generator(cancer, generator):
    X, y = cancer
    search = HyperSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": Integer(1, 8), "min_samples_leaf": Integer(1, 20)},
        generator=generator,
        n_iter=12,
        batch_size=4,
        cv=3,
        scoring={"accuracy": "accuracy", "leaves": n_leaves},
        objectives=["accuracy", "leaves"],
        refit=ParetoRefit(["accuracy", "leaves"]),
        random_state=0,
    ).fit(X, y)
    matrix = objective_matrix(search.cv_results_, ["accuracy", "leaves"])
    assert sorted(search.pareto_front_) == brute_force_front(matrix)
    assert search.best_index_ in search.pareto_front_
    expected = ParetoGPGenerator if generator == "gp" else type(search.generator_)
    assert isinstance(search.generator_, expected)
    if generator == "gp":
        assert search.generator_.objective_values_.shape == (12, 2)


def test_bayes_search_with_fit_time(cancer):
    X, y = cancer
    search = BayesSearchCV(
        RandomForestClassifier(random_state=0, n_jobs=1),
        {"n_estimators": Integer(2, 40, log=True), "max_depth": Integer(1, 8)},
        n_iter=10,
        n_initial_points=5,
        cv=2,
        objectives=["score", "fit_time"],
        random_state=0,
    ).fit(X, y)
    assert isinstance(search.generator_, ParetoGPGenerator)
    # Told -log(fit time): the second column orders like -mean_fit_time.
    told = search.generator_.objective_values_[:, 1]
    times = search.cv_results_["mean_fit_time"]
    np.testing.assert_allclose(told, -np.log(times))
    np.testing.assert_array_equal(
        search.pareto_front_, pareto_front(search.cv_results_, ["score", "fit_time"])
    )
    # refit=True keeps its meaning: the best score.
    assert search.best_index_ == int(np.argmax(search.cv_results_["mean_test_score"]))


def test_bad_objectives(cancer):
    X, y = cancer
    common = dict(n_iter=2, cv=2, random_state=0)
    est = DecisionTreeClassifier(random_state=0)
    with pytest.raises(ValueError, match="Unknown objective"):
        HyperSearchCV(
            est, {"max_depth": [1, 2]}, objectives=["score", "memory"], **common
        ).fit(X, y)
    with pytest.raises(ValueError, match="non-empty list"):
        BayesSearchCV(est, {"max_depth": [1, 2]}, objectives=[], **common).fit(X, y)


def pareto_search(**params):
    return BayesSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": Integer(1, 8), "min_samples_leaf": Integer(1, 20)},
        **{
            "n_iter": 10,
            "n_initial_points": 4,
            "batch_size": 2,
            "cv": 3,
            "scoring": {"accuracy": "accuracy", "leaves": n_leaves},
            "objectives": ["accuracy", "leaves"],
            "refit": "accuracy",
            "random_state": 0,
            **params,
        },
    )


def test_multi_objective_search_resumes_identically(cancer, tmp_path):
    X, y = cancer
    path = tmp_path / "pareto.ckpt"
    pareto_search(n_iter=6, checkpoint=path).fit(X, y)
    resumed = pareto_search(checkpoint=path).fit(X, y)
    uninterrupted = pareto_search().fit(X, y)
    assert isinstance(resumed.generator_, ParetoGPGenerator)
    assert resumed.cv_results_["params"] == uninterrupted.cv_results_["params"]
    np.testing.assert_array_equal(
        resumed.generator_.objective_values_,
        uninterrupted.generator_.objective_values_,
    )
    assert list(resumed.pareto_front_) == list(uninterrupted.pareto_front_)


def test_resumed_pareto_generator_is_told_the_recorded_times(cancer, tmp_path):
    X, y = cancer
    path = tmp_path / "times.ckpt"
    params = {"objectives": ["score", "fit_time"], "scoring": "accuracy", "refit": True}
    first = pareto_search(n_iter=6, checkpoint=path, **params).fit(X, y)
    recorded = -np.log(first.cv_results_["mean_fit_time"])
    resumed = pareto_search(checkpoint=path, **params).fit(X, y)
    assert len(resumed.cv_results_["params"]) == 10
    assert resumed.cv_results_["params"][:6] == first.cv_results_["params"]
    np.testing.assert_allclose(resumed.generator_.objective_values_[:6, 1], recorded)


class Recorder:
    """A callback that keeps what the search shows it."""

    def __init__(self):
        self.sizes, self.ended = [], []

    def __call__(self, state):
        self.sizes.append(len(state.results["params"]))
        assert len(state.results["mean_test_score"]) == state.n_evaluated

    def on_search_end(self, search, error):
        self.ended.append((hasattr(search, "best_estimator_"), error))


def test_callbacks_see_results_and_the_end_of_fit(cancer):
    X, y = cancer
    recorder = Recorder()
    HyperSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": [1, 2, 3, 4, 5]},
        generator="grid",
        batch_size=2,
        cv=2,
        callbacks=recorder,
    ).fit(X, y)
    assert recorder.sizes == [2, 4, 5]
    assert recorder.ended == [(True, None)]
    failing = Recorder()
    with pytest.raises(ValueError):
        HyperSearchCV(
            DecisionTreeClassifier(),
            {"max_depth": [-1, -2]},
            generator="grid",
            cv=2,
            callbacks=[failing],
        ).fit(X, y)
    assert len(failing.ended) == 1 and isinstance(failing.ended[0][1], ValueError)

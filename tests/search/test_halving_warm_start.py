"""HalvingBayesSearchCV(warm_start_promotions=True): promotions continue the
fitted models of the rung before."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import HalvingBayesSearchCV, Integer
from skhyper.search._warm_start import WarmStarts

TIME_KEYS = ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time")


class RecordingForest(RandomForestClassifier):
    """A forest that records, at every fit, how many trees it already had."""

    trees_before: list[int] = []

    def fit(self, X, y, sample_weight=None):
        type(self).trees_before.append(len(getattr(self, "estimators_", [])))
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture
def data():
    return make_classification(300, 8, random_state=0)


def forest_search(estimator=None, **params):
    return HalvingBayesSearchCV(
        estimator if estimator is not None else RecordingForest(random_state=0),
        {"max_depth": Integer(2, 12), "min_samples_leaf": Integer(1, 8)},
        resource="n_estimators",
        min_resources=2,
        max_resources=18,
        factor=3,
        n_candidates=9,
        cv=3,
        random_state=0,
        **params,
    )


def without_times(results):
    return {k: v for k, v in results.items() if k not in TIME_KEYS}


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_promotions_grow_the_forests_of_the_rung_before_to_the_same_scores(
    data, n_jobs
):
    """A forest with an integer seed warm-started from 6 to 18 trees is the
    forest of 18 trees: every score equals the cold search's."""
    X, y = data
    cold = forest_search(n_jobs=n_jobs).fit(X, y)
    warm = forest_search(n_jobs=n_jobs, warm_start_promotions=True).fit(X, y)
    assert warm.n_resources_ == cold.n_resources_ == [2, 6, 18]
    expected, got = without_times(cold.cv_results_), without_times(warm.cv_results_)
    assert list(got["params"]) == list(expected["params"])
    for key, values in expected.items():
        if key.startswith(("split", "mean_test", "mean_train", "rank")):
            np.testing.assert_array_equal(got[key], values, err_msg=key)
    assert warm.best_params_ == cold.best_params_
    # The refit is cold and the user's estimator untouched.
    assert warm.best_estimator_.get_params()["warm_start"] is False
    assert warm.estimator.get_params()["warm_start"] is False


def test_promoted_fits_start_from_the_trees_already_grown(data):
    X, y = data
    RecordingForest.trees_before = []
    search = forest_search(warm_start_promotions=True, refit=False).fit(X, y)
    n_candidates, n_splits = search.n_candidates_, search.n_splits_
    before = RecordingForest.trees_before
    assert len(before) == sum(n_candidates) * n_splits
    first = n_candidates[0] * n_splits
    second = first + n_candidates[1] * n_splits
    assert set(before[:first]) == {0}  # the first rung starts from nothing
    assert set(before[first:second]) == {2}  # then 2 trees grow to 6
    assert set(before[second:]) == {6}  # and 6 to 18


def test_cold_promotions_refit_from_nothing(data):
    X, y = data
    RecordingForest.trees_before = []
    forest_search(refit=False).fit(X, y)
    assert set(RecordingForest.trees_before) == {0}


def test_a_pipeline_step_continues_through_its_own_warm_start(data):
    X, y = data
    pipe = Pipeline(
        [("scale", StandardScaler()), ("clf", RecordingForest(random_state=0))]
    )
    search = HalvingBayesSearchCV(
        pipe,
        {"clf__max_depth": Integer(2, 12)},
        resource="clf__n_estimators",
        min_resources=2,
        max_resources=18,
        factor=3,
        n_candidates=9,
        cv=3,
        random_state=0,
        warm_start_promotions=True,
    )
    RecordingForest.trees_before = []
    search.fit(X, y)
    assert max(RecordingForest.trees_before) == 6
    assert search.best_estimator_.get_params()["clf__warm_start"] is False


def test_boosting_with_max_iter_runs_warm(data):
    X, y = data
    search = HalvingBayesSearchCV(
        HistGradientBoostingClassifier(early_stopping=False, random_state=0),
        {"learning_rate": [0.05, 0.1, 0.3], "max_leaf_nodes": [7, 15, 31]},
        resource="max_iter",
        min_resources=4,
        max_resources=36,
        factor=3,
        cv=3,
        random_state=0,
        warm_start_promotions=True,
    ).fit(X, y)
    assert search.n_resources_ == [4, 12, 36]
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize(
    "estimator, resource, match",
    [
        (
            RandomForestClassifier(),
            "n_samples",
            "resource='n_samples' every rung fits other samples",
        ),
        (SVC(), "max_iter", "SVC to have a warm_start parameter"),
        (
            LogisticRegression(),
            "max_iter",
            "supports scikit-learn's ensembles.*LogisticRegression",
        ),
    ],
)
def test_estimators_that_cannot_continue_are_refused(data, estimator, resource, match):
    X, y = data
    search = HalvingBayesSearchCV(
        estimator,
        {"class_weight": [None, "balanced"]},
        resource=resource,
        max_resources=30 if resource != "n_samples" else "auto",
        cv=3,
        warm_start_promotions=True,
    )
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)


def test_only_the_promoted_candidates_models_are_kept():
    warm = WarmStarts("warm_start", last_rung=2)
    models = {(0, key, fold): (0, object()) for key in "abc" for fold in range(3)}
    models[(1, "a", 0)] = (0, object())
    warm._models = dict(models)
    warm.keep_only(bracket=0, keys={"b"})
    assert sorted(warm._models) == [(0, "b", 0), (0, "b", 1), (0, "b", 2)]
    warm.clear()
    assert len(warm) == 0

"""scikit-learn's successive-halving gallery, run on HalvingBayesSearchCV.

Each test rebuilds one example of scikit-learn 1.9 in its own terms (the same
data, estimator, space and search call with the same keywords, then the same
use of the results: data frames, pivots, the labels the plots are drawn
with), with only the class name swapped:

- ``examples/model_selection/plot_successive_halving_heatmap.py``:
  ``HalvingGridSearchCV(estimator=clf, param_grid=param_grid, factor=2,
  random_state=rng)``, a heat map of the best score per grid cell and of the
  last rung each cell reached;
- ``examples/model_selection/plot_successive_halving_iterations.py``:
  ``HalvingRandomSearchCV(estimator=clf, param_distributions=param_dist,
  factor=2, random_state=rng)``, one score curve per candidate across rungs.

The schedule (``n_resources_``, ``n_candidates_``, ...) must equal
scikit-learn's: it depends only on the data, the space and the keywords. The
candidates may differ (a ``RandomState`` instance is shared with the data and
the estimator, so the two searches draw different subsets and candidates).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import randint
from sklearn import datasets
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV
from sklearn.svm import SVC

from skhyper import HalvingBayesSearchCV
from tests.search._schedule import assert_same_schedule

GAMMAS = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7]
CS = [1, 10, 100, 1e3, 1e4, 1e5]


def heatmap_example(search_class):
    """The heat-map example up to the two matrices it draws."""
    rng = np.random.RandomState(0)
    X, y = datasets.make_classification(n_samples=1000, random_state=rng)
    param_grid = {"gamma": GAMMAS, "C": CS}
    clf = SVC(random_state=rng)
    gsh = search_class(
        estimator=clf, param_grid=param_grid, factor=2, random_state=rng
    ).fit(X, y)
    results = pd.DataFrame(gsh.cv_results_)
    results["params_str"] = results.params.apply(str)
    results = results.drop_duplicates(subset=("params_str", "iter"))
    scores = results.sort_values("iter").pivot_table(
        index="param_gamma",
        columns="param_C",
        values="mean_test_score",
        aggfunc="last",
    )
    iterations = results.pivot_table(
        index="param_gamma", columns="param_C", values="iter", aggfunc="max"
    )
    return gsh, scores.values, iterations.values


def iterations_example(search_class):
    """The score-curves example up to the frame it plots and its labels."""
    rng = np.random.RandomState(0)
    X, y = datasets.make_classification(n_samples=400, n_features=12, random_state=rng)
    clf = RandomForestClassifier(n_estimators=20, random_state=rng)
    param_dist = {
        "max_depth": [3, None],
        "max_features": randint(1, 6),
        "min_samples_split": randint(2, 11),
        "bootstrap": [True, False],
        "criterion": ["gini", "entropy"],
    }
    rsh = search_class(
        estimator=clf, param_distributions=param_dist, factor=2, random_state=rng
    ).fit(X, y)
    results = pd.DataFrame(rsh.cv_results_)
    results["params_str"] = results.params.apply(str)
    results = results.drop_duplicates(subset=("params_str", "iter"))
    mean_scores = results.pivot(
        index="iter", columns="params_str", values="mean_test_score"
    )
    labels = [
        f"iter={i}\nn_samples={rsh.n_resources_[i]}\n"
        f"n_candidates={rsh.n_candidates_[i]}"
        for i in range(rsh.n_iterations_)
    ]
    return rsh, mean_scores, labels


@pytest.fixture(scope="module")
def sklearn_heatmap():
    return heatmap_example(HalvingGridSearchCV)


@pytest.fixture(scope="module")
def sklearn_iterations():
    return iterations_example(HalvingRandomSearchCV)


@pytest.fixture(params=["gp", "random"])
def halving_bayes(request):
    """What the examples' class becomes: HalvingBayesSearchCV with one
    generator, called with the examples' own keywords."""
    return functools.partial(HalvingBayesSearchCV, generator=request.param)


def test_successive_halving_heatmap(sklearn_heatmap, halving_bayes):
    theirs, their_scores, their_iterations = sklearn_heatmap
    ours, scores, iterations = heatmap_example(halving_bayes)
    assert_same_schedule(ours, theirs)
    # Every cell of the grid was evaluated: the heat map has no hole.
    assert scores.shape == their_scores.shape == (len(GAMMAS), len(CS))
    assert np.isfinite(scores).all()
    # As many cells reached each rung as in scikit-learn's search.
    assert np.bincount(iterations.ravel()).tolist() == (
        np.bincount(their_iterations.ravel()).tolist()
    )
    # The best candidate is a finished one of the last rung.
    assert ours.cv_results_["iter"][ours.best_index_] == ours.n_iterations_ - 1


def test_successive_halving_iterations(sklearn_iterations, halving_bayes):
    theirs, their_scores, their_labels = sklearn_iterations
    ours, scores, labels = iterations_example(halving_bayes)
    assert_same_schedule(ours, theirs)
    assert labels == their_labels
    # One row per rung, one curve per first-rung candidate, each curve as
    # long as the rungs its candidate reached.
    assert scores.shape == their_scores.shape
    assert sorted(scores.notna().sum().tolist()) == sorted(
        their_scores.notna().sum().tolist()
    )

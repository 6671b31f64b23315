"""plot_pareto_front draws the candidates, the front and the refitted one."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

from skhyper import HyperSearchCV, Integer
from skhyper.plots import plot_pareto_front
from skhyper.selection import FastestWithinTolerance

from .conftest import saved_png

pytest.importorskip("matplotlib")


def test_front_and_refitted_candidate(iris, tmp_path):
    X, y = iris
    search = HyperSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": Integer(1, 8), "min_samples_leaf": Integer(1, 30)},
        n_iter=10,
        objectives=["score", "fit_time"],
        refit=FastestWithinTolerance(0.02),
        random_state=0,
    ).fit(X, y)
    ax = plot_pareto_front(search)
    saved_png(ax.figure, tmp_path / "front.png")
    candidates, front, best = ax.collections
    assert len(candidates.get_offsets()) == 10
    assert len(front.get_offsets()) == len(search.pareto_front_)
    results = search.cv_results_
    np.testing.assert_allclose(
        best.get_offsets()[0],
        [
            results["mean_test_score"][search.best_index_],
            results["mean_fit_time"][search.best_index_],
        ],
    )
    assert ax.get_yscale() == "log"
    assert "fit time" in ax.get_ylabel()


def test_scikit_learn_search_and_bad_objectives(iris):
    X, y = iris
    search = GridSearchCV(DecisionTreeClassifier(), {"max_depth": [1, 2, 3]}).fit(X, y)
    ax = plot_pareto_front(search, ["score", "score_time"])
    assert len(ax.collections) == 3
    with pytest.raises(ValueError, match="two objectives"):
        plot_pareto_front(search, ["score", "fit_time", "score_time"])

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from skhyper import BayesSearchCV, GradientGenerator, HyperSearchCV, Integer, Real


def ridge_search(generator="gradient", **params):
    return HyperSearchCV(
        make_pipeline(PolynomialFeatures(2), StandardScaler(), Ridge()),
        {"ridge__alpha": Real(1e-3, 1e4, log=True)},
        generator=generator,
        cv=KFold(3, shuffle=True, random_state=0),
        random_state=0,
        **params,
    )


@pytest.mark.parametrize("difference, size", [("auto", 1), ("central", 2)])
def test_pipeline_search_with_two_jobs(diabetes, difference, size):
    X, y = diabetes
    generator = GradientGenerator(difference=difference)
    search = ridge_search(generator, n_iter=16, n_jobs=2).fit(X, y)
    results = search.cv_results_
    assert len(results["params"]) == 16
    # The centre first, then batches of one stencil (1 or 2 points in 1-D).
    _, sizes = np.unique(results["iteration"], return_counts=True)
    assert sizes[0] == 1 and set(sizes[1:-1]) <= {1, size} and size in sizes
    scores = results["mean_test_score"]
    assert search.best_score_ == scores.max() > scores[0] + 0.01
    # The same candidates whatever n_jobs: the batches do not depend on it.
    serial = ridge_search(generator, n_iter=16, n_jobs=1).fit(X, y)
    assert serial.cv_results_["params"] == results["params"]
    # The best alpha is a local maximum of the cross-validated score.
    alpha = search.best_params_["ridge__alpha"]
    cv = KFold(3, shuffle=True, random_state=0)
    for factor in (0.9, 1.1):
        nearby = search.estimator.set_params(ridge__alpha=alpha * factor)
        assert cross_val_score(nearby, X, y, cv=cv).mean() <= search.best_score_


def test_mixed_integer_space_end_to_end(iris):
    X, y = iris
    search = HyperSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()),
        {
            "logisticregression__C": Real(1e-3, 1e3, log=True),
            "logisticregression__max_iter": Integer(5, 200),
            "logisticregression__fit_intercept": [True, False],
        },
        generator="gradient",
        n_iter=20,
        scoring="neg_log_loss",
        cv=3,
        random_state=0,
    ).fit(X, y)
    params = search.cv_results_["params"]
    assert all(isinstance(p["logisticregression__max_iter"], int) for p in params)
    assert len({tuple(sorted(p.items())) for p in params}) == len(params)
    assert search.best_score_ > search.cv_results_["mean_test_score"][0]


def test_gp_finds_the_basin_and_gradient_polishes(diabetes):
    X, y = diabetes
    space = {"ridge__alpha": Real(1e-3, 1e4, log=True)}
    estimator = make_pipeline(PolynomialFeatures(2), StandardScaler(), Ridge())
    cv = KFold(3, shuffle=True, random_state=0)
    gp = BayesSearchCV(estimator, space, n_iter=6, cv=cv, random_state=0).fit(X, y)
    polish = HyperSearchCV(
        estimator,
        space,
        generator="gradient",
        initial_points=[gp.best_params_],
        n_iter=8,
        cv=cv,
    ).fit(X, y)
    assert polish.cv_results_["params"][0] == gp.best_params_
    assert polish.best_score_ >= gp.best_score_

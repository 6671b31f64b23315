"""Failed fits are information, not the end of a search."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV

from skhyper import HyperSearchCV, RandomSearchCV

from ..conftest import FailingClassifier


def test_a_failing_candidate_in_a_batch_of_one_does_not_end_the_search(iris):
    X, y = iris
    search = HyperSearchCV(
        FailingClassifier(),
        {"fail": [True, False], "quality": [0.0, 0.5]},
        generator="grid",
        batch_size=1,
    )
    with pytest.warns(FitFailedWarning, match="search goes on"):
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores[:2]).all() and np.isfinite(scores[2:]).all()
    assert search.best_params_ == {"fail": False, "quality": 0.5}
    assert len(search.cv_results_["params"]) == 4


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_every_candidate_failing_raises_with_the_first_error(iris):
    X, y = iris
    search = RandomSearchCV(
        FailingClassifier(), {"fail": [True, 1, 2]}, n_iter=3, batch_size=1
    )
    with pytest.raises(
        ValueError,
        match=r"All the 15 fits of the search failed"
        r"(.|\n)*ArithmeticError: FailingClassifier refuses",
    ):
        search.fit(X, y)


def test_error_score_raise_reraises_the_estimator_exception_unchanged(iris):
    X, y = iris
    search = HyperSearchCV(
        FailingClassifier(),
        {"fail": [False, True]},
        generator="grid",
        error_score="raise",
        batch_size=1,
    )
    with pytest.raises(ArithmeticError, match="refuses to fit"):
        search.fit(X, y)


def test_plain_sklearn_searches_keep_their_behaviour_after_a_skhyper_search(iris):
    X, y = iris
    HyperSearchCV(
        FailingClassifier(), {"fail": [False, True]}, generator="grid", batch_size=1
    ).fit(X, y)
    with pytest.raises(ValueError, match="All the 5 fits failed"):
        GridSearchCV(FailingClassifier(), {"fail": [True]}).fit(X, y)


def test_numeric_error_score_is_recorded(iris):
    X, y = iris
    search = HyperSearchCV(
        FailingClassifier(),
        {"fail": [True, False]},
        generator="grid",
        batch_size=1,
        error_score=-1.0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)
        search.fit(X, y)
    assert search.cv_results_["mean_test_score"][0] == -1.0
    np.testing.assert_array_equal(
        search.generator_.scores_, search.cv_results_["mean_test_score"]
    )

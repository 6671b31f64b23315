"""Failed fits are information, not the end of a search."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV

from skhyper import HyperSearchCV

from ..conftest import FailingClassifier


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

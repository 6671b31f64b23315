"""Small bundled datasets and a failing estimator shared by the tests."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.datasets import load_diabetes, load_iris
from threadpoolctl import threadpool_limits

from skhyper.utils._warnings import forget_shown_warnings


@pytest.fixture(autouse=True, scope="session")
def single_threaded_blas():
    """The test models are small: threaded BLAS only adds contention."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(autouse=True)
def warnings_shown_afresh():
    """Each test sees the warnings skhyper gives once per process."""
    forget_shown_warnings()


@pytest.fixture(scope="session")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="session")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return X[:200], y[:200]


class FailingClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the majority class; ``fit`` raises when ``fail`` is true."""

    def __init__(self, fail=False, quality=0.0):
        self.fail = fail
        self.quality = quality

    def fit(self, X, y):
        if self.fail:
            raise ArithmeticError(
                f"FailingClassifier refuses to fit (fail={self.fail})"
            )
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)

    def score(self, X, y):
        return float(np.mean(self.predict(X) == y)) + self.quality


@pytest.fixture
def failing_classifier():
    return FailingClassifier()


class GlobalDrawRegressor(RegressorMixin, BaseEstimator):
    """Scores a draw of NumPy's global random state made in ``fit``, as an
    unseeded estimator (``GaussianMixture()``, ``RandomForestRegressor()``)
    uses that state; ``n_trees`` can serve as a halving resource."""

    def __init__(self, a=1, n_trees=10):
        self.a = a
        self.n_trees = n_trees

    def fit(self, X, y=None):
        self.draw_ = np.random.rand()  # noqa: NPY002
        return self

    def score(self, X, y=None):
        return self.draw_

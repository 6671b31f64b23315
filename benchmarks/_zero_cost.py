"""A zero-cost estimator: search overhead is all that a benchmark measures."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin


class ZeroCostRegressor(RegressorMixin, BaseEstimator):
    """Fits nothing; its score is a smooth function of its parameters."""

    def __init__(self, a=0.0, b=0.0, c="x"):
        self.a = a
        self.b = b
        self.c = c

    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None):
        return -((np.log10(self.a) - 0.5) ** 2) - (self.b - 3) ** 2 / 100


def zero_cost_data(n_samples: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_samples, 3)), rng.normal(size=n_samples)

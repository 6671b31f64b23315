"""A cheap estimator that logs every fit, to count what a search refits."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin


class LoggedRegressor(RegressorMixin, BaseEstimator):
    """Its score is a smooth function of ``a`` and ``b``; ``kind="fail"``
    raises in ``fit``. Every fit appends ``(a, b, kind, n_samples)`` to
    ``LoggedRegressor.log`` (in-process, so use ``n_jobs=1``); setting
    ``LoggedRegressor.interrupt_at = k`` raises ``KeyboardInterrupt`` in
    the ``k``-th logged fit."""

    log: ClassVar[list[tuple]] = []
    interrupt_at: ClassVar[int | None] = None

    def __init__(self, a=0.5, b=1, kind="x"):
        self.a = a
        self.b = b
        self.kind = kind

    def fit(self, X, y=None, sample_weight=None):
        LoggedRegressor.log.append((self.a, self.b, self.kind, len(X)))
        if LoggedRegressor.interrupt_at == len(LoggedRegressor.log):
            raise KeyboardInterrupt
        if self.kind == "fail":
            raise ValueError("LoggedRegressor: kind='fail' never fits")
        self.fitted_ = True
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None, sample_weight=None):
        bonus = 0.1 if self.kind == "y" else 0.0
        return -((self.a - 0.3) ** 2) - (self.b - 3) ** 2 / 100 + bonus

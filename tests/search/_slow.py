"""An estimator whose fits can be made to run long, for fit_timeout."""

from __future__ import annotations

import time

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin


class NappingRegressor(RegressorMixin, BaseEstimator):
    """``kind="x"`` fits at once; ``"nap"`` sleeps 30 s in one call (only a
    signal interrupts it); ``"busy"`` runs Python for 30 s (any interruption
    does); ``"slow_score"`` fits at once and scores for 30 s. The score is
    ``-a``, plus 0.5 for ``kind="y"``."""

    def __init__(self, a=0.1, kind="x"):
        self.a = a
        self.kind = kind

    def fit(self, X, y=None):
        if self.kind == "nap":
            time.sleep(30)
        elif self.kind == "busy":
            _busy(30)
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None):
        if self.kind == "slow_score":
            _busy(30)
        return -self.a + (0.5 if self.kind == "y" else 0.0)


def _busy(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.005)

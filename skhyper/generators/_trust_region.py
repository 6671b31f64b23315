"""A trust region for the acquisition's optimizer.

The trust region of Eriksson et al. (TuRBO, NeurIPS 2019) confines the
search to a box around the incumbent whose sides follow the model's length
scales and whose size adapts to the search's progress: it doubles after a
run of improving results and halves after about ``max(4, d)`` results
without improvement. When it has shrunk below a floor it starts again at
its first size (the observations are kept, unlike TuRBO's restarts, which
discard them). Measured, it pays on smooth functions of 2 to 30
dimensions, not on noisy cross-validated scores (``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["TrustRegion"]

Array = NDArray[np.float64]

INITIAL_LENGTH = 0.8
MIN_LENGTH = 0.5**7
MAX_LENGTH = 1.6
SUCCESSES_TO_EXPAND = 3
# An improvement smaller than this fraction of the incumbent's magnitude
# is not a success.
RELATIVE_IMPROVEMENT = 1e-3


class TrustRegion:
    """The size of a trust region and the counts that adapt it.

    Parameters
    ----------
    n_features : int
        Dimension of the encoded sub-space.

    Attributes
    ----------
    length : float
        Side of the box, in unit-cube units, before the length-scale
        weights.
    n_restarts : int
        How often the region shrank below its floor and started again.
    explore_next : bool
        Set when the region halves: its next proposal should be where the
        model is least sure inside the box, not where it expects the most
        (a run of results without improvement may mean the model is wrongly
        sure of the region).
    """

    def __init__(self, n_features: int) -> None:
        self.n_features = n_features
        self.length = INITIAL_LENGTH
        self.n_restarts = 0
        self.explore_next = False
        self._successes = 0
        self._failures = 0
        self._n_counted: int | None = None
        self._best = -math.inf

    @property
    def failure_tolerance(self) -> int:
        """Results without improvement after which the region halves."""
        return max(4, self.n_features)

    def update(self, scores: Array) -> None:
        """Count the scores told since the last update (``scores`` holds
        every told score of the sub-space, in the order told, greater is
        better; failures already imputed)."""
        scores = np.asarray(scores, dtype=float)
        if self._n_counted is None:
            # The region starts when the model does: the design sets the
            # incumbent and counts neither as success nor as failure.
            self._n_counted = scores.size
            self._best = float(np.max(scores)) if scores.size else -math.inf
            return
        new = scores[self._n_counted :]
        self._n_counted = scores.size
        if new.size == 0:
            return
        if float(np.max(new)) > self._improvement_threshold():
            self._successes += 1
            self._failures = 0
        else:
            self._successes = 0
            self._failures += int(new.size)
        self._best = max(self._best, float(np.max(new)))
        if self._successes >= SUCCESSES_TO_EXPAND:
            self.length = min(2.0 * self.length, MAX_LENGTH)
            self._successes = 0
        elif self._failures >= self.failure_tolerance:
            self.length /= 2.0
            self._failures = 0
            self.explore_next = True
        if self.length < MIN_LENGTH:
            self.length = INITIAL_LENGTH
            self.n_restarts += 1

    def _improvement_threshold(self) -> float:
        if not math.isfinite(self._best):
            return -math.inf
        return self._best + RELATIVE_IMPROVEMENT * abs(self._best)

    def box(
        self,
        center: Array,
        lengthscales: Array,
        confined: Array,
        min_half_width: Array | None = None,
    ) -> tuple[Array, Array]:
        """Lower and upper corners of the region around ``center``.

        Each confined column's side is ``length`` times its length scale
        over the geometric mean of the confined columns' length scales, so
        the box is longer where the model varies slowly; other columns
        (one-hot blocks) span the unit interval. ``min_half_width`` (per
        column) keeps the neighbouring values of a discrete column inside.
        """
        center = np.asarray(center, dtype=float)
        lower, upper = np.zeros_like(center), np.ones_like(center)
        confined = np.asarray(confined, dtype=bool)
        if not confined.any():
            return lower, upper
        scales = np.asarray(lengthscales, dtype=float)[confined]
        weights = scales / np.exp(np.mean(np.log(scales)))
        half = 0.5 * self.length * weights
        if min_half_width is not None:
            half = np.maximum(half, np.asarray(min_half_width, dtype=float)[confined])
        lower[confined] = np.clip(center[confined] - half, 0.0, 1.0)
        upper[confined] = np.clip(center[confined] + half, 0.0, 1.0)
        return lower, upper

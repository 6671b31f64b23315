"""One acquisition pool for all the picks of an ask.

Picking a batch (or several candidates of an asynchronous search) by the
kriging believer conditions the model on each pick before the next. Doing
the whole acquisition maximization again for every pick costs a new pool of
about a thousand points, each with an ``O(n^2)`` posterior variance (``n``
observations and believed points). Here the pool is drawn and evaluated
once per ask; after each pick its posterior mean and variance are updated by
a rank-one correction (``O(n)`` per pool point: the posterior covariance of
the pool with the pick), which gives the same numbers as evaluating the
conditioned model anew. Only the few polished points are evaluated with the
conditioned model itself.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

from skhyper._gp import Acquisition, GaussianProcess

__all__ = ["SharedPool"]

Array = NDArray[np.float64]

# Smallest posterior variance, relative to the signal variance (as the model's).
_VAR_FLOOR = 1e-12


class SharedPool:
    """A pool's posterior under a model, kept up to date as the model is
    conditioned on believed picks.

    Parameters
    ----------
    model : GaussianProcess
        The fitted model (with any pending points already believed).
    pool : ndarray of shape (m, d)
        The pool's points.

    Attributes
    ----------
    X : ndarray of shape (m, d)
        The pool.
    mean, var : ndarray of shape (m,)
        Standardized posterior mean and variance at the pool, given the
        model and every point passed to :meth:`condition` so far.
    """

    def __init__(self, model: GaussianProcess, pool: Array) -> None:
        self.X = pool
        self._model = model
        self._signal = model.signal_variance
        # A believed pick is an observation with the model's noise (and the
        # jitter its factor carries), as in GaussianProcess.condition_on.
        self._noise = model.noise_variance + float(model._jitter)
        Ks = model.kernel(pool, model.X_train_)
        self.mean = Ks @ model._alpha
        self._V = self._solve(Ks.T)
        self.var = self._signal - np.einsum("nm,nm->m", self._V, self._V)
        # Per pick: its point, L^-1 k(X_train, x), the earlier corrections'
        # values at it, and the standard deviation of its believed value.
        self._picks: list[tuple[Array, Array, Array, float]] = []
        self._U = np.empty((0, pool.shape[0]))  # corrections, one row per pick
        self._shifts: list[float] = []  # (believed - mean) / sd, per pick

    def _solve(self, B: Array) -> Array:
        return scipy.linalg.solve_triangular(
            self._model._L, B, lower=True, check_finite=False
        )

    def _k(self, A: Array, B: Array) -> Array:
        return self._model.kernel(A, B)

    def _at(self, x: Array) -> tuple[Array, Array, float, float]:
        """At one point: L^-1 k(X_train, x), the corrections' values, and
        the current posterior mean and variance."""
        k = self._k(self._model.X_train_, x[None, :])[:, 0]
        v = self._solve(k)
        u = np.empty(len(self._picks))
        for j, (xj, vj, uj, sdj) in enumerate(self._picks):
            cov = self._k(x[None, :], xj[None, :])[0, 0] - v @ vj - u[:j] @ uj
            u[j] = cov / sdj
        mean = float(k @ self._model._alpha)
        mean += float(u @ np.asarray(self._shifts))
        var = self._signal - float(v @ v) - float(u @ u)
        return v, u, mean, var

    def condition(self, x: Array, believed: float) -> None:
        """Update the pool's posterior as if ``x`` had been observed with
        the standardized score ``believed`` (with the model's noise)."""
        x = np.asarray(x, dtype=float).ravel()
        v, u, mean_x, var_x = self._at(x)
        sd = float(np.sqrt(max(var_x, 0.0) + self._noise))
        cov = self._k(self.X, x[None, :])[:, 0] - self._V.T @ v - self._U.T @ u
        correction = cov / sd
        shift = (float(believed) - mean_x) / sd
        self.var = self.var - correction**2
        self.mean = self.mean + correction * shift
        self._picks.append((x, v, u, sd))
        self._U = np.vstack([self._U, correction])
        self._shifts.append(shift)

    def std(self) -> Array:
        """Posterior standard deviation at the pool (floored as the model's)."""
        return np.sqrt(np.maximum(self.var, _VAR_FLOOR * self._signal))

    def acquisition_values(self, acquisition: Acquisition, incumbent: float) -> Array:
        """The acquisition at every pool point (``-inf`` where not finite)."""
        values, _ = acquisition(self.mean, self.std(), incumbent)
        values = np.asarray(values, dtype=float)
        return np.where(np.isfinite(values), values, -np.inf)

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

from collections.abc import Callable

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

from skhyper._gp import Acquisition, AcquisitionFunction, GaussianProcess, matern52
from skhyper._gp._optimize import _best_allowed, _evaluate, _polish, _sobol

__all__ = ["SharedPool", "draw_pool", "jitter", "pick_from_pool"]

Array = NDArray[np.float64]

# Smallest posterior variance, relative to the signal variance (as the model's).
_VAR_FLOOR = 1e-12


def draw_pool(
    d: int,
    rng: np.random.Generator,
    *,
    n_pool: int,
    prepare: Callable[[Array], Array],
    snapped: bool,
    centers: Array | None,
    n_local: int,
    local_scale: float,
) -> Array:
    """A scrambled Sobol pool plus Gaussian jitter around ``centers``,
    prepared (clipped and snapped) and, when snapped, deduplicated; drawn
    from ``rng`` exactly as :func:`skhyper._gp.maximize_acquisition` draws
    its pool."""
    parts = [_sobol(n_pool, d, rng)]
    if centers is not None and n_local > 0:
        parts.append(jitter(centers, rng, n_local, local_scale))
    pool = prepare(np.vstack(parts))
    return np.unique(pool, axis=0) if snapped else pool


def jitter(centers: Array, rng: np.random.Generator, n: int, scale: float) -> Array:
    """``n`` Gaussian-jittered copies of rows of ``centers``."""
    centers = np.atleast_2d(np.asarray(centers, dtype=float))
    idx = rng.integers(0, centers.shape[0], size=n)
    return centers[idx] + scale * rng.standard_normal((n, centers.shape[1]))


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
        self._lengthscales = model.lengthscales
        # A believed pick is an observation with the model's noise (and the
        # jitter its factor carries), as in GaussianProcess.condition_on.
        self._noise = model.noise_variance + float(model._jitter)
        Ks = self._signal * matern52(pool, model.X_train_, self._lengthscales)
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
        return self._signal * matern52(A, B, self._lengthscales)

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


def pick_from_pool(
    func: AcquisitionFunction,
    pool: Array,
    pool_values: Array,
    *,
    rng: np.random.Generator,
    prepare: Callable[[Array], Array],
    free: Array,
    n_polish: int,
    max_iter: int,
    exclude: Array | None,
    n_fresh: int,
    extra: Array | None = None,
) -> tuple[Array, float]:
    """The best point: the ``n_polish`` best allowed pool points polished
    with L-BFGS-B on ``func`` (the current model's acquisition), against
    the pool itself and ``extra`` points (evaluated with ``func``); if all
    are excluded, the best of ``n_fresh`` (at least 256) random points; the
    same steps as :func:`skhyper._gp.maximize_acquisition` after its pool
    is evaluated."""
    if extra is not None and extra.shape[0]:
        pool = np.vstack([pool, extra])
        pool_values = np.concatenate([pool_values, _evaluate(func, extra)])
    if exclude is not None and exclude.shape[0] == 0:
        exclude = None
    start_idx = _best_allowed(pool, pool_values, exclude, n_polish)
    polished = prepare(_polish(func, pool[start_idx], free, max_iter))
    polished_values = _evaluate(func, polished)
    candidates = np.vstack([polished, pool])
    values = np.concatenate([polished_values, pool_values])
    best = _best_allowed(candidates, values, exclude, 1)
    if best.size == 0:
        # Every candidate is excluded: try fresh random points before
        # giving up and returning an excluded one.
        fresh = prepare(rng.random((max(n_fresh, 256), pool.shape[1])))
        fresh_values = _evaluate(func, fresh)
        best_fresh = _best_allowed(fresh, fresh_values, exclude, 1)
        if best_fresh.size:
            i = int(best_fresh[0])
            return fresh[i].copy(), float(fresh_values[i])
        best = np.array([int(np.argmax(values))])
    i = int(best[0])
    return candidates[i].copy(), float(values[i])

"""Maximisation of an acquisition function over the unit cube."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import scipy.optimize
from numpy.typing import NDArray
from scipy.stats import qmc

from ._acquisition import Acquisition, get_acquisition
from ._regression import GaussianProcess

__all__ = [
    "AcquisitionFunction",
    "draw_pool",
    "jitter",
    "make_acquisition_function",
    "maximize_acquisition",
    "pick_from_pool",
    "propose_batch",
]

Array = NDArray[np.float64]

#: ``f(X, return_grad) -> (values (n,), grads (n, d) or None)``.
AcquisitionFunction = Callable[[Array, bool], tuple[Array, Array | None]]

# Points closer than this (max-norm) to an excluded point count as equal.
_EXCLUDE_TOL = 1e-9


def make_acquisition_function(
    gp: GaussianProcess,
    acquisition: Acquisition,
    best: float | None = None,
) -> AcquisitionFunction:
    """Bind an acquisition to a fitted GP, in standardised units.

    Parameters
    ----------
    gp : GaussianProcess
        Fitted model.
    acquisition : Acquisition
        E.g. from :func:`get_acquisition`.
    best : float or None, default=None
        Incumbent in standardised units; ``None`` uses
        ``gp.best_standardized``.

    Returns
    -------
    AcquisitionFunction
        ``f(X, return_grad=True) -> (values, grads)`` for ``X`` of shape
        ``(n, d)``; ``grads`` is None when ``return_grad`` is False.
    """
    incumbent = gp.best_standardized if best is None else float(best)

    def func(X: Array, return_grad: bool = True) -> tuple[Array, Array | None]:
        if return_grad:
            mu, sigma, dmu, dsigma = gp.predict(X, return_grad=True, standardized=True)
            return acquisition(mu, sigma, incumbent, dmu, dsigma)
        mu, sigma = gp.predict(X, standardized=True)
        return acquisition(mu, sigma, incumbent)

    return func


def _accepts_return_grad(func: Callable[..., object]) -> bool:
    """Whether ``func`` can be called as ``func(X, return_grad)``."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return True
    try:
        sig.bind(None, False)
    except TypeError:
        return False
    return True


def _as_acquisition_function(
    func: Callable[..., tuple[Array, Array | None]],
) -> AcquisitionFunction:
    """Accept ``f(X) -> (values, grads)`` as well as ``f(X, return_grad)``."""
    if _accepts_return_grad(func):
        return func

    def wrapped(X: Array, return_grad: bool = True) -> tuple[Array, Array | None]:
        return func(X)

    return wrapped


def _sobol(n: int, d: int, rng: np.random.Generator) -> Array:
    """``n`` points of a scrambled Sobol sequence (drawn as a power of two)."""
    m = max(int(np.ceil(np.log2(max(n, 1)))), 0)
    return qmc.Sobol(d, scramble=True, seed=rng).random_base2(m)[:n]


def _not_excluded(X: Array, exclude: Array | None) -> Array:
    """Boolean mask of the rows of ``X`` farther than the tolerance from all
    rows of ``exclude``."""
    if exclude is None or exclude.shape[0] == 0:
        return np.ones(X.shape[0], dtype=bool)
    keep = np.ones(X.shape[0], dtype=bool)
    # Chunk to bound memory at (chunk, m, d).
    chunk = max(1, 2_000_000 // max(exclude.size, 1))
    for start in range(0, X.shape[0], chunk):
        part = X[start : start + chunk]
        dist = np.max(np.abs(part[:, None, :] - exclude[None, :, :]), axis=2)
        keep[start : start + chunk] = np.min(dist, axis=1) > _EXCLUDE_TOL
    return keep


def _best_allowed(
    X: Array, values: Array, exclude: Array | None, k: int
) -> NDArray[np.intp]:
    """Indices of the (up to) ``k`` best rows of ``X`` that are not excluded.

    Rows are checked lazily in decreasing order of ``values``, so the cost
    stays small when the best rows are allowed (the usual case).
    """
    order = np.argsort(-values, kind="stable")
    if exclude is None:
        return order[:k]
    chosen: list[int] = []
    step = max(2 * k, 32)
    for pos in range(0, order.size, step):
        idx = order[pos : pos + step]
        chosen.extend(idx[_not_excluded(X[idx], exclude)][: k - len(chosen)].tolist())
        if len(chosen) >= k:
            break
    return np.asarray(chosen, dtype=np.intp)


def _evaluate(func: AcquisitionFunction, X: Array) -> Array:
    values, _ = func(X, False)
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, -np.inf)


def _polish(
    func: AcquisitionFunction,
    starts: Array,
    free: Array,
    max_iter: int,
    bounds: tuple[Array, Array] | None = None,
) -> Array:
    """Run L-BFGS-B on all starts at once (their objectives are separable).

    The sum of the acquisition over the starts is maximised over the free
    coordinates, within ``bounds`` (lower and upper corners of a box; the
    unit cube by default); because the terms do not interact, this polishes
    each start while paying the Python overhead of a single optimisation.
    """
    n = starts.shape[0]
    n_free = int(np.sum(free))
    if n == 0 or n_free == 0:
        return starts.copy()
    base = starts.copy()

    def objective(z: Array) -> tuple[float, Array]:
        X = base.copy()
        X[:, free] = z.reshape(n, n_free)
        values, grads = func(X, True)
        values = np.asarray(values, dtype=float)
        grads = np.asarray(grads, dtype=float)[:, free]
        bad = ~np.isfinite(values) | ~np.all(np.isfinite(grads), axis=1)
        if np.any(bad):
            values = np.where(bad, -1e10, values)
            grads = np.where(bad[:, None], 0.0, grads)
        return -float(np.sum(values)), -grads.ravel()

    lower, upper = (np.zeros(starts.shape[1]), np.ones(starts.shape[1]))
    if bounds is not None:
        lower, upper = (np.asarray(b, dtype=float) for b in bounds)
    lower = np.tile(lower[free], n)
    upper = np.tile(upper[free], n)
    res = scipy.optimize.minimize(
        objective,
        np.clip(base[:, free].ravel(), lower, upper),
        jac=True,
        method="L-BFGS-B",
        bounds=list(zip(lower, upper, strict=True)),
        options={"maxiter": max_iter},
    )
    out = base.copy()
    out[:, free] = np.clip(np.asarray(res.x), lower, upper).reshape(n, n_free)
    return out


def maximize_acquisition(
    func_and_grad: AcquisitionFunction,
    d: int,
    *,
    rng: np.random.Generator | int | None,
    n_pool: int = 1024,
    n_polish: int = 5,
    snap: Callable[[Array], Array] | None = None,
    exclude: Array | None = None,
    fixed_mask: Array | None = None,
    fixed_values: Array | None = None,
    local_points: Array | None = None,
    n_local: int = 64,
    local_scale: float = 0.05,
    max_iter: int = 100,
) -> tuple[Array, float]:
    """Maximise an acquisition function over ``[0, 1]^d``.

    A scrambled Sobol pool (plus jittered copies of ``local_points``) is
    snapped and evaluated; the best ``n_polish`` distinct, non-excluded pool
    points are polished with L-BFGS-B using the analytic gradient, snapped
    again and re-evaluated. The best candidate that is not excluded wins.

    Parameters
    ----------
    func_and_grad : callable
        ``func_and_grad(X, return_grad) -> (values, grads)`` with ``X`` of
        shape ``(n, d)``, ``values`` of shape ``(n,)`` and ``grads`` of shape
        ``(n, d)`` (or None when ``return_grad`` is False). Larger is better.
        A callable taking only ``X`` and always returning gradients is
        accepted too. See :func:`make_acquisition_function`.
    d : int
        Dimension.
    rng : numpy.random.Generator, int or None
        Randomness for the Sobol scrambling and the local jitter.
    n_pool : int, default=1024
        Size of the Sobol pool.
    n_polish : int, default=5
        Number of pool points polished by L-BFGS-B.
    snap : callable or None, default=None
        Maps an ``(n, d)`` array to valid points (e.g. rounds integers,
        one-hot encodes categories). Applied to pool and polished points.
    exclude : ndarray of shape (m, d) or None, default=None
        Points that must not be returned (already evaluated or pending,
        already snapped). A point within 1e-9 (max-norm) of one of them is
        returned only if no other candidate exists.
    fixed_mask : ndarray of shape (d,) of bool or None, default=None
        Coordinates left untouched by the gradient polish (e.g. one-hot
        blocks, which only ``snap`` should change). They keep the value of
        the pool point the polish started from.
    fixed_values : ndarray of shape (d,) or None, default=None
        If given together with ``fixed_mask``, the fixed coordinates are set
        to these values in every candidate (conditioning on a sub-space).
    local_points : ndarray of shape (k, d) or None, default=None
        Points (e.g. the incumbent) around which ``n_local`` Gaussian-jittered
        candidates (scale ``local_scale``) are added to the pool.
    n_local : int, default=64
        Number of jittered local candidates in total.
    local_scale : float, default=0.05
        Standard deviation of the jitter of those points, in unit-cube units.
    max_iter : int, default=100
        L-BFGS-B iteration limit of the polish.

    Returns
    -------
    x : ndarray of shape (d,)
        Best point found.
    value : float
        Its acquisition value (``-inf`` if the acquisition was never finite).
    """
    rng = np.random.default_rng(rng)
    func_and_grad = _as_acquisition_function(func_and_grad)
    exclude = None if exclude is None else np.atleast_2d(np.asarray(exclude, float))
    free = np.ones(d, dtype=bool)
    if fixed_mask is not None:
        free = ~np.asarray(fixed_mask, dtype=bool)

    def prepare(X: Array) -> Array:
        X = np.clip(X, 0.0, 1.0)
        if fixed_mask is not None and fixed_values is not None:
            X[:, ~free] = np.asarray(fixed_values, dtype=float)[~free]
        if snap is not None:
            X = np.clip(np.asarray(snap(X), dtype=float), 0.0, 1.0)
        return X

    pool = draw_pool(
        d,
        rng,
        n_pool=n_pool,
        prepare=prepare,
        snapped=snap is not None,
        centers=local_points,
        n_local=n_local,
        local_scale=local_scale,
    )
    return pick_from_pool(
        func_and_grad,
        pool,
        _evaluate(func_and_grad, pool),
        rng=rng,
        prepare=prepare,
        free=free,
        n_polish=n_polish,
        max_iter=max_iter,
        exclude=exclude,
        n_fresh=n_pool,
    )


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
    box: tuple[Array, Array] | None = None,
) -> Array:
    """A scrambled Sobol pool plus Gaussian jitter around ``centers``,
    prepared (clipped and snapped) and, when snapped, deduplicated: the
    pool of :func:`maximize_acquisition`. With ``box`` (lower and upper
    corners), the Sobol points fill that box instead of the unit cube."""
    sobol = _sobol(n_pool, d, rng)
    if box is not None:
        lower, upper = (np.asarray(b, dtype=float) for b in box)
        sobol = lower + (upper - lower) * sobol
    parts = [sobol]
    if centers is not None and n_local > 0:
        parts.append(jitter(centers, rng, n_local, local_scale))
    pool = prepare(np.vstack(parts))
    return np.unique(pool, axis=0) if snapped else pool


def jitter(centers: Array, rng: np.random.Generator, n: int, scale: float) -> Array:
    """``n`` Gaussian-jittered copies of rows of ``centers``."""
    centers = np.atleast_2d(np.asarray(centers, dtype=float))
    idx = rng.integers(0, centers.shape[0], size=n)
    return centers[idx] + scale * rng.standard_normal((n, centers.shape[1]))


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
    bounds: tuple[Array, Array] | None = None,
    prepare_fresh: Callable[[Array], Array] | None = None,
) -> tuple[Array, float]:
    """The best point: the ``n_polish`` best allowed pool points polished
    with L-BFGS-B on ``func`` (the current model's acquisition), against
    the pool itself and ``extra`` points (evaluated with ``func``); if all
    are excluded, the best of ``n_fresh`` (at least 256) random points: the
    steps of :func:`maximize_acquisition` after its pool is evaluated (a
    pool evaluated once can serve several picks). ``bounds`` (lower and
    upper corners of a box) confine the polish; ``prepare_fresh`` (by
    default ``prepare``) prepares the fresh random points, which may lie
    outside them."""
    if extra is not None and extra.shape[0]:
        pool = np.vstack([pool, extra])
        pool_values = np.concatenate([pool_values, _evaluate(func, extra)])
    if exclude is not None and exclude.shape[0] == 0:
        exclude = None
    start_idx = _best_allowed(pool, pool_values, exclude, n_polish)
    polished = prepare(_polish(func, pool[start_idx], free, max_iter, bounds))
    polished_values = _evaluate(func, polished)
    candidates = np.vstack([polished, pool])
    values = np.concatenate([polished_values, pool_values])
    best = _best_allowed(candidates, values, exclude, 1)
    if best.size == 0:
        # Every candidate is excluded: try fresh random points before
        # giving up and returning an excluded one.
        fresh = (prepare_fresh or prepare)(
            rng.random((max(n_fresh, 256), pool.shape[1]))
        )
        fresh_values = _evaluate(func, fresh)
        best_fresh = _best_allowed(fresh, fresh_values, exclude, 1)
        if best_fresh.size:
            i = int(best_fresh[0])
            return fresh[i].copy(), float(fresh_values[i])
        best = np.array([int(np.argmax(values))])
    i = int(best[0])
    return candidates[i].copy(), float(values[i])


def propose_batch(
    gp: GaussianProcess,
    n: int,
    acquisition: Acquisition | str = "log_ei",
    *,
    rng: np.random.Generator | int | None,
    exclude: Array | None = None,
    snap: Callable[[Array], Array] | None = None,
    fixed_mask: Array | None = None,
    fixed_values: Array | None = None,
    n_pool: int = 1024,
    n_polish: int = 5,
    fantasy: str = "believer",
) -> Array:
    """Propose ``n`` distinct points by the kriging believer heuristic.

    After each proposal the GP is conditioned (hyperparameters fixed) on the
    proposed point with a believed value, and the point joins the excluded
    set.

    Parameters
    ----------
    gp : GaussianProcess
        Fitted model (not modified).
    n : int
        Number of points.
    acquisition : Acquisition or str, default="log_ei"
        Acquisition object or name for :func:`get_acquisition`. The
        incumbent is the best standardised training score of ``gp``, kept
        fixed across the batch.
    rng : numpy.random.Generator, int or None
        Randomness.
    exclude : ndarray of shape (m, d) or None, default=None
        Points never to propose (e.g. evaluated and pending ones). The
        training inputs of ``gp`` are always excluded too.
    snap, fixed_mask, fixed_values, n_pool, n_polish
        See :func:`maximize_acquisition`.
    fantasy : {"believer", "liar_min", "liar_mean", "liar_max"}, default="believer"
        Believed value of a pending point: its posterior mean (kriging
        believer) or a constant lie equal to the minimum, mean or maximum of
        the training scores (constant liar).

    Returns
    -------
    X : ndarray of shape (n, d)
        Proposed points, distinct from each other and from the excluded
        points whenever the (snapped) space allows it.
    """
    rng = np.random.default_rng(rng)
    if isinstance(acquisition, str):
        acquisition = get_acquisition(acquisition)
    lies = {
        "liar_min": np.min(gp.y_train_),
        "liar_mean": np.mean(gp.y_train_),
        "liar_max": np.max(gp.y_train_),
    }
    if fantasy != "believer" and fantasy not in lies:
        raise ValueError(f"unknown fantasy {fantasy!r}")
    d = gp.X_train_.shape[1]
    blocked = [gp.X_train_]
    if exclude is not None and np.size(exclude) > 0:
        blocked.append(np.atleast_2d(np.asarray(exclude, dtype=float)))
    incumbent = gp.best_standardized
    model = gp
    out = np.empty((n, d))
    for i in range(n):
        func = make_acquisition_function(model, acquisition, best=incumbent)
        x, _ = maximize_acquisition(
            func,
            d,
            rng=rng,
            n_pool=n_pool,
            n_polish=n_polish,
            snap=snap,
            exclude=np.vstack(blocked),
            fixed_mask=fixed_mask,
            fixed_values=fixed_values,
            local_points=model.X_best[None, :],
        )
        out[i] = x
        blocked.append(x[None, :])
        if i + 1 < n:
            if fantasy == "believer":
                belief, _ = model.predict(x[None, :], standardized=True)
            else:
                belief = np.array([lies[fantasy]])
            model = model.condition_on(x[None, :], belief, standardized=True)
    return out

"""Matérn-5/2 kernel with automatic relevance determination (ARD).

The kernel has unit variance; the signal variance is applied by the caller.
With the scaled distance ``r = sqrt(sum_j (a_j - b_j)**2 / l_j**2)``::

    k(r) = (1 + sqrt(5) r + 5/3 r**2) exp(-sqrt(5) r)

Two identities keep every gradient free of a division by ``r``::

    dk / dlog(l_j) = 5/3 (1 + sqrt(5) r) exp(-sqrt(5) r) (a_j - b_j)**2 / l_j**2
    dk / da_j      = -5/3 (1 + sqrt(5) r) exp(-sqrt(5) r) (a_j - b_j) / l_j**2
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "matern52",
    "matern52_grad_x",
    "matern52_profile",
    "matern52_with_grad",
    "pairwise_sq_diff",
    "scaled_sq_dist",
]

_SQRT5 = float(np.sqrt(5.0))

Array = NDArray[np.float64]


def _as_2d(X: Array) -> Array:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
    return X


def scaled_sq_dist(X1: Array, X2: Array, lengthscales: Array) -> Array:
    """Squared ARD distances, shape ``(n1, n2)``, clipped at zero."""
    A = X1 / lengthscales
    B = X2 / lengthscales
    sq = (
        np.sum(A * A, axis=1)[:, None]
        + np.sum(B * B, axis=1)[None, :]
        - 2.0 * (A @ B.T)
    )
    return np.maximum(sq, 0.0)


def matern52_profile(sq: Array) -> tuple[Array, Array]:
    """Kernel values and the shared gradient factor from squared distances.

    Parameters
    ----------
    sq : ndarray
        Squared scaled distances.

    Returns
    -------
    K : ndarray
        ``(1 + sqrt(5) r + 5/3 r**2) exp(-sqrt(5) r)``.
    G : ndarray
        ``5/3 (1 + sqrt(5) r) exp(-sqrt(5) r)``, the factor shared by all
        gradients (see the module docstring).
    """
    r = np.sqrt(sq)
    e = np.exp(-_SQRT5 * r)
    lin = 1.0 + _SQRT5 * r
    K = (lin + (5.0 / 3.0) * sq) * e
    G = (5.0 / 3.0) * lin * e
    return K, G


def matern52(X1: Array, X2: Array, lengthscales: Array) -> Array:
    """Unit-variance Matérn-5/2 ARD kernel matrix.

    Parameters
    ----------
    X1 : ndarray of shape (n1, d)
        First set of points.
    X2 : ndarray of shape (n2, d)
        Second set of points.
    lengthscales : ndarray of shape (d,)
        Positive length scales, one per dimension.

    Returns
    -------
    K : ndarray of shape (n1, n2)
        Kernel values ``k(X1[i], X2[j])``.
    """
    ls = np.asarray(lengthscales, dtype=float)
    K, _ = matern52_profile(scaled_sq_dist(_as_2d(X1), _as_2d(X2), ls))
    return K


def pairwise_sq_diff(X: Array) -> Array:
    """Per-dimension squared differences of the rows of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Points.

    Returns
    -------
    D : ndarray of shape (d, n, n)
        ``D[j, a, b] = (X[a, j] - X[b, j])**2``. It does not depend on the
        length scales, so it is computed once per fit.
    """
    X = _as_2d(X)
    diff = X.T[:, :, None] - X.T[:, None, :]
    return diff * diff


def kernel_and_factor(sq_diff: Array, lengthscales: Array) -> tuple[Array, Array]:
    """Kernel matrix and gradient factor from precomputed squared differences.

    Parameters
    ----------
    sq_diff : ndarray of shape (d, n, n)
        Output of :func:`pairwise_sq_diff`.
    lengthscales : ndarray of shape (d,)
        Positive length scales.

    Returns
    -------
    K : ndarray of shape (n, n)
        Unit-variance kernel matrix.
    G : ndarray of shape (n, n)
        Factor such that ``dK/dlog(l_j) = G * sq_diff[j] / l_j**2``.
    """
    inv_l2 = 1.0 / np.asarray(lengthscales, dtype=float) ** 2
    sq = np.tensordot(inv_l2, sq_diff, axes=1)
    return matern52_profile(sq)


def matern52_with_grad(X: Array, lengthscales: Array) -> tuple[Array, Array]:
    """Kernel matrix of ``X`` with itself and its log-length-scale gradients.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Points.
    lengthscales : ndarray of shape (d,)
        Positive length scales.

    Returns
    -------
    K : ndarray of shape (n, n)
        Unit-variance kernel matrix.
    dK : ndarray of shape (d, n, n)
        ``dK[j] = dK / dlog(lengthscales[j])``.
    """
    ls = np.asarray(lengthscales, dtype=float)
    D = pairwise_sq_diff(X)
    K, G = kernel_and_factor(D, ls)
    dK = G[None, :, :] * D / (ls**2)[:, None, None]
    return K, dK


def matern52_grad_x(Xs: Array, X: Array, lengthscales: Array) -> Array:
    """Gradient of ``k(x, X)`` with respect to ``x`` for a batch of ``x``.

    Parameters
    ----------
    Xs : ndarray of shape (m, d)
        Points where the gradient is taken.
    X : ndarray of shape (n, d)
        Fixed second argument (e.g. the training points).
    lengthscales : ndarray of shape (d,)
        Positive length scales.

    Returns
    -------
    dK : ndarray of shape (m, n, d)
        ``dK[i, a, j] = d k(Xs[i], X[a]) / d Xs[i, j]``.
    """
    Xs = _as_2d(Xs)
    X = _as_2d(X)
    ls = np.asarray(lengthscales, dtype=float)
    diff = (Xs[:, None, :] - X[None, :, :]) / (ls**2)
    sq = np.einsum("mnd,mnd->mn", diff, diff * ls**2)
    _, G = matern52_profile(sq)
    return -G[:, :, None] * diff

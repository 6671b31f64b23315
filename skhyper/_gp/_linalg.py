"""Cholesky factorisation with adaptive jitter."""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

__all__ = ["robust_cholesky"]

Array = NDArray[np.float64]


def robust_cholesky(
    K: Array, *, initial_jitter: float = 1e-10, max_tries: int = 8
) -> tuple[Array, float]:
    """Lower Cholesky factor of a symmetric matrix, adding jitter if needed.

    The factorisation is first tried as is. On failure a diagonal jitter of
    ``initial_jitter * mean(diag(K))`` is added and multiplied by 10 at each
    new try, so duplicate rows or a degenerate kernel never raise.

    Parameters
    ----------
    K : ndarray of shape (n, n)
        Symmetric, nominally positive semi-definite matrix.
    initial_jitter : float, default=1e-10
        First relative jitter tried.
    max_tries : int, default=8
        Number of jittered attempts before the last resort below.

    Returns
    -------
    L : ndarray of shape (n, n)
        Lower-triangular factor with ``L @ L.T ≈ K + jitter * I``.
    jitter : float
        Absolute jitter that was added to the diagonal (0 if none).

    Notes
    -----
    If every attempt fails (e.g. ``K`` contains non-finite values), the
    factor of a scaled identity is returned so that callers never crash; the
    caller should treat such a result as a very poor fit.
    """
    n = K.shape[0]
    try:
        L = scipy.linalg.cholesky(K, lower=True, check_finite=False)
        if np.all(np.isfinite(np.diag(L))):
            return L, 0.0
    except (np.linalg.LinAlgError, ValueError):
        pass
    diag = np.diag(K)
    scale = float(np.mean(np.abs(diag))) if np.all(np.isfinite(diag)) else 1.0
    if not np.isfinite(scale) or scale <= 0.0:
        scale = 1.0
    jitter = initial_jitter * scale
    if np.all(np.isfinite(K)):
        for _ in range(max_tries):
            try:
                L = scipy.linalg.cholesky(
                    K + jitter * np.eye(n), lower=True, check_finite=False
                )
                return L, jitter
            except (np.linalg.LinAlgError, ValueError):
                jitter *= 10.0
    return np.sqrt(scale) * np.eye(n), float("inf")

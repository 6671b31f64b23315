"""Input warping: a Kumaraswamy CDF per ordered column of the unit cube.

Each warped column ``x`` in ``[0, 1]`` becomes::

    u = 1 - (1 - x**a)**b,        a, b > 0

a monotone bijection of ``[0, 1]`` that can stretch either end (``a < 1``
stretches the low end, ``b < 1`` the high end; ``a = b = 1`` is the
identity). A stationary kernel on ``u`` models functions whose length scale
changes along ``x``, e.g. a learning rate searched on a linear scale (Snoek
et al., "Input warping for Bayesian optimization of non-stationary
functions", 2014). The parameters are fitted with the kernel's, on their
logarithms, under independent normal priors centred at the identity.

Derivatives, with ``p = x**a`` and ``q = 1 - p``::

    du / dx      = a b x**(a - 1) q**(b - 1)
    du / dlog(a) = a b q**(b - 1) p log(x)
    du / dlog(b) = -b q**b log(q)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["InputWarp", "WarpPrior"]

Array = NDArray[np.float64]

# Inputs are kept this far inside (0, 1), where every derivative is finite.
_EPS = 1e-6


@dataclass(frozen=True)
class WarpPrior:
    """Normal prior on each ``log(a)`` and ``log(b)``, and their bounds.

    Parameters
    ----------
    scale : float, default=0.25
        Standard deviation of the log parameters (mean 0: the identity).
    bounds : tuple of float, default=(0.2, 5.0)
        Bounds on ``a`` and ``b``.
    """

    scale: float = 0.25
    bounds: tuple[float, float] = (0.2, 5.0)

    def log_bounds(self, k: int) -> Array:
        """Bounds on the ``2 k`` log parameters, shape ``(2 k, 2)``."""
        return np.tile(np.log(np.asarray(self.bounds, dtype=float)), (2 * k, 1))

    def neg_log_density(self, log_params: Array) -> tuple[float, Array]:
        """Negative log density (up to a constant) and its gradient."""
        z = np.asarray(log_params, dtype=float) / self.scale
        return 0.5 * float(z @ z), z / self.scale


class InputWarp:
    """Kumaraswamy warping of the columns ``mask`` of unit-cube inputs.

    Parameters
    ----------
    mask : ndarray of shape (d,) of bool
        Columns to warp (ordered ones; one-hot columns stay as they are).
    log_params : ndarray of shape (2 k,) or None, default=None
        ``log(a)`` of the ``k`` warped columns, then their ``log(b)``;
        ``None`` is the identity (all zeros).
    """

    def __init__(self, mask: Array, log_params: Array | None = None) -> None:
        self.mask = np.asarray(mask, dtype=bool)
        self.k = int(self.mask.sum())
        if log_params is None:
            log_params = np.zeros(2 * self.k)
        self.log_params = np.asarray(log_params, dtype=float).ravel()
        if self.log_params.size != 2 * self.k:
            raise ValueError(
                f"log_params must have {2 * self.k} entries, got "
                f"{self.log_params.size}."
            )

    def with_params(self, log_params: Array) -> InputWarp:
        """The same columns with other parameters."""
        return InputWarp(self.mask, log_params)

    def _parts(self, X: Array) -> tuple[Array, Array, Array, Array, Array]:
        a = np.exp(self.log_params[: self.k])
        b = np.exp(self.log_params[self.k :])
        x = np.clip(np.atleast_2d(X)[:, self.mask], _EPS, 1.0 - _EPS)
        p = x**a
        q = np.clip(1.0 - p, _EPS, 1.0)
        return a, b, x, p, q

    def transform(self, X: Array) -> Array:
        """Warped copy of ``X`` (unwarped columns unchanged)."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if not self.k:
            return X
        _, b, _, _, q = self._parts(X)
        U = X.copy()
        U[:, self.mask] = 1.0 - q**b
        return U

    def slope(self, X: Array) -> Array:
        """``du / dx`` per entry, shape ``(n, d)`` (1 on unwarped columns)."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        S = np.ones_like(X)
        if self.k:
            a, b, x, _, q = self._parts(X)
            S[:, self.mask] = a * b * x ** (a - 1.0) * q ** (b - 1.0)
        return S

    def param_gradients(self, X: Array) -> tuple[Array, Array]:
        """``du / dlog(a)`` and ``du / dlog(b)`` of the warped columns,
        each of shape ``(n, k)``."""
        a, b, x, p, q = self._parts(X)
        d_log_a = a * b * q ** (b - 1.0) * p * np.log(x)
        d_log_b = -b * q**b * np.log(q)
        return d_log_a, d_log_b

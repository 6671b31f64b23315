"""Acquisition functions (to maximise) and their gradients.

Each acquisition maps a posterior mean ``mu``, standard deviation ``sigma``
and incumbent ``best`` (all in the same units, normally the standardised ones
of :meth:`GaussianProcess.predict`) to a score, and optionally chains the
gradients ``dmu/dx`` and ``dsigma/dx`` into ``d score / dx``.

Log expected improvement follows Ament et al. (2023), "Unexpected
Improvements to Expected Improvement for Bayesian Optimization": with
``z = (mu - best - xi) / sigma``, ``EI = sigma * h(z)`` where
``h(z) = phi(z) + z Phi(z)``, and ``log h`` is evaluated in three regimes so
that it stays finite and accurate for any ``z``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.special import erfcx, log_ndtr, ndtr

__all__ = [
    "Acquisition",
    "LogExpectedImprovement",
    "LogProbabilityOfImprovement",
    "UpperConfidenceBound",
    "get_acquisition",
    "log_h",
]

Array = NDArray[np.float64]

_LOG_SQRT_2PI = 0.5 * float(np.log(2.0 * np.pi))
_LOG_SQRT_PI_2 = 0.5 * float(np.log(np.pi / 2.0))
# Below this z the asymptotic series of h is used (see _log_h_parts).
_ASYMPTOTIC_BELOW = -100.0
_Z_CLIP = 1e100
_SIGMA_FLOOR = 1e-300


def _log1mexp(x: Array) -> Array:
    """``log(1 - exp(x))`` for ``x < 0``, accurate on the whole range."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    near = x > -np.log(2.0)
    out[near] = np.log(-np.expm1(x[near]))
    out[~near] = np.log1p(-np.exp(x[~near]))
    return out


def _log_h_parts(z: Array) -> tuple[Array, Array]:
    """``log h(z)`` and ``d log h / dz = Phi(z) / h(z)``, stable for any ``z``."""
    # Beyond |z| = 1e100 nothing changes but z**2 would overflow.
    z = np.clip(np.asarray(z, dtype=float), -_Z_CLIP, _Z_CLIP)
    value = np.empty_like(z)
    slope = np.empty_like(z)
    upper = z > -1.0
    far = z <= _ASYMPTOTIC_BELOW
    mid = ~upper & ~far

    zu = z[upper]
    value[upper] = np.log(np.exp(-0.5 * zu * zu) / np.sqrt(2 * np.pi) + zu * ndtr(zu))
    slope[upper] = np.exp(log_ndtr(zu) - value[upper])

    zm = z[mid]
    # h(z) = phi(z) * (1 - |z| sqrt(pi/2) erfcx(-z/sqrt2)) and
    # Phi(z) = phi(z) * sqrt(pi/2) erfcx(-z/sqrt2) for z < 0.
    tail = np.sqrt(np.pi / 2.0) * erfcx(-zm / np.sqrt(2.0))
    log_bracket = _log1mexp(np.log(tail * -zm))
    value[mid] = -0.5 * zm * zm - _LOG_SQRT_2PI + log_bracket
    slope[mid] = tail * np.exp(-log_bracket)

    zf = z[far]
    # Asymptotic series of the bracket 1 - |z| Phi(z)/phi(z), w = 1/z**2:
    # w (1 - 3w + 15w^2 - 105w^3 + 945w^4); truncation error < 1e-12 relative.
    w = 1.0 / (zf * zf)
    bracket_over_w = 1.0 + w * (-3.0 + w * (15.0 + w * (-105.0 + w * 945.0)))
    value[far] = (
        -0.5 * zf * zf - _LOG_SQRT_2PI - 2.0 * np.log(-zf) + np.log(bracket_over_w)
    )
    # Phi/h = (1 - bracket) / (|z| bracket).
    slope[far] = (1.0 - w * bracket_over_w) * -zf / bracket_over_w
    return value, slope


def log_h(z: Array) -> Array:
    """Stable ``log(phi(z) + z * Phi(z))`` for any finite ``z``.

    Parameters
    ----------
    z : array_like
        Standardised improvement.

    Returns
    -------
    ndarray
        ``log h(z)``, finite for all finite ``z``.

    Notes
    -----
    For ``z > -1`` the direct formula is accurate. For ``z <= -1``,
    ``h(z) = phi(z) (1 - |z| sqrt(pi/2) erfcx(-z / sqrt(2)))`` and the bracket is
    evaluated with ``log1mexp``. Below ``-100`` the bracket, which then loses
    digits to cancellation, is replaced by its asymptotic series
    ``1/z**2 - 3/z**4 + 15/z**6 - ...``.
    """
    return _log_h_parts(z)[0]


def _chain(
    dscore_dmu: Array,
    dscore_dsigma: Array,
    dmu: Array | None,
    dsigma: Array | None,
) -> Array | None:
    if dmu is None or dsigma is None:
        return None
    return dscore_dmu[:, None] * dmu + dscore_dsigma[:, None] * dsigma


def _prepare(mu: Array, sigma: Array) -> tuple[Array, Array]:
    mu = np.atleast_1d(np.asarray(mu, dtype=float))
    sigma = np.maximum(np.atleast_1d(np.asarray(sigma, dtype=float)), _SIGMA_FLOOR)
    return mu, sigma


class Acquisition(Protocol):
    """Interface shared by the acquisition functions."""

    def __call__(
        self,
        mu: Array,
        sigma: Array,
        best: float,
        dmu: Array | None = None,
        dsigma: Array | None = None,
    ) -> tuple[Array, Array | None]:
        """Return acquisition values and, if ``dmu``/``dsigma`` are given, gradients."""
        ...


@dataclass(frozen=True)
class LogExpectedImprovement:
    """Logarithm of expected improvement over ``best + xi``.

    Parameters
    ----------
    xi : float, default=0.0
        Improvement margin, in the units of ``mu`` (standardised units when
        used with :func:`make_acquisition_function`).
    """

    xi: float = 0.0

    def __call__(
        self,
        mu: Array,
        sigma: Array,
        best: float,
        dmu: Array | None = None,
        dsigma: Array | None = None,
    ) -> tuple[Array, Array | None]:
        """Evaluate ``log EI``.

        Parameters
        ----------
        mu, sigma : ndarray of shape (m,)
            Posterior mean and standard deviation.
        best : float
            Incumbent value.
        dmu, dsigma : ndarray of shape (m, d) or None
            Gradients of ``mu`` and ``sigma`` with respect to the inputs.

        Returns
        -------
        values : ndarray of shape (m,)
            ``log EI``, finite for any finite input.
        grad : ndarray of shape (m, d) or None
            Gradient of the values, if ``dmu`` and ``dsigma`` were given.
        """
        mu, sigma = _prepare(mu, sigma)
        z = (mu - best - self.xi) / sigma
        lh, g = _log_h_parts(z)  # log h and d log h / dz
        values = np.log(sigma) + lh
        if dmu is None or dsigma is None:
            return values, None
        # dz/dmu = 1/sigma ; dz/dsigma = -z/sigma ; plus d log(sigma)/dsigma.
        return values, _chain(g / sigma, (1.0 - g * z) / sigma, dmu, dsigma)


@dataclass(frozen=True)
class LogProbabilityOfImprovement:
    """Logarithm of the probability of improving over ``best + xi``.

    Parameters
    ----------
    xi : float, default=0.0
        Improvement margin, in the units of ``mu``.
    """

    xi: float = 0.0

    def __call__(
        self,
        mu: Array,
        sigma: Array,
        best: float,
        dmu: Array | None = None,
        dsigma: Array | None = None,
    ) -> tuple[Array, Array | None]:
        """Evaluate ``log Phi(z)``; see :class:`LogExpectedImprovement`."""
        mu, sigma = _prepare(mu, sigma)
        z = (mu - best - self.xi) / sigma
        values = log_ndtr(z)
        if dmu is None or dsigma is None:
            return values, None
        g = np.exp(-0.5 * z * z - _LOG_SQRT_2PI - values)  # phi(z) / Phi(z)
        return values, _chain(g / sigma, -g * z / sigma, dmu, dsigma)


@dataclass(frozen=True)
class UpperConfidenceBound:
    """Upper confidence bound ``mu + kappa * sigma``.

    Parameters
    ----------
    kappa : float, default=2.0
        Exploration weight.
    """

    kappa: float = 2.0

    def __call__(
        self,
        mu: Array,
        sigma: Array,
        best: float,
        dmu: Array | None = None,
        dsigma: Array | None = None,
    ) -> tuple[Array, Array | None]:
        """Evaluate the bound; ``best`` is ignored."""
        mu, sigma = _prepare(mu, sigma)
        values = mu + self.kappa * sigma
        if dmu is None or dsigma is None:
            return values, None
        return values, dmu + self.kappa * dsigma


_REGISTRY: dict[str, type] = {
    "log_ei": LogExpectedImprovement,
    "ei": LogExpectedImprovement,
    "ucb": UpperConfidenceBound,
    "pi": LogProbabilityOfImprovement,
    "log_pi": LogProbabilityOfImprovement,
}


def get_acquisition(name: str = "log_ei", **params: float) -> Acquisition:
    """Build an acquisition function by name.

    Parameters
    ----------
    name : {"log_ei", "ucb", "pi"}, default="log_ei"
        ``"log_ei"`` (alias ``"ei"``): log expected improvement;
        ``"ucb"``: upper confidence bound; ``"pi"`` (alias ``"log_pi"``):
        log probability of improvement.
    **params : float
        ``xi`` for ``"log_ei"`` and ``"pi"``, ``kappa`` for ``"ucb"``.

    Returns
    -------
    Acquisition
        A callable ``(mu, sigma, best, dmu=None, dsigma=None) -> (values,
        grad)``.

    Raises
    ------
    ValueError
        For an unknown name or parameter.
    """
    key = name.lower()
    if key not in _REGISTRY:
        raise ValueError(
            f"unknown acquisition {name!r}; choose from {sorted(_REGISTRY)}"
        )
    try:
        return _REGISTRY[key](**params)
    except TypeError as exc:
        raise ValueError(f"bad parameters for acquisition {name!r}: {params}") from exc

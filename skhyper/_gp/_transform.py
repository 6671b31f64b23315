"""Output transform: tail squashing of very bad scores, then standardisation.

Scores are maximised, so outliers that matter are on the low side (failed
fits, diverged models, NaN scores imputed with a very bad value). A single
such value dominates the sample variance and flattens the rest of the
standardised data, which slows the search down. The optional warp compresses
the part of the scores below a Tukey-style fence::

    fence = q25 - 1.5 * IQR
    w(y)  = fence - IQR * log(1 + (fence - y) / IQR)    for y < fence
    w(y)  = y                                           otherwise

``w`` is strictly increasing (the order of the scores is preserved), C1 at the
fence, and equivariant under ``y -> a y + b`` with ``a > 0``, so the whole
transform stays free of the units of the scores. It is the identity when no
score lies below the fence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Standardizer"]

Array = NDArray[np.float64]

# Relative spread below which the scores are treated as constant: rounding
# in the mean of identical values must not be blown up to unit variance.
_CONSTANT_RTOL = 1e-12
# Largest exponent used when undoing the squash (keeps exp() finite).
_MAX_EXP = 700.0


@dataclass(frozen=True)
class Standardizer:
    """Monotone map ``y -> (w(y) - mean) / scale``, ``w`` the tail squash.

    Parameters
    ----------
    mean : float
        Location subtracted from the (squashed) scores.
    scale : float
        Positive divisor.
    fence : float, default=-inf
        Scores below it are squashed; ``-inf`` disables the squash (then the
        map is affine).
    iqr : float, default=1.0
        Inter-quartile range, the unit of the squash.
    """

    mean: float
    scale: float
    fence: float = -np.inf
    iqr: float = 1.0

    @classmethod
    def fit(cls, y: Array, warp: bool = False) -> Standardizer:
        """Estimate the transform from scores.

        Parameters
        ----------
        y : ndarray of shape (n,)
            Finite scores, ``n >= 1``.
        warp : bool, default=False
            Squash scores far below the bulk (see the module docstring).

        Returns
        -------
        Standardizer
            The fitted map.

        Notes
        -----
        When the spread is zero relative to the magnitude of the scores,
        ``scale`` is set to that magnitude (or 1 when all scores are 0), so
        constant scores never cause a division by zero.
        """
        y = np.asarray(y, dtype=float).ravel()
        fence, iqr = -np.inf, 1.0
        if warp and y.size >= 4:
            q25, q75 = np.percentile(y, [25.0, 75.0])
            if q75 > q25:
                iqr = float(q75 - q25)
                fence = float(q25 - 1.5 * iqr)
        w = _squash(y, fence, iqr)
        mean = float(np.mean(w))
        magnitude = max(abs(mean), float(np.max(np.abs(w))))
        # Divide by the magnitude first: squares of tiny scores (1e-160)
        # underflow to subnormals and would lose the spread.
        unit = magnitude if magnitude > 0.0 else 1.0
        std = float(np.std(w / unit)) * unit
        if not np.isfinite(std) or std <= _CONSTANT_RTOL * magnitude:
            std = magnitude if magnitude > 0.0 else 1.0
        return cls(mean=mean, scale=std, fence=fence, iqr=iqr)

    @property
    def is_affine(self) -> bool:
        """Whether the map is affine (no squash)."""
        return not np.isfinite(self.fence)

    def transform(self, y: Array) -> Array:
        """Map scores to the standardised scale."""
        w = _squash(np.asarray(y, dtype=float), self.fence, self.iqr)
        return (w - self.mean) / self.scale

    def inverse_mean(self, mean: Array) -> Array:
        """Map standardised values back to score units.

        With the squash, the image of a predictive mean is the predictive
        median in score units (the map is monotone).
        """
        w = np.asarray(mean, dtype=float) * self.scale + self.mean
        if self.is_affine:
            return w
        u = np.minimum((self.fence - w) / self.iqr, _MAX_EXP)
        return np.where(w < self.fence, self.fence - self.iqr * np.expm1(u), w)

    def derivative(self, mean: Array) -> Array:
        """``d inverse_mean / d mean`` (the local slope back to score units)."""
        w = np.asarray(mean, dtype=float) * self.scale + self.mean
        if self.is_affine:
            return np.full_like(w, self.scale)
        u = np.minimum((self.fence - w) / self.iqr, _MAX_EXP)
        return self.scale * np.where(w < self.fence, np.exp(u), 1.0)

    def second_derivative(self, mean: Array) -> Array:
        """``d^2 inverse_mean / d mean^2`` (zero unless squashed)."""
        w = np.asarray(mean, dtype=float) * self.scale + self.mean
        if self.is_affine:
            return np.zeros_like(w)
        u = (self.fence - w) / self.iqr
        curv = -(self.scale**2) / self.iqr * np.exp(np.minimum(u, _MAX_EXP))
        return np.where((w < self.fence) & (u < _MAX_EXP), curv, 0.0)

    def inverse_scale(self, std: Array, mean: Array | None = None) -> Array:
        """Map standardised standard deviations (or gradients) to score units.

        Parameters
        ----------
        std : ndarray
            Standardised quantity, shape ``(m,)`` or ``(m, d)``.
        mean : ndarray of shape (m,) or None, default=None
            Standardised means where the slope is taken (delta method);
            required unless the map is affine.

        Returns
        -------
        ndarray
            ``std`` times the local slope of the inverse map.
        """
        std = np.asarray(std, dtype=float)
        if self.is_affine or mean is None:
            return std * self.scale
        slope = self.derivative(mean)
        return std * (slope if std.ndim == 1 else slope[:, None])


def _squash(y: Array, fence: float, iqr: float) -> Array:
    if not np.isfinite(fence):
        return y
    u = np.maximum((fence - y) / iqr, 0.0)
    return np.where(y < fence, fence - iqr * np.log1p(u), y)

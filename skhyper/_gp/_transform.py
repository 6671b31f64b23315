"""Output transform: affine standardisation of the scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Standardizer"]

Array = NDArray[np.float64]

# Relative spread below which the scores are treated as constant: rounding
# in the mean of identical values must not be blown up to unit variance.
_CONSTANT_RTOL = 1e-12


@dataclass(frozen=True)
class Standardizer:
    """Affine map ``y -> (y - mean) / scale``.

    The map is invariant to the units of the scores: multiplying all scores by
    ``c > 0`` multiplies ``mean`` and ``scale`` by ``c`` and leaves the
    standardised values unchanged.

    Parameters
    ----------
    mean : float
        Location subtracted from the scores.
    scale : float
        Positive divisor.
    """

    mean: float
    scale: float

    @classmethod
    def fit(cls, y: Array) -> Standardizer:
        """Estimate mean and standard deviation of ``y``.

        Parameters
        ----------
        y : ndarray of shape (n,)
            Finite scores, ``n >= 1``.

        Returns
        -------
        Standardizer
            The fitted map.

        Notes
        -----
        When the spread of ``y`` is zero relative to its magnitude, ``scale``
        is set to ``|mean|`` (or 1 when the mean is 0), so that predictions
        stay in the units of the data.
        """
        y = np.asarray(y, dtype=float).ravel()
        mean = float(np.mean(y))
        std = float(np.std(y))
        magnitude = max(abs(mean), float(np.max(np.abs(y))))
        if not np.isfinite(std) or std <= _CONSTANT_RTOL * magnitude:
            std = magnitude if magnitude > 0.0 else 1.0
        return cls(mean=mean, scale=std)

    def transform(self, y: Array) -> Array:
        """Map scores to the standardised scale."""
        return (np.asarray(y, dtype=float) - self.mean) / self.scale

    def inverse_mean(self, mean: Array) -> Array:
        """Map standardised means (or values) back to score units."""
        return np.asarray(mean, dtype=float) * self.scale + self.mean

    def inverse_scale(self, std: Array) -> Array:
        """Map standardised standard deviations or gradients to score units."""
        return np.asarray(std, dtype=float) * self.scale

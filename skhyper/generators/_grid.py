"""Exhaustive grid search over the search space."""

from __future__ import annotations

import numbers
from typing import Any

from skhyper.generators._base import BaseGenerator
from skhyper.space import GridIndex

__all__ = ["GridGenerator"]


class GridGenerator(BaseGenerator):
    """Enumerate every combination of values, as ``GridSearchCV`` does.

    Lists are enumerated as given. ``Real`` and ``Integer`` dimensions get
    ``n_points`` values evenly spaced in their unit coordinate (so log-spaced
    for ``log=True``, both bounds included; an ``Integer`` with fewer values
    gives all of them). Distributions get ``n_points`` quantiles at the
    centres of equal-probability cells. Parameters are enumerated in sorted
    order with the last one fastest, and sub-spaces one after another, which
    is the order of :class:`sklearn.model_selection.ParameterGrid`. The
    generator is exhausted after the last combination.

    Parameters
    ----------
    n_points : int, default=5
        Number of grid values for each ``Real``, ``Integer`` and distribution
        dimension.
    """

    deduplicate = False
    grid_size_: int
    _grid: GridIndex
    _position: int

    def __init__(self, n_points: int = 5) -> None:
        self.n_points = n_points

    def _start(self) -> None:
        if not isinstance(self.n_points, numbers.Integral) or self.n_points < 1:
            raise ValueError(
                f"n_points must be a positive integer, got {self.n_points!r}."
            )
        self._grid = GridIndex(self.space_, self.n_points)
        self.grid_size_ = len(self._grid)
        self._position = 0

    def _propose(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        stop = min(self._position + n, self.grid_size_)
        batch = [self._grid[p] for p in range(self._position, stop)]
        self._position = stop
        return batch

    def _is_exhausted(self) -> bool:
        return self._position >= self.grid_size_

    def _n_remaining(self) -> float:
        return self.grid_size_ - self._position

"""Numerics of gradient search in the unit cube of one sub-space.

Finite-difference stencils, the gradient they estimate, and the step rule.
Ordered dimensions (``Real``, ``Integer``, distributions) follow the
gradient; discrete ones sit at the centres of their unit cells, and a
discrete coordinate moves by at least one value. ``Categorical`` columns are
not touched here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from skhyper.space import Categorical, Distribution, Integer, SubSpace

__all__ = [
    "Offset",
    "OrderedAxes",
    "backtrack_ratio",
    "bfgs_update",
    "estimate_gradient",
]


@dataclass(frozen=True)
class Offset:
    """One finite-difference point: column ``column`` moved by ``delta``."""

    column: int
    delta: float
    u: np.ndarray


class OrderedAxes:
    """The columns of a sub-space's unit vector that gradient steps move.

    Parameters
    ----------
    subspace : SubSpace
    """

    def __init__(self, subspace: SubSpace) -> None:
        self.subspace = subspace
        dims = [subspace.dimensions[n] for n in subspace.searched]
        self.dims = dims
        self.columns = [j for j, d in enumerate(dims) if not isinstance(d, Categorical)]
        self.categorical = [j for j, d in enumerate(dims) if isinstance(d, Categorical)]
        self.discrete = {
            j
            for j in self.columns
            if isinstance(dims[j], Integer)
            or (isinstance(dim := dims[j], Distribution) and dim.is_discrete)
        }

    def snap(self, u: np.ndarray) -> np.ndarray:
        """Clip to the cube and move discrete coordinates to their cell centre."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0).copy()
        for j in self.discrete:
            u[j] = self.dims[j].to_unit(self.dims[j].from_unit(u[j : j + 1]))[0]
        return u

    def neighbour(self, u: np.ndarray, column: int, direction: int) -> float | None:
        """Unit coordinate of the next discrete value in ``direction`` (+1 or
        -1), or None at the bound."""
        dim = self.dims[column]
        value = dim.from_unit(u[column : column + 1])[0] + direction
        if not dim.contains(value):
            return None
        return float(dim.to_unit([value])[0])

    def at_bound(self, u: np.ndarray, column: int, direction: int) -> bool:
        """Whether no step in ``direction`` along ``column`` stays in the space."""
        if column in self.discrete:
            return self.neighbour(u, column, direction) is None
        return u[column] >= 1.0 if direction > 0 else u[column] <= 0.0

    def moved(self, u: np.ndarray, column: int, step: float) -> float | None:
        """Coordinate ``column`` moved by about ``step`` and snapped; a discrete
        one moves by at least one value. None if that leaves the space."""
        target = u[column] + step
        if column not in self.discrete:
            return target if 0.0 <= target <= 1.0 else None
        direction = 1 if step > 0 else -1
        dim = self.dims[column]
        here = dim.from_unit(u[column : column + 1])[0]
        there = dim.from_unit(np.clip([target], 0.0, 1.0))[0]
        if there == here:
            return self.neighbour(u, column, direction)
        return float(dim.to_unit([there])[0])

    def stencil(self, u: np.ndarray, h: float, central: bool) -> list[Offset]:
        """Finite-difference points around ``u``: one per column forward (the
        other side at the upper bound), or both sides for central ones."""
        offsets = []
        for j in self.columns:
            sides = [h, -h] if central else [h]
            points = [(s, self.moved(u, j, s)) for s in sides]
            points = [(s, p) for s, p in points if p is not None]
            if not points:  # forward at the upper bound: step back instead
                back = self.moved(u, j, -h)
                points = [] if back is None else [(-h, back)]
            for _, coordinate in points:
                v = u.copy()
                v[j] = coordinate
                offsets.append(Offset(j, float(coordinate - u[j]), v))
        return offsets

    def max_step(self) -> float:
        """The diagonal of the moved columns: no useful step is longer."""
        return math.sqrt(max(len(self.columns), 1))


def estimate_gradient(
    n_columns: int, f0: float, offsets: list[Offset], scores: list[float]
) -> np.ndarray:
    """The gradient from a stencil's scores.

    A column with points on both sides takes the central difference
    ``(f+ - f-) / (d+ - d-)``; one with a single point the one-sided
    ``(f - f0) / d``. Columns without points get 0.

    Parameters
    ----------
    n_columns : int
        Length of the unit vector.
    f0 : float
        Score at the centre.
    offsets : list of Offset
    scores : list of float
        Score at each offset (finite).
    """
    gradient = np.zeros(n_columns)
    by_column: dict[int, list[tuple[float, float]]] = {}
    for offset, score in zip(offsets, scores, strict=True):
        by_column.setdefault(offset.column, []).append((offset.delta, score))
    for j, points in by_column.items():
        plus = [p for p in points if p[0] > 0]
        minus = [p for p in points if p[0] < 0]
        if plus and minus:
            (dp, fp), (dm, fm) = plus[0], minus[0]
            gradient[j] = (fp - fm) / (dp - dm)
        else:
            delta, score = points[0]
            gradient[j] = (score - f0) / delta
    return gradient


def backtrack_ratio(
    slope: float, f0: float, f_trial: float, shrink: float, floor: float = 0.1
) -> float:
    """How much to shrink a failed step, by quadratic interpolation.

    Along the step ``d`` the score is modelled as
    ``f(tau) = f0 + slope * tau + c * tau**2`` through ``f(1) = f_trial``;
    its maximum ``tau* = -slope / (2 c)`` is the ratio, kept in
    ``[floor, shrink]``. Without an ascent slope or a finite trial score the
    ratio is ``shrink``.
    """
    if not (slope > 0 and math.isfinite(f_trial)):
        return shrink
    curvature = f_trial - f0 - slope
    if curvature >= 0:
        return shrink
    return float(np.clip(-slope / (2.0 * curvature), floor, shrink))


def bfgs_update(
    inverse_hessian: np.ndarray | None, s: np.ndarray, y: np.ndarray
) -> np.ndarray | None:
    """One BFGS update of the inverse Hessian of ``-f``.

    ``s`` is the step taken, ``y`` the change of ``-gradient`` along it
    (``gradient_before - gradient_after``). Without a previous matrix the
    update starts from the identity scaled by ``s.y / y.y`` (Nocedal and
    Wright, eq. 6.20). A step without positive curvature (``s.y <= 0``, as
    from noisy differences) leaves the matrix unchanged.
    """
    sy = float(s @ y)
    if not sy > 1e-12 * float(np.linalg.norm(s) * np.linalg.norm(y)):
        return inverse_hessian
    if inverse_hessian is None:
        inverse_hessian = np.eye(len(s)) * sy / float(y @ y)
    rho = 1.0 / sy
    left = np.eye(len(s)) - rho * np.outer(s, y)
    return left @ inverse_hessian @ left.T + rho * np.outer(s, s)

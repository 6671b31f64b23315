"""Hypervolume improvement of candidate points over a Pareto front.

Conventions here: objectives are *minimized* and normalized so that the
front lives in ``[0, 1]^m`` with a reference point ``ref`` beyond it (the
caller negates and scales maximized objectives).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["hypervolume_improvement_2d", "non_dominated"]

Array = NDArray[np.float64]


def non_dominated(points: Array) -> Array:
    """The rows of ``points`` (minimized) that no other row dominates,
    without duplicates."""
    points = np.unique(np.asarray(points, dtype=float).reshape(len(points), -1), axis=0)
    keep = np.ones(len(points), dtype=bool)
    for i, p in enumerate(points):
        dominated = (points <= p).all(axis=1) & (points < p).any(axis=1)
        keep[i] = not dominated.any()
    return points[keep]


def hypervolume_improvement_2d(points: Array, front: Array, ref: Array) -> Array:
    """Hypervolume each of ``points`` would add to ``front`` (2 objectives).

    ``HVI(p) = vol([p, ref]) - HV({max(p, f) : f in front})``: the box
    ``p`` dominates, less the part of it the front already dominates.
    Vectorized over ``points``; ``O(len(points) * len(front))``.

    Parameters
    ----------
    points : ndarray of shape (n, 2)
    front : ndarray of shape (k, 2)
        Points in any order (dominated ones add nothing); may be empty.
    ref : ndarray of shape (2,)

    Returns
    -------
    ndarray of shape (n,)
        Zero for points that do not dominate ``ref`` or that the front
        dominates.
    """
    points = np.minimum(np.asarray(points, dtype=float), ref)
    box = np.prod(ref - points, axis=1)
    front = np.asarray(front, dtype=float).reshape(-1, 2)
    front = front[(front < ref).all(axis=1)]
    if front.size == 0:
        return box
    front = front[np.argsort(front[:, 0], kind="stable")]
    # max(p, f) keeps x non-decreasing; the staircase takes the lowest y so far.
    xs = np.maximum(points[:, None, 0], front[None, :, 0])
    ys = np.minimum.accumulate(
        np.maximum(points[:, None, 1], front[None, :, 1]), axis=1
    )
    right = np.concatenate([xs[:, 1:], np.full((len(points), 1), ref[0])], axis=1)
    covered = np.sum((right - xs) * (ref[1] - ys), axis=1)
    return np.maximum(box - covered, 0.0)

"""Objectives read from ``cv_results_``, Pareto fronts and hypervolumes.

Everything maximizes: an objective that is better when smaller (a time, a
size) is negated when read, so the front and the hypervolume never need
a sign convention from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "generator_objectives",
    "hypervolume",
    "objective_columns",
    "objective_matrix",
    "pareto_front",
    "pareto_mask",
    "score_column",
]

#: Cost shorthands: read from these ``cv_results_`` columns, smaller is better.
TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "fit_time": ("mean_fit_time",),
    "score_time": ("mean_score_time",),
    "total_time": ("mean_fit_time", "mean_score_time"),
}


def metric_names(results: Mapping[str, Any]) -> list[str]:
    """The scorer names of ``cv_results_`` (``["score"]`` for one metric)."""
    return [k.removeprefix("mean_test_") for k in results if k.startswith("mean_test_")]


def score_column(results: Mapping[str, Any], metric: str | None) -> str:
    """The ``mean_test_*`` column of ``metric``; ``None`` means the only one.

    Raises
    ------
    ValueError
        If ``metric`` is None under multi-metric scoring, or unknown.
    """
    names = metric_names(results)
    if metric is None:
        if names == ["score"]:
            return "mean_test_score"
        raise ValueError(
            "cv_results_ holds several metrics "
            f"({', '.join(repr(n) for n in names)}): name the one the rule "
            "compares with metric=..., e.g. metric=" + repr(names[0]) + "."
        )
    if metric not in names:
        raise ValueError(
            f"metric={metric!r} is not in cv_results_; its metrics are "
            f"{', '.join(repr(n) for n in names)}."
        )
    return f"mean_test_{metric}"


Objective = str | Callable[[Mapping[str, Any]], Any]


def objective_columns(
    results: Mapping[str, Any], objective: Objective
) -> tuple[tuple[str, ...], float]:
    """The columns summed for one objective and its sign (+1 maximize).

    ``"fit_time"``, ``"score_time"`` and ``"total_time"`` (fit plus score)
    are minimized; ``"score"`` or a scorer name reads ``mean_test_<name>``
    and is maximized; any other ``cv_results_`` column is maximized; a
    leading ``"-"`` minimizes instead.
    """
    if not isinstance(objective, str):
        raise TypeError("objective_columns takes a string objective.")
    sign = 1.0
    name = objective
    if name.startswith("-"):
        sign, name = -1.0, name[1:]
    if name in TIME_COLUMNS:
        return TIME_COLUMNS[name], -sign
    if name in metric_names(results):
        return (f"mean_test_{name}",), sign
    if name in results:
        return (name,), sign
    raise ValueError(
        f"Unknown objective {objective!r}: use 'fit_time', 'score_time', "
        "'total_time', a metric name "
        f"({', '.join(repr(n) for n in metric_names(results))}), a cv_results_ "
        "column, or a callable of cv_results_; prefix '-' to minimize."
    )


def objective_matrix(
    results: Mapping[str, Any], objectives: Sequence[Objective]
) -> np.ndarray:
    """An ``(n_candidates, n_objectives)`` array, greater is better.

    A callable objective takes ``cv_results_`` and returns one value per
    candidate, greater is better. Non-finite entries stay NaN.
    """
    if isinstance(objectives, str) or not len(objectives):
        raise ValueError(
            "objectives must be a non-empty list, such as ['score', 'fit_time'], "
            f"got {objectives!r}."
        )
    n = len(results["params"])
    matrix = np.empty((n, len(objectives)))
    for j, objective in enumerate(objectives):
        if callable(objective):
            values = np.asarray(objective(results), dtype=float).reshape(-1)
            if values.shape != (n,):
                raise ValueError(
                    f"The objective {objective!r} returned {values.size} values "
                    f"for {n} candidates."
                )
        else:
            columns, sign = objective_columns(results, objective)
            values = sign * np.sum(
                [
                    np.asarray(np.ma.filled(results[c], np.nan), dtype=float)
                    for c in columns
                ],
                axis=0,
            )
        matrix[:, j] = np.where(np.isfinite(values), values, np.nan)
    return matrix


def pareto_mask(points: np.ndarray) -> np.ndarray:
    """Which rows no other row dominates (all maximized).

    A row with a NaN is never on the front and dominates nothing. Equal
    rows do not dominate each other: all of them stay on the front.
    """
    points = np.asarray(points, dtype=float)
    if points.ndim != 2:
        raise ValueError(f"points must be 2-D, got shape {points.shape}.")
    finite = np.isfinite(points).all(axis=1)
    mask = finite.copy()
    valid = points[finite]
    where = np.flatnonzero(finite)
    for k, p in zip(where, valid, strict=True):
        at_least = (valid >= p).all(axis=1)
        better = (valid > p).any(axis=1)
        if (at_least & better).any():
            mask[k] = False
    return mask


def pareto_front(
    results: Mapping[str, Any], objectives: Sequence[Objective] = ("score", "fit_time")
) -> np.ndarray:
    """Indices into ``cv_results_`` of the candidates no other dominates.

    Parameters
    ----------
    results : dict
        A fitted search's ``cv_results_`` (skhyper's or scikit-learn's).
    objectives : list of str or callable, default=("score", "fit_time")
        What to trade off: ``"score"`` or a scorer name (maximized),
        ``"fit_time"``, ``"score_time"``, ``"total_time"`` (minimized), any
        ``cv_results_`` column (maximized; ``"-column"`` minimizes), or a
        callable taking ``cv_results_`` and returning one value per
        candidate (maximized).

    Returns
    -------
    ndarray of int
        The front, ordered by the first objective, best first (ties by the
        next objectives). Candidates with a NaN objective (failed fits) are
        never on it.

    Examples
    --------
    >>> results = {"params": [{}, {}, {}], "mean_test_score": [0.9, 0.8, 0.7],
    ...            "mean_fit_time": [3.0, 1.0, 2.0]}
    >>> pareto_front(results).tolist()
    [0, 1]
    """
    matrix = objective_matrix(results, objectives)
    front = np.flatnonzero(pareto_mask(matrix))
    order = np.lexsort([-matrix[front, j] for j in reversed(range(matrix.shape[1]))])
    return front[order]


def hypervolume(points: np.ndarray, reference: Sequence[float]) -> float:
    """Hypervolume dominated by ``points`` (all minimized) up to ``reference``.

    The benchmarks' measure of a front: the volume of the region that some
    point dominates and that dominates the reference point. Points that do
    not dominate the reference add nothing. Exact, by slicing along the
    last objective (fast for the two or three objectives of a search).

    Parameters
    ----------
    points : array-like of shape (n, m)
        Objective vectors, smaller is better (negate scores first).
    reference : array-like of shape (m,)

    Returns
    -------
    float
    """
    points = np.asarray(points, dtype=float).reshape(-1, len(reference))
    ref = np.asarray(reference, dtype=float)
    points = points[np.isfinite(points).all(axis=1) & (points < ref).all(axis=1)]
    if points.size == 0:
        return 0.0
    points = points[pareto_mask(-points)]
    return _hypervolume(points, ref)


def _hypervolume(points: np.ndarray, ref: np.ndarray) -> float:
    if points.shape[1] == 1:
        return float(ref[0] - points[:, 0].min())
    if points.shape[1] == 2:
        order = np.argsort(points[:, 0], kind="stable")
        xs, ys = points[order, 0], points[order, 1]
        best_y = np.minimum.accumulate(ys)
        right = np.append(xs[1:], ref[0])
        return float(np.sum((right - xs) * (ref[1] - best_y)))
    order = np.argsort(points[:, -1], kind="stable")
    points = points[order]
    levels = np.append(points[:, -1], ref[-1])
    volume = 0.0
    for k in range(len(points)):
        depth = levels[k + 1] - levels[k]
        if depth > 0:
            volume += depth * _hypervolume(points[: k + 1, :-1], ref[:-1])
    return volume


def generator_objectives(
    results: Mapping[str, Any], objectives: Sequence[Objective]
) -> np.ndarray:
    """What a search tells a multi-objective generator: the objective matrix
    with times as ``-log(time)`` (times span orders of magnitude; a
    monotone transform keeps the front)."""
    matrix = objective_matrix(results, objectives)
    for j, objective in enumerate(objectives):
        if isinstance(objective, str) and objective in TIME_COLUMNS:
            matrix[:, j] = -np.log(np.maximum(-matrix[:, j], 1e-6))
    return matrix

"""``cv_results_`` in grid order when a search evaluated a whole grid.

Scripts written for ``GridSearchCV`` read its results by position (a
``reshape`` of ``mean_test_score`` into a table, curves drawn against
``param_*`` in order). When a skhyper search has evaluated every candidate of
a grid of lists, whatever order its generator asked them in, its
``cv_results_`` list them in ``ParameterGrid``'s order; the ``iteration``
column still says when each was proposed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skhyper.space import Categorical, Fixed, GridIndex, SearchSpace
from skhyper.utils._sklearn_compat import (
    EvaluatedSoFar,
    silence_per_batch_non_finite_warnings,
)

__all__ = ["is_grid_of_lists", "put_in_grid_order"]

#: Larger grids are left in the order they were evaluated.
MAX_REORDERED = 100_000


def is_grid_of_lists(space: SearchSpace) -> bool:
    """Whether every dimension of ``space`` is a list of choices or a fixed
    value, as in a ``GridSearchCV`` grid."""
    dimensions = [d for s in space for d in s.dimensions.values()]
    return all(isinstance(d, (Categorical, Fixed)) for d in dimensions)


def grid_order(
    space: SearchSpace, candidates: list[dict[str, Any]]
) -> list[int] | None:
    """The permutation putting ``candidates`` in grid order, or None when they
    are not exactly a whole grid of lists or already in its order."""
    if not is_grid_of_lists(space):
        return None
    if len(candidates) != space.size or len(candidates) > MAX_REORDERED:
        return None
    index = GridIndex(space, n_points=None)
    if len(index) != len(candidates):
        return None
    position_of = {}
    for position in range(len(index)):
        subspace, candidate = index[position]
        position_of[space.key(candidate, subspace)] = position
    try:
        positions = [position_of.get(space.key(c)) for c in candidates]
    except ValueError:  # a candidate outside the space
        return None
    found = [p for p in positions if p is not None]
    if len(found) != len(positions) or len(set(found)) != len(found):
        return None
    order = sorted(range(len(found)), key=lambda i: found[i])
    return None if order == list(range(len(order))) else order


def put_in_grid_order(
    evaluate_candidates: Callable[..., Any],
    search: Any,
    space: SearchSpace,
    n_splits: int,
) -> dict | None:
    """Reorder what ``evaluate_candidates`` accumulated into grid order and
    format ``cv_results_`` again; returns them, or None if nothing changed.

    Formatting again does not repeat scikit-learn's non-finite-score warning:
    the search gives its own once, as for the batches."""
    try:
        evaluated = EvaluatedSoFar(evaluate_candidates)
    except RuntimeError:  # a scikit-learn that keeps its results elsewhere
        return None
    candidates = evaluated.candidate_params
    order = grid_order(space, list(candidates))
    if order is None:
        return None
    out = evaluated.out
    candidates[:] = [candidates[i] for i in order]
    out[:] = [out[i * n_splits + k] for i in order for k in range(n_splits)]
    for values in evaluated.more_results.values():
        values[:] = [values[i] for i in order]
    with silence_per_batch_non_finite_warnings():
        return evaluated.format(search, n_splits)

"""The ``space`` of an ``OptimizeResult``, as scikit-optimize's callbacks read it.

scikit-optimize's callbacks and helpers use ``result.space`` as a
``skopt.space.Space``: ``DeltaXStopper`` calls
``result.space.distance(x_iters[-2], x_iters[-1])``, and user code reads
``dimension_names`` or ``n_dims``. :class:`ResultSpace` is skhyper's search
space of one sub-space with those members on top, points being lists of
values in the order of the sorted parameter names (that of ``x_iters``).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from skhyper.space import Dimension, Integer, Real, SearchSpace, SubSpace

__all__ = ["ResultSpace"]


class ResultSpace(SearchSpace):
    """One sub-space, with the members of ``skopt.space.Space`` that
    callbacks use.

    Parameters
    ----------
    subspace : SubSpace
        The sub-space the result describes.
    """

    def __init__(self, subspace: SubSpace) -> None:
        super().__init__([subspace])

    @property
    def dimension_names(self) -> list[str]:
        """The parameter names, sorted: the order of the values of a point."""
        return list(self.subspaces[0].dimensions)

    @property
    def dimensions(self) -> list[Dimension]:
        """The dimensions, in the order of :attr:`dimension_names`, each a
        copy with the parameter's ``name`` (as scikit-optimize's have)."""
        named = []
        for name, dimension in self.subspaces[0].dimensions.items():
            dimension = copy.copy(dimension)
            dimension.name = name  # type: ignore[attr-defined]
            named.append(dimension)
        return named

    @property
    def n_dims(self) -> int:
        """The number of dimensions (fixed values included, as in ``x``)."""
        return len(self.subspaces[0].dimensions)

    def distance(self, point_a: Sequence[Any], point_b: Sequence[Any]) -> float:
        """The distance between two points, as scikit-optimize defines it.

        The sum over the dimensions of ``|a - b|`` for real and integer
        ranges, and of 0 (equal) or 1 (different) for any other dimension.

        Parameters
        ----------
        point_a, point_b : sequence
            Values in the order of :attr:`dimension_names`, as in ``x_iters``.

        Returns
        -------
        float

        Raises
        ------
        RuntimeError
            If a value lies outside its dimension (scikit-optimize's error).
        """
        total = 0.0
        for a, b, dimension in zip(point_a, point_b, self.dimensions, strict=True):
            if not (dimension.contains(a) and dimension.contains(b)):
                raise RuntimeError(
                    "Can only compute distance for values within the space, "
                    f"not {a} and {b}."
                )
            if isinstance(dimension, (Real, Integer)):
                total += abs(a - b)
            else:
                total += 0 if a == b else 1
        return total

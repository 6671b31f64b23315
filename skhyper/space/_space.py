"""Search spaces: named dimensions, alternative sub-spaces, unit-cube maps."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from skhyper.space._dimensions import Dimension

__all__ = ["GridIndex", "SearchSpace", "SubSpace"]


class SubSpace:
    """One dictionary of named dimensions, mapped to the unit cube.

    Parameter names are kept sorted (as ``ParameterGrid`` does). Fixed
    values are part of every candidate but take no unit coordinate.

    Parameters
    ----------
    dimensions : dict of str to Dimension
    """

    def __init__(self, dimensions: dict[str, Dimension]) -> None:
        self.dimensions = dict(sorted(dimensions.items()))
        self.searched = [n for n, d in self.dimensions.items() if d.n_unit]
        self.fixed = {
            n: d.from_unit(np.zeros(1))[0]
            for n, d in self.dimensions.items()
            if not d.n_unit
        }

    @property
    def n_dims(self) -> int:
        """Number of unit coordinates."""
        return len(self.searched)

    @property
    def size(self) -> float:
        """Number of distinct candidates (``math.inf`` if any is continuous)."""
        return math.prod(self.dimensions[n].size for n in self.searched)

    def from_unit(self, u: np.ndarray) -> list[dict[str, Any]]:
        """Map an (n, n_dims) array of unit coordinates to n candidates."""
        u = np.atleast_2d(np.asarray(u, dtype=float))
        if u.shape[1] != self.n_dims:
            raise ValueError(f"Expected {self.n_dims} unit coordinates, got {u.shape}")
        columns = [
            self.dimensions[name].from_unit(u[:, j])
            for j, name in enumerate(self.searched)
        ]
        candidates = []
        for i in range(u.shape[0]):
            candidate = dict(self.fixed)
            for name, column in zip(self.searched, columns, strict=True):
                candidate[name] = column[i]
            candidates.append(dict(sorted(candidate.items())))
        return candidates

    def to_unit(self, candidates: Sequence[dict[str, Any]]) -> np.ndarray:
        """Map candidates to an (n, n_dims) array of unit coordinates."""
        u = np.empty((len(candidates), self.n_dims))
        for j, name in enumerate(self.searched):
            u[:, j] = self.dimensions[name].to_unit([c[name] for c in candidates])
        return u

    def key(self, candidate: dict[str, Any]) -> tuple:
        """A hashable identity of a candidate of this sub-space."""
        return tuple(self.dimensions[n].key(candidate[n]) for n in self.searched)

    def matches(self, candidate: dict[str, Any]) -> bool:
        """Whether ``candidate`` names exactly this sub-space's parameters and
        every value lies in its dimension."""
        if set(candidate) != set(self.dimensions):
            return False
        return all(d.contains(candidate[n]) for n, d in self.dimensions.items())

    def grid(self, n_points: int) -> Iterator[dict[str, Any]]:
        """Enumerate the grid, last parameter fastest (as ``ParameterGrid``)."""
        names = list(self.dimensions)
        values = [self.dimensions[n].grid(n_points) for n in names]
        for combination in itertools.product(*values):
            yield dict(zip(names, combination, strict=True))

    def __repr__(self) -> str:
        return f"SubSpace({self.dimensions!r})"


class SearchSpace:
    """A list of alternative sub-spaces (as a list of dicts in ``GridSearchCV``).

    Build one with :func:`skhyper.space.parse_search_space`.

    Parameters
    ----------
    subspaces : list of SubSpace
    """

    def __init__(self, subspaces: list[SubSpace]) -> None:
        self.subspaces = subspaces

    def __len__(self) -> int:
        return len(self.subspaces)

    def __iter__(self) -> Iterator[SubSpace]:
        return iter(self.subspaces)

    def __getitem__(self, index: int) -> SubSpace:
        return self.subspaces[index]

    @property
    def size(self) -> float:
        """Number of distinct candidates, ``math.inf`` if any is continuous."""
        return sum(s.size for s in self.subspaces)

    @property
    def is_finite(self) -> bool:
        return math.isfinite(self.size)

    def locate(self, candidate: dict[str, Any]) -> int:
        """Index of the first sub-space that contains ``candidate``.

        Raises
        ------
        ValueError
            If no sub-space contains it.
        """
        for index, subspace in enumerate(self.subspaces):
            if subspace.matches(candidate):
                return index
        raise ValueError(
            f"The candidate {candidate!r} does not lie in the search space "
            f"{self!r}: every parameter must be named and inside its dimension."
        )

    def key(self, candidate: dict[str, Any], index: int | None = None) -> tuple:
        """A hashable identity of a candidate, equal for equal candidates."""
        if index is None:
            index = self.locate(candidate)
        return (index, self.subspaces[index].key(candidate))

    def __repr__(self) -> str:
        return f"SearchSpace({self.subspaces!r})"


class GridIndex:
    """The grid of a search space, addressed by position.

    Position ``p`` is the ``p``-th candidate of :meth:`SubSpace.grid` over the
    sub-spaces one after another (``ParameterGrid`` order), found without
    enumerating the ones before it.

    Parameters
    ----------
    space : SearchSpace
    n_points : int or None
        Grid values of each ``Real``, ``Integer`` and distribution dimension.
        ``None`` takes every distinct value of each dimension (a finite
        space only): the positions then address every distinct candidate.
    """

    def __init__(self, space: SearchSpace, n_points: int | None) -> None:
        def values(dimension: Dimension) -> list:
            if n_points is None:
                return dimension.all_values()
            return dimension.grid(n_points)

        self._axes = [
            (list(s.dimensions), [values(d) for d in s.dimensions.values()])
            for s in space
        ]
        sizes = [math.prod(len(v) for v in values) for _, values in self._axes]
        self._offsets = list(itertools.accumulate(sizes, initial=0))

    def __len__(self) -> int:
        return self._offsets[-1]

    def __getitem__(self, position: int) -> tuple[int, dict[str, Any]]:
        """(sub-space index, candidate) at ``position``."""
        index = bisect.bisect_right(self._offsets, position) - 1
        names, values = self._axes[index]
        rest = position - self._offsets[index]
        picked = []
        for axis in reversed(values):
            rest, i = divmod(rest, len(axis))
            picked.append(axis[i])
        return index, dict(zip(names, reversed(picked), strict=True))

"""Random and quasi-random (Sobol) sampling from the priors."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from scipy.stats import qmc

from skhyper.generators._base import BaseGenerator
from skhyper.space import Categorical, GridIndex

__all__ = ["RandomGenerator", "SobolGenerator"]

# Above this many candidates a finite space is sampled by rejection instead
# of without replacement.
_MAX_ENUMERATED = 10**6


class RandomGenerator(BaseGenerator):
    """Independent draws from the priors of the dimensions.

    A sub-space is chosen uniformly at random for each candidate. When every
    searched dimension is a list of choices (a finite grid), candidates are
    drawn without replacement, as ``RandomizedSearchCV`` does, and the
    generator is exhausted once every combination was drawn. Otherwise
    repeated candidates are skipped.

    The draws do not depend on how they are split into batches: asking for
    ``2`` then ``3`` gives the same five candidates as asking for ``5``.
    The one exception follows ``RandomizedSearchCV``: a first ask that
    covers a whole finite grid of lists gets it in grid order.
    """

    def _start(self) -> None:
        space = self.space_
        self._all_lists = all(
            isinstance(s.dimensions[n], Categorical) for s in space for n in s.searched
        )
        self._order = None
        if self._all_lists and space.size <= _MAX_ENUMERATED:
            self._grid = GridIndex(space, n_points=1)
            self._order = self.random_state_.permutation(len(self._grid))
            self._position = 0

    def _propose(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        if self._order is not None:
            return self._propose_from_grid(n)
        space = self.space_
        width = 1 + max(s.n_dims for s in space)
        u = self.random_state_.random_sample((n, width))
        which = np.minimum((u[:, 0] * len(space)).astype(int), len(space) - 1)
        out: list[tuple[int, dict[str, Any]]] = [None] * n  # type: ignore[list-item]
        for index in np.unique(which):
            rows = np.flatnonzero(which == index)
            subspace = space[index]
            candidates = subspace.from_unit(u[rows, 1 : 1 + subspace.n_dims])
            for row, candidate in zip(rows, candidates, strict=True):
                out[row] = (int(index), candidate)
        return out

    def _propose_from_grid(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        if self._order is None:
            raise RuntimeError("RandomGenerator: this space is not enumerated.")
        if self._position == 0 and n >= len(self._order):
            # The whole grid at once: in grid order, as RandomizedSearchCV
            # gives it when n_iter covers the grid.
            self._order = np.arange(len(self._order))
        flat = self._order[self._position : self._position + n]
        self._position += len(flat)
        return [self._grid[int(f)] for f in flat]

    def _is_exhausted(self) -> bool:
        return self._order is not None and self._position >= len(self._order)


class SobolGenerator(BaseGenerator):
    """Scrambled Sobol points mapped through the priors of the dimensions.

    Quasi-random points cover the unit cube more evenly than random ones, so
    small budgets explore better. Each sub-space has its own Sobol sequence;
    sub-spaces take turns. Points come from
    :class:`scipy.stats.qmc.Sobol` with scrambling seeded from
    ``random_state``; the balance properties are best when the number of
    points per sub-space is a power of two.
    """

    def _start(self) -> None:
        self._engines = [
            qmc.Sobol(s.n_dims, scramble=True, seed=self.random_state_.randint(2**31))
            if s.n_dims
            else None
            for s in self.space_
        ]
        self._turn = 0
        self._done = [False] * len(self.space_)

    def _propose(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        space = self.space_
        active = [i for i in range(len(space)) if not self._done[i]]
        if not active:
            return []
        owners = [active[(self._turn + k) % len(active)] for k in range(n)]
        self._turn = (self._turn + n) % len(active)
        drawn: dict[int, list[dict[str, Any]]] = {}
        for index in sorted(set(owners)):
            count = owners.count(index)
            engine = self._engines[index]
            if engine is None:
                self._done[index] = True
                drawn[index] = space[index].from_unit(np.empty((1, 0)))[:1]
                continue
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*balance properties.*")
                u = engine.random(count)
            drawn[index] = space[index].from_unit(u)
            if math.isfinite(space[index].size) and engine.num_generated > 64 * max(
                space[index].size, 1
            ):
                self._done[index] = True
        out = []
        for index in owners:
            if drawn[index]:
                out.append((index, drawn[index].pop(0)))
        return out

    def _is_exhausted(self) -> bool:
        return all(self._done)

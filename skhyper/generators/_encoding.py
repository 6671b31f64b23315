"""Feature encoding of one sub-space for surrogate models.

Ordered dimensions (reals, integers, numeric lists, distributions) take one
column: their unit coordinate. Unordered lists of three or more choices take
one-hot columns, so a model never reads an order into them. ``snap`` moves
any point of ``[0, 1]^D`` to the encoding of a valid candidate.
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np

from skhyper.space import Categorical, Real, SubSpace

__all__ = ["SubSpaceEncoder"]


class SubSpaceEncoder:
    """Encode candidates of a :class:`~skhyper.space.SubSpace` as floats.

    Parameters
    ----------
    subspace : SubSpace

    Attributes
    ----------
    n_features : int
        Number of columns ``D`` of the encoding.
    one_hot_mask : ndarray of shape (D,) of bool
        Columns that belong to one-hot blocks (moved only by ``snap``).
    ordered_mask : ndarray of shape (D,) of bool
        Columns of ordered dimensions with more than two values (the ones an
        input warping may stretch).
    value_width : ndarray of shape (D,)
        Width in unit coordinates of one value of a discrete column, on an
        evenly spaced scale (``0`` for continuous columns).
    """

    def __init__(self, subspace: SubSpace) -> None:
        self.subspace = subspace
        self._blocks: list[tuple[str, slice, bool]] = []
        column = 0
        for name in subspace.searched:
            dim = subspace.dimensions[name]
            one_hot = (
                isinstance(dim, Categorical) and not dim.is_ordered and dim.size > 2
            )
            # One column per distinct choice: a repeated choice is one candidate.
            width = int(dim.size) if one_hot else 1
            self._blocks.append((name, slice(column, column + width), one_hot))
            column += width
        self.n_features = column
        self.one_hot_mask = np.zeros(column, dtype=bool)
        self.ordered_mask = np.zeros(column, dtype=bool)
        # Unit width of one value of a discrete column (0 for reals).
        self.value_width = np.zeros(column)
        for name, cols, one_hot in self._blocks:
            dim = subspace.dimensions[name]
            self.one_hot_mask[cols] = one_hot
            self.ordered_mask[cols] = dim.is_ordered and dim.size > 2
            if not one_hot and math.isfinite(dim.size):
                self.value_width[cols] = 1.0 / dim.size

    def encode(self, candidates: list[dict[str, Any]]) -> np.ndarray:
        """Candidates to an (n, D) array."""
        X = np.zeros((len(candidates), self.n_features))
        for name, cols, one_hot in self._blocks:
            dim = self.subspace.dimensions[name]
            values = [c[name] for c in candidates]
            if one_hot:
                dim = cast(Categorical, dim)
                column = {i: c for c, i in enumerate(dim.distinct_indices)}
                index = [column[dim.index(v)] for v in values]
                X[np.arange(len(values)), cols.start + np.asarray(index, int)] = 1.0
            else:
                X[:, cols.start] = dim.to_unit(values)
        return X

    def decode(self, X: np.ndarray) -> list[dict[str, Any]]:
        """An (n, D) array to candidates (one-hot blocks by their argmax)."""
        X = np.atleast_2d(X)
        u = np.empty((X.shape[0], len(self._blocks)))
        for j, (name, cols, one_hot) in enumerate(self._blocks):
            if one_hot:
                dim = cast(Categorical, self.subspace.dimensions[name])
                chosen = np.asarray(dim.distinct_indices)[np.argmax(X[:, cols], axis=1)]
                # The centre of the unit cell of the chosen category.
                u[:, j] = (chosen + 0.5) / len(dim.choices)
            else:
                u[:, j] = X[:, cols.start]
        # One-hot columns follow the order of the choices, which is also the
        # unit order of an unordered categorical.
        return self.subspace.from_unit(u)

    def snap(self, X: np.ndarray) -> np.ndarray:
        """Move each row to the encoding of the candidate it decodes to."""
        X = np.clip(np.atleast_2d(np.asarray(X, dtype=float)), 0.0, 1.0).copy()
        for name, cols, one_hot in self._blocks:
            dim = self.subspace.dimensions[name]
            if one_hot:
                block = np.zeros_like(X[:, cols])
                block[np.arange(len(X)), np.argmax(X[:, cols], axis=1)] = 1.0
                X[:, cols] = block
            elif not isinstance(dim, Real):
                X[:, cols.start] = dim.snap_unit(X[:, cols.start])
        return X

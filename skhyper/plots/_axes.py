"""Shared matplotlib plumbing: the lazy import, axes grids, parameter axes."""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np

from skhyper.space import Categorical, Dimension, Distribution, Integer, Real

__all__ = ["axes_for", "parameter_axis", "pyplot"]


def pyplot() -> Any:
    """``matplotlib.pyplot``, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "skhyper.plots needs matplotlib: pip install matplotlib (skhyper's "
            '"plots" extra)'
        ) from error
    return plt


def axes_for(n: int, ax: Any, *, panel_size: tuple[float, float] = (4.0, 3.2)):
    """``n`` axes: the given ones (one Axes or an array-like of ``n``), or a
    new figure with a grid of at most three columns, balanced so that few
    cells stay empty; the empty ones are removed."""
    if ax is None:
        # As few empty cells as three columns at most allow: 4 panels are
        # 2 x 2, not 3 + 1.
        nrows = math.ceil(n / 3)
        ncols = math.ceil(n / nrows)
        _, grid = pyplot().subplots(
            nrows,
            ncols,
            figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
            squeeze=False,
            layout="constrained",
        )
        grid = grid.ravel()
        for unused in grid[n:]:
            unused.remove()
        return grid[:n]
    axes = np.empty(1, dtype=object)
    axes[0] = ax
    if not hasattr(ax, "plot"):
        axes = np.asarray(ax, dtype=object).ravel()
    if len(axes) != n:
        raise ValueError(f"Expected {n} axes for {n} panels, got {len(axes)}.")
    return axes


class ParameterAxis:
    """Where values of one parameter go along a plot axis.

    Numbers go to themselves (on a log scale for log ranges and log-uniform
    priors); the choices of a list go to positions 0, 1, ... labelled with
    the choice.
    """

    def __init__(self, dim: Dimension) -> None:
        self.dim = dim
        self.categorical = isinstance(dim, Categorical)
        self.log = _is_log(dim)
        if self.categorical:
            k = int(dim.size)
            self.choices = dim.from_unit((np.arange(k) + 0.5) / k)

    def positions(self, values: list[Any]) -> np.ndarray:
        if not self.categorical:
            return np.asarray(values, dtype=float)
        dim = cast(Categorical, self.dim)
        order = {dim.index(c): i for i, c in enumerate(self.choices)}
        return np.array([order[dim.index(v)] for v in values], dtype=float)

    def jittered(self, values: list[Any], rng: np.random.Generator) -> np.ndarray:
        """Positions, spread a little across a choice so repeats stay visible."""
        x = self.positions(values)
        if self.categorical:
            x = x + rng.uniform(-0.15, 0.15, size=x.shape)
        return x

    def decorate(self, set_scale: Any, set_lim: Any, set_ticks: Any) -> None:
        """Scale, limits and tick labels through one axis's setters."""
        if self.categorical:
            set_ticks(range(len(self.choices)), [str(c) for c in self.choices])
            set_lim(-0.5, len(self.choices) - 0.5)
        elif self.log:
            set_scale("log")


def parameter_axis(dim: Dimension, ax: Any, which: str = "x") -> ParameterAxis:
    """A :class:`ParameterAxis` for ``dim``, with ``ax``'s ``which`` axis set."""
    axis = ParameterAxis(dim)
    axis.decorate(
        getattr(ax, f"set_{which}scale"),
        getattr(ax, f"set_{which}lim"),
        getattr(ax, f"set_{which}ticks"),
    )
    return axis


def _is_log(dim: Dimension) -> bool:
    if isinstance(dim, (Real, Integer)):
        return bool(dim.log)
    if isinstance(dim, Distribution):
        name = getattr(getattr(dim.dist, "dist", None), "name", "")
        return name in ("loguniform", "reciprocal")
    return False

"""Where a search sampled each parameter, and what it scored there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from skhyper.plots._axes import axes_for, parameter_axis
from skhyper.plots._history import as_history
from skhyper.space import Dimension, SearchSpace

__all__ = ["plot_evaluations"]


def plot_evaluations(
    result: Any,
    parameters: Sequence[str] | None = None,
    *,
    ax: Any = None,
    cmap: str = "viridis",
) -> np.ndarray:
    """Plot each evaluated value against each parameter, coloured by order.

    One panel per parameter: a dot per evaluation at (parameter value,
    score), its colour the evaluation's position in the search, so the
    panels show where the generator sampled, how it moved over time and what
    scored well. Choices of a list are spread a little around their
    position so repeats stay visible. Failed evaluations (NaN) are drawn as
    red crosses at the worst value seen.

    Parameters
    ----------
    result : fitted search or OptimizeResult
        A fitted :class:`~skhyper.HyperSearchCV` (or any scikit-learn search
        with ``cv_results_``), or the result of :func:`skhyper.minimize`.
    parameters : list of str, optional
        Parameters to show; by default every searched one.
    ax : matplotlib Axes or array-like of Axes, optional
        One Axes per parameter; a new figure by default.
    cmap : str, default="viridis"
        Colour map of the evaluation order.

    Returns
    -------
    axes : ndarray of matplotlib Axes
        One per parameter. Each holds a scatter collection of the finite
        evaluations having that parameter (``axes[i].collections[0]``), then
        one of the failed ones if any. The figure has a colour bar labelled
        "evaluation".

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skhyper import Integer, Real, minimize
    >>> from skhyper.plots import plot_evaluations
    >>> result = minimize(lambda x, n: (x - 1) ** 2 + n, {"x": Real(-5, 5),
    ...                   "n": Integer(0, 3)}, n_calls=8, random_state=0)
    >>> axes = plot_evaluations(result)
    >>> [a.get_xlabel() for a in axes]
    ['n', 'x']
    """
    history = as_history(result)
    space = history.require_space()
    dims = _searched_dimensions(space)
    if parameters is None:
        parameters = list(dims)
    for name in parameters:
        if name not in dims:
            raise ValueError(
                f"{name!r} is not a searched parameter; choose from {list(dims)}."
            )
    axes = axes_for(len(parameters), ax)
    order = np.arange(len(history.values))
    values = history.values
    failed = np.isnan(values)
    finite_values = values[~failed]
    if finite_values.size == 0:
        worst = 0.0
    else:
        worst = float(finite_values.min() if history.maximize else finite_values.max())
    rng = np.random.default_rng(0)
    scatter = None
    for axis, name in zip(axes, parameters, strict=True):
        place = parameter_axis(dims[name], axis)
        rows = [
            i
            for i, c in enumerate(history.candidates)
            if name in c and dims[name].contains(c[name])
        ]
        x = place.jittered([history.candidates[i][name] for i in rows], rng)
        rows_arr = np.asarray(rows, dtype=int)
        ok = ~failed[rows_arr]
        scatter = axis.scatter(
            x[ok],
            values[rows_arr[ok]],
            c=order[rows_arr[ok]],
            cmap=cmap,
            vmin=0,
            vmax=max(len(order) - 1, 1),
            s=18,
            edgecolors="none",
        )
        if (~ok).any():
            axis.scatter(
                x[~ok],
                np.full(int((~ok).sum()), worst),
                marker="x",
                color="tab:red",
                label="failed",
            )
            axis.legend()
        axis.set_xlabel(name)
        axis.set_ylabel(history.value_label)
    figure = axes[0].figure
    colorbar = figure.colorbar(scatter, ax=list(axes))
    colorbar.set_label("evaluation")
    return axes


def _searched_dimensions(space: SearchSpace) -> dict[str, Dimension]:
    """Each searched parameter's dimension (from the first sub-space that
    searches it), sorted by name."""
    dims: dict[str, Dimension] = {}
    for subspace in space:
        for name in subspace.searched:
            dims.setdefault(name, subspace.dimensions[name])
    return dict(sorted(dims.items()))

"""scikit-optimize's plot functions, for the results of :mod:`skhyper.skopt`.

A script that plots a scikit-optimize search keeps working when its import
changes from ``skopt.plots`` to ``skhyper.skopt.plots``: each function takes
one of :attr:`BayesSearchCV.optimizer_results_
<skhyper.skopt.BayesSearchCV.optimizer_results_>` (or a fitted search, or a
:func:`skhyper.minimize` result) and scikit-optimize's keywords, and draws
with :mod:`skhyper.plots`. scikit-optimize's own functions cannot take these
results: they need its ``Space`` and the surrogate models it keeps, while
skhyper's model is the result's ``generator``.

The pictures differ from scikit-optimize's where skhyper's plots do:
``plot_objective`` draws the Gaussian process's partial dependence on each
parameter and pair (panels in a row-major grid, not a lower triangle);
``plot_evaluations`` draws the function value against each parameter,
coloured by order (scikit-optimize draws the sampled points against each
other). Keywords that only tune scikit-optimize's drawing are accepted and
ignored; those that would change what is drawn, and have no equivalent,
raise a ``ValueError``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import OptimizeResult as ScipyOptimizeResult

from skhyper import plots
from skhyper._minimize import OptimizeResult
from skhyper.plots._axes import pyplot
from skhyper.plots._evaluations import _searched_dimensions
from skhyper.plots._history import as_history

__all__ = [
    "plot_convergence",
    "plot_evaluations",
    "plot_histogram",
    "plot_objective",
]


def _as_result(result: Any) -> Any:
    """A result :mod:`skhyper.plots` reads: a face ``OptimizeResult`` (lists
    of values in sorted-name order, minimized values) becomes a
    :class:`skhyper.OptimizeResult`; anything else passes unchanged."""
    if isinstance(result, ScipyOptimizeResult) and "generator" in result:
        names = list(result.space.dimension_names)
        x_iters = [dict(zip(names, point, strict=True)) for point in result.x_iters]
        func_vals = np.asarray(result.func_vals, dtype=float)
        x = None if result.x is None else dict(zip(names, result.x, strict=True))
        return OptimizeResult(
            x=x or {},
            fun=float(result.fun),
            x_iters=x_iters,
            func_vals=func_vals,
            generator=result.generator,
        )
    if isinstance(result, ScipyOptimizeResult):
        raise TypeError(
            "skhyper.skopt.plots draws the results of skhyper.skopt searches "
            "(BayesSearchCV.optimizer_results_); for a result of "
            "scikit-optimize itself, use skopt.plots."
        )
    return result


def _names(result: Any) -> list[str]:
    """The parameter names of a face result, in ``x_iters`` order."""
    return list(result.space.dimension_names)


def _selected(result: Any, plot_dims: Sequence[Any] | None) -> list[str] | None:
    """scikit-optimize's ``plot_dims`` (names or indices) as names."""
    if plot_dims is None:
        return None
    names = _names(result) if hasattr(result, "space") else None
    out = []
    for dim in plot_dims:
        if isinstance(dim, (int, np.integer)) and names is not None:
            out.append(names[int(dim)])
        else:
            out.append(str(dim))
    return out


def plot_convergence(
    *args: Any,
    ax: Any = None,
    true_minimum: float | Sequence[float] | None = None,
    yscale: str | None = None,
    **kwargs: Any,
) -> Any:
    """Plot the minimum found so far against the number of calls.

    Parameters
    ----------
    *args : results or (label, result) tuples
        As scikit-optimize takes them; a label names the result's line.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    true_minimum : float or list of float, optional
        Drawn as horizontal lines.
    yscale : str, optional
        The y axis scale, e.g. ``"log"``.
    **kwargs
        scikit-optimize's line styling keywords; ignored.

    Returns
    -------
    ax : matplotlib Axes
    """
    labels: list[str] = []
    results = []
    for i, arg in enumerate(args):
        if isinstance(arg, tuple):
            label, arg = arg
        else:
            label = f"result {i + 1}" if len(args) > 1 else "minimize"
        if isinstance(arg, list):
            raise ValueError(
                "skhyper.skopt.plots.plot_convergence takes one result per "
                "line; pass the runs of a list as separate arguments."
            )
        labels.append(str(label))
        results.append(_as_result(arg))
    ax = plots.plot_convergence(*results, labels=labels, ax=ax)
    if true_minimum is not None:
        minima = np.atleast_1d(np.asarray(true_minimum, dtype=float))
        for value in minima:
            ax.axhline(value, linestyle="--", color="black", label="true minimum")
    if yscale is not None:
        ax.set_yscale(yscale)
    return ax


def plot_objective(
    result: Any,
    levels: int = 10,
    n_points: int = 40,
    n_samples: int = 250,
    size: float = 2,
    zscale: str = "linear",
    dimensions: Sequence[str] | None = None,
    sample_source: str = "random",
    minimum: str = "result",
    n_minimum_search: int | None = None,
    plot_dims: Sequence[Any] | None = None,
    show_points: bool = True,
    cmap: str = "viridis_r",
) -> np.ndarray:
    """Plot the surrogate's partial dependence on each parameter and pair.

    Parameters
    ----------
    result : OptimizeResult or fitted search
        One of ``BayesSearchCV.optimizer_results_``.
    levels, size, zscale, cmap, minimum, n_minimum_search
        scikit-optimize's drawing options; ignored.
    n_points : int, default=40
        Values per parameter.
    n_samples : int, default=250
        Background sample of the other parameters.
    dimensions : list of str, optional
        Panel labels; must name the plotted parameters in order.
    sample_source : {"random"}, default="random"
        Only scikit-optimize's default: the partial dependence averages over
        a sample of the other parameters.
    plot_dims : list of str or int, optional
        Parameters to plot (names, or indices into the sorted names).
    show_points : bool, default=True
        Draw the evaluated points.

    Returns
    -------
    ax : ndarray of matplotlib Axes
        One per parameter, then one per pair.
    """
    if sample_source != "random":
        raise ValueError(
            "skhyper.skopt.plots.plot_objective averages the surrogate over a "
            f'sample of the other parameters (sample_source="random"), got '
            f"sample_source={sample_source!r}. skhyper.plots."
            "plot_partial_dependence draws the same partial dependences."
        )
    names = _selected(result, plot_dims)
    converted = _as_result(result)
    if names is None:
        names = _searched_names(converted)
    features: list[Any] = [*names, *itertools.combinations(names, 2)]
    axes = plots.plot_partial_dependence(
        converted,
        features,
        n_points=n_points,
        n_samples=n_samples,
        show_points=show_points,
    )
    _relabel(axes[: len(names)], dimensions, len(names))
    return axes


def plot_evaluations(
    result: Any,
    bins: int = 20,
    dimensions: Sequence[str] | None = None,
    plot_dims: Sequence[Any] | None = None,
) -> np.ndarray:
    """Plot the function value of each evaluation against each parameter.

    Parameters
    ----------
    result : OptimizeResult or fitted search
        One of ``BayesSearchCV.optimizer_results_``.
    bins : int, default=20
        scikit-optimize's histogram bins; ignored (no histograms drawn).
    dimensions : list of str, optional
        Panel labels; must name the plotted parameters in order.
    plot_dims : list of str or int, optional
        Parameters to plot (names, or indices into the sorted names).

    Returns
    -------
    ax : ndarray of matplotlib Axes
    """
    names = _selected(result, plot_dims)
    axes = plots.plot_evaluations(_as_result(result), names)
    flat = np.atleast_1d(axes).ravel()
    _relabel(flat, dimensions, len(flat))
    return axes


def plot_histogram(
    result: Any,
    dimension_identifier: str | int,
    bins: int = 20,
    rotate_labels: int = 0,
    ax: Any = None,
) -> Any:
    """Plot the histogram of the values evaluated for one parameter.

    Parameters
    ----------
    result : OptimizeResult
        One of ``BayesSearchCV.optimizer_results_``.
    dimension_identifier : str or int
        The parameter's name, or its index in the sorted names.
    bins : int, default=20
        Bins of a numeric parameter (each choice of a list gets a bar).
    rotate_labels : int, default=0
        Rotation of the tick labels, in degrees.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    ax : matplotlib Axes
    """
    candidates = as_history(_as_result(result)).candidates
    names = list(candidates[0]) if candidates else []
    if isinstance(dimension_identifier, (int, np.integer)):
        if not -len(names) <= dimension_identifier < len(names):
            raise ValueError(
                f"dimension_identifier {dimension_identifier} is out of range "
                f"for {len(names)} parameters {names}."
            )
        name = names[int(dimension_identifier)]
    elif dimension_identifier in names:
        name = str(dimension_identifier)
    else:
        raise ValueError(
            f"Unknown dimension_identifier {dimension_identifier!r}; the "
            f"parameters are {names}."
        )
    values = [point[name] for point in candidates]
    if ax is None:
        _, ax = pyplot().subplots()
    numeric = all(
        isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
        for v in values
    )
    if numeric:
        ax.hist(np.asarray(values, dtype=float), bins=bins)
    else:
        labels = [str(v) for v in values]
        choices = list(dict.fromkeys(labels))
        ax.bar(choices, [labels.count(c) for c in choices])
    ax.set_xlabel(name)
    ax.set_ylabel("Number of evaluations")
    ax.tick_params(axis="x", labelrotation=rotate_labels)
    return ax


def _searched_names(result: Any) -> list[str]:
    """The searched parameters of a converted result (every one if none
    is)."""
    history = as_history(result)
    names = list(_searched_dimensions(history.require_space()))
    return names or list(history.candidates[0])


def _relabel(axes: Any, dimensions: Sequence[str] | None, n: int) -> None:
    """Put scikit-optimize's ``dimensions`` labels on the first ``n`` panels."""
    if dimensions is None:
        return
    if len(dimensions) != n:
        raise ValueError(
            f"dimensions gives {len(dimensions)} labels for {n} plotted parameters."
        )
    for axis, label in zip(np.ravel(axes)[:n], dimensions, strict=True):
        axis.set_xlabel(label)

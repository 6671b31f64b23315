"""Partial dependence and importance plots of the Gaussian-process surrogate."""

from __future__ import annotations

from typing import Any

import numpy as np

from skhyper.plots._axes import axes_for, parameter_axis, pyplot
from skhyper.plots._history import as_history
from skhyper.plots._surrogate import Surrogate, parameter_importance

__all__ = ["plot_importance", "plot_partial_dependence"]


def plot_partial_dependence(
    result: Any,
    features: Any = None,
    *,
    subspace: int | None = None,
    ax: Any = None,
    n_points: int = 24,
    n_samples: int = 128,
    random_state: int = 0,
    show_points: bool = True,
) -> Any:
    """Plot the partial dependence of the modelled score on parameters.

    The partial dependence on a parameter (or pair) is the Gaussian-process
    surrogate's mean prediction with that parameter set to each value,
    averaged over a scrambled Sobol sample of the other parameters drawn
    from their priors (Friedman, 2001). It shows how the score depends on
    the parameter on average over the others, as the model sees it; trust
    it where the evaluated points are dense.

    The surrogate is the search's own Gaussian process when it ran a
    :class:`~skhyper.GPGenerator` (refitted to every evaluation, see
    :meth:`~skhyper.GPGenerator.predict`); for any other generator (grid,
    random, Sobol, or a scikit-learn search) a default ``GPGenerator`` is
    fitted to the evaluations on the fly.

    Parameters
    ----------
    result : fitted search or OptimizeResult
        A fitted :class:`~skhyper.HyperSearchCV` (or any scikit-learn search
        with ``cv_results_``), or the result of :func:`skhyper.minimize`
        (whose function values are then shown).
    features : str, pair of str, or list of them, optional
        A parameter name gives a 1-D plot (a line, or points for the choices
        of a list, with the evaluations as dots); a pair ``(x, y)`` a 2-D
        plot (filled contours, or a grid of cells when a parameter is a
        list, with the evaluations as dots and the best as a star), as in
        scikit-learn's ``PartialDependenceDisplay``. By default every
        searched parameter, 1-D.
    subspace : int or None, default=None
        Sub-space of a list-of-dicts search space; ``None`` takes the one of
        the best candidate.
    ax : matplotlib Axes or array-like of Axes, optional
        One Axes per feature; a new figure by default.
    n_points : int, default=24
        Values per ``Real``, ``Integer`` or distribution parameter (lists
        use each choice).
    n_samples : int, default=128
        Background sample of the other parameters.
    random_state : int, default=0
        Seed of the background sample.
    show_points : bool, default=True
        Draw the evaluated points of the sub-space.

    Returns
    -------
    ax : matplotlib Axes or ndarray of Axes
        An Axes when ``features`` is one name or pair, else one per feature.

    See Also
    --------
    plot_importance : How much of the surrogate's variance each parameter
        explains, from the same partial dependences.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skhyper import Real, minimize
    >>> from skhyper.plots import plot_partial_dependence
    >>> result = minimize(lambda x, y: (x - 1) ** 2 + y, {"x": Real(-5, 5),
    ...                   "y": Real(0, 1)}, n_calls=12, random_state=0)
    >>> axes = plot_partial_dependence(result, ["x", ("x", "y")])
    >>> axes[0].get_xlabel(), axes[1].get_ylabel()
    ('x', 'y')
    """
    history = as_history(result)
    surrogate = Surrogate(history, subspace, n_samples, random_state)
    single = features is not None and (isinstance(features, str) or _is_pair(features))
    if features is None:
        features = list(surrogate.subspace.searched)
    elif single:
        features = [features]
    axes = axes_for(len(features), ax)
    first_1d = next((f for f in features if isinstance(f, str)), None)
    for axis, feature in zip(axes, features, strict=True):
        if isinstance(feature, str):
            legend = feature is first_1d
            _draw_1d(axis, surrogate, feature, n_points, show_points, legend)
        elif _is_pair(feature):
            _draw_2d(axis, surrogate, feature[0], feature[1], n_points, show_points)
        else:
            raise ValueError(
                f"A feature is a parameter name or a pair of names, got {feature!r}."
            )
    return axes[0] if single else axes


def _is_pair(feature: Any) -> bool:
    return (
        isinstance(feature, tuple)
        and len(feature) == 2
        and all(isinstance(f, str) for f in feature)
    )


def _draw_1d(
    ax: Any,
    surrogate: Surrogate,
    name: str,
    n_points: int,
    show_points: bool,
    legend: bool,
) -> None:
    history = surrogate.history
    values, dependence = surrogate.partial_dependence_1d(name, n_points)
    through_best = surrogate.slice_1d(name, values)
    place = parameter_axis(surrogate.dimension(name), ax)
    x = place.positions(values)
    # The choices of a list are separate values: points, not a line.
    style = {"marker": "o", "linestyle": "none"} if place.categorical else {}
    ax.plot(x, dependence, color="C0", label="model, averaged over the others", **style)
    ax.plot(
        x,
        through_best,
        color="C1",
        linestyle="none" if place.categorical else "--",
        marker="D" if place.categorical else None,
        label="model, the others at the best",
    )
    if show_points:
        rows = [i for i in surrogate.evaluated if np.isfinite(history.values[i])]
        ax.scatter(
            place.jittered(
                [history.candidates[i][name] for i in rows], np.random.default_rng(0)
            ),
            history.values[rows],
            s=12,
            color="0.4",
            alpha=0.6,
            label="evaluations",
        )
    ax.set_xlabel(name)
    ax.set_ylabel(history.value_label)
    if legend:
        ax.legend(fontsize="small")


def _draw_2d(
    ax: Any, surrogate: Surrogate, x: str, y: str, n_points: int, show_points: bool
) -> None:
    history = surrogate.history
    xs, ys, grid = surrogate.partial_dependence_2d(x, y, n_points)
    place_x = parameter_axis(surrogate.dimension(x), ax, "x")
    place_y = parameter_axis(surrogate.dimension(y), ax, "y")
    gx, gy = np.meshgrid(place_x.positions(xs), place_y.positions(ys))
    if place_x.categorical or place_y.categorical:
        image = ax.pcolormesh(gx, gy, grid, shading="nearest", cmap="viridis")
    else:
        image = ax.contourf(gx, gy, grid, levels=12, cmap="viridis")
    colorbar = ax.figure.colorbar(image, ax=ax)
    colorbar.set_label(f"partial dependence of {history.value_label}")
    if show_points:
        rng = np.random.default_rng(0)
        rows = surrogate.evaluated
        points = [history.candidates[i] for i in rows]
        ax.scatter(
            place_x.jittered([c[x] for c in points], rng),
            place_y.jittered([c[y] for c in points], rng),
            s=10,
            color="black",
        )
        best = history.best_index
        if best in rows:
            ax.scatter(
                place_x.positions([history.candidates[best][x]]),
                place_y.positions([history.candidates[best][y]]),
                marker="*",
                s=150,
                color="tab:red",
                edgecolors="white",
                label="best",
                clip_on=False,
                zorder=3,
            )
    ax.set_xlabel(x)
    ax.set_ylabel(y)


def plot_importance(
    result: Any,
    *,
    ax: Any = None,
    subspace: int | None = None,
    n_points: int = 32,
    n_samples: int = 256,
    random_state: int = 0,
) -> Any:
    """Plot how much of the surrogate's variance each parameter explains.

    One horizontal bar per searched parameter, the most important on top:
    the share of the Gaussian-process surrogate's variance that the
    parameter explains alone (its main effect); the title gives the total
    of the shares, the rest being interactions. See
    :func:`~skhyper.plots.parameter_importance` for the method.

    Parameters
    ----------
    result : fitted search or OptimizeResult
        As for :func:`~skhyper.plots.plot_partial_dependence`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    subspace : int or None, default=None
        Sub-space of a list-of-dicts search space; ``None`` takes the one of
        the best candidate.
    n_points : int, default=32
        Grid values per parameter of the main-effect estimate.
    n_samples : int, default=256
        Background sample of the other parameters.
    random_state : int, default=0
        Seed of the background sample.

    Returns
    -------
    ax : matplotlib Axes
        Its ``patches`` are the bars, in the order of the y tick labels.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skhyper import Real, minimize
    >>> from skhyper.plots import plot_importance
    >>> result = minimize(lambda x, y: (x - 1) ** 2 + 0.01 * y, {"x": Real(-5, 5),
    ...                   "y": Real(-5, 5)}, n_calls=20, random_state=0)
    >>> ax = plot_importance(result)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['y', 'x']
    """
    shares = parameter_importance(
        result,
        subspace=subspace,
        n_points=n_points,
        n_samples=n_samples,
        random_state=random_state,
    )
    if ax is None:
        height = 1.0 + 0.4 * len(shares)
        _, ax = pyplot().subplots(figsize=(6.0, height), layout="constrained")
    names = list(shares)[::-1]
    bars = ax.barh(range(len(names)), [shares[n] for n in names], color="C0")
    ax.bar_label(bars, fmt="{:.1%}", padding=3)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the surrogate's variance (main effect)")
    total = sum(shares.values())
    ax.set_title(
        f"{as_history(result).label}: main effects explain {min(total, 1):.0%}",
        fontsize="medium",
    )
    return ax

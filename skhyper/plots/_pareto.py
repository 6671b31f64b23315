"""The Pareto front of two objectives of a search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from skhyper.plots._axes import pyplot
from skhyper.selection._objectives import (
    TIME_COLUMNS,
    Objective,
    objective_matrix,
    pareto_front,
)

__all__ = ["plot_pareto_front"]


def _label(objective: Objective) -> str:
    if callable(objective):
        return getattr(objective, "__name__", "objective")
    name = objective.lstrip("-")
    if name in TIME_COLUMNS:
        return f"mean {name.replace('_', ' ')} (s)"
    return name if name.startswith("mean_") else f"mean test {name}"


def plot_pareto_front(
    search: Any,
    objectives: Sequence[Objective] | None = None,
    *,
    ax: Any = None,
    show_best: bool = True,
) -> Any:
    """Plot every candidate in the plane of two objectives, and the front.

    Costs (times, ``"-column"`` objectives) are drawn in their own units,
    smaller to the left or bottom; time axes are logarithmic. The front is a
    staircase through the candidates no other dominates.

    Parameters
    ----------
    search : fitted search
        Any search with ``cv_results_`` (skhyper's or scikit-learn's).
    objectives : list of two str or callables, optional
        As in :func:`skhyper.selection.pareto_front`; by default the
        search's ``objectives``, else ``["score", "fit_time"]``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    show_best : bool, default=True
        Mark the refitted candidate (``best_index_``) when there is one.

    Returns
    -------
    ax : matplotlib Axes
        Its collections are the candidates (first) and the front (second),
        then the refitted candidate; ``ax.lines[0]`` is the staircase.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skhyper import HyperSearchCV, Integer
    >>> from skhyper.plots import plot_pareto_front
    >>> X, y = load_iris(return_X_y=True)
    >>> search = HyperSearchCV(DecisionTreeClassifier(), {"max_depth": Integer(1, 6)},
    ...                        n_iter=6, objectives=["score", "fit_time"],
    ...                        random_state=0).fit(X, y)
    >>> ax = plot_pareto_front(search)
    >>> len(ax.collections) >= 2
    True
    """
    results = search.cv_results_
    if objectives is None:
        objectives = getattr(search, "objectives", None) or ["score", "fit_time"]
    if len(objectives) != 2:
        raise ValueError(
            f"plot_pareto_front draws two objectives, got {len(objectives)}: "
            f"{list(objectives)!r}."
        )
    values = objective_matrix(results, objectives)
    # Draw costs in their own (positive) units.
    minimized = [
        isinstance(o, str) and (o.startswith("-") or o in TIME_COLUMNS)
        for o in objectives
    ]
    shown = np.where(minimized, -values, values)
    front = pareto_front(results, objectives)
    if ax is None:
        _, ax = pyplot().subplots(figsize=(5.5, 4.0))
    finite: np.ndarray = np.asarray(np.isfinite(shown).all(axis=1))
    ax.scatter(
        shown[finite, 0], shown[finite, 1], s=18, color="0.6", label="candidates"
    )
    order = front[np.argsort(shown[front, 0])]
    ax.scatter(
        shown[order, 0],
        shown[order, 1],
        s=30,
        color="C0",
        zorder=3,
        label="Pareto front",
    )
    ax.step(shown[order, 0], shown[order, 1], where="post", color="C0", lw=1)
    best = getattr(search, "best_index_", None)
    if show_best and best is not None and finite[best]:
        ax.scatter(
            [shown[best, 0]],
            [shown[best, 1]],
            s=120,
            facecolors="none",
            edgecolors="C3",
            linewidths=1.5,
            zorder=4,
            label="refitted",
        )
    for axis, objective, set_scale in (
        (0, objectives[0], ax.set_xscale),
        (1, objectives[1], ax.set_yscale),
    ):
        if (
            isinstance(objective, str)
            and objective.lstrip("-") in TIME_COLUMNS
            and (shown[finite, axis] > 0).all()
        ):
            set_scale("log")
    ax.set_xlabel(_label(objectives[0]))
    ax.set_ylabel(_label(objectives[1]))
    ax.legend(loc="best", fontsize="small")
    return ax

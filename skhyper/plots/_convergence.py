"""Best value found against the number of evaluations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from skhyper.plots._axes import pyplot
from skhyper.plots._history import History, as_history

__all__ = ["plot_convergence"]


def plot_convergence(
    *results: Any,
    labels: Sequence[str] | None = None,
    ax: Any = None,
    show_points: bool = True,
) -> Any:
    """Plot the best value found so far against the number of evaluations.

    Several results share one axes, so searches (for example with different
    generators, or seeds) can be compared at equal budget.

    Parameters
    ----------
    *results : fitted searches or OptimizeResult
        Fitted :class:`~skhyper.HyperSearchCV` (or any scikit-learn search
        with ``cv_results_``), in which case the refit metric's mean test
        score is maximized, or results of :func:`skhyper.minimize`, whose
        function values are minimized. Do not mix the two.
    labels : list of str, optional
        Legend entries, one per result; by default the search's class and
        generator.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    show_points : bool, default=True
        Also draw each evaluation's value as a faint dot.

    Returns
    -------
    ax : matplotlib Axes
        One step line per result (``ax.lines``), plus one scatter collection
        per result when ``show_points``. Failed evaluations (NaN) are not
        drawn.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skhyper import Real, minimize
    >>> from skhyper.plots import plot_convergence
    >>> space = {"x": Real(-5, 5)}
    >>> runs = [minimize(lambda x: (x - 1) ** 2, space, n_calls=10, generator=g,
    ...                  random_state=0) for g in ("random", "gp")]
    >>> ax = plot_convergence(*runs, labels=["random", "gp"])
    >>> len(ax.lines)
    2
    """
    if not results:
        raise TypeError("plot_convergence needs at least one result.")
    histories = [as_history(r) for r in results]
    if len({h.maximize for h in histories}) > 1:
        raise ValueError(
            "Cannot compare searches (scores, maximized) with minimize results "
            "(function values, minimized) on one axes."
        )
    if labels is None:
        labels = [h.label for h in histories]
    elif len(labels) != len(histories):
        raise ValueError(f"Got {len(labels)} labels for {len(histories)} results.")
    if ax is None:
        _, ax = pyplot().subplots(figsize=(6.0, 4.0), layout="constrained")
    for history, label in zip(histories, labels, strict=True):
        _draw(ax, history, label, show_points)
    first = histories[0]
    ax.set_xlabel("number of evaluations")
    word = "best" if first.maximize else "lowest"
    ax.set_ylabel(f"{word} {first.value_label} so far")
    ax.legend()
    return ax


def _draw(ax: Any, history: History, label: str, show_points: bool) -> None:
    n = np.arange(1, len(history.values) + 1)
    best = _best_so_far(history.scores)
    if not history.maximize:
        best = -best
    (line,) = ax.step(n, best, where="post", label=label)
    if show_points:
        finite = np.isfinite(history.values)
        ax.scatter(
            n[finite], history.values[finite], s=12, alpha=0.35, color=line.get_color()
        )


def _best_so_far(scores: np.ndarray) -> np.ndarray:
    """Running maximum ignoring NaN; NaN before the first finite score."""
    best = np.fmax.accumulate(np.where(np.isnan(scores), -np.inf, scores))
    return np.where(np.isneginf(best), np.nan, best)

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
        per result when ``show_points`` (its finite values). The y-axis
        shows the useful range: values worse than the lower whisker of a box
        plot of all values (first quartile minus 1.5 interquartile ranges,
        for scores; the mirror for function values) are drawn as triangles
        on the bottom edge (top, for function values), and failed
        evaluations (NaN) as red crosses there, each in the legend with its
        count.

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
    colours = [
        _draw(ax, h, label, show_points)
        for h, label in zip(histories, labels, strict=True)
    ]
    first = histories[0]
    limits = _useful_range(histories)
    handles = list(ax.lines)
    if show_points and histories[0].values.size:
        handles.append(
            _proxy(
                ax,
                "o",
                colours[0] if len(colours) == 1 else "0.5",
                "each evaluation",
                alpha=0.5,
            )
        )
    if limits is not None:
        ax.set_ylim(*limits)
    if show_points:
        handles += _mark_off_axis(ax, histories, colours, limits)
    ax.set_xlabel("number of evaluations")
    word = "best" if first.maximize else "lowest"
    ax.set_ylabel(f"{word} {first.value_label} so far")
    ax.legend(handles=handles, fontsize="small")
    return ax


def _draw(ax: Any, history: History, label: str, show_points: bool) -> Any:
    """The best-so-far step line and the finite points; returns their colour."""
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
    return line.get_color()


def _useful_range(histories: list[History]) -> tuple[float, float] | None:
    """y-limits that show the best values, not the outliers.

    Scores (greater is better) below the lower whisker of a box plot (first
    quartile minus 1.5 interquartile ranges) of all finite scores fall off
    the axis: a failed fit's ``error_score=0`` or one very poor candidate
    would otherwise squash the curves against the top.
    """
    scores = np.concatenate([h.scores[np.isfinite(h.scores)] for h in histories])
    if scores.size == 0:
        return None
    q1, q3 = np.percentile(scores, [25, 75])
    low = max(float(scores.min()), q1 - 1.5 * (q3 - q1))
    high = float(scores.max())
    pad = 0.05 * (high - low) or 0.05 * abs(high) or 0.05
    low, high = low - pad, high + pad
    return (low, high) if histories[0].maximize else (-high, -low)


def _mark_off_axis(
    ax: Any, histories: list[History], colours: list[Any], limits: Any
) -> list[Any]:
    """Failed evaluations (red crosses) and values beyond the y-limits
    (triangles), drawn on the edge of the worse values; their legend entries."""
    maximize = histories[0].maximize
    edge, marker = (0.0, "v") if maximize else (1.0, "^")
    at_edge = ax.get_xaxis_transform()  # x in data units, y in axes fraction
    n_failed = n_off = 0
    for history, colour in zip(histories, colours, strict=True):
        n = np.arange(1, len(history.values) + 1)
        failed = np.isnan(history.values)
        off = np.zeros_like(failed)
        if limits is not None:
            bound = limits[0] if maximize else limits[1]
            with np.errstate(invalid="ignore"):
                off = history.values < bound if maximize else history.values > bound
        for mask, style in (
            (failed, {"marker": "x", "color": "tab:red"}),
            (off, {"marker": marker, "color": colour, "alpha": 0.6}),
        ):
            if mask.any():
                ax.scatter(
                    n[mask],
                    np.full(int(mask.sum()), edge),
                    s=30,
                    transform=at_edge,
                    clip_on=False,
                    zorder=3,
                    **style,
                )
        n_failed += int(failed.sum())
        n_off += int(off.sum())
    handles = []
    off_colour = colours[0] if len(colours) == 1 else "0.4"
    if n_failed:
        handles.append(_proxy(ax, "x", "tab:red", f"failed ({n_failed})"))
    if n_off:
        where = "below" if maximize else "above"
        handles.append(
            _proxy(ax, marker, off_colour, f"{where} the axis ({n_off})", alpha=0.6)
        )
    return handles


def _proxy(ax: Any, marker: str, colour: Any, label: str, **style: Any) -> Any:
    """A legend entry for points drawn without a label of their own."""
    from matplotlib.lines import Line2D

    return Line2D(
        [], [], linestyle="none", marker=marker, color=colour, label=label, **style
    )


def _best_so_far(scores: np.ndarray) -> np.ndarray:
    """Running maximum ignoring NaN; NaN before the first finite score."""
    best = np.fmax.accumulate(np.where(np.isnan(scores), -np.inf, scores))
    return np.where(np.isneginf(best), np.nan, best)

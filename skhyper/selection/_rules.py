"""Refit rules: callables for ``refit=`` that trade score against cost.

Each rule is called with ``cv_results_`` and returns the index of the
candidate to refit, which is what scikit-learn's ``refit=callable`` expects,
so the rules work in scikit-learn's own searches as well as in skhyper's.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from skhyper.selection._objectives import (
    TIME_COLUMNS,
    Objective,
    objective_matrix,
    pareto_front,
    score_column,
)

__all__ = ["FastestWithinTolerance", "OneStandardError", "ParetoRefit"]


class _RefitRule:
    """Shared checks and fallbacks of the refit rules."""

    def _scores(self, results: Mapping[str, Any], metric: str | None) -> np.ndarray:
        column = score_column(results, metric)
        means = np.asarray(np.ma.filled(results[column], np.nan), dtype=float)
        return np.where(np.isfinite(means), means, np.nan)

    def _no_finite_score(self, results: Mapping[str, Any], column: str) -> int:
        """What ``refit=True`` would pick when no candidate scored (all NaN)."""
        warnings.warn(
            f"{type(self).__name__}: no candidate has a finite {column}; "
            "refitting the first-ranked candidate as refit=True would.",
            UserWarning,
            stacklevel=3,
        )
        rank_key = column.replace("mean_test_", "rank_test_")
        if rank_key in results:
            return int(np.argmin(np.asarray(results[rank_key])))
        return 0

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


def _n_splits(results: Mapping[str, Any], column: str) -> int:
    suffix = column.removeprefix("mean")
    n = sum(1 for k in results if k.startswith("split") and k.endswith(suffix))
    return max(n, 1)


class OneStandardError(_RefitRule):
    """The simplest candidate within one standard error of the best score.

    Breiman's one-standard-error rule (as in scikit-learn's example of
    ``refit=callable``, made general): take the best mean test score, its
    standard error ``std_test / sqrt(n_splits)``, and among the candidates
    scoring at least ``best - n_std * standard_error`` pick the simplest,
    as given by ``param`` and ``simpler``. Among equally simple candidates
    the higher score wins, then the earlier candidate.

    Parameters
    ----------
    param : str or callable
        The parameter measuring complexity (for example ``"max_depth"`` or,
        in a Pipeline, ``"clf__C"``), or a callable taking a candidate's
        parameter dict and returning a number. A candidate without the
        parameter, or whose value is ``None`` (like ``max_depth=None``,
        unlimited), counts as the least simple.
    simpler : {"lower", "higher"}, default="lower"
        Whether smaller values of ``param`` are simpler (``max_depth``,
        ``n_estimators``, ``C``) or larger ones are (``alpha``,
        ``min_samples_leaf``).
    metric : str or None, default=None
        The scorer whose score is compared, required under multi-metric
        scoring; ``None`` uses the only one.
    n_std : float, default=1.0
        The width of the band below the best score, in standard errors.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skhyper.selection import OneStandardError
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = GridSearchCV(
    ...     DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2, 3, 4, 6, 8]},
    ...     refit=OneStandardError("max_depth"),
    ... ).fit(X, y)
    >>> search.best_params_["max_depth"] <= 4
    True
    """

    param: str | Callable[[dict], float]
    simpler: str
    metric: str | None
    n_std: float

    def __init__(
        self,
        param: str | Callable[[dict], float],
        *,
        simpler: str = "lower",
        metric: str | None = None,
        n_std: float = 1.0,
    ) -> None:
        if not (isinstance(param, str) or callable(param)):
            raise TypeError(
                f"param must be a parameter name or a callable, got {param!r}."
            )
        if simpler not in ("lower", "higher"):
            raise ValueError(f"simpler must be 'lower' or 'higher', got {simpler!r}.")
        if not isinstance(n_std, numbers.Real) or not n_std >= 0:
            raise ValueError(f"n_std must be a number >= 0, got {n_std!r}.")
        self.param: str | Callable[[dict], float] = param
        self.simpler: str = simpler
        self.metric: str | None = metric
        self.n_std: float = n_std

    def __call__(self, cv_results: Mapping[str, Any]) -> int:
        """The index into ``cv_results`` of the candidate to refit."""
        column = score_column(cv_results, self.metric)
        means = self._scores(cv_results, self.metric)
        if not np.isfinite(means).any():
            return self._no_finite_score(cv_results, column)
        best = int(np.nanargmax(means))
        stds = np.asarray(
            np.ma.filled(cv_results[column.replace("mean_", "std_")], np.nan),
            dtype=float,
        )
        std_error = stds[best] / math.sqrt(_n_splits(cv_results, column))
        if not math.isfinite(std_error):
            std_error = 0.0
        threshold = means[best] - self.n_std * std_error
        within = np.flatnonzero(means >= threshold)
        complexity = np.array(
            [self._complexity(cv_results["params"][i]) for i in within]
        )
        # lexsort: the last key is the primary one.
        order = np.lexsort((within, -means[within], complexity))
        return int(within[order[0]])

    def _complexity(self, params: dict) -> float:
        """Smaller is simpler; unknown complexity is the largest."""
        value: Any
        if callable(self.param):
            value = self.param(params)
        else:
            value = params.get(self.param)
        if value is None:
            return math.inf
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"OneStandardError compares candidates by {self.param!r}, whose "
                f"value {value!r} is not a number. Pass a callable as param that "
                "maps a candidate's parameters to a complexity number."
            )
        value = float(value)
        if math.isnan(value):
            return math.inf
        return value if self.simpler == "lower" else -value


class FastestWithinTolerance(_RefitRule):
    """The fastest candidate whose score is within ``tol`` of the best.

    Among the candidates with a mean test score of at least
    ``best - tol`` (or ``best - tol * |best|`` with ``relative=True``),
    pick the one with the smallest mean time; equal times go to the higher
    score, then to the earlier candidate.

    Parameters
    ----------
    tol : float, default=0.01
        How much score may be given up, in the scorer's units.
    time : {"fit_time", "score_time", "total_time"}, default="fit_time"
        Which mean time to minimize: fitting, scoring (prediction), or both.
    metric : str or None, default=None
        The scorer compared, required under multi-metric scoring.
    relative : bool, default=False
        Read ``tol`` as a fraction of the best score's magnitude.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skhyper.selection import FastestWithinTolerance
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearchCV(
    ...     RandomForestClassifier(random_state=0), {"n_estimators": [5, 50]},
    ...     refit=FastestWithinTolerance(tol=0.02),
    ... ).fit(X, y)
    >>> search.best_params_
    {'n_estimators': 5}
    """

    tol: float
    time: str
    metric: str | None
    relative: bool

    def __init__(
        self,
        tol: float = 0.01,
        *,
        time: str = "fit_time",
        metric: str | None = None,
        relative: bool = False,
    ) -> None:
        if not isinstance(tol, numbers.Real) or not tol >= 0:
            raise ValueError(f"tol must be a number >= 0, got {tol!r}.")
        if time not in TIME_COLUMNS:
            raise ValueError(
                f"time must be one of {sorted(TIME_COLUMNS)}, got {time!r}."
            )
        self.tol: float = tol
        self.time: str = time
        self.metric: str | None = metric
        self.relative: bool = relative

    def __call__(self, cv_results: Mapping[str, Any]) -> int:
        """The index into ``cv_results`` of the candidate to refit."""
        column = score_column(cv_results, self.metric)
        means = self._scores(cv_results, self.metric)
        if not np.isfinite(means).any():
            return self._no_finite_score(cv_results, column)
        best = float(np.nanmax(means))
        margin = self.tol * abs(best) if self.relative else self.tol
        within = np.flatnonzero(means >= best - margin)
        times = np.sum(
            [np.asarray(cv_results[c], dtype=float) for c in TIME_COLUMNS[self.time]],
            axis=0,
        )[within]
        times = np.where(np.isfinite(times), times, np.inf)
        order = np.lexsort((within, -means[within], times))
        return int(within[order[0]])


class ParetoRefit(_RefitRule):
    """A candidate picked from the Pareto front of several objectives.

    Parameters
    ----------
    objectives : list of str or callable, default=("score", "fit_time")
        As in :func:`~skhyper.selection.pareto_front`: a metric name
        (maximized), ``"fit_time"``, ``"score_time"`` or ``"total_time"``
        (minimized), a ``cv_results_`` column (``"-column"`` minimizes) or a
        callable of ``cv_results_`` (maximized).
    pick : "knee", "first" or callable, default="knee"
        ``"knee"``: the front's point nearest the ideal point (each
        objective's best on the front) after scaling every objective to
        ``[0, 1]`` over the front, with times and other positive costs on a
        log scale. ``"first"``: the best in the first objective (ties broken
        by the others). A callable receives ``cv_results_`` and the front's
        indices and returns one of them.
    log_costs : bool, default=True
        Compare minimized objectives whose values are all positive (times,
        sizes) on a log scale in ``"knee"``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from skhyper.selection import ParetoRefit
    >>> X, y = load_iris(return_X_y=True)
    >>> rule = ParetoRefit(["score", "score_time"])
    >>> search = GridSearchCV(
    ...     KNeighborsClassifier(), {"n_neighbors": [1, 5, 15]}, refit=rule
    ... ).fit(X, y)
    >>> int(search.best_index_) in rule.front(search.cv_results_)
    True
    """

    def __init__(
        self,
        objectives: Sequence[Objective] = ("score", "fit_time"),
        *,
        pick: str | Callable[..., int] = "knee",
        log_costs: bool = True,
    ) -> None:
        if not (pick in ("knee", "first") or callable(pick)):
            raise ValueError(
                f"pick must be 'knee', 'first' or a callable, got {pick!r}."
            )
        self.objectives: Sequence[Objective] = objectives
        self.pick: str | Callable[..., int] = pick
        self.log_costs: bool = log_costs

    def front(self, cv_results: Mapping[str, Any]) -> np.ndarray:
        """Indices of the Pareto front of ``cv_results`` for these objectives."""
        return pareto_front(cv_results, self.objectives)

    def __call__(self, cv_results: Mapping[str, Any]) -> int:
        """The index into ``cv_results`` of the candidate to refit."""
        front = self.front(cv_results)
        if front.size == 0:
            return self._no_finite_score(cv_results, "objective")
        if callable(self.pick):
            chosen = int(self.pick(cv_results, front))
            if chosen not in set(front.tolist()):
                raise ValueError(
                    f"The pick callable returned {chosen}, which is not on the "
                    f"Pareto front {front.tolist()}."
                )
            return chosen
        if self.pick == "first" or front.size == 1:
            return int(front[0])
        values = objective_matrix(cv_results, self.objectives)[front]
        if self.log_costs:
            costs = (values < 0).all(axis=0)
            values[:, costs] = -np.log(-values[:, costs])
        low, high = values.min(axis=0), values.max(axis=0)
        span = np.where(high > low, high - low, 1.0)
        distance = np.sqrt((((high - values) / span) ** 2).sum(axis=1))
        return int(front[int(np.argmin(distance))])

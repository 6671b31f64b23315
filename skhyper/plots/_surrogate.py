"""Partial dependence and parameter importance from a Gaussian-process surrogate.

Everything here is numbers; the plotting modules draw them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.stats import qmc

from skhyper.generators import GPGenerator
from skhyper.plots._history import History, as_history
from skhyper.space import Categorical, Dimension, Real, SubSpace

__all__ = ["Surrogate", "feature_values", "parameter_importance"]


class Surrogate:
    """The fitted GP of one sub-space, with a background sample of its prior.

    The GP is the search's own when it ran a :class:`~skhyper.GPGenerator`;
    otherwise a default ``GPGenerator`` is fitted to the evaluations here.

    Parameters
    ----------
    history : History
    subspace : int or None
        Index of the sub-space; None takes the one of the best candidate.
    n_samples : int
        Background points drawn (scrambled Sobol) from the sub-space's prior.
    random_state : int
        Seed of the background sample (and of the GP fitted here).
    """

    def __init__(
        self,
        history: History,
        subspace: int | None,
        n_samples: int,
        random_state: int,
    ) -> None:
        space = history.require_space()
        if history.best_index is None:
            raise ValueError(f"{history.label} has no finite score to model.")
        if subspace is None:
            subspace = space.locate(history.candidates[history.best_index])
        if not 0 <= subspace < len(space):
            raise ValueError(
                f"subspace must index one of the {len(space)} sub-spaces, "
                f"got {subspace!r}."
            )
        self.history = history
        self.index = subspace
        self.subspace: SubSpace = space[subspace]
        if not self.subspace.searched:
            raise ValueError(f"Sub-space {subspace} has no searched parameter.")
        self.generator = _fitted_gp(history, random_state)
        m = max(math.ceil(math.log2(max(n_samples, 2))), 1)
        u = qmc.Sobol(self.subspace.n_dims, seed=random_state).random_base2(m)
        self.background = self.subspace.from_unit(u[:n_samples])
        self.evaluated = [
            i
            for i, c in enumerate(history.candidates)
            if self.subspace.matches(c) and space.locate(c) == subspace
        ]

    def dimension(self, name: str) -> Dimension:
        if name not in self.subspace.searched:
            raise ValueError(
                f"{name!r} is not a searched parameter of sub-space {self.index}; "
                f"choose from {self.subspace.searched}."
            )
        return self.subspace.dimensions[name]

    def predict(self, candidates: list[dict[str, Any]]) -> np.ndarray:
        """Predicted values (in the history's units) at candidates."""
        mean, _ = self.generator.predict(candidates)
        return mean if self.history.maximize else -mean

    def dependence(self, assignments: list[dict[str, Any]]) -> np.ndarray:
        """Average prediction over the background, for each assignment of
        some parameters (the partial dependence at these assignments)."""
        candidates = [{**b, **a} for a in assignments for b in self.background]
        values = self.predict(candidates)
        return values.reshape(len(assignments), len(self.background)).mean(axis=1)

    def partial_dependence_1d(
        self, name: str, n_points: int
    ) -> tuple[list[Any], np.ndarray]:
        values, _ = feature_values(self.dimension(name), n_points)
        return values, self.dependence([{name: v} for v in values])

    def slice_1d(self, name: str, values: list[Any]) -> np.ndarray:
        """Predictions at :meth:`best_candidate` with ``name`` set to each value."""
        best = self.best_candidate()
        return self.predict([{**best, name: v} for v in values])

    def best_candidate(self) -> dict[str, Any]:
        """The best evaluated candidate of the sub-space."""
        values = self.history.scores[self.evaluated]
        finite = np.where(np.isnan(values), -np.inf, values)
        return self.history.candidates[self.evaluated[int(np.argmax(finite))]]

    def partial_dependence_2d(
        self, x: str, y: str, n_points: int
    ) -> tuple[list[Any], list[Any], np.ndarray]:
        """Values of ``x`` and ``y`` and the dependence, shape (len(y), len(x))."""
        if x == y:
            raise ValueError(f"A 2-D partial dependence needs two parameters: {x!r}.")
        xs, _ = feature_values(self.dimension(x), n_points)
        ys, _ = feature_values(self.dimension(y), n_points)
        grid = self.dependence([{x: a, y: b} for b in ys for a in xs])
        return xs, ys, grid.reshape(len(ys), len(xs))


def _fitted_gp(history: History, random_state: int) -> GPGenerator:
    """The history's own GP generator when it has one, else a new one."""
    generator = history.generator
    if isinstance(generator, GPGenerator) and len(generator.scores_) == len(
        history.candidates
    ):
        return generator
    fitted = GPGenerator().start(history.require_space(), random_state=random_state)
    fitted.tell(history.candidates, history.scores)
    return fitted


def feature_values(dim: Dimension, n_points: int) -> tuple[list[Any], np.ndarray]:
    """Values of a dimension that cover its prior, and their prior weights.

    A list takes each of its values (equal weights); a ``Real`` takes
    ``n_points`` evenly spread in its unit coordinate (so on a log scale
    for ``log=True``); integers and distributions take the distinct values at
    ``n_points`` evenly spaced quantiles, weighted by how many fell on each.
    """
    if isinstance(dim, Categorical):
        k = int(dim.size)
        return dim.from_unit((np.arange(k) + 0.5) / k), np.full(k, 1.0 / k)
    if isinstance(dim, Real):
        return dim.from_unit(np.linspace(0.0, 1.0, n_points)), np.full(
            n_points, 1.0 / n_points
        )
    quantiles = dim.from_unit((np.arange(n_points) + 0.5) / n_points)
    counts: dict[Any, int] = {}
    for value in quantiles:
        counts[value] = counts.get(value, 0) + 1
    return list(counts), np.array(list(counts.values()), dtype=float) / n_points


def parameter_importance(
    result: Any,
    *,
    subspace: int | None = None,
    n_points: int = 32,
    n_samples: int = 256,
    random_state: int = 0,
) -> dict[str, float]:
    """Share of the surrogate's variance explained by each parameter alone.

    The importance of parameter ``j`` is the first-order (main-effect)
    variance of the Gaussian-process mean ``m`` of the score, relative to its
    total variance over the search space's prior:
    ``Var_{x_j}[ E_{x_-j}[m(x)] ] / Var_x[m(x)]``. This is the first-order
    term of the functional ANOVA decomposition used by fANOVA (Hutter, Hoos
    and Leyton-Brown, 2014), computed on the GP instead of a random forest:
    the inner expectation is the 1-D partial dependence of ``j`` averaged
    over a scrambled Sobol sample of the other parameters, the outer
    variance is taken over values covering ``j``'s prior
    (see :func:`~skhyper.plots.plot_partial_dependence`). The shares sum to
    at most 1 (up to sampling error); the rest is interactions.

    It is preferred to the GP's ARD length scales, which are not comparable
    across parameters: they live in encoded units (one-hot blocks have
    several), and a short length scale with a tiny amplitude explains little.
    It measures the surrogate, not the truth: with few evaluations, read it
    with the partial-dependence plots.

    Parameters
    ----------
    result : fitted search or OptimizeResult
        A fitted :class:`~skhyper.HyperSearchCV` (or any scikit-learn search
        with ``cv_results_``), or the result of :func:`skhyper.minimize`.
        Searches without a GP generator get a GP fitted to their results.
    subspace : int or None, default=None
        Sub-space of a list-of-dicts search space; ``None`` takes the one of
        the best candidate.
    n_points : int, default=32
        Values per ``Real``, ``Integer`` or distribution parameter.
    n_samples : int, default=256
        Background sample of the other parameters.
    random_state : int, default=0
        Seed of the background sample.

    Returns
    -------
    dict of str to float
        Parameter name to share of variance, largest first.

    Examples
    --------
    >>> from skhyper import Real, minimize
    >>> from skhyper.plots import parameter_importance
    >>> result = minimize(lambda x, y: (x - 1) ** 2 + 0.01 * y, {"x": Real(-5, 5),
    ...                   "y": Real(-5, 5)}, n_calls=20, random_state=0)
    >>> shares = parameter_importance(result)
    >>> list(shares)
    ['x', 'y']
    >>> shares["x"] > 0.9
    True
    """
    surrogate = Surrogate(as_history(result), subspace, n_samples, random_state)
    total = float(np.var(surrogate.predict(surrogate.background)))
    shares = {}
    for name in surrogate.subspace.searched:
        values, weights = feature_values(surrogate.subspace.dimensions[name], n_points)
        effect = surrogate.dependence([{name: v} for v in values])
        centred = effect - np.sum(weights * effect)
        main = float(np.sum(weights * centred**2))
        shares[name] = main / total if total > 0 else 0.0
    return dict(sorted(shares.items(), key=lambda item: -item[1]))

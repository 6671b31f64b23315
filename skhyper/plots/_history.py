"""What a plot needs from a fitted search or a ``minimize`` result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from skhyper._minimize import OptimizeResult
from skhyper.generators import GENERATORS, BaseGenerator
from skhyper.search._state import objective_key
from skhyper.space import SearchSpace, parse_search_space

__all__ = ["History", "as_history"]

# Attributes holding the search space, in skhyper's and scikit-learn's searches.
_SPACE_ATTRIBUTES = ("search_spaces", "param_grid", "param_distributions")


@dataclass
class History:
    """Evaluated candidates in order, with their objective values.

    ``values`` are in the units shown to the user: cross-validated scores
    (greater is better) for a search, function values (lower is better) for
    :func:`skhyper.minimize`. ``scores`` are always greater-is-better.
    """

    candidates: list[dict[str, Any]]
    values: np.ndarray
    maximize: bool
    value_label: str
    label: str
    space: SearchSpace | None
    generator: BaseGenerator | None

    @property
    def scores(self) -> np.ndarray:
        return self.values if self.maximize else -self.values

    @property
    def best_index(self) -> int | None:
        """Position of the best finite value, None if every value is NaN."""
        scores = np.where(np.isnan(self.scores), -np.inf, self.scores)
        return int(np.argmax(scores)) if np.isfinite(scores).any() else None

    def require_space(self) -> SearchSpace:
        if self.space is None:
            raise ValueError(
                f"{self.label} has no search space (search_spaces, param_grid "
                "or param_distributions) to plot parameters against."
            )
        return self.space


def as_history(result: Any) -> History:
    """A :class:`History` of a fitted search (anything with ``cv_results_``)
    or of an :class:`~skhyper.OptimizeResult`."""
    if isinstance(result, OptimizeResult):
        return History(
            candidates=list(result.x_iters),
            values=np.asarray(result.func_vals, dtype=float),
            maximize=False,
            value_label="function value",
            label=f"minimize ({_generator_name(result.generator)})",
            space=getattr(result.generator, "space_", None),
            generator=result.generator,
        )
    results = getattr(result, "cv_results_", None)
    if results is None:
        raise TypeError(
            "Expected a fitted search (with cv_results_) or the OptimizeResult "
            f"of skhyper.minimize, got {type(result).__name__}; fit it first."
        )
    key = objective_key(results, getattr(result, "refit", True))
    generator = getattr(result, "generator_", None)
    label = type(result).__name__
    if generator is not None and type(result).__name__ == "HyperSearchCV":
        label += f" ({_generator_name(generator)})"
    return History(
        candidates=list(results["params"]),
        values=np.asarray(results[key], dtype=float),
        maximize=True,
        value_label=_score_label(key, getattr(result, "scoring", None)),
        label=label,
        space=_search_space(result, generator),
        generator=generator,
    )


def _search_space(search: Any, generator: Any) -> SearchSpace | None:
    space = getattr(generator, "space_", None)
    if space is not None:
        return space
    for attribute in _SPACE_ATTRIBUTES:
        spec = getattr(search, attribute, None)
        if spec is not None:
            return parse_search_space(spec)
    return None


def _score_label(key: str, scoring: Any) -> str:
    metric = key[len("mean_test_") :]
    if metric == "score":
        return f"CV score ({scoring})" if isinstance(scoring, str) else "CV score"
    return f"CV {metric}"


def _generator_name(generator: Any) -> str:
    for name, cls in GENERATORS.items():
        if type(generator) is cls:
            return name
    return type(generator).__name__

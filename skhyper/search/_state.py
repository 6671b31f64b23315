"""What a running search knows after each batch, shown to callbacks."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SearchState", "objective_key"]


@dataclass
class SearchState:
    """The progress of a running search, updated after every batch.

    Stopping callbacks (the ``callbacks`` parameter of the searches)
    receive it after each batch; it is read-only for them. Its properties
    ``n_evaluated``, ``n_batches``, ``best_score``, ``best_params`` and
    ``elapsed`` summarize it.

    Parameters
    ----------
    n_iter : int
        Number of candidates the search plans to evaluate.
    objective : str
        The ``cv_results_`` column the generator maximizes, such as
        ``"mean_test_score"``.
    candidates : list of dict
        Every evaluated candidate, in order.
    scores : list of float
        The objective of each candidate (NaN for a failed candidate).
    best_after_batch : list of float
        The best finite objective after each batch (``-inf`` while none).
    start_time : float
        ``time.monotonic()`` when the search started.
    results : dict or None
        ``cv_results_`` of every candidate evaluated so far (as the search
        will expose it), or None before the first batch of this fit.
    stage : str
        Where a staged search is (successive halving: bracket, rung and
        resource); empty for the other searches.
    """

    n_iter: int
    objective: str = "mean_test_score"
    candidates: list[dict[str, Any]] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    best_after_batch: list[float] = field(default_factory=list)
    start_time: float = field(default_factory=time.monotonic)
    results: dict[str, Any] | None = None
    stage: str = ""

    @property
    def n_evaluated(self) -> int:
        """Number of candidates evaluated so far."""
        return len(self.scores)

    @property
    def n_batches(self) -> int:
        """Number of batches (iterations) finished so far."""
        return len(self.best_after_batch)

    @property
    def metric(self) -> str:
        """The objective's metric name: ``"score"``, or the scorer's name
        under multi-metric scoring."""
        return self.objective.removeprefix("mean_test_")

    @property
    def best_score(self) -> float:
        """The best finite objective so far; ``-inf`` while there is none."""
        return self.best_after_batch[-1] if self.best_after_batch else -math.inf

    @property
    def best_params(self) -> dict[str, Any] | None:
        """The candidate with the best objective so far, or None."""
        finite = [i for i, s in enumerate(self.scores) if math.isfinite(s)]
        if not finite:
            return None
        return self.candidates[max(finite, key=self.scores.__getitem__)]

    @property
    def elapsed(self) -> float:
        """Seconds since the search started."""
        return time.monotonic() - self.start_time

    def record_batch(self, candidates: list[dict], scores: list[float]) -> None:
        """Add a finished batch."""
        finite = [float(s) for s in scores if math.isfinite(s)]
        self.best_after_batch.append(max([self.best_score, *finite]))
        self.candidates.extend(candidates)
        self.scores.extend(float(s) for s in scores)


def objective_key(results: Mapping[str, Any], refit: Any) -> str:
    """The ``cv_results_`` column the generator maximizes.

    The refit metric under multi-metric scoring with ``refit="<name>"``,
    ``mean_test_score`` for a single metric, and otherwise (callable or
    false ``refit`` with several metrics) the first metric.
    """
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return f"mean_test_{refit}"
    if "mean_test_score" in results:
        return "mean_test_score"
    return next(k for k in results if k.startswith("mean_test_"))

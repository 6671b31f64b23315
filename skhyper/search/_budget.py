"""Batch sizes that let ``max_time`` bound a search of any generator."""

from __future__ import annotations

import math

from skhyper.search._state import SearchState

__all__ = ["BUDGET_SHARE", "BudgetedBatchSize"]

#: Under ``max_time``, a batch is sized to take about this share of the budget.
BUDGET_SHARE = 0.05


class BudgetedBatchSize:
    """Candidates per ask for a generator that ignores scores under ``max_time``.

    Grid, random and Sobol would otherwise evaluate everything in one batch,
    which ``max_time`` (checked between batches) cannot stop. The first batch
    is ``smallest`` (enough candidates x folds to keep every worker busy);
    each later batch is sized from the measured seconds per candidate to take
    about :data:`BUDGET_SHARE` of the budget and no more than the time left,
    within ``[smallest, largest]``. The overrun past ``max_time`` is thus
    about one batch of ``smallest`` candidates (or a share of the budget),
    while cheap fits still go in large batches (each batch costs a
    ``cv_results_`` formatting of everything so far).

    Parameters
    ----------
    max_time : float
        The budget in seconds.
    smallest, largest : int
        Bounds of the batch size.
    """

    def __init__(self, max_time: float, smallest: int, largest: int) -> None:
        self.max_time = max_time
        self.smallest = max(int(smallest), 1)
        self.largest = max(int(largest), self.smallest)
        self._previous: tuple[float, int] | None = None

    def __call__(self, state: SearchState) -> int:
        elapsed, done = state.elapsed, state.n_evaluated
        size = self.smallest
        if self._previous is not None and done > self._previous[1]:
            seconds = (elapsed - self._previous[0]) / (done - self._previous[1])
            if seconds <= 0:
                size = self.largest
            else:
                target = min(BUDGET_SHARE * self.max_time, self.max_time - elapsed)
                size = math.floor(target / seconds)
        self._previous = (elapsed, done)
        return min(max(size, self.smallest), self.largest)

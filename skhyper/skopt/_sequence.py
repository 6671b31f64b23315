"""Sub-spaces searched one after another, each with its own budget.

scikit-optimize's ``BayesSearchCV`` takes a list of ``(space, n_iter)``
pairs and runs one optimizer per sub-space, in order, each for its own
number of candidates. :class:`SubspaceSequence` does the same behind the
ask/tell protocol, so the core search loop runs it unchanged: every batch
comes from one sub-space, and the next sub-space starts when the previous
one has used its budget, has no new candidate left or was stopped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import OptimizeResult
from sklearn.base import clone

from skhyper.generators import BaseGenerator
from skhyper.skopt._result_space import ResultSpace
from skhyper.space import SearchSpace

__all__ = ["SubspaceSequence"]


class SubspaceSequence(BaseGenerator):
    """Search the sub-spaces of a space in order, one generator each.

    Parameters
    ----------
    generator : BaseGenerator
        Cloned once per sub-space.
    budgets : list of int
        Candidates to evaluate in each sub-space, in order.
    """

    uses_scores = True

    def __init__(self, generator: BaseGenerator, budgets: Sequence[int]) -> None:
        self.generator = generator
        self.budgets = budgets

    def start(
        self,
        space: Any,
        *,
        random_state: Any = None,
        initial_points: Sequence[dict[str, Any]] | None = None,
    ) -> SubspaceSequence:
        if initial_points:
            raise ValueError(
                "initial_points are not supported with sub-spaces searched in "
                "sequence; give each sub-space its own search."
            )
        super().start(space, random_state=random_state)
        if len(self.space_) != len(self.budgets):
            raise ValueError(
                f"{len(self.budgets)} budgets for {len(self.space_)} sub-spaces."
            )
        # One seed per sub-space, all drawn from the search's random_state.
        n_subspaces = len(self.space_)
        seeds = self.random_state_.randint(np.iinfo(np.int32).max, size=n_subspaces)
        self.generators_ = [
            clone(self.generator).start(SearchSpace([subspace]), random_state=int(seed))
            for subspace, seed in zip(self.space_, seeds, strict=True)
        ]
        self.used_ = [0] * len(self.space_)
        self.stopped_ = [False] * len(self.space_)
        self.current_ = 0
        self.last_subspace_: int | None = None
        self._pending: list[tuple[dict[str, Any], int]] = []
        return self

    def _budget_left(self, index: int) -> int:
        if self.stopped_[index]:
            return 0
        return max(self.budgets[index] - self.used_[index], 0)

    def ask(self, n: int = 1) -> list[dict[str, Any]]:
        """Up to ``n`` candidates, all from the current sub-space; an empty
        list once every sub-space is done."""
        self._check_started()
        while self.current_ < len(self.generators_):
            index = self.current_
            left = self._budget_left(index)
            batch = self.generators_[index].ask(min(n, left)) if left else []
            if batch:
                self.used_[index] += len(batch)
                self._pending.extend((candidate, index) for candidate in batch)
                self.n_asked_ += len(batch)
                return batch
            self.current_ += 1
        return []

    def tell(
        self,
        candidates: Sequence[dict[str, Any]],
        scores: Sequence[float] | np.ndarray,
    ) -> None:
        """Pass each score to the generator of the sub-space that proposed it."""
        self._check_started()
        values = np.asarray(scores, dtype=float).reshape(-1)
        if len(candidates) != len(values):
            raise ValueError(
                f"tell() got {len(candidates)} candidates and {len(values)} scores."
            )
        routed: dict[int, tuple[list, list]] = {}
        for candidate, score in zip(candidates, values, strict=True):
            index = self._origin(candidate)
            routed.setdefault(index, ([], []))
            routed[index][0].append(candidate)
            routed[index][1].append(score)
        for index, (told, told_scores) in routed.items():
            self.generators_[index].tell(told, told_scores)
            self.last_subspace_ = index
        self.candidates_.extend(dict(c) for c in candidates)
        self.scores_ = np.concatenate([self.scores_, values])

    def _origin(self, candidate: dict[str, Any]) -> int:
        for position, (pending, index) in enumerate(self._pending):
            if pending is candidate or pending == candidate:
                del self._pending[position]
                return index
        return self.space_.locate(candidate)

    def stop_subspace(self, index: int) -> None:
        """Ask no more candidates from sub-space ``index``."""
        self.stopped_[index] = True

    @property
    def has_more(self) -> bool:
        """Whether a sub-space still has budget (it may still run out of
        candidates)."""
        return any(self._budget_left(i) for i in range(len(self.generators_)))

    @property
    def exhausted(self) -> bool:
        self._check_started()
        return self.n_remaining == 0

    @property
    def n_remaining(self) -> float:
        self._check_started()
        return sum(
            min(self._budget_left(i), self.generators_[i].n_remaining)
            for i in range(self.current_, len(self.generators_))
        )

    def result(self, index: int) -> OptimizeResult:
        """scikit-optimize's ``OptimizeResult`` of sub-space ``index``, as a
        minimization: ``func_vals`` are the negated scores.

        ``x`` and each entry of ``x_iters`` list the values in the order of
        the sorted parameter names (as scikit-optimize does); ``x_dict``
        gives the best candidate as a dict. ``models`` is empty: skhyper's
        Gaussian process is the ``generator`` entry (see its ``predict``).
        """
        generator = self.generators_[index]
        names = list(self.space_[index].dimensions)
        x_iters = [[c[name] for name in names] for c in generator.candidates_]
        func_vals = -np.asarray(generator.scores_, dtype=float)
        finite = np.flatnonzero(np.isfinite(func_vals))
        if finite.size:
            best = int(finite[np.argmin(func_vals[finite])])
            x, fun = x_iters[best], float(func_vals[best])
            x_dict = dict(generator.candidates_[best])
        else:
            x, fun, x_dict = None, math.inf, None
        return OptimizeResult(
            x=x,
            fun=fun,
            x_iters=x_iters,
            func_vals=func_vals,
            x_dict=x_dict,
            space=ResultSpace(self.space_[index]),
            models=[],
            generator=generator,
            random_state=generator.random_state_,
            # scikit-optimize's dump() reads specs["args"]; scipy's repr
            # fails on an empty dict.
            specs={
                "args": {"n_iter": self.budgets[index]},
                "function": "BayesSearchCV",
            },
        )

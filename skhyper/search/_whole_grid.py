"""A grid of lists that the search evaluates whole: one batch, grid order.

When ``n_iter`` covers every candidate of a finite grid and nothing can end
the search early, the order in which a model-based generator would propose
the candidates changes nothing but the time the search takes. The search
then does what ``GridSearchCV`` does: every candidate in one batch, in
``ParameterGrid`` order, so every worker is busy from the start and
``cv_results_`` (its ``iteration`` column included), warnings and
scikit-learn's callback tasks are those of ``GridSearchCV``. The search's
generator is still told every score, so ``generator_`` describes the
search as usual (``predict``, plots).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skhyper.generators import BaseGenerator
from skhyper.search._grid_order import is_grid_of_lists
from skhyper.space import GridIndex, SearchSpace

__all__ = ["WholeGrid", "evaluates_whole_grid"]


def evaluates_whole_grid(
    search: Any,
    generator: BaseGenerator,
    space: SearchSpace,
    n_iter: int,
    *,
    stops_early: bool,
    asynchronous: bool,
    checkpointed: bool,
) -> bool:
    """Whether ``search`` evaluates all of ``space`` in one batch.

    Only for a generator that uses scores (the others already take their
    candidates in one batch), with no batch size of the user's or the
    generator's, a space of lists only, ``n_iter`` covering all of it, and
    no ``max_time``, callback, checkpoint or asynchronous mode for which the
    order of the candidates matters.
    """
    if not generator.uses_scores or stops_early or asynchronous or checkpointed:
        return False
    if search.batch_size is not None or search.initial_points is not None:
        return False
    if getattr(generator, "preferred_batch_size", None) is not None:
        return False
    if not is_grid_of_lists(space):
        return False
    return len(GridIndex(space, n_points=None)) == n_iter == generator.n_remaining


class WholeGrid:
    """Ask/tell over a whole grid: the first ask gives every candidate in
    ``ParameterGrid`` order, later ones nothing; scores are told to
    ``generator``. Every other attribute is the generator's."""

    def __init__(self, generator: BaseGenerator, space: SearchSpace) -> None:
        self.generator = generator
        self._index = GridIndex(space, n_points=None)
        self._asked = 0

    def ask(self, n: int) -> list[dict[str, Any]]:
        stop = min(self._asked + n, len(self._index))
        batch = [self._index[p][1] for p in range(self._asked, stop)]
        self._asked = stop
        return batch

    def tell(self, candidates: Sequence[dict[str, Any]], scores: Any) -> None:
        self.generator.tell(candidates, scores)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.generator, name)

"""Put a checkpoint's recorded candidates back into a resumed search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from skhyper.generators import BaseGenerator
from skhyper.search._checkpoint import Checkpoint, RecordedBatch
from skhyper.search._state import SearchState, objective_key
from skhyper.selection import generator_objectives
from skhyper.space import SearchSpace
from skhyper.utils._sklearn_compat import EvaluatedSoFar, FailureLog, user_verbosity

__all__ = ["replay"]


def replay(
    checkpoint: Checkpoint,
    evaluated: EvaluatedSoFar,
    search: Any,
    generator: BaseGenerator,
    state: SearchState,
    failures: FailureLog,
    n_splits: int,
    restart_generator: Callable[[], None],
) -> None:
    """Put the recorded batches where a search keeps its results.

    scikit-learn's accumulated results (so ``cv_results_``, ``best_index_``
    and the refit see them), the failure log, the search state and the
    generator. The generator is asked again for each recorded batch: as long
    as it proposes the recorded candidates (same generator and seed) its
    state becomes that of the uninterrupted search. From the first difference
    on, it is started afresh and only told the recorded candidates. A
    checkpoint that already holds ``n_iter`` candidates is only told.
    """
    batches = checkpoint.batches
    if not batches:
        return
    for batch in batches:
        evaluated.extend(batch.candidates, batch.out, batch.more_results)
        failures.count(batch.out)
    results = evaluated.format(search, n_splits)
    state.objective = objective_key(results, search.refit)
    all_scores = np.asarray(results[state.objective], dtype=float)
    # What the search told the generator: the scores, or every objective
    # (recorded times included) for a multi-objective generator.
    objectives = getattr(search, "objectives", None)
    told = (
        generator_objectives(results, objectives)
        if objectives is not None and getattr(generator, "multi_objective", False)
        else all_scores
    )
    n_total = sum(len(b.candidates) for b in batches)
    asking = n_total < state.n_iter
    start = 0
    for i, batch in enumerate(batches):
        n = len(batch.candidates)
        scores = all_scores[start : start + n]
        if asking and not _proposes(generator, checkpoint.space, batch.candidates):
            asking = False
            restart_generator()
            _tell_all(generator, batches[:i], told)
        generator.tell(batch.candidates, told[start : start + n])
        state.record_batch(batch.candidates, scores.tolist())
        start += n
    if user_verbosity(search) > 0:
        print(
            f"[{type(search).__name__}] resumed {n_total} candidates in "
            f"{len(batches)} iterations from the checkpoint {checkpoint.path}",
            flush=True,
        )


def _proposes(
    generator: BaseGenerator, space: SearchSpace, candidates: list[dict]
) -> bool:
    proposals = generator.ask(len(candidates))
    return [space.key(p) for p in proposals] == [space.key(c) for c in candidates]


def _tell_all(
    generator: BaseGenerator, batches: list[RecordedBatch], told: np.ndarray
) -> None:
    start = 0
    for batch in batches:
        n = len(batch.candidates)
        generator.tell(batch.candidates, told[start : start + n])
        start += n

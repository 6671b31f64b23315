"""The iterative search loop: ask a batch, evaluate it, tell the scores."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from joblib import effective_n_jobs

from skhyper.generators import BaseGenerator
from skhyper.space import SearchSpace
from skhyper.utils._sklearn_compat import (
    begin_callback_task,
    checked_cv_and_n_splits,
    end_callback_task,
    tolerate_failed_batches,
    yields_constant_splits,
)

__all__ = ["objective_key", "run_search"]

#: n_iter used when neither the user nor a finite grid sets it
#: (RandomizedSearchCV's default).
DEFAULT_N_ITER = 10


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


def resolve_n_iter(n_iter: int | None, generator: BaseGenerator) -> int:
    """The number of candidates to evaluate, warning when the space is smaller."""
    remaining = generator.n_remaining
    if n_iter is None:
        if generator.uses_scores or not math.isfinite(remaining):
            return DEFAULT_N_ITER
        return int(remaining)
    if math.isfinite(remaining) and n_iter > remaining:
        warnings.warn(
            f"The search space holds only {int(remaining)} distinct candidates, "
            f"fewer than n_iter={n_iter}; the search evaluates {int(remaining)}.",
            UserWarning,
            stacklevel=3,
        )
        return int(remaining)
    return n_iter


def resolve_batch_size(
    batch_size: int | None,
    generator: BaseGenerator,
    n_iter: int,
    n_jobs: Any,
    n_splits: int,
) -> int:
    """Candidates per ask: the user's, else the generator's
    ``preferred_batch_size`` if it has one (a gradient stencil), else all at
    once for generators that ignore scores, else enough that candidates x
    folds keeps every worker busy."""
    if batch_size is not None:
        return batch_size
    preferred = getattr(generator, "preferred_batch_size", None)
    if preferred is not None:
        return int(preferred)
    if not generator.uses_scores:
        return max(n_iter, 1)
    return balanced_batch_size(effective_n_jobs(n_jobs), n_splits)


def balanced_batch_size(n_workers: int, n_splits: int, min_load: float = 0.9) -> int:
    """The smallest batch whose fits keep ``n_workers`` busy.

    A batch of ``b`` candidates makes ``b * n_splits`` fits; they run in
    ``ceil(b * n_splits / n_workers)`` rounds. Take the smallest ``b`` whose
    rounds are at least ``min_load`` full: with 2 workers and 5 folds, one
    candidate leaves a worker idle in the last of 3 rounds (5/6 full); two
    fill 5 rounds exactly.
    """
    n_workers, n_splits = max(int(n_workers), 1), max(int(n_splits), 1)
    smallest = math.ceil(n_workers / n_splits)
    for b in range(smallest, n_workers + 1):
        fits = b * n_splits
        if fits / (math.ceil(fits / n_workers) * n_workers) >= min_load:
            return b
    return n_workers // math.gcd(n_workers, n_splits)


def run_search(
    search: Any,
    evaluate_candidates: Callable[..., dict],
    space: SearchSpace,
    generator: BaseGenerator,
    callback_ctx: Any = None,
) -> None:
    """Run the ask/evaluate/tell loop of ``search`` (a BaseSearchCV subclass).

    Sets ``search.generator_`` and ``search.n_iter_``.
    """
    generator.start(
        space, random_state=search.random_state, initial_points=search.initial_points
    )
    cv, n_splits = checked_cv_and_n_splits(search)
    n_iter = resolve_n_iter(search.n_iter, generator)
    batch_size = resolve_batch_size(
        search.batch_size, generator, n_iter, search.n_jobs, n_splits
    )
    if batch_size < n_iter and not yields_constant_splits(cv):
        raise ValueError(
            "The search evaluates candidates in several batches, which must all "
            "see the same folds, but the cv splitter shuffles without a fixed "
            f"seed: {cv!r}. Set its random_state to an int, "
            "or shuffle=False."
        )
    search_ctx = begin_callback_task(callback_ctx, search, "search", max_subtasks=None)
    iteration = n_done = 0
    best = -np.inf
    with tolerate_failed_batches() as failures:
        while n_done < n_iter:
            candidates = generator.ask(min(batch_size, n_iter - n_done))
            if not candidates:
                break
            batch_ctx = begin_callback_task(
                search_ctx,
                search,
                "iteration",
                max_subtasks=len(candidates) * n_splits,
                sequential=False,
            )
            extra = {} if batch_ctx is None else {"callback_ctx": batch_ctx}
            results = evaluate_candidates(
                candidates,
                more_results={"iteration": [iteration] * len(candidates)},
                **extra,
            )
            end_callback_task(batch_ctx, search)
            key = objective_key(results, search.refit)
            scores = np.asarray(results[key][-len(candidates) :], dtype=float)
            generator.tell(candidates, scores)
            n_done += len(candidates)
            if np.isfinite(scores).any():
                best = max(best, float(np.nanmax(scores)))
            if search.verbose > 0:
                print(
                    f"[{type(search).__name__}] iteration {iteration}: "
                    f"{len(candidates)} candidates, {n_done}/{n_iter} done, "
                    f"best {key[len('mean_test_') :]} so far {best:.6g}"
                )
            iteration += 1
    end_callback_task(search_ctx, search)
    # Set only now: scikit-learn >= 1.9 sends the search to every fit task.
    search.generator_ = generator
    search.n_iter_ = iteration
    if failures.all_failed:
        raise ValueError(
            f"All the {failures.n_fits} fits of the search failed, so no best "
            "candidate exists. It is very likely that the estimator is "
            "misconfigured; set error_score='raise' to debug. The first error "
            f"was:\n{failures.first_error}"
        )

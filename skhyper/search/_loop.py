"""The iterative search loop: ask a batch, evaluate it, tell the scores."""

from __future__ import annotations

import contextlib
import inspect
import math
import warnings
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, CancelledError
from typing import Any

import numpy as np
from joblib import effective_n_jobs

from skhyper.generators import BaseGenerator
from skhyper.generators._base import scores_reported_by_the_search
from skhyper.search._async import run_asynchronously, use_asynchronous
from skhyper.search._budget import BudgetedBatchSize
from skhyper.search._checkpoint import Checkpoint
from skhyper.search._grid_order import put_in_grid_order
from skhyper.search._interrupt import INTERRUPTED, explain_interrupt, keep_finished
from skhyper.search._observers import SearchObserver, as_callback_list
from skhyper.search._replay import replay
from skhyper.search._space_synonyms import given_under
from skhyper.search._state import SearchState, objective_key
from skhyper.search._whole_grid import WholeGrid, evaluates_whole_grid
from skhyper.selection import generator_objectives
from skhyper.space import SearchSpace
from skhyper.utils._sklearn_compat import (
    EvaluatedSoFar,
    begin_callback_task,
    candidates_numbered_over_the_search,
    checked_cv_and_n_splits,
    end_callback_task,
    folds_split_once,
    fresh_parallel,
    results_so_far,
    silence_per_batch_non_finite_warnings,
    tolerate_failed_batches,
    user_verbosity,
    without_batch_header,
    yields_constant_splits,
)
from skhyper.utils._warnings import small_space_message, warn_once

__all__ = ["run_search"]

#: n_iter used when neither the user nor a finite grid sets it
#: (RandomizedSearchCV's default).
DEFAULT_N_ITER = 10
#: How many times a batch is evaluated again after losing a parallel worker.
MAX_BATCH_RETRIES = 2
#: What joblib backends raise when a worker dies: dask cancels the tasks
#: whose scattered data lived on it, loky reports a broken process pool.
LOST_WORKER_ERRORS = (CancelledError, BrokenExecutor)
#: The ``evaluate_candidates`` of searches that lost a worker (see
#: :func:`evaluate_batch`); weak, so a finished search leaves nothing.
_LOST_A_WORKER: weakref.WeakSet = weakref.WeakSet()
#: With a checkpoint, generators that ignore scores evaluate their candidates
#: in about this many batches (instead of one) so a kill loses little.
CHECKPOINT_BATCHES = 20


def resolve_n_iter(
    n_iter: int | None, generator: BaseGenerator, warn: bool = True
) -> int:
    """The number of candidates to evaluate, warning (if ``warn``) when the
    space is smaller."""
    remaining = generator.n_remaining
    if n_iter is None:
        if generator.uses_scores or not math.isfinite(remaining):
            return DEFAULT_N_ITER
        return int(remaining)
    if math.isfinite(remaining) and n_iter > remaining:
        n = int(remaining)
        if not warn:
            return n
        # Once per process: a search nested in cross-validation would give
        # it at every fit.
        warn_once(small_space_message(n, n_iter), UserWarning, stacklevel=3)
        return n
    return n_iter


def _budget_was_chosen(search: Any) -> bool:
    """Whether a space smaller than ``n_iter`` deserves a warning: not for a
    grid under GridSearchCV's keyword (meant to be evaluated whole), nor for
    a budget left at a default of skhyper's own (``BayesSearchCV``'s 50,
    which ``GridSearchCV(est, grid)`` swapped for ``BayesSearchCV(est,
    grid)`` never chose); ``RandomSearchCV``'s default is scikit-learn's,
    and ``RandomizedSearchCV`` warns at it."""
    if given_under(search, "param_grid") is not None:
        return False
    if getattr(type(search), "_default_n_iter_is_sklearns", True):
        return True
    default = inspect.signature(type(search).__init__).parameters.get("n_iter")
    return default is None or search.n_iter != default.default


def resolve_batch_size(
    batch_size: int | None,
    generator: BaseGenerator,
    n_iter: int,
    n_jobs: Any,
    n_splits: int,
    checkpointed: bool = False,
) -> int:
    """Candidates per ask: the user's, else the generator's
    ``preferred_batch_size`` if it has one (a gradient stencil), else all at
    once for generators that ignore scores (about :data:`CHECKPOINT_BATCHES`
    batches with a checkpoint), else enough that candidates x folds keeps
    every worker busy."""
    if batch_size is not None:
        return batch_size
    preferred = getattr(generator, "preferred_batch_size", None)
    if preferred is not None:
        return int(preferred)
    balanced = balanced_batch_size(effective_n_jobs(n_jobs), n_splits)
    if generator.uses_scores:
        return balanced
    if checkpointed:
        return max(math.ceil(n_iter / CHECKPOINT_BATCHES), balanced)
    return max(n_iter, 1)


def _sized_by_budget(search: Any, generator: BaseGenerator) -> bool:
    """Whether ``max_time`` sizes the batches: set, and neither the user nor
    the generator chose a size, and the generator would otherwise take all
    candidates in one batch or a few."""
    return (
        search.max_time is not None
        and search.batch_size is None
        and not generator.uses_scores
        and getattr(generator, "preferred_batch_size", None) is None
    )


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
    observers: Sequence[SearchObserver] = (),
    checkpoint: Checkpoint | None = None,
) -> None:
    """Run the ask/evaluate/tell loop of ``search`` (a BaseSearchCV subclass).

    ``observers`` see the search after every batch and may stop it. A
    ``checkpoint`` replays its batches first and records every new one; with
    it, a ``KeyboardInterrupt`` stops the search cleanly once something
    finished. Sets ``search.generator_``, ``search.n_iter_`` and
    ``search.stop_reason_``. Interrupted otherwise, it keeps what finished on
    ``search`` (``cv_results_``, ``best_params_``...) and raises a
    ``KeyboardInterrupt`` that says so.
    """

    def start_generator() -> None:
        generator.start(
            space,
            random_state=search.random_state,
            initial_points=search.initial_points,
        )

    # A generator without a seed draws from NumPy's global generator.
    global_state = (
        np.random.get_state()  # noqa: NPY002 - read back as it was, below
        if search.random_state is None
        else None
    )
    start_generator()
    cv, n_splits = checked_cv_and_n_splits(search)
    n_iter = resolve_n_iter(search.n_iter, generator, warn=_budget_was_chosen(search))
    n_workers = effective_n_jobs(search.n_jobs)
    asynchronous = use_asynchronous(
        getattr(search, "asynchronous", False),
        generator,
        search.batch_size,
        n_workers,
        search,
    )
    batch_size = resolve_batch_size(
        search.batch_size,
        generator,
        n_iter,
        search.n_jobs,
        n_splits,
        checkpointed=checkpoint is not None,
    )
    whole_grid = evaluates_whole_grid(
        search,
        generator,
        space,
        n_iter,
        stops_early=search.max_time is not None
        or bool(as_callback_list(search.callbacks)),
        asynchronous=asynchronous,
        checkpointed=checkpoint is not None,
    )
    if whole_grid:
        batch_size = n_iter
        if global_state is not None:
            _leave_the_global_generator_alone(search, generator, space, global_state)
    sizes: int | BudgetedBatchSize = batch_size
    if _sized_by_budget(search, generator) and not asynchronous:
        smallest = balanced_batch_size(effective_n_jobs(search.n_jobs), n_splits)
        sizes = BudgetedBatchSize(search.max_time, smallest, batch_size)
        batch_size = sizes.smallest
    # Asynchronously, every fit uses the folds split once at the start.
    several_batches = checkpoint is not None or (
        batch_size < n_iter and not asynchronous
    )
    # GridSearchCV splits once for all its candidates, so do the batches: a
    # splitter that shuffles without a seed would give every batch other
    # folds, and an iterator of folds would give the second batch none.
    fixed_folds = None
    if several_batches:
        constant = yields_constant_splits(cv)
        if checkpoint is not None and not constant:
            raise ValueError(
                "A search with a checkpoint may resume in several fits, which "
                "must all see the same folds, but the cv splitter shuffles "
                f"without a fixed seed: {cv!r}. Set its random_state to an "
                "int, or shuffle=False."
            )
        fixed_folds = folds_split_once(
            evaluate_candidates, search, required=not constant
        )
    state = SearchState(n_iter=n_iter)
    # GridSearchCV warns once about the failed fits of the whole search.
    with (
        tolerate_failed_batches(summarize=True) as failures,
        scores_reported_by_the_search(),
    ):
        evaluated = None
        if checkpoint is not None:
            evaluated = EvaluatedSoFar(evaluate_candidates)
            replay(
                checkpoint,
                evaluated,
                search,
                generator,
                state,
                failures,
                n_splits,
                restart_generator=start_generator,
            )
        for observer in observers:
            observer.on_start(state)
        stop_reason = "the loop ended by an error"
        last_results = None
        # scikit-learn's ProgressBar shows a percentage when the number of
        # batches is known; a generator with its own batch sizes (gradient)
        # may need more batches than n_iter / batch_size.
        planned = None
        if (
            getattr(generator, "preferred_batch_size", None) is None
            and isinstance(sizes, int)
            and not asynchronous
        ):
            planned = math.ceil((n_iter - state.n_evaluated) / batch_size)
        # One batch has the task tree of GridSearchCV: the fits sit right
        # under the search task. Several have that of the halving searches:
        # one task per iteration.
        one_batch = planned == 1
        search_ctx = begin_callback_task(
            callback_ctx,
            search,
            "search",
            max_subtasks=(n_iter - state.n_evaluated) * n_splits
            if one_batch
            else planned,
            sequential=not one_batch,
        )
        n_iterations = None
        # GridSearchCV says "Fitting K folds for each of N candidates" once,
        # from verbose=1; batches would repeat it with their size (kept from
        # verbose=2, above their per-fit lines, and in the skopt face, as
        # scikit-optimize prints it), asynchronous fits would not say it.
        verbose = user_verbosity(search)
        own_header = (
            verbose >= 1
            and not one_batch
            and not getattr(search, "_fitting_line_per_batch", False)
        )
        quiet_batches = own_header and verbose == 1 and not asynchronous
        if quiet_batches or (own_header and asynchronous):
            n_left = n_iter - state.n_evaluated
            print(
                f"Fitting {n_splits} folds for each of {n_left} candidates,"
                f" totalling {n_left * n_splits} fits",
                flush=True,
            )
        try:
            if asynchronous:
                stop_reason, last_results, n_iterations = run_asynchronously(
                    search,
                    evaluate_candidates,
                    generator,
                    state,
                    observers,
                    checkpoint,
                    n_workers,
                    max_retries=MAX_BATCH_RETRIES,
                    lost_worker_errors=LOST_WORKER_ERRORS,
                )
            else:
                stop_reason, last_results = _loop(
                    search,
                    evaluate_candidates,
                    WholeGrid(generator, space) if whole_grid else generator,
                    state,
                    observers,
                    sizes,
                    n_splits,
                    search_ctx,
                    planned,
                    checkpoint,
                    evaluated,
                    one_batch,
                    fixed_folds,
                    quiet_batches,
                )
        except KeyboardInterrupt as interrupt:
            stop_reason = INTERRUPTED
            if checkpoint is None or state.n_evaluated == 0:
                _set_fitted(search, generator, state, stop_reason)
                keep_finished(search, results_so_far(evaluate_candidates))
                raise explain_interrupt(
                    search, state, checkpoint is not None
                ) from interrupt
            checkpoint.warn_interrupted()
        finally:
            for observer in observers:
                observer.on_end(state, stop_reason)
    end_callback_task(search_ctx, search)
    _set_fitted(search, generator, state, stop_reason, n_iterations)
    if failures.all_failed:
        raise failures.all_failed_error(search.error_score)
    failures.warn(search.error_score)
    if last_results is not None:
        last_results = (
            put_in_grid_order(evaluate_candidates, search, space, n_splits)
            or last_results
        )
        warn_about_non_finite_scores(last_results, state.objective)


def _set_fitted(
    search: Any,
    generator: BaseGenerator,
    state: SearchState,
    stop_reason: str,
    n_iterations: int | None = None,
) -> None:
    # Set only at the end: scikit-learn >= 1.9 sends the search to every fit task.
    search.generator_ = generator
    search.n_iter_ = state.n_batches if n_iterations is None else n_iterations
    search.stop_reason_ = stop_reason


def _leave_the_global_generator_alone(
    search: Any, generator: BaseGenerator, space: SearchSpace, global_state: Any
) -> None:
    """Give the generator of a whole grid searched without ``random_state``
    a copy of NumPy's global generator instead of the global one itself.

    ``GridSearchCV`` draws nothing from the global generator, so a script
    that seeds it and leaves its estimators unseeded (a ``GaussianMixture``,
    a ``KMeans``) gets the same fits, and the same later draws, with a
    search that evaluates the same grid. The generator's own draws, at its
    start and when it is told the scores, stay what they would have been.
    """
    private = np.random.RandomState()
    private.set_state(global_state)
    np.random.set_state(global_state)  # noqa: NPY002 - as before the start
    generator.start(space, random_state=private, initial_points=search.initial_points)


def _loop(
    search: Any,
    evaluate_candidates: Callable[..., dict],
    generator: BaseGenerator | WholeGrid,
    state: SearchState,
    observers: Sequence[SearchObserver],
    batch_size: int | BudgetedBatchSize,
    n_splits: int,
    search_ctx: Any,
    planned: int | None,
    checkpoint: Checkpoint | None,
    evaluated: EvaluatedSoFar | None,
    one_batch: bool = False,
    cv: Any = None,
    quiet_batches: bool = False,
) -> tuple[str, dict | None]:
    """Ask, evaluate and tell until a stop; returns why it stopped and the
    results of the last batch (None if none ran). ``cv``, if given,
    replaces the search's folds in every batch; ``quiet_batches`` keeps
    scikit-learn's "Fitting K folds" line of each batch to itself."""
    results = None
    n_new_batches = 0
    while state.n_evaluated < state.n_iter:
        size = batch_size if isinstance(batch_size, int) else batch_size(state)
        candidates = generator.ask(min(size, state.n_iter - state.n_evaluated))
        if not candidates:
            return "the search space is exhausted", results
        for observer in observers:
            observer.on_batch_start(state, candidates)
        within_plan = planned is None or n_new_batches < planned
        results = evaluate_batch(
            search,
            evaluate_candidates,
            candidates,
            state.n_batches,
            search_ctx if within_plan else None,
            n_splits,
            iteration_task=not one_batch,
            cv=cv,
            numbered_from=(state.n_evaluated, state.n_iter),
            quiet=quiet_batches,
        )
        n_new_batches += 1
        if checkpoint is not None and evaluated is not None:
            checkpoint.record(*evaluated.last(len(candidates), n_splits))
        state.objective = objective_key(results, search.refit)
        scores = np.asarray(results[state.objective][-len(candidates) :], dtype=float)
        objectives = getattr(search, "objectives", None)
        if objectives is not None and getattr(generator, "multi_objective", False):
            told = generator_objectives(results, objectives)
            generator.tell(candidates, told[-len(candidates) :])
        else:
            generator.tell(candidates, scores)
        state.results = results
        state.record_batch(candidates, scores.tolist())
        reasons = [observer.on_batch(state) for observer in observers]
        reason = next((r for r in reasons if r), None)
        if reason:
            return reason, results
    return f"n_iter={state.n_iter} candidates evaluated", results


def evaluate_batch(
    search: Any,
    evaluate_candidates: Callable[..., dict],
    candidates: list[dict],
    iteration: int,
    search_ctx: Any,
    n_splits: int,
    iteration_task: bool = True,
    cv: Any = None,
    extra_results: dict[str, list] | None = None,
    numbered_from: tuple[int, int] | None = None,
    quiet: bool = False,
) -> dict:
    """``evaluate_candidates`` on one batch, run again when a parallel worker died.

    sklearn records a batch only after all its fits returned, so a batch
    that raised left nothing behind and can simply be run again. The fits
    are callback tasks of an "iteration" task, or (``iteration_task=False``)
    of ``search_ctx`` itself. ``cv`` replaces the search's folds for this
    batch (successive halving's subsampled folds); ``extra_results`` are
    more ``cv_results_`` columns. ``numbered_from`` = (candidates evaluated
    before, candidates of the search) numbers the candidates of the batch
    over the search in scikit-learn's per-fit lines (``verbose >= 10``), as
    ``GridSearchCV`` numbers them; without it, within the batch.
    ``quiet`` drops scikit-learn's "Fitting K folds" line of the batch (the
    search printed one for all its batches).
    """

    def numbering() -> contextlib.AbstractContextManager:
        if numbered_from is None or user_verbosity(search) < 10:
            return contextlib.nullcontext()
        return candidates_numbered_over_the_search(evaluate_candidates, *numbered_from)

    for attempt in range(MAX_BATCH_RETRIES + 1):
        # A retry runs outside scikit-learn's callback tree: the search task
        # declared its sub-tasks and takes no more.
        parent = search_ctx if attempt == 0 else None
        batch_ctx = (
            begin_callback_task(
                parent,
                search,
                "iteration",
                max_subtasks=len(candidates) * n_splits,
                sequential=False,
            )
            if iteration_task
            else parent
        )
        extra = {} if batch_ctx is None else {"callback_ctx": batch_ctx}
        if cv is not None:
            extra["cv"] = cv
        more_results = {"iteration": [iteration] * len(candidates)}
        more_results.update(extra_results or {})
        try:
            with (
                silence_per_batch_non_finite_warnings(),
                numbering(),
                without_batch_header(search) if quiet else contextlib.nullcontext(),
                fresh_parallel(evaluate_candidates)
                if evaluate_candidates in _LOST_A_WORKER
                else contextlib.nullcontext(),
            ):
                return evaluate_candidates(
                    candidates, more_results=more_results, **extra
                )
        except LOST_WORKER_ERRORS as exc:
            # The search's own Parallel may now hand out results of the
            # aborted call: this batch's retry and every later batch run in
            # fresh ones.
            _LOST_A_WORKER.add(evaluate_candidates)
            if attempt == MAX_BATCH_RETRIES:
                raise
            warnings.warn(
                f"A parallel worker was lost while evaluating iteration "
                f"{iteration} ({type(exc).__name__}: {exc}); the "
                f"{len(candidates)} candidates of the batch are evaluated again.",
                RuntimeWarning,
                stacklevel=2,
            )
        finally:
            if iteration_task:
                end_callback_task(batch_ctx, search)
    raise AssertionError("unreachable")


def warn_about_non_finite_scores(results: Mapping[str, Any], key: str) -> None:
    """One warning per score column with non-finite means (sklearn would
    give one per batch), and a louder one when no candidate has a finite
    objective score, since ``best_*`` then means nothing."""
    for column in (k for k in results if k.startswith(("mean_test_", "mean_train_"))):
        means = np.asarray(results[column], dtype=float)
        bad = np.flatnonzero(~np.isfinite(means))
        if bad.size:
            kind = column.split("_")[1]
            # scikit-learn's wording and array, then which candidates.
            warnings.warn(
                f"One or more of the {kind} scores are non-finite: {means}\n"
                f"({bad.size} of {means.size} candidates have a non-finite "
                f"{column}: candidates {bad.tolist()[:20]}"
                f"{'...' if bad.size > 20 else ''}.)",
                UserWarning,
                stacklevel=2,
            )
    objective = np.asarray(results[key], dtype=float)
    if not np.isfinite(objective).any():
        warnings.warn(
            f"None of the {objective.size} candidates got a finite {key}, so "
            "best_params_ and best_score_ mean nothing: the fits that succeeded "
            "scored NaN or infinity. Check that the estimator can predict and "
            "that the scorer suits the data (sklearn's 'Scoring failed' "
            "warnings carry the errors).",
            UserWarning,
            stacklevel=2,
        )

"""The successive-halving loop: rungs of growing resources, fed by a generator.

Each bracket starts with ``n_candidates`` candidates asked from the
generator in a few batches at the smallest resource (with Hyperband
brackets, at its starting rung: fewer candidates, more resource); every
later rung
re-evaluates the best ``1 / factor`` of the rung before with ``factor``
times the resource. After every batch the generator is told the scores with
their fidelity, so later proposals (later batches of the first rung, and the
next bracket) use every result at every rung. A checkpoint records every
batch; resuming puts the recorded results back in their bracket and rung and
evaluates only what is missing.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from joblib import effective_n_jobs

from skhyper.generators import BaseGenerator, MultiFidelityGPGenerator
from skhyper.generators._base import scores_reported_by_the_search
from skhyper.generators._sobol_started import SobolStartedGenerator
from skhyper.search._checkpoint import Checkpoint
from skhyper.search._grid_order import grid_order
from skhyper.search._halving_schedule import HalvingSchedule, n_promoted
from skhyper.search._loop import (
    balanced_batch_size,
    evaluate_batch,
    objective_key,
    warn_about_non_finite_scores,
)
from skhyper.search._observers import SearchObserver
from skhyper.search._state import SearchState
from skhyper.search._warm_start import WarmStarts
from skhyper.space import SearchSpace
from skhyper.utils._sklearn_compat import (
    EvaluatedSoFar,
    FailureLog,
    begin_callback_task,
    end_callback_task,
    tolerate_failed_batches,
    user_verbosity,
)

__all__ = ["HalvingCheckpoint", "run_halving"]

#: The first rung of a bracket is asked for in about this many batches, so
#: its later candidates already profit from its first scores.
FIRST_RUNG_BATCHES = 4
#: With a checkpoint, a promoted rung is evaluated in about this many batches.
CHECKPOINT_RUNG_BATCHES = 4


class HalvingCheckpoint(Checkpoint):
    """A checkpoint whose candidates may carry the resource parameter, which
    lies outside the search space: it is recorded beside the candidate."""

    def __init__(
        self, path: Any, search: Any, space: SearchSpace, resource: str | None
    ) -> None:
        self.resource = resource
        super().__init__(path, search, space)

    def _encode(self, candidate: dict[str, Any]) -> list:
        if self.resource is None or self.resource not in candidate:
            return super()._encode(candidate)
        candidate = dict(candidate)
        value = candidate.pop(self.resource)
        index, coded = super()._encode(candidate)
        return [index, [*coded, [self.resource, int(value)]]]

    def _decode_candidate(self, coded: Any) -> dict[str, Any]:
        if self.resource is None or not (isinstance(coded, list) and len(coded) == 2):
            return super()._decode_candidate(coded)
        index, pairs = coded
        if not isinstance(pairs, list):
            return super()._decode_candidate(coded)
        resource = [
            p for p in pairs if isinstance(p, list) and p[:1] == [self.resource]
        ]
        rest = [p for p in pairs if p not in resource]
        candidate = super()._decode_candidate([index, rest])
        for _, value in resource:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise TypeError(f"{self.resource!r}: {value!r} is not a resource")
            candidate[str(self.resource)] = value
        return candidate

    def record_last(self, n_candidates: int, n_splits: int) -> None:
        """Record the last ``n_candidates`` that ``evaluate_candidates`` ran."""
        self.record(*self._evaluated.last(n_candidates, n_splits))

    def attach(self, evaluate_candidates: Callable[..., Any]) -> EvaluatedSoFar:
        """Read and extend what ``evaluate_candidates`` accumulates."""
        self._evaluated = EvaluatedSoFar(evaluate_candidates)
        return self._evaluated


@dataclass
class Rung:
    """The evaluated candidates of one rung of one bracket."""

    candidates: list[dict[str, Any]] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)

    def add(self, candidates: list[dict], scores: Sequence[float]) -> None:
        self.candidates.extend(candidates)
        self.scores.extend(float(s) for s in scores)

    def top(self, k: int) -> list[dict[str, Any]]:
        """The ``k`` best candidates, worst first (as scikit-learn orders its
        promotions); NaN scores rank last."""
        scores = np.asarray(self.scores, dtype=float)
        order = np.roll(np.argsort(scores), np.count_nonzero(np.isnan(scores)))
        return [self.candidates[i] for i in order[len(order) - k :]]


@dataclass
class HalvingPlan:
    """What ``run_halving`` needs from the search besides its generator."""

    schedule: HalvingSchedule
    n_brackets: int
    resource: str
    #: ``cv`` to evaluate a rung with (subsampled folds for ``n_samples``).
    cv_at: Callable[[int], Any]
    n_splits: int
    #: The fitted models promotions continue (``warm_start_promotions``).
    warm_starts: WarmStarts | None = None


class HalvingRun:
    """One ``fit``'s successive halving: brackets, rungs and their results."""

    def __init__(
        self,
        search: Any,
        evaluate_candidates: Callable[..., dict],
        space: SearchSpace,
        generator: BaseGenerator,
        plan: HalvingPlan,
        observers: Sequence[SearchObserver],
        checkpoint: HalvingCheckpoint | None,
        failures: FailureLog,
        callback_ctx: Any,
    ) -> None:
        self.search = search
        self.evaluate_candidates = evaluate_candidates
        self.space = space
        self.generator = generator
        self.plan = plan
        self.schedule = plan.schedule
        self.observers = observers
        self.checkpoint = checkpoint
        self.failures = failures
        self.callback_ctx = callback_ctx
        self.rungs: dict[tuple[int, int], Rung] = {}
        self.finished: set[tuple[int, int]] = set()
        self.state = SearchState(n_iter=self.schedule.n_evaluations(plan.n_brackets))
        self.last_results: dict | None = None
        self.search_ctx = None

    # -- helpers --------------------------------------------------------------
    def rung(self, bracket: int, rung: int) -> Rung:
        return self.rungs.setdefault((bracket, rung), Rung())

    def in_space(self, candidate: dict[str, Any]) -> dict[str, Any]:
        """The candidate without the resource parameter."""
        if self.plan.resource == "n_samples":
            return candidate
        return {k: v for k, v in candidate.items() if k != self.plan.resource}

    def with_resource(self, candidate: dict[str, Any], rung: int) -> dict[str, Any]:
        if self.plan.resource == "n_samples":
            return dict(candidate)
        return {**candidate, self.plan.resource: self.schedule.n_resources(rung)}

    def tell(
        self,
        candidates: list[dict],
        scores: Sequence[float],
        bracket: int,
        rung: int,
        seconds: Sequence[float],
    ) -> None:
        plain = [self.in_space(c) for c in candidates]
        if isinstance(self.generator, MultiFidelityGPGenerator):
            fidelity = self.schedule.fidelity(rung)
            self.generator.tell_at_fidelity(plain, scores, fidelity)
            self.generator.tell_costs(plain, seconds, fidelity)
        elif rung == self.schedule.start_rung(bracket):
            # A generator that knows no fidelities learns only from the
            # first rung of each bracket, the one it proposed.
            self.generator.tell(plain, scores)

    # -- resume ---------------------------------------------------------------
    def resume(self) -> None:
        """Put every recorded batch back into its bracket and rung."""
        if self.checkpoint is None:
            return
        evaluated = self.checkpoint.attach(self.evaluate_candidates)
        batches = self.checkpoint.batches
        if not batches:
            return
        for batch in batches:
            self._check_recorded(batch.more_results)
            evaluated.extend(batch.candidates, batch.out, batch.more_results)
            self.failures.count(batch.out)
        results = evaluated.format(self.search, self.plan.n_splits)
        self.state.objective = objective_key(results, self.search.refit)
        scores = np.asarray(results[self.state.objective], dtype=float)
        all_seconds = _seconds(results)
        placed = []
        start = 0
        for batch in batches:
            n = len(batch.candidates)
            bracket = batch.more_results["bracket"][0]
            rung = batch.more_results["iter"][0]
            batch_scores = scores[start : start + n].tolist()
            seconds = all_seconds[start : start + n].tolist()
            start += n
            self.rung(bracket, rung).add(batch.candidates, batch_scores)
            placed.append((batch.candidates, batch_scores, bracket, rung, seconds))
        self._check_bracket_starts()
        for candidates, batch_scores, bracket, rung, seconds in placed:
            self.tell(candidates, batch_scores, bracket, rung, seconds)
            self.state.record_batch(candidates, batch_scores)
        self.last_results = results

    def _check_recorded(self, more_results: dict) -> None:
        path = None if self.checkpoint is None else self.checkpoint.path
        for key in ("bracket", "iter", "n_resources"):
            if key not in more_results:
                raise ValueError(
                    f"The checkpoint {path!r} was not recorded by "
                    f"{type(self.search).__name__} (its batches have no {key!r})."
                )
        rung, resources = more_results["iter"][0], more_results["n_resources"][0]
        if (
            rung >= self.schedule.n_iterations
            or self.schedule.n_resources(rung) != resources
        ):
            self._refuse(f"its rung {rung} used n_resources={resources}")

    def _check_bracket_starts(self) -> None:
        """Each recorded bracket must start where this search starts it."""
        first: dict[int, int] = {}
        for bracket, rung in self.rungs:
            first[bracket] = min(rung, first.get(bracket, rung))
        for bracket, rung in sorted(first.items()):
            if rung != self.schedule.start_rung(bracket):
                self._refuse(f"its bracket {bracket} started at rung {rung}")

    def _refuse(self, recorded: str) -> None:
        path = None if self.checkpoint is None else self.checkpoint.path
        raise ValueError(
            f"The checkpoint {path!r} was recorded with another resource "
            f"schedule: {recorded}, this search's rungs use {self._resources()}"
            f"{self._bracket_starts()}. Resume with the same resource, factor, "
            "min_resources, max_resources, n_candidates and hyperband, or use "
            "a new checkpoint file."
        )

    def _resources(self) -> list[int]:
        return [self.schedule.n_resources(r) for r in range(self.schedule.n_iterations)]

    def _bracket_starts(self) -> str:
        if not self.schedule.hyperband:
            return " and every bracket starts at rung 0"
        return f" and bracket b starts at rung b % {self.schedule.n_iterations}"

    # -- the loop -------------------------------------------------------------
    def run(self) -> str:
        """Run every bracket; returns why the search stopped."""
        try:
            return self._run_brackets()
        finally:
            if self.plan.warm_starts is not None:
                self.plan.warm_starts.clear()

    def _run_brackets(self) -> str:
        for bracket in range(self.plan.n_brackets):
            start = self.schedule.start_rung(bracket)
            for rung in range(start, self.schedule.n_iterations):
                reason = self._run_rung(bracket, rung)
                if reason:
                    return reason
        n_rungs = self.schedule.n_iterations
        return (
            f"{self.plan.n_brackets} bracket{'s' if self.plan.n_brackets > 1 else ''} "
            f"of {n_rungs} rung{'s' if n_rungs != 1 else ''} evaluated"
        )

    def _run_rung(self, bracket: int, rung: int) -> str | None:
        done = self.rung(bracket, rung)
        first = rung == self.schedule.start_rung(bracket)
        if user_verbosity(self.search) > 0:
            n_planned = (
                self.schedule.n_first(bracket)
                if first
                else n_promoted(
                    len(self.rung(bracket, rung - 1).candidates), self.schedule.factor
                )
            )
            # scikit-learn's halving searches print these lines.
            print(
                f"----------\niter: {rung}\nn_candidates: {n_planned}\n"
                f"n_resources: {self.schedule.n_resources(rung)}",
                flush=True,
            )
        if first:
            return self._run_first_rung(bracket, rung, done)
        before = self.rung(bracket, rung - 1)
        if not before.candidates:
            return "the search space is exhausted"
        promoted = before.top(n_promoted(len(before.candidates), self.schedule.factor))
        if self.plan.warm_starts is not None:
            self.plan.warm_starts.keep_only(
                bracket, {self.space.key(self.in_space(c)) for c in promoted}
            )
        known = {self.space.key(self.in_space(c)) for c in done.candidates}
        todo = [
            self.with_resource(self.in_space(c), rung)
            for c in promoted
            if self.space.key(self.in_space(c)) not in known
        ]
        size = len(todo)
        if self.checkpoint is not None:
            size = max(math.ceil(len(todo) / CHECKPOINT_RUNG_BATCHES), self._balanced())
        for start in range(0, len(todo), max(size, 1)):
            reason = self._evaluate(todo[start : start + size], bracket, rung)
            if reason:
                return reason
        self.finished.add((bracket, rung))
        return None

    def _run_first_rung(self, bracket: int, rung: int, done: Rung) -> str | None:
        n_planned = self.schedule.n_first(bracket)
        batch_size = self.search.batch_size
        if batch_size is None:
            design_only = not self.generator.uses_scores or (
                isinstance(self.generator, SobolStartedGenerator)
                and self.generator.n_design_left >= n_planned - len(done.candidates)
            )
            if not design_only or self.checkpoint is not None:
                batch_size = max(
                    math.ceil(n_planned / FIRST_RUNG_BATCHES), self._balanced()
                )
            else:
                batch_size = n_planned
        while len(done.candidates) < n_planned:
            missing = n_planned - len(done.candidates)
            asked = self.generator.ask(min(batch_size, missing))
            if not asked:
                if not done.candidates:
                    return "the search space is exhausted"
                break
            order = grid_order(self.space, asked)
            if order is not None:
                # A whole grid of lists in one batch starts in
                # HalvingGridSearchCV's order: promotions among tied scores,
                # and so the best candidate, follow it.
                asked = [asked[i] for i in order]
            reason = self._evaluate(
                [self.with_resource(c, rung) for c in asked], bracket, rung
            )
            if reason:
                return reason
        self.finished.add((bracket, rung))
        return None

    def _balanced(self) -> int:
        return balanced_batch_size(
            effective_n_jobs(self.search.n_jobs), self.plan.n_splits
        )

    def _evaluate(self, candidates: list[dict], bracket: int, rung: int) -> str | None:
        """Evaluate one batch, tell it and let the observers see it; returns a
        stop reason or None."""
        n = len(candidates)
        resources = self.schedule.n_resources(rung)
        self.state.stage = (
            f"bracket {bracket + 1}/{self.plan.n_brackets}, rung "
            f"{rung + 1}/{self.schedule.n_iterations}, n_resources={resources}"
        )
        for observer in self.observers:
            observer.on_batch_start(self.state, candidates)
        warm = self.plan.warm_starts
        with (
            contextlib.nullcontext()
            if warm is None
            else warm.fitting(
                self.evaluate_candidates,
                [self.space.key(self.in_space(c)) for c in candidates],
                bracket,
                rung,
            )
        ):
            results = evaluate_batch(
                self.search,
                self.evaluate_candidates,
                candidates,
                self.state.n_batches,
                self.search_ctx,
                self.plan.n_splits,
                cv=self.plan.cv_at(resources),
                extra_results={
                    "iter": [rung] * n,
                    "n_resources": [resources] * n,
                    "bracket": [bracket] * n,
                },
            )
        if self.checkpoint is not None:
            self.checkpoint.record_last(n, self.plan.n_splits)
        self.last_results = results
        self.state.objective = objective_key(results, self.search.refit)
        scores = np.asarray(results[self.state.objective][-n:], dtype=float).tolist()
        self.rung(bracket, rung).add(candidates, scores)
        self.tell(candidates, scores, bracket, rung, _seconds(results)[-n:].tolist())
        self.state.record_batch(candidates, scores)
        reasons = [observer.on_batch(self.state) for observer in self.observers]
        return next((r for r in reasons if r), None)

    def best_rung(self) -> int:
        """The highest rung that some bracket finished (0 if none did)."""
        return max((rung for _, rung in self.finished), default=0)


def _seconds(results: dict) -> np.ndarray:
    """Mean fit plus score time of every row of ``results`` (NaN for a
    failed fit)."""
    return np.asarray(results["mean_fit_time"], dtype=float) + np.asarray(
        results["mean_score_time"], dtype=float
    )


def run_halving(
    search: Any,
    evaluate_candidates: Callable[..., dict],
    space: SearchSpace,
    generator: BaseGenerator,
    plan: HalvingPlan,
    observers: Sequence[SearchObserver],
    checkpoint: HalvingCheckpoint | None,
    callback_ctx: Any,
) -> HalvingRun:
    """Run successive halving for ``search``; sets ``generator_``,
    ``n_iter_`` and ``stop_reason_`` and returns the finished run."""
    with tolerate_failed_batches() as failures, scores_reported_by_the_search():
        run = HalvingRun(
            search,
            evaluate_candidates,
            space,
            generator,
            plan,
            observers,
            checkpoint,
            failures,
            callback_ctx,
        )
        run.resume()
        for observer in observers:
            observer.on_start(run.state)
        stop_reason = "the loop ended by an error"
        run.search_ctx = begin_callback_task(callback_ctx, search, "search")
        try:
            stop_reason = run.run()
        except KeyboardInterrupt:
            if checkpoint is None or run.state.n_evaluated == 0:
                raise
            stop_reason = "interrupted by KeyboardInterrupt"
            checkpoint.warn_interrupted()
        finally:
            for observer in observers:
                observer.on_end(run.state, stop_reason)
    end_callback_task(run.search_ctx, search)
    search.generator_ = generator
    search.n_iter_ = run.state.n_batches
    search.stop_reason_ = stop_reason
    if failures.all_failed:
        raise ValueError(
            f"All the {failures.n_fits} fits of the search failed, so no best "
            "candidate exists. It is very likely that the estimator is "
            "misconfigured; set error_score='raise' to debug. The first error "
            f"was:\n{failures.first_error}"
        )
    if run.last_results is None:
        raise ValueError("The search evaluated no candidate.")
    warn_about_non_finite_scores(run.last_results, run.state.objective)
    if not run.finished and run.state.n_evaluated:
        warnings.warn(
            f"The search stopped ({stop_reason}) before any rung finished; "
            "best_params_ comes from the unfinished first rung.",
            UserWarning,
            stacklevel=3,
        )
    return run

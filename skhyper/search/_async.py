"""Asynchronous evaluation: a new candidate whenever a worker frees up.

The batch loop (:mod:`skhyper.search._loop`) asks a batch, waits for all its
fits, then tells: every worker waits for the slowest fit of the batch, and all
of them wait while the generator proposes. Here every (candidate, fold) fit is
a task of one long ``joblib.Parallel(return_as="generator_unordered")`` call;
joblib hands a new task to each worker that finishes one, pulling it from a
:class:`TaskFeed` that the search keeps a few tasks ahead. As soon as all the
folds of a candidate are back, the generator is told its score and asked for
the next candidate, while the other fits run; candidates still running are
pending points of the generator. The results go into scikit-learn's own
accumulators, so ``cv_results_``, ``best_*`` and the refit are scikit-learn's.
"""

from __future__ import annotations

import functools
import math
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import joblib

from skhyper.generators import BaseGenerator
from skhyper.search._observers import SearchObserver
from skhyper.search._state import SearchState, objective_key
from skhyper.search._timeout import with_time_limit
from skhyper.selection import generator_objectives
from skhyper.utils._sklearn_compat import (
    EvaluatedSoFar,
    FitTasks,
    check_candidate_fits,
    silence_per_batch_non_finite_warnings,
)

if TYPE_CHECKING:
    from skhyper.search._checkpoint import Checkpoint

__all__ = ["AskSize", "TaskFeed", "run_asynchronously", "use_asynchronous"]

#: A worker that asks for a task when none is ready (the generator is still
#: proposing) waits this long times the number of workers waiting, at most
#: :data:`MAX_IDLE_S`: one of them comes back for work about every
#: ``IDLE_LATENCY_S``, however many there are, so a new fit waits about that
#: long and the backend sees a bounded flow of placeholder tasks.
IDLE_LATENCY_S, MAX_IDLE_S = 0.01, 1.0
Tag = tuple[int, int]  # (candidate id, fold)


def _idle(seconds: float) -> None:
    """A placeholder task: keeps joblib asking for work while none is ready."""
    time.sleep(seconds)


class TaskFeed:
    """The iterator joblib pulls fit tasks from, fed by the search.

    ``joblib.Parallel(pre_dispatch=n_jobs)`` hands out ``n_jobs`` tasks when
    its call starts, then pulls one more each time a task completes (up to
    ``pull_size``, its ``n_jobs``, at a time, keeping the extra ones), and
    stops dispatching for good the first time a pull finds nothing. So while
    the feed is open, the first item of every pull, and every item of the
    call's first pull, is never missing: when no fit is ready, a short
    placeholder task (:func:`_idle`) stands in for it, which keeps every
    worker asking for work. Later items of a pull end it (``StopIteration``)
    when nothing is ready, so at most one placeholder goes to a freed worker.
    Once :meth:`close` d, an empty feed ends every pull, and joblib's call
    ends when the fits already handed out return.

    Thread-safe: joblib pulls from its callback threads while the search
    pushes from the main thread.

    Parameters
    ----------
    pull_size : int
        The number of tasks joblib asks for at a time (its ``n_jobs``).
    keep_alive : bool
        Whether to hand out placeholders (not when joblib runs the tasks
        sequentially in the calling thread).
    """

    def __init__(self, pull_size: int, keep_alive: bool) -> None:
        self._lock = threading.Lock()
        self._tasks: deque[tuple[Tag, Any]] = deque()
        self._pull_size = max(int(pull_size), 1)
        self._keep_alive = keep_alive
        self._in_pull = 0
        self._first_pull_left = self._pull_size
        self._n_idle = 0
        self.closed = False
        #: Tags handed to joblib and not returned yet.
        self.handed_out: set[Tag] = set()
        #: Times a freed worker found no fit ready (the generator was slower).
        self.n_starved = 0

    def __iter__(self) -> TaskFeed:
        return self

    def __next__(self) -> Any:
        with self._lock:
            first_pull = self._first_pull_left > 0
            self._first_pull_left = max(self._first_pull_left - 1, 0)
            if self._tasks:
                tag, task = self._tasks.popleft()
                self.handed_out.add(tag)
                return self._hand_out(task)
            if (
                self._keep_alive
                and not self.closed
                and (first_pull or not self._in_pull)
            ):
                if not first_pull:
                    self.n_starved += 1
                self._n_idle += 1
                seconds = min(MAX_IDLE_S, IDLE_LATENCY_S * self._n_idle)
                return self._hand_out(joblib.delayed(_idle)(seconds))
            self._in_pull = 0
            self._first_pull_left = 0
            raise StopIteration

    def _hand_out(self, task: Any) -> Any:
        self._in_pull = (self._in_pull + 1) % self._pull_size
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    def push(self, tasks: Sequence[tuple[Tag, Any]], front: bool = False) -> None:
        """Queue tagged tasks (at the front: fits to run again)."""
        with self._lock:
            if front:
                self._tasks.extendleft(reversed(tasks))
            else:
                self._tasks.extend(tasks)

    def returned(self, tag: Tag | None) -> None:
        """A task's result arrived (``None``: a placeholder's)."""
        with self._lock:
            if tag is None:
                self._n_idle = max(self._n_idle - 1, 0)
            else:
                self.handed_out.discard(tag)

    def withdraw(self, candidate_ids: set[int]) -> None:
        """Drop the queued tasks of these candidates."""
        with self._lock:
            self._tasks = deque(t for t in self._tasks if t[0][0] not in candidate_ids)

    def lost(self) -> list[Tag]:
        """After joblib aborted its call: the tags it held, now to run again."""
        with self._lock:
            tags = sorted(self.handed_out)
            self.handed_out.clear()
            return tags

    def restart(self) -> None:
        """Before a new joblib call."""
        with self._lock:
            self._in_pull = 0
            self._first_pull_left = self._pull_size
            self._n_idle = 0

    def close(self) -> None:
        """Nothing more will be pushed but fits to finish."""
        with self._lock:
            self.closed = True

    def in_flight(self, candidate_id: int) -> bool:
        """Whether a fold of the candidate is with joblib."""
        with self._lock:
            return any(tag[0] == candidate_id for tag in self.handed_out)


class AskSize:
    """How many candidates one ask proposes once every worker is busy.

    One, as long as the generator keeps up easily: each candidate is then
    proposed knowing every result back so far. When the generator is busy
    at least ``BUSY`` of the time (its seconds per candidate times the
    candidates the workers use a second) and freed workers found no fit
    ready since the previous ask, twice as many, up to ``largest``: the
    generator is the bottleneck, and one ask of several candidates proposes
    more of them a second than as many asks of one (the GP fits its model
    and evaluates its acquisition's pool once per ask). Halved back after
    an ask with no starving worker, or when the generator is less busy.

    Parameters
    ----------
    largest : int
        The most candidates an ask may propose.
    """

    #: The generator's share of the time above which asks may grow.
    BUSY = 0.5

    def __init__(self, largest: int) -> None:
        self.largest = max(int(largest), 1)
        self.current = 1
        self._starved_at_ask = 0

    def size(self, n_starved: int, busy: float) -> int:
        """The size of an ask made now (``n_starved``: starved pulls so far;
        ``busy``: the generator's estimated share of the time)."""
        if busy >= self.BUSY and n_starved > self._starved_at_ask:
            return min(2 * self.current, self.largest)
        return max(self.current // 2, 1)

    def asked(self, n_starved: int, busy: float) -> None:
        """An ask is made now: its size becomes the last size."""
        self.current = self.size(n_starved, busy)
        self._starved_at_ask = n_starved


@dataclass
class RunningCandidate:
    """A candidate whose folds are queued or running."""

    candidate: dict[str, Any]
    iteration: int
    index: int
    results: list[dict | None]
    n_returned: int = 0
    n_lost: dict[int, int] = field(default_factory=dict)


class AsynchronousEvaluation:
    """The state of one asynchronous search; :meth:`run` runs it."""

    def __init__(
        self,
        search: Any,
        evaluate_candidates: Callable[..., dict],
        generator: BaseGenerator,
        state: SearchState,
        observers: Sequence[SearchObserver],
        checkpoint: Checkpoint | None,
        n_workers: int,
        max_retries: int,
        lost_worker_errors: tuple[type[BaseException], ...],
    ) -> None:
        self.search = search
        self.generator = generator
        self.state = state
        self.observers = observers
        self.checkpoint = checkpoint
        self.n_workers = max(int(n_workers), 1)
        self.max_retries = max_retries
        self.lost_worker_errors = lost_worker_errors
        seconds = getattr(search, "fit_timeout", None)
        self.fits = FitTasks(
            evaluate_candidates,
            search,
            limit=None
            if seconds is None
            else (
                lambda function: functools.partial(with_time_limit, function, seconds)
            ),
        )
        self.n_splits = self.fits.n_splits
        self.evaluated = EvaluatedSoFar(evaluate_candidates)
        self.feed = TaskFeed(self.n_workers, keep_alive=self.n_workers > 1)
        self.running: dict[int, RunningCandidate] = {}
        self.stop_reason: str | None = None
        #: ``cv_results_`` as formatted at the end (None before).
        self.results: dict | None = None
        self.exhausted = False
        self.objective: str | None = None
        self._next_id = 0
        recorded = self.evaluated.more_results.get("iteration") or []
        self.next_iteration = max([state.n_batches - 1, *recorded]) + 1
        # While workers are idle (at the start), a few candidates per ask, so
        # that the first fits start while the rest are proposed.
        self.first_asks = max(1, math.ceil(self.n_workers / (8 * self.n_splits)))
        self.ask_size = AskSize(largest=math.ceil(self.n_workers / self.n_splits))
        # Running means of the seconds one candidate's ask takes and of one
        # fit's duration: they size the fits kept ready ahead of the workers.
        self._ask_s: float | None = None
        self._fit_s: float | None = None

    # -- proposing ------------------------------------------------------------
    @property
    def generator_busy(self) -> float:
        """The generator's share of the time at the workers' pace: its
        seconds per candidate times the candidates they use a second."""
        if self._ask_s is None or not self._fit_s:
            return 0.0
        return self._ask_s * self.n_workers / (self.n_splits * self._fit_s)

    def n_ahead(self, chunk: int = 1) -> int:
        """Fits to keep ready beyond one per worker: as many as the workers
        finish, on average, while the generator proposes ``chunk``
        candidates (so a freed worker rarely waits for them), and no more
        (each one is a candidate proposed knowing less)."""
        if self._ask_s is None or not self._fit_s:
            return self.n_splits
        finishing = self.n_workers * self._ask_s * chunk / self._fit_s
        return min(math.ceil(finishing), self.n_workers)

    def _n_to_ask(self) -> int:
        if self.stop_reason or self.exhausted:
            return 0
        outstanding = sum(self.n_splits - r.n_returned for r in self.running.values())
        remaining = self.state.n_iter - self.state.n_evaluated - len(self.running)
        chunk = self.ask_size.size(self.feed.n_starved, self.generator_busy)
        if outstanding < self.n_workers:
            # Idle workers: ask at once.
            wanted = math.ceil(
                (self.n_workers + self.n_ahead(chunk) - outstanding) / self.n_splits
            )
            return max(0, min(wanted, remaining, max(chunk, self.first_asks)))
        # Every worker busy: ask a whole chunk when that many candidates
        # fit beside the fits kept ready (so the queue keeps them).
        ahead = self.n_ahead(chunk)
        capacity = self.n_workers + ahead + (chunk - 1) * self.n_splits
        wanted = math.ceil((capacity - outstanding) / self.n_splits)
        if wanted < min(chunk, remaining):
            return 0
        return max(0, min(wanted, remaining, chunk))

    def fill(self) -> None:
        """Ask for candidates until the workers and the look-ahead are busy."""
        n = self._n_to_ask()
        if n == 0:
            self._close_if_done()
            return
        self.ask_size.asked(self.feed.n_starved, self.generator_busy)
        start = time.perf_counter()
        candidates = self.generator.ask(n)
        if candidates:
            self._ask_s = _running_mean(
                self._ask_s, (time.perf_counter() - start) / len(candidates)
            )
        if not candidates:
            self.exhausted = True
            self._close_if_done()
            return
        tasks = []
        for candidate in candidates:
            cid = self._next_id
            self._next_id += 1
            running = RunningCandidate(
                candidate,
                self.next_iteration,
                self.state.n_evaluated + len(self.running),
                [None] * self.n_splits,
            )
            self.running[cid] = running
            tasks += [self._task(cid, running, split) for split in range(self.n_splits)]
        self.next_iteration += 1
        self.feed.push(tasks)
        running_now = [r.candidate for r in self.running.values()]
        for observer in self.observers:
            observer.on_batch_start(self.state, running_now)
        self._close_if_done()

    def _task(self, cid: int, running: RunningCandidate, split: int) -> tuple:
        progress = (running.index, self.state.n_iter)
        return (cid, split), self.fits.task(
            (cid, split), running.candidate, split, progress
        )

    def _close_if_done(self) -> None:
        remaining = self.state.n_iter - self.state.n_evaluated - len(self.running)
        if self.stop_reason or self.exhausted or remaining <= 0:
            self.feed.close()

    # -- results ----------------------------------------------------------------
    def receive(self, item: Any) -> None:
        """One task's result (a placeholder's is None)."""
        if item is None:
            self.feed.returned(None)
            return
        tag, result = item
        self.feed.returned(tag)
        cid, split = tag
        running = self.running.get(cid)
        if running is None or running.results[split] is not None:
            return
        running.results[split] = result
        running.n_returned += 1
        seconds = result.get("fit_time", 0.0) + result.get("score_time", 0.0)
        self._fit_s = _running_mean(self._fit_s, seconds)
        if running.n_returned == self.n_splits:
            del self.running[cid]
            self._record(running)

    def _record(self, running: RunningCandidate) -> None:
        # Every fold has returned (n_returned == n_splits): no None is left.
        results = [r for r in running.results if r is not None]
        check_candidate_fits(results, self.search)
        self.evaluated.extend(
            [running.candidate], results, {"iteration": [running.iteration]}
        )
        if self.checkpoint is not None:
            self.checkpoint.record(
                [running.candidate], results, {"iteration": [running.iteration]}
            )
        formatted = self._format(running.candidate, results)
        score = self._score(formatted, results)
        objectives = getattr(self.search, "objectives", None)
        if objectives is not None and getattr(self.generator, "multi_objective", False):
            told = generator_objectives(formatted, objectives)
            self.generator.tell([running.candidate], told)
        else:
            self.generator.tell([running.candidate], [score])
        self.state.record_batch([running.candidate], [score])
        reasons = [observer.on_batch(self.state) for observer in self.observers]
        reason = next((r for r in reasons if r), None)
        if reason:
            self.stop(reason)
        elif self.state.n_evaluated >= self.state.n_iter:
            self.feed.close()

    def _format(self, candidate: dict, results: list[dict]) -> dict:
        """The candidate's row of ``cv_results_``, as scikit-learn formats it."""
        with silence_per_batch_non_finite_warnings():
            return self.search._format_results([candidate], self.n_splits, results, {})

    def _score(self, formatted: dict, results: list[dict]) -> float:
        """The candidate's objective, as ``cv_results_`` will hold it."""
        fitted = any(r["fit_error"] is None for r in results)
        if self.objective is None and fitted:
            self.objective = objective_key(formatted, self.search.refit)
            self.state.objective = self.objective
        key = self.objective or self.state.objective
        if key in formatted:
            return float(formatted[key][0])
        error_score = self.search.error_score
        return float(error_score) if not isinstance(error_score, str) else math.nan

    def stop(self, reason: str) -> None:
        """Ask nothing more; finish the candidates already started."""
        self.stop_reason = reason
        unstarted = {
            cid
            for cid, running in self.running.items()
            if running.n_returned == 0 and not self.feed.in_flight(cid)
        }
        self.feed.withdraw(unstarted)
        for cid in unstarted:
            del self.running[cid]
        self.feed.close()

    # -- the joblib call --------------------------------------------------------
    def run(self) -> None:
        """Evaluate until ``n_iter``, a stop or the space's end."""
        parallel = joblib.Parallel(
            n_jobs=self.search.n_jobs,
            return_as="generator_unordered",
            batch_size=1,
            pre_dispatch="n_jobs",
        )
        try:
            with parallel:
                self.fill()
                while self.running:
                    self.feed.restart()
                    try:
                        for item in parallel(self.feed):
                            self.receive(item)
                            self.fill()
                    except self.lost_worker_errors as exc:
                        self._run_lost_fits_again(exc)
                    else:
                        if self.running and not len(self.feed):
                            self._run_lost_fits_again(None)
        finally:
            if self.evaluated.out:
                with silence_per_batch_non_finite_warnings():
                    self.results = self.evaluated.format(self.search, self.n_splits)

    def _run_lost_fits_again(self, exc: BaseException | None) -> None:
        """Queue again the fits joblib held when its call ended: all of them
        after an error (joblib aborts the call), else the ones that never
        came back."""
        lost = [tag for tag in self.feed.lost() if tag[0] in self.running]
        if not lost and exc is None:
            raise RuntimeError(
                "The asynchronous evaluation ended with candidates whose fits "
                "neither returned nor were lost; please report this to skhyper."
            )
        for cid, split in lost:
            running = self.running[cid]
            running.n_lost[split] = running.n_lost.get(split, 0) + 1
            if running.n_lost[split] > self.max_retries:
                if exc is not None:
                    raise exc
                raise RuntimeError(
                    f"The fits of candidate {running.candidate!r} were lost "
                    f"{running.n_lost[split]} times."
                )
        if lost:
            why = "" if exc is None else f" ({type(exc).__name__}: {exc})"
            warnings.warn(
                f"A parallel worker was lost{why}; the {len(lost)} fits it "
                "held are evaluated again.",
                RuntimeWarning,
                stacklevel=4,
            )
        self.feed.push(
            [self._task(cid, self.running[cid], split) for cid, split in lost],
            front=True,
        )

    @property
    def n_iterations(self) -> int:
        """Iterations (asks) whose candidates were evaluated, resumed ones included."""
        iterations = self.evaluated.more_results.get("iteration") or [-1]
        return int(max(iterations)) + 1


def _running_mean(mean: float | None, value: float, weight: float = 0.1) -> float:
    """An exponentially weighted mean."""
    return value if mean is None else (1 - weight) * mean + weight * value


def run_asynchronously(
    search: Any,
    evaluate_candidates: Callable[..., dict],
    generator: BaseGenerator,
    state: SearchState,
    observers: Sequence[SearchObserver],
    checkpoint: Checkpoint | None,
    n_workers: int,
    **options: Any,
) -> tuple[str, dict | None, int]:
    """Evaluate candidates asynchronously; returns why it stopped, the
    formatted results and the number of iterations (asks) run."""
    evaluation = AsynchronousEvaluation(
        search,
        evaluate_candidates,
        generator,
        state,
        observers,
        checkpoint,
        n_workers,
        **options,
    )
    evaluation.run()
    if evaluation.stop_reason:
        reason = evaluation.stop_reason
    elif state.n_evaluated >= state.n_iter:
        reason = f"n_iter={state.n_iter} candidates evaluated"
    else:
        reason = "the search space is exhausted"
    return reason, evaluation.results, evaluation.n_iterations


#: With ``asynchronous="auto"``, an adaptive generator is run asynchronously
#: from this many parallel workers on (see the docs' parallel page for the
#: measurements behind it).
AUTO_MIN_WORKERS = 8


def asynchronous_blockers(
    generator: BaseGenerator, batch_size: int | None, search: Any
) -> list[str]:
    """Why this search cannot run asynchronously (empty if it can)."""
    reasons = []
    if getattr(generator, "preferred_batch_size", None) is not None:
        reasons.append(
            f"{type(generator).__name__} proposes in batches of its own "
            "(preferred_batch_size)"
        )
    if batch_size is not None:
        reasons.append(f"batch_size={batch_size} asks for batches")
    if _joblib_version() < (1, 4):
        reasons.append(
            f"joblib {joblib.__version__} cannot return results as they come "
            "(joblib >= 1.4 can)"
        )
    else:
        from joblib.parallel import get_active_backend

        backend, _ = get_active_backend()
        if not getattr(backend, "supports_return_generator", False):
            reasons.append(
                f"the joblib backend {type(backend).__name__} cannot return "
                "results as they come"
            )
    if getattr(search.estimator, "_skl_callbacks", None):
        reasons.append("scikit-learn callbacks (set_callbacks) follow batches")
    return reasons


def use_asynchronous(
    requested: bool | str,
    generator: BaseGenerator,
    batch_size: int | None,
    n_workers: int,
    search: Any,
) -> bool:
    """Resolve the ``asynchronous`` parameter of a search.

    Raises
    ------
    ValueError
        If ``asynchronous=True`` and the search cannot run that way.
    """
    blockers = asynchronous_blockers(generator, batch_size, search)
    if requested == "auto":
        return not blockers and generator.uses_scores and n_workers >= AUTO_MIN_WORKERS
    if requested and blockers:
        raise ValueError(
            "asynchronous=True is not possible here: "
            + "; ".join(blockers)
            + ". Pass asynchronous=False or 'auto'."
        )
    return bool(requested)


def _joblib_version() -> tuple[int, ...]:
    parts = []
    for part in joblib.__version__.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)

"""Gradient ascent on the score, with finite differences in the unit cube."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from skhyper.generators._gradient_state import Job, Phase, Record, Slot, present
from skhyper.generators._gradient_stencil import GradientSteps
from skhyper.generators._gradient_steps import OrderedAxes
from skhyper.generators._random import SobolGenerator

__all__ = ["GradientGenerator"]

# _propose gives up (and the generator is exhausted) after this many steps
# resolved from known scores without a new candidate.
_MAX_SILENT_STEPS = 10_000
# Points that may start a gradient phase: not those on a descent path.
_START_ROLES = ("design", "external", "restart")


class GradientGenerator(GradientSteps):
    """Gradient ascent on the cross-validated score.

    The search runs in the unit cube of the priors (``u`` in ``[0, 1]`` per
    dimension, so log-scaled for ``log=True`` and quantiles for
    distributions). A phase starts from the best point seen; when its
    sub-space has categorical dimensions, it first tries every other choice
    of each at that point (a coordinate step, as in 3.) and moves to the
    best, so the ascent never commits to the start point's choices unseen.
    Then it repeats:

    1. *Gradient*: a finite-difference stencil around the current point, one
       point per ordered dimension (``"forward"``) or two (``"central"``),
       asked as one batch so ``n_jobs`` workers evaluate it in parallel.
       ``"auto"`` takes forward differences (half the cost), adds the other
       side of a difference that reads zero (a plateau of a step-function
       score), and takes central ones for the rest of the phase once a
       line search along a forward gradient fails (near the optimum, where
       the ``O(fd_step)`` error of forward differences would stop it short).
       Under a search every candidate sees the same CV folds (the search
       rejects a shuffling splitter without a seed), so differences are not
       drowned in fold noise.
    2. *Line search* along a direction: the gradient scaled to length
       ``step_``, or, once two gradients are known, the quasi-Newton step
       ``H g`` where ``H`` is the BFGS estimate of the inverse Hessian
       (which follows curved valleys, as between ``C`` and ``gamma`` of an
       SVC, where steepest ascent zig-zags). Gradient components pushing out
       of the bounds are dropped and trial points are clipped to the cube.
       The full step is tried first (and ``step_growth`` and
       ``step_shrink**k`` times it when a batch has room for more points).
       When the longest trial wins, the line is extended by trials
       ``step_growth**k`` times further, up to ``max_expansions`` times
       before a new gradient (a long flat valley is crossed in a few
       batches instead of one gradient per doubling). A better point is
       accepted, and ``step_`` becomes the accepted length times
       ``step_growth``; otherwise the step shrinks by quadratic
       interpolation (at most by ``step_shrink``, at least to a tenth) and
       is tried again from the same point. A quasi-Newton direction that
       fails down to ``tol``, or that is shorter than ``tol`` to begin with
       (a curvature estimate from one short step can be far off), falls
       back to the gradient once.
    3. When the step falls below ``tol`` (or the gradient is zero), each
       ``Categorical`` dimension is revisited by a coordinate step: every
       other choice at the current point. A better one restarts the phase
       there; otherwise the point is a local optimum, and a new phase starts
       from the best design, user-given or restart point that is not within
       ``restart_radius`` of a local optimum found before (a new Sobol point
       when there is none).

    ``Real`` dimensions move continuously; ``Integer`` and discrete
    distributions snap to values and move by at least one value (in the
    stencil and when a line step would not change any value). Lists, even
    of numbers, are categorical: held at their value during a gradient
    phase. With several sub-spaces (a list of dicts) a phase runs in the
    sub-space of its start point; the others are reached by design and
    restart points.

    The first candidates are the centre of each sub-space's cube (the prior
    medians), then Sobol points, ``n_initial_points`` in all; user-given
    ``initial_points`` count towards them, so
    ``initial_points=[earlier_search.best_params_]`` polishes an earlier
    search's best point.

    Scores are never asked twice: a stencil or step point equal to one
    already evaluated (an integer step back onto a known value) takes the
    known score. A failed fit (NaN) counts as the worst score seen.

    Parameters
    ----------
    quasi_newton : bool, default=True
        Use BFGS directions; ``False`` is steepest ascent.
    difference : {"auto", "forward", "central"}, default="auto"
        Finite differences with ``d`` new points per gradient, or ``2 d``
        (more accurate, twice the cost); ``"auto"`` switches from the first
        to the second as described above.
    fd_step : float, default=0.01
        Finite-difference step in unit coordinates (a hundredth of a
        dimension's range); discrete dimensions step by at least one value.
    step_size : float, default=0.1
        First line-search step of a phase (Euclidean length in unit
        coordinates).
    step_growth : float, default=2.0
        Factor applied to an accepted step for the next line search.
    step_shrink : float, default=0.5
        Largest factor applied to a rejected step (quadratic interpolation
        can shrink it to a tenth).
    tol : float, default=1e-3
        A phase stops when its step falls below ``tol``.
    n_initial_points : int or None, default=None
        Candidates before the first phase (sub-space centres, then Sobol
        points), user-given ``initial_points`` included; ``None`` means one
        per sub-space.
    restart_radius : float, default=0.1
        A point within this Euclidean distance (unit coordinates) of a local
        optimum found earlier does not start a new phase.
    max_restarts : int or None, default=None
        Phases after the first; the generator is exhausted after the last
        one converges. ``None``: no limit (the budget ends the search).
    max_expansions : int, default=2
        How many times a line search whose longest trial won is extended
        before the next gradient (0: never).

    Attributes
    ----------
    gradient_ : ndarray or None
        The last gradient estimate, per unit coordinate of the current
        sub-space (zeros on categorical coordinates).
    step_ : float
        The current line-search step.
    n_phases_ : int
        Phases started so far (restarts + 1).
    local_optima_ : list of (dict, float)
        The point and score where each finished phase stopped.
    preferred_batch_size : int
        Points of one gradient stencil in the largest sub-space; the search
        asks batches of this size when ``batch_size`` is not given.
    """

    uses_scores = True

    def __init__(
        self,
        *,
        quasi_newton: bool = True,
        difference: str = "auto",
        fd_step: float = 0.01,
        step_size: float = 0.1,
        step_growth: float = 2.0,
        step_shrink: float = 0.5,
        tol: float = 1e-3,
        n_initial_points: int | None = None,
        restart_radius: float = 0.1,
        max_restarts: int | None = None,
        max_expansions: int = 2,
    ) -> None:
        self.quasi_newton = quasi_newton
        self.difference = difference
        self.fd_step = fd_step
        self.step_size = step_size
        self.step_growth = step_growth
        self.step_shrink = step_shrink
        self.tol = tol
        self.n_initial_points = n_initial_points
        self.restart_radius = restart_radius
        self.max_restarts = max_restarts
        self.max_expansions = max_expansions

    # -- set-up ---------------------------------------------------------------
    def _start(self) -> None:
        self._validate()
        self._axes = [OrderedAxes(s) for s in self.space_]
        self.n_initial_points_ = (
            len(self.space_)
            if self.n_initial_points is None
            else int(self.n_initial_points)
        )
        self._sobol = SobolGenerator().start(
            self.space_, random_state=self.random_state_.randint(2**31)
        )
        self._known: dict[tuple, float] = {}
        self._records: list[Record] = []
        self._started_from: set[tuple] = set()
        self._job: Job | None = None
        self._phase: Phase | None = None
        self._done = False
        self.gradient_: np.ndarray | None = None
        self.step_ = float(self.step_size)
        self.n_phases_ = 0
        self.local_optima_: list[tuple[dict[str, Any], float]] = []

    def _validate(self) -> None:
        if self.difference not in ("auto", "forward", "central"):
            raise ValueError(
                "difference must be 'auto', 'forward' or 'central', got "
                f"{self.difference!r}."
            )
        for name, low, high in (
            ("fd_step", 0.0, 0.5),
            ("step_size", 0.0, math.inf),
            ("tol", 0.0, math.inf),
            ("restart_radius", 0.0, math.inf),
        ):
            value = getattr(self, name)
            if not isinstance(value, numbers.Real) or not low < float(value) <= high:
                raise ValueError(f"{name} must be in ({low}, {high}], got {value!r}.")
        if not isinstance(self.step_growth, numbers.Real) or self.step_growth < 1:
            raise ValueError(f"step_growth must be >= 1, got {self.step_growth!r}.")
        if not isinstance(self.step_shrink, numbers.Real) or not (
            0.1 <= self.step_shrink < 1
        ):
            raise ValueError(
                f"step_shrink must be in [0.1, 1), got {self.step_shrink!r}."
            )
        if not isinstance(self.max_expansions, numbers.Integral) or (
            self.max_expansions < 0
        ):
            raise ValueError(
                f"max_expansions must be an integer >= 0, got {self.max_expansions!r}."
            )
        for name, low in (("n_initial_points", 1), ("max_restarts", 0)):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, numbers.Integral) or value < low
            ):
                raise ValueError(
                    f"{name} must be None or an integer >= {low}, got {value!r}."
                )

    @property
    def preferred_batch_size(self) -> int:
        """Points of one gradient stencil (the largest sub-space's)."""
        self._check_started()
        width = max(len(a.columns) for a in self._axes)
        return max(1, width * (2 if self.difference == "central" else 1))

    # -- the protocol hooks ---------------------------------------------------
    def _propose(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        out: list[tuple[int, dict[str, Any]]] = []
        for _ in range(_MAX_SILENT_STEPS):
            if len(out) >= n or self._done:
                return out
            if self._job is None or self._job.done:
                if self._waiting():
                    return out
                self._advance(n - len(out))
                continue
            free = [
                s for s in self._job.slots.values() if s.score is None and not s.handed
            ]
            if not free:
                return out  # the rest of the job is being evaluated
            for slot in free[: n - len(out)]:
                slot.handed = True
                out.append((slot.index, slot.candidate))
        self._done = True
        return out

    def _observe(self, candidates: list[dict[str, Any]], scores: np.ndarray) -> None:
        for candidate, score in zip(candidates, scores, strict=True):
            key = self.space_.key(candidate)
            self._known[key] = float(score)
            slot = None if self._job is None else self._job.slots.get(key)
            if slot is not None:
                slot.score = float(score)
            index = key[0]
            self._records.append(
                Record(
                    index,
                    self.space_[index].to_unit([candidate])[0],
                    float(score),
                    present(self._job).kind if slot is not None else "external",
                    key,
                )
            )

    def _is_exhausted(self) -> bool:
        return self._done

    # -- jobs -----------------------------------------------------------------
    def _advance(self, n_free: int) -> None:
        job, self._job = self._job, None
        if job is None:
            self._job = self._design_job()
        elif job.kind in ("design", "restart"):
            self._start_phase()
        elif job.kind == "stencil":
            self._after_stencil(job, n_free)
        elif job.kind == "line":
            self._after_line(job, n_free)
        else:
            self._after_coordinates(job)

    def _design_job(self) -> Job:
        seen = len(self._asked_keys | self._known.keys())
        job = Job("design")
        wanted = self.n_initial_points_ - seen
        centres = [s.from_unit(np.full((1, s.n_dims), 0.5))[0] for s in self.space_]
        while len(job.slots) < wanted:
            candidate = centres.pop(0) if centres else self._draw()
            if candidate is None:
                break
            key = self.space_.key(candidate)
            if self._is_new(key) and key not in job.slots:
                u = self.space_[key[0]].to_unit([candidate])[0]
                job.slots[key] = Slot(key[0], candidate, key, u)
        return job

    def _draw(self) -> dict[str, Any] | None:
        """A Sobol point not evaluated yet (None when none is found)."""
        for _ in range(100):
            if self._sobol.exhausted:
                break
            (candidate,) = self._sobol.ask(1)
            if self._is_new(self.space_.key(candidate)):
                return candidate
        return None

    # -- phases ---------------------------------------------------------------
    def _start_phase(self) -> None:
        if self.max_restarts is not None and self.n_phases_ > self.max_restarts:
            self._done = True
            return
        start = self._best_start()
        if start is None:
            candidate = self._draw()
            if candidate is None:
                self._done = True
                return
            index = self.space_.locate(candidate)
            u = self.space_[index].to_unit([candidate])[0]
            self._job = self._job_of("restart", index, [u])
            return
        self.n_phases_ += 1
        self._started_from.add(start.key)
        self.step_ = float(self.step_size)
        self._phase = Phase(start.index, start.u.copy(), start.score, start.key)
        if self._has_choices():
            # Compare the categorical choices before the ascent commits to
            # the start point's: a gradient phase never changes them.
            self._job = self._coordinate_job()
            return
        self._phase.opened = True
        self._next_gradient_or_coordinates()

    def _best_start(self) -> Record | None:
        best = None
        for record in self._records:
            if (
                record.role in _START_ROLES
                and math.isfinite(record.score)
                and record.key not in self._started_from
                and not self._near_optimum(record)
                and (best is None or record.score > best.score)
            ):
                best = record
        return best

    def _near_optimum(self, record: Record) -> bool:
        subspace = self.space_[record.index]
        for candidate, _ in self.local_optima_:
            if subspace.matches(candidate):
                u = subspace.to_unit([candidate])[0]
                if np.linalg.norm(u - record.u) <= self.restart_radius:
                    return True
        return False

    def _finish_phase(self) -> None:
        phase = self._current_phase
        self.local_optima_.append((self._candidate(phase.u), phase.score))
        self._phase = None
        self._start_phase()

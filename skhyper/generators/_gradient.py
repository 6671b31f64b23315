"""Gradient ascent on the score, with finite differences in the unit cube."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from skhyper.generators._base import BaseGenerator
from skhyper.generators._gradient_steps import (
    Offset,
    OrderedAxes,
    backtrack_ratio,
    bfgs_update,
    estimate_gradient,
)
from skhyper.generators._random import SobolGenerator

__all__ = ["GradientGenerator"]

# _propose gives up (and the generator is exhausted) after this many steps
# resolved from known scores without a new candidate.
_MAX_SILENT_STEPS = 10_000
# Points that may start a gradient phase: not those on a descent path.
_START_ROLES = ("design", "external", "restart")


@dataclass
class _Slot:
    """A point a job needs; its score comes from a tell or from memory."""

    index: int
    candidate: dict[str, Any]
    key: tuple
    u: np.ndarray
    score: float | None = None
    handed: bool = False


@dataclass
class _Job:
    kind: str  # "design", "restart", "stencil", "line" or "coordinate"
    slots: dict[tuple, _Slot] = field(default_factory=dict)
    info: list = field(default_factory=list)

    @property
    def done(self) -> bool:
        return all(s.score is not None for s in self.slots.values())


@dataclass
class _Record:
    index: int
    u: np.ndarray
    score: float
    role: str
    key: tuple


@dataclass
class _Phase:
    """A local ascent from one start point, in one sub-space."""

    index: int
    u: np.ndarray
    score: float
    key: tuple
    gradient: np.ndarray | None = None
    direction: np.ndarray | None = None
    tau: float = 1.0
    tau0: float = 1.0
    fresh: bool = True
    hessian: np.ndarray | None = None
    previous: tuple[np.ndarray, np.ndarray] | None = None
    # The best trial of a line search that is still being extended.
    line_best: tuple[float, _Slot] | None = None
    n_expansions: int = 0
    # With difference="auto": central differences from now on.
    central: bool = False
    # Whether the categorical choices at the start point were compared yet.
    opened: bool = False


class GradientGenerator(BaseGenerator):
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
        self._records: list[_Record] = []
        self._started_from: set[tuple] = set()
        self._job: _Job | None = None
        self._phase: _Phase | None = None
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
                _Record(
                    index,
                    self.space_[index].to_unit([candidate])[0],
                    float(score),
                    _present(self._job).kind if slot is not None else "external",
                    key,
                )
            )

    def _is_exhausted(self) -> bool:
        return self._done

    # -- jobs -----------------------------------------------------------------
    def _waiting(self) -> bool:
        """Whether asked candidates still wait for their scores."""
        return any(k not in self._known for k in self._asked_keys)

    def _is_new(self, key: tuple) -> bool:
        return key not in self._known and key not in self._asked_keys

    def _job_of(self, kind: str, index: int, points: list[np.ndarray]) -> _Job:
        """A job for unit points of sub-space ``index``; known ones are
        resolved from memory, duplicates merged."""
        job = _Job(kind)
        subspace = self.space_[index]
        for u in points:
            (candidate,) = subspace.from_unit(u[None, :])
            key = self.space_.key(candidate)
            if key not in job.slots:
                u_snapped = subspace.to_unit([candidate])[0]
                slot = _Slot(key[0], candidate, key, u_snapped)
                slot.score = self._known.get(key)
                job.slots[key] = slot
            job.info.append(key)
        return job

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

    def _design_job(self) -> _Job:
        seen = len(self._asked_keys | self._known.keys())
        job = _Job("design")
        wanted = self.n_initial_points_ - seen
        centres = [s.from_unit(np.full((1, s.n_dims), 0.5))[0] for s in self.space_]
        while len(job.slots) < wanted:
            candidate = centres.pop(0) if centres else self._draw()
            if candidate is None:
                break
            key = self.space_.key(candidate)
            if self._is_new(key) and key not in job.slots:
                u = self.space_[key[0]].to_unit([candidate])[0]
                job.slots[key] = _Slot(key[0], candidate, key, u)
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
        self._phase = _Phase(start.index, start.u.copy(), start.score, start.key)
        if self._has_choices():
            # Compare the categorical choices before the ascent commits to
            # the start point's: a gradient phase never changes them.
            self._job = self._coordinate_job()
            return
        self._phase.opened = True
        self._next_gradient_or_coordinates()

    def _best_start(self) -> _Record | None:
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

    def _near_optimum(self, record: _Record) -> bool:
        subspace = self.space_[record.index]
        for candidate, _ in self.local_optima_:
            if subspace.matches(candidate):
                u = subspace.to_unit([candidate])[0]
                if np.linalg.norm(u - record.u) <= self.restart_radius:
                    return True
        return False

    @property
    def _current_phase(self) -> _Phase:
        """The running phase (there is one from the first stencil on)."""
        if self._phase is None:
            raise RuntimeError("GradientGenerator: no phase is running.")
        return self._phase

    def _next_gradient_or_coordinates(self) -> None:
        phase = self._current_phase
        axes = self._axes[phase.index]
        if not axes.columns:
            self._job = self._coordinate_job()
            return
        central = self.difference == "central" or phase.central
        offsets = axes.stencil(phase.u, self.fd_step, central=central)
        self._job = self._job_of("stencil", phase.index, [o.u for o in offsets])
        self._job.info = list(zip(offsets, self._job.info, strict=True))

    def _after_stencil(self, job: _Job, n_free: int) -> None:
        phase = self._current_phase
        axes = self._axes[phase.index]
        offsets: list[Offset] = [o for o, _ in job.info]
        scores = [self._imputed(job.slots[k].score) for _, k in job.info]
        if self.difference == "auto" and self._complete_stencil(offsets, scores):
            return
        raw = estimate_gradient(len(phase.u), phase.score, offsets, scores)
        cols = axes.columns
        if self.quasi_newton and phase.previous is not None:
            u_before, g_before = phase.previous
            phase.hessian = bfgs_update(
                phase.hessian, (phase.u - u_before)[cols], (g_before - raw)[cols]
            )
        phase.previous = (phase.u.copy(), raw)
        gradient = raw.copy()
        for j in cols:
            if gradient[j] and axes.at_bound(phase.u, j, int(np.sign(gradient[j]))):
                gradient[j] = 0.0
        self.gradient_ = gradient
        phase.gradient = gradient
        if not np.any(gradient):
            self._end_gradient_phase()
            return
        phase.direction = self._direction()
        phase.tau = phase.tau0 if phase.hessian is not None else 1.0
        phase.fresh = True
        if phase.tau * np.linalg.norm(phase.direction) < self.tol:
            if phase.hessian is None:
                self._end_gradient_phase()  # a step this short: done
                return
            # The curvature model may be wrong: try the gradient first.
            phase.hessian = None
            self.step_ = max(self.step_, 10 * self.tol)
            phase.direction, phase.tau, phase.tau0 = self._direction(), 1.0, 1.0
        self._line_job(n_free)

    def _complete_stencil(self, offsets: list[Offset], scores: list[float]) -> bool:
        """Add the other side of each one-sided difference that reads zero
        (a plateau, or a step function); True if a stencil job was set."""
        phase = self._current_phase
        axes = self._axes[phase.index]
        sides: dict[int, int] = {}
        for offset in offsets:
            sides[offset.column] = sides.get(offset.column, 0) + 1
        extra = []
        for offset, score in zip(offsets, scores, strict=True):
            if sides[offset.column] == 1 and score == phase.score:
                coordinate = axes.moved(phase.u, offset.column, -offset.delta)
                if coordinate is not None:
                    u = phase.u.copy()
                    u[offset.column] = coordinate
                    delta = float(coordinate - phase.u[offset.column])
                    extra.append(Offset(offset.column, delta, u))
        if not extra:
            return False
        offsets = offsets + extra
        self._job = self._job_of("stencil", phase.index, [o.u for o in offsets])
        self._job.info = list(zip(offsets, self._job.info, strict=True))
        return True

    def _direction(self) -> np.ndarray:
        """The quasi-Newton step ``H g`` on the free columns, or the gradient
        scaled to length ``step_`` (no curvature yet, or no ascent)."""
        phase = self._current_phase
        axes = self._axes[phase.index]
        g = _present(phase.gradient)
        steepest = g * (self.step_ / np.linalg.norm(g))
        if phase.hessian is None:
            return steepest
        cols = np.asarray(axes.columns)
        free = g[cols] != 0
        direction = np.zeros_like(g)
        sub = phase.hessian[np.ix_(free, free)]
        direction[cols[free]] = sub @ g[cols[free]]
        if not float(g @ direction) > 0:
            return steepest
        length = np.linalg.norm(direction)
        return direction * min(1.0, axes.max_step() / length)

    def _line_job(self, n_free: int) -> None:
        phase = self._current_phase
        axes = self._axes[phase.index]
        direction = _present(phase.direction)
        length = np.linalg.norm(direction)
        ladder = [self.step_shrink**k for k in range(max(n_free, 1))]
        if phase.fresh and n_free > 1:
            # A batch with room tries a longer step too.
            ladder = [self.step_growth, *ladder[:-1]]
        taus = [phase.tau * r for r in ladder]
        taus = [t for t in taus if t * length >= self.tol]
        points, used = [], []
        for tau in taus:
            snapped = axes.snap(phase.u + tau * direction)
            u: np.ndarray | None = snapped
            if self.space_.key(self._candidate(snapped)) == phase.key:
                u = self._unit_move(phase.u, direction)
            if u is not None:
                points.append(u)
                used.append(tau)
        if not points:
            self._end_gradient_phase()
            return
        self._job = self._job_of("line", phase.index, points)
        self._job.info = list(zip(used, self._job.info, strict=True))

    def _expansion_job(self, t_best: float, best: _Slot, n_free: int) -> bool:
        """Trials ``step_growth**k`` times further than ``t_best`` along the
        current line (clipped to the cube); False when there is none new."""
        phase = self._current_phase
        if phase.n_expansions >= self.max_expansions:
            return False
        axes = self._axes[phase.index]
        taus = [t_best * self.step_growth**k for k in range(1, max(n_free, 1) + 1)]
        points, used, keys = [], [], {best.key, phase.key}
        for tau in taus:
            u = axes.snap(phase.u + tau * _present(phase.direction))
            key = self.space_.key(self._candidate(u))
            if key not in keys:
                keys.add(key)
                points.append(u)
                used.append(tau)
        if not points:
            return False
        phase.line_best = (t_best, best)
        phase.n_expansions += 1
        self._job = self._job_of("line", phase.index, points)
        self._job.info = list(zip(used, self._job.info, strict=True))
        return True

    def _unit_move(self, u: np.ndarray, direction: np.ndarray) -> np.ndarray | None:
        """Move the discrete coordinate that the direction favours most by
        one value, when a step is too short to change any value."""
        axes = self._axes[self._current_phase.index]
        for j in sorted(axes.discrete, key=lambda j: -abs(direction[j])):
            if direction[j]:
                coordinate = axes.neighbour(u, j, int(np.sign(direction[j])))
                if coordinate is not None:
                    moved = u.copy()
                    moved[j] = coordinate
                    return moved
        return None

    def _after_line(self, job: _Job, n_free: int) -> None:
        phase = self._current_phase
        axes = self._axes[phase.index]
        length = float(np.linalg.norm(_present(phase.direction)))
        trials = [(t, job.slots[k]) for t, k in job.info]
        tried = trials if phase.line_best is None else [*trials, phase.line_best]
        t_best, best = max(tried, key=lambda ts: self._imputed(ts[1].score, -math.inf))
        improved = self._imputed(best.score, -math.inf) > phase.score
        longest = t_best == max(t for t, _ in tried)
        if improved and longest and (phase.fresh or phase.line_best is not None):
            # The longest step won: look further along the same line.
            if self._expansion_job(t_best, best, n_free):
                return
        phase.line_best, phase.n_expansions = None, 0
        if improved:
            if phase.hessian is None:
                growth = self.step_growth if longest else 1.0
                self.step_ = min(t_best * length * growth, axes.max_step())
            else:
                # Keep a step longer than the model's if that is what worked.
                self.step_ = min(t_best * length, axes.max_step())
                phase.tau0 = max(1.0, t_best)
            phase.u, phase.score = best.u.copy(), _present(best.score)
            phase.key = best.key
            self._next_gradient_or_coordinates()
            return
        t_short, short = trials[-1]
        slope = float(phase.gradient @ (short.u - phase.u))
        f_trial = self._imputed(short.score, -math.inf)
        phase.fresh = False
        phase.tau = t_short * backtrack_ratio(
            slope, phase.score, f_trial, self.step_shrink
        )
        if phase.tau * length >= self.tol:
            self._line_job(n_free)
        elif self.difference == "auto" and not phase.central:
            # A forward gradient may be too coarse near the optimum: take
            # central differences from here on before giving up.
            phase.central = True
            phase.hessian = phase.previous = None
            phase.tau0 = 1.0
            self._next_gradient_or_coordinates()
        elif phase.hessian is not None:
            # The curvature model may be wrong: retry along the gradient.
            phase.hessian = None
            self.step_ = max(self.step_, 10 * self.tol)
            phase.direction, phase.tau, phase.tau0 = self._direction(), 1.0, 1.0
            self._line_job(n_free)
        else:
            self._end_gradient_phase()

    def _has_choices(self) -> bool:
        axes = self._axes[self._current_phase.index]
        return any(axes.dims[j].size > 1 for j in axes.categorical)

    def _end_gradient_phase(self) -> None:
        if self._has_choices():
            self._job = self._coordinate_job()
        else:
            self._finish_phase()

    def _coordinate_job(self) -> _Job:
        phase = self._current_phase
        axes = self._axes[phase.index]
        points = []
        for j in axes.categorical:
            dim = axes.dims[j]
            for coordinate in dim.to_unit(dim.grid(1)):
                if coordinate != phase.u[j]:
                    u = phase.u.copy()
                    u[j] = coordinate
                    points.append(u)
        return self._job_of("coordinate", phase.index, points)

    def _after_coordinates(self, job: _Job) -> None:
        phase = self._current_phase
        best = max(
            job.slots.values(),
            key=lambda s: self._imputed(s.score, -math.inf),
            default=None,
        )
        if best is not None and self._imputed(best.score, -math.inf) > phase.score:
            phase.u, phase.score = best.u.copy(), _present(best.score)
            phase.key = best.key
            phase.hessian = phase.previous = None
            phase.tau0 = 1.0
            self.step_ = float(self.step_size)
            phase.opened = True
            self._next_gradient_or_coordinates()
            return
        if not phase.opened:
            # The start point's choices are the best: ascend from there.
            phase.opened = True
            if self._axes[phase.index].columns:
                self._next_gradient_or_coordinates()
                return
        self._finish_phase()

    def _finish_phase(self) -> None:
        phase = self._current_phase
        self.local_optima_.append((self._candidate(phase.u), phase.score))
        self._phase = None
        self._start_phase()

    # -- helpers --------------------------------------------------------------
    def _candidate(self, u: np.ndarray) -> dict[str, Any]:
        return self.space_[self._current_phase.index].from_unit(u[None, :])[0]

    def _imputed(self, score: float | None, default: float | None = None) -> float:
        """A NaN score as the worst finite score seen (or ``default``)."""
        if score is not None and not math.isnan(score):
            return min(max(score, -np.finfo(float).max), np.finfo(float).max)
        if default is not None:
            return default
        finite = [s for s in self._known.values() if math.isfinite(s)]
        return min(finite) if finite else 0.0


_T = TypeVar("_T")


def _present(value: _T | None) -> _T:
    """``value``, which the phase's state guarantees is set by now."""
    if value is None:
        raise RuntimeError("GradientGenerator: a step ran before its inputs.")
    return value

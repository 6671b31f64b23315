"""Phases of the gradient generator: start, gradient stencil, coordinate
steps over categorical choices, end (the line search is in
:mod:`._gradient_line`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from skhyper.generators._gradient_jobs import START_ROLES, Job, Phase, Record
from skhyper.generators._gradient_steps import Offset, bfgs_update, estimate_gradient

__all__ = ["PhaseMixin"]


class PhaseMixin:
    """The phase logic of :class:`GradientGenerator` (state lives there)."""

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
                record.role in START_ROLES
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

    def _next_gradient_or_coordinates(self) -> None:
        phase = self._phase
        axes = self._axes[phase.index]
        if not axes.columns:
            self._job = self._coordinate_job()
            return
        central = self.difference == "central" or phase.central
        offsets = axes.stencil(phase.u, self.fd_step, central=central)
        self._job = self._job_of("stencil", phase.index, [o.u for o in offsets])
        self._job.info = list(zip(offsets, self._job.info, strict=True))

    def _after_stencil(self, job: Job, n_free: int) -> None:
        phase = self._phase
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
        phase = self._phase
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

    def _has_choices(self) -> bool:
        axes = self._axes[self._phase.index]
        return any(axes.dims[j].size > 1 for j in axes.categorical)

    def _end_gradient_phase(self) -> None:
        if self._has_choices():
            self._job = self._coordinate_job()
        else:
            self._finish_phase()

    def _coordinate_job(self) -> Job:
        phase = self._phase
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

    def _after_coordinates(self, job: Job) -> None:
        phase = self._phase
        best = max(
            job.slots.values(),
            key=lambda s: self._imputed(s.score, -math.inf),
            default=None,
        )
        if best is not None and self._imputed(best.score, -math.inf) > phase.score:
            phase.u, phase.score, phase.key = best.u.copy(), best.score, best.key
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
        phase = self._phase
        self.local_optima_.append((self._candidate(phase.u), phase.score))
        self._phase = None
        self._start_phase()

    # -- helpers --------------------------------------------------------------
    def _candidate(self, u: np.ndarray) -> dict[str, Any]:
        return self.space_[self._phase.index].from_unit(u[None, :])[0]

    def _imputed(self, score: float | None, default: float | None = None) -> float:
        """A NaN score as the worst finite score seen (or ``default``)."""
        if score is not None and not math.isnan(score):
            return min(max(score, -np.finfo(float).max), np.finfo(float).max)
        if default is not None:
            return default
        finite = [s for s in self._known.values() if math.isfinite(s)]
        return min(finite) if finite else 0.0

"""Finite-difference gradients of a gradient phase."""

from __future__ import annotations

import numpy as np

from skhyper.generators._gradient_line import LineSearch
from skhyper.generators._gradient_state import Job
from skhyper.generators._gradient_steps import Offset, bfgs_update, estimate_gradient

__all__ = ["GradientSteps"]


class GradientSteps(LineSearch):
    """A stencil around the current point, the gradient it estimates and the
    BFGS update, then a line search along the new direction."""

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

    def _after_stencil(self, job: Job, n_free: int) -> None:
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

"""The line search of a gradient phase: direction, trials, expansion and
backtracking."""

from __future__ import annotations

import math

import numpy as np

from skhyper.generators._gradient_choices import ChoiceSteps
from skhyper.generators._gradient_state import Job, Slot, present
from skhyper.generators._gradient_steps import backtrack_ratio

__all__ = ["LineSearch"]


class LineSearch(ChoiceSteps):
    """Trials along the (quasi-Newton) direction from the current point."""

    def _direction(self) -> np.ndarray:
        """The quasi-Newton step ``H g`` on the free columns, or the gradient
        scaled to length ``step_`` (no curvature yet, or no ascent)."""
        phase = self._current_phase
        axes = self._axes[phase.index]
        g = present(phase.gradient)
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
        direction = present(phase.direction)
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

    def _expansion_job(self, t_best: float, best: Slot, n_free: int) -> bool:
        """Trials ``step_growth**k`` times further than ``t_best`` along the
        current line (clipped to the cube); False when there is none new."""
        phase = self._current_phase
        if phase.n_expansions >= self.max_expansions:
            return False
        axes = self._axes[phase.index]
        taus = [t_best * self.step_growth**k for k in range(1, max(n_free, 1) + 1)]
        points, used, keys = [], [], {best.key, phase.key}
        for tau in taus:
            u = axes.snap(phase.u + tau * present(phase.direction))
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

    def _after_line(self, job: Job, n_free: int) -> None:
        phase = self._current_phase
        axes = self._axes[phase.index]
        length = float(np.linalg.norm(present(phase.direction)))
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
            phase.u, phase.score = best.u.copy(), present(best.score)
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

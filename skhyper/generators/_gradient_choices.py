"""Coordinate steps over the categorical choices of a gradient search."""

from __future__ import annotations

import math

from skhyper.generators._gradient_state import GradientState, Job, present

__all__ = ["ChoiceSteps"]


class ChoiceSteps(GradientState):
    """Every other choice of each ``Categorical`` dimension at the current
    point: when a phase starts, and when its ascent has converged."""

    def _has_choices(self) -> bool:
        axes = self._axes[self._current_phase.index]
        return any(axes.dims[j].size > 1 for j in axes.categorical)

    def _end_gradient_phase(self) -> None:
        if self._has_choices():
            self._job = self._coordinate_job()
        else:
            self._finish_phase()

    def _coordinate_job(self) -> Job:
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

    def _after_coordinates(self, job: Job) -> None:
        phase = self._current_phase
        best = max(
            job.slots.values(),
            key=lambda s: self._imputed(s.score, -math.inf),
            default=None,
        )
        if best is not None and self._imputed(best.score, -math.inf) > phase.score:
            phase.u, phase.score = best.u.copy(), present(best.score)
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

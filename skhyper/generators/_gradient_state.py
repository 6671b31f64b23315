"""The state a gradient search keeps between asks: its jobs, records and phase.

A *job* is a set of points the search needs scored before it can take its
next step (the initial design, a restart point, a finite-difference stencil,
the trials of a line search, a coordinate step over categorical choices); a
*phase* is one local ascent. The steps themselves live in
``_gradient_stencil.py``, ``_gradient_line.py`` and ``_gradient_choices.py``,
and :class:`~skhyper.GradientGenerator` ties them together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from skhyper.generators._base import BaseGenerator
from skhyper.generators._gradient_steps import OrderedAxes

__all__ = ["GradientState", "Job", "Phase", "Record", "Slot", "present"]


@dataclass
class Slot:
    """A point a job needs; its score comes from a tell or from memory."""

    index: int
    candidate: dict[str, Any]
    key: tuple
    u: np.ndarray
    score: float | None = None
    handed: bool = False


@dataclass
class Job:
    kind: str  # "design", "restart", "stencil", "line" or "coordinate"
    slots: dict[tuple, Slot] = field(default_factory=dict)
    info: list = field(default_factory=list)

    @property
    def done(self) -> bool:
        return all(s.score is not None for s in self.slots.values())


@dataclass
class Record:
    index: int
    u: np.ndarray
    score: float
    role: str
    key: tuple


@dataclass
class Phase:
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
    line_best: tuple[float, Slot] | None = None
    n_expansions: int = 0
    # With difference="auto": central differences from now on.
    central: bool = False
    # Whether the categorical choices at the start point were compared yet.
    opened: bool = False


class GradientState(BaseGenerator):
    """What every step of a gradient search reads and writes."""

    _axes: list[OrderedAxes]
    _known: dict[tuple, float]
    _records: list[Record]
    _job: Job | None
    _phase: Phase | None
    _done: bool
    step_: float
    gradient_: np.ndarray | None
    quasi_newton: bool
    difference: str
    fd_step: float
    step_size: float
    step_growth: float
    step_shrink: float
    tol: float
    max_expansions: int

    @property
    def _current_phase(self) -> Phase:
        """The running phase (there is one from the first stencil on)."""
        if self._phase is None:
            raise RuntimeError("GradientGenerator: no phase is running.")
        return self._phase

    def _waiting(self) -> bool:
        """Whether asked candidates still wait for their scores."""
        return any(k not in self._known for k in self._asked_keys)

    def _is_new(self, key: tuple) -> bool:
        return key not in self._known and key not in self._asked_keys

    def _job_of(self, kind: str, index: int, points: list[np.ndarray]) -> Job:
        """A job for unit points of sub-space ``index``; known ones are
        resolved from memory, duplicates merged."""
        job = Job(kind)
        subspace = self.space_[index]
        for u in points:
            (candidate,) = subspace.from_unit(u[None, :])
            key = self.space_.key(candidate)
            if key not in job.slots:
                u_snapped = subspace.to_unit([candidate])[0]
                slot = Slot(key[0], candidate, key, u_snapped)
                slot.score = self._known.get(key)
                job.slots[key] = slot
            job.info.append(key)
        return job

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

    # Transitions that the classes built on this one define.
    def _next_gradient_or_coordinates(self) -> None:
        raise NotImplementedError

    def _finish_phase(self) -> None:
        raise NotImplementedError


_T = TypeVar("_T")


def present(value: _T | None) -> _T:
    """``value``, which the phase's state guarantees is set by now."""
    if value is None:
        raise RuntimeError("GradientGenerator: a step ran before its inputs.")
    return value

"""State of the gradient generator: the points a job needs, the phases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["MAX_SILENT_STEPS", "START_ROLES", "Job", "Phase", "Record", "Slot"]

# _propose gives up (and the generator is exhausted) after this many steps
# resolved from known scores without a new candidate.
MAX_SILENT_STEPS = 10_000
# Points that may start a gradient phase: not those on a descent path.
START_ROLES = ("design", "external", "restart")


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

"""What the model-based generators share: Sobol points first, and the
encodings of candidates asked and not told yet."""

from __future__ import annotations

from typing import Any

import numpy as np

from skhyper.generators._base import BaseGenerator
from skhyper.generators._encoding import SubSpaceEncoder
from skhyper.generators._random import SobolGenerator

__all__ = ["SobolStartedGenerator"]


class SobolStartedGenerator(BaseGenerator):
    """Base of generators that propose scrambled Sobol points until their
    models take over, and keep every pending candidate's encoding per
    sub-space (so models and acquisition optimizers can account for them).

    Subclasses set ``n_initial_points_``, ``_initial``, ``_encoders`` and
    ``_pending`` in ``_start``.
    """

    n_initial_points_: int
    _initial: SobolGenerator
    _encoders: list[SubSpaceEncoder]
    _pending: list[dict[tuple, np.ndarray]]

    @property
    def n_design_left(self) -> int:
        """Candidates still to come from the initial Sobol design before the
        models propose (the design ignores scores, so a search may ask for
        them all at once)."""
        self._check_started()
        # Points told without being asked (a warm start) count as design too.
        n_seen = max(self.n_asked_, len(self.scores_))
        return max(0, self.n_initial_points_ - n_seen)

    def _propose_initial(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        """Up to ``n`` Sobol points (fewer once the sequence is exhausted)."""
        proposals = []
        for candidate in self._initial.ask(n) if not self._initial.exhausted else []:
            index = self.space_.locate(candidate)
            self._mark_pending(index, candidate)
            proposals.append((index, candidate))
        return proposals

    def _mark_pending(self, index: int, candidate: dict[str, Any]) -> None:
        key = self.space_.key(candidate, index)
        self._pending[index][key] = self._encoders[index].encode([candidate])[0]

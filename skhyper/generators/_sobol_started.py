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

    Subclasses set ``_initial``, ``_encoders`` and ``_pending`` in ``_start``.
    """

    _initial: SobolGenerator
    _encoders: list[SubSpaceEncoder]
    _pending: list[dict[tuple, np.ndarray]]

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

"""Ready-made callbacks that stop a search early."""

from __future__ import annotations

from dataclasses import dataclass

from skhyper.search._state import SearchState

__all__ = ["NoImprovement", "TargetScore"]


@dataclass(frozen=True)
class NoImprovement:
    """Stop when the best score has not improved for ``n_batches`` batches.

    Parameters
    ----------
    n_batches : int, default=5
        Number of consecutive batches without improvement that stops the
        search.
    min_delta : float, default=0.0
        An improvement counts only if the best score rises by more than
        this.

    Examples
    --------
    >>> from skhyper import BayesSearchCV, NoImprovement
    >>> # BayesSearchCV(est, space, callbacks=[NoImprovement(n_batches=10)])
    """

    n_batches: int = 5
    min_delta: float = 0.0

    def __post_init__(self) -> None:
        if int(self.n_batches) != self.n_batches or self.n_batches < 1:
            raise ValueError(f"n_batches must be an int >= 1, got {self.n_batches!r}.")
        if not self.min_delta >= 0:
            raise ValueError(f"min_delta must be >= 0, got {self.min_delta!r}.")

    def __call__(self, state: SearchState) -> str | None:
        history = state.best_after_batch
        if len(history) <= self.n_batches:
            return None
        # -inf (no finite score yet) never counts as an improvement over -inf.
        if history[-1] > history[-self.n_batches - 1] + self.min_delta:
            return None
        return (
            f"the best score did not improve by more than {self.min_delta} "
            f"in {self.n_batches} batches"
        )


@dataclass(frozen=True)
class TargetScore:
    """Stop as soon as a candidate scores at least ``score``.

    Parameters
    ----------
    score : float
        The objective (greater is better, as scikit-learn scores) that is
        good enough.
    """

    score: float

    def __call__(self, state: SearchState) -> str | None:
        if state.best_score >= self.score:
            return f"the best score {state.best_score:.6g} reached {self.score:.6g}"
        return None

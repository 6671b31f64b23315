"""Things that watch a search batch by batch: printing and stopping rules."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from skhyper.search._state import SearchState

__all__ = ["SearchObserver", "StoppingRules", "VerbosePrinter"]


class SearchObserver:
    """Hooks the search loop calls; subclasses override what they need."""

    def on_start(self, state: SearchState) -> None:
        """Called once the planned number of candidates is known."""

    def on_batch_start(self, state: SearchState, candidates: list[dict]) -> None:
        """Called when a batch of ``candidates`` is about to be evaluated."""

    def on_batch(self, state: SearchState) -> str | None:
        """Called after each batch; a returned string stops the search
        and says why."""
        return None

    def on_end(self, state: SearchState, stop_reason: str) -> None:
        """Called once when the loop ends, also when it ends by an error."""


class VerbosePrinter(SearchObserver):
    """One line per batch with the best score so far (``verbose >= 1``).

    ``space_size`` (the number of candidates of a finite space) lets the
    last line say how much of the space ``n_iter`` left out: a user who
    swapped ``GridSearchCV`` for a search with a default ``n_iter`` learns
    there that not the whole grid ran.
    """

    def __init__(self, name: str, space_size: float = math.inf) -> None:
        self.name = name
        self.space_size = space_size

    def on_batch(self, state: SearchState) -> None:
        print(
            f"[{self.name}] iteration {state.n_batches - 1}: "
            f"{state.n_evaluated}/{state.n_iter} candidates done, "
            f"{state.stage + ', ' if state.stage else ''}"
            f"best {state.metric} so far {state.best_score:.6g}, "
            f"{state.elapsed:.1f} s elapsed",
            flush=True,
        )

    def on_end(self, state: SearchState, stop_reason: str) -> None:
        note = ""
        if (
            stop_reason.startswith("n_iter=")
            and math.isfinite(self.space_size)
            and self.space_size > state.n_evaluated
        ):
            size = int(self.space_size)
            note = (
                f" ({state.n_evaluated} of the space's {size}; "
                f"n_iter={size} evaluates them all)"
            )
        print(f"[{self.name}] stopped: {stop_reason}{note}", flush=True)


class StoppingRules(SearchObserver):
    """``max_time`` and the user's stopping callbacks."""

    def __init__(
        self,
        max_time: float | None,
        callbacks: Sequence[Callable[[SearchState], Any]],
    ) -> None:
        self.max_time = max_time
        self.callbacks = callbacks

    def on_batch(self, state: SearchState) -> str | None:
        if self.max_time is not None and state.elapsed >= self.max_time:
            return f"max_time={self.max_time:g} s reached"
        for callback in self.callbacks:
            answer = callback(state)
            if answer:
                if isinstance(answer, str):
                    return f"{_name(callback)}: {answer}"
                return f"{_name(callback)} asked to stop"
        return None


def _name(callback: Any) -> str:
    return getattr(callback, "__name__", None) or type(callback).__name__


def as_callback_list(callbacks: Any) -> list[Callable[[SearchState], Any]]:
    """The ``callbacks`` parameter as a validated list."""
    if callbacks is None:
        return []
    listed = list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]
    for callback in listed:
        if not callable(callback):
            hint = (
                " scikit-learn's own callbacks (such as ProgressBar) go through "
                "set_callbacks()."
                if hasattr(callback, "on_fit_task_begin")
                else ""
            )
            raise TypeError(
                "callbacks must be callables taking a SearchState and returning "
                f"a truthy value to stop the search, got {callback!r}.{hint}"
            )
    return listed

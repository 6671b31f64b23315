"""What a search interrupted by Ctrl-C (``KeyboardInterrupt``) keeps and says."""

from __future__ import annotations

from typing import Any

from skhyper.search._state import SearchState
from skhyper.utils._sklearn_compat import select_best_index

__all__ = ["INTERRUPTED", "explain_interrupt", "is_explained_by", "keep_finished"]

#: ``stop_reason_`` of an interrupted search.
INTERRUPTED = "interrupted by KeyboardInterrupt"


def keep_finished(search: Any, results: dict | None) -> None:
    """Give ``search`` the fitted attributes of the candidates that finished.

    ``cv_results_``, ``multimetric_`` and, as ``fit`` would select them,
    ``best_index_``, ``best_score_`` and ``best_params_``. Nothing is
    refitted (the user asked to stop), so there is no ``best_estimator_``.
    """
    if not results:
        return
    search.cv_results_ = results
    multimetric = "mean_test_score" not in results
    search.multimetric_ = multimetric
    refit = search.refit
    if not (refit or not multimetric):
        return
    metric = refit if multimetric and isinstance(refit, str) else "score"
    try:
        index = select_best_index(search, refit, metric, results)
    except Exception:  # a refit callable that cannot rank partial results
        return
    search.best_index_ = index
    if not callable(refit):
        search.best_score_ = results[f"mean_test_{metric}"][index]
    search.best_params_ = results["params"][index]


def explain_interrupt(
    search: Any, state: SearchState, checkpointed: bool
) -> KeyboardInterrupt:
    """A ``KeyboardInterrupt`` whose message says what the search kept and
    how not to lose the batch in flight next time. ``search.fit`` raises it
    without the frames of the loop (see :func:`is_explained_by`)."""
    error = KeyboardInterrupt(_message(state, checkpointed))
    error._skhyper_search_id = id(search)  # type: ignore[attr-defined]
    return error


def is_explained_by(error: BaseException, search: Any) -> bool:
    """Whether ``error`` is the interrupt :func:`explain_interrupt` made for
    ``search`` (and not one of a search nested in its estimator)."""
    return getattr(error, "_skhyper_search_id", None) == id(search)


def _message(state: SearchState, checkpointed: bool) -> str:
    done = state.n_evaluated
    if checkpointed:
        return (
            "The search was interrupted before any candidate finished; the "
            "checkpoint holds nothing new."
        )
    if done:
        kept = (
            f"The search was interrupted after {done} of {state.n_iter} "
            "candidates; their results are in cv_results_ and best_params_ "
            "(nothing refitted)."
        )
    else:
        kept = "The search was interrupted before any candidate finished."
    return (
        f"{kept} To resume an interrupted search instead, pass "
        "checkpoint='search.ckpt' and call fit again."
    )

"""Every use of a private scikit-learn name, and the version switches.

skhyper supports scikit-learn 1.6 to the newest. Private names move between
releases; keeping them here means one file to fix when they do.
"""

from __future__ import annotations

import contextlib
import contextvars
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sklearn
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import _search as _sklearn_search
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._split import _yields_constant_splits
from sklearn.utils.fixes import parse_version

__all__ = [
    "SKLEARN_VERSION",
    "BaseSearchCV",
    "FailureLog",
    "begin_callback_task",
    "end_callback_task",
    "tolerate_failed_batches",
    "yields_constant_splits",
]

SKLEARN_VERSION = parse_version(sklearn.__version__)
#: scikit-learn 1.9 added callbacks and ``callback_ctx`` to ``_run_search``.
HAS_CALLBACKS = SKLEARN_VERSION >= parse_version("1.9.0.dev0")


def yields_constant_splits(cv: Any) -> bool:
    """Whether ``cv.split`` gives the same folds at every call."""
    return _yields_constant_splits(cv)


@dataclass
class FailureLog:
    """What the fits of one search reported: how many ran and failed."""

    n_fits: int = 0
    n_failed: int = 0
    first_error: str | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return self.n_fits > 0 and self.n_failed == self.n_fits


_ACTIVE_LOG: contextvars.ContextVar[FailureLog | None] = contextvars.ContextVar(
    "skhyper_failure_log", default=None
)
_original_warn_or_raise: Callable[..., None] | None = None


def _warn_or_raise_about_fit_failures(results: list[dict], error_score: Any) -> None:
    """sklearn's check, except that inside a skhyper search a batch whose fits
    all failed is recorded and warned about instead of ending the search."""
    log = _ACTIVE_LOG.get()
    if log is None:
        return _original_warn_or_raise(results, error_score)
    errors = [r["fit_error"] for r in results if r["fit_error"] is not None]
    log.n_fits += len(results)
    log.n_failed += len(errors)
    if errors and log.first_error is None:
        log.first_error = errors[0]
    try:
        _original_warn_or_raise(results, error_score)
    except ValueError as exc:
        log.messages.append(str(exc))
        warnings.warn(
            f"All the {len(results)} fits of one batch failed; the search goes on "
            f"and scores them {error_score}. scikit-learn reported:\n{exc}",
            FitFailedWarning,
            stacklevel=2,
        )


@contextlib.contextmanager
def tolerate_failed_batches() -> Iterator[FailureLog]:
    """Within this context, a batch of failed fits does not end the search.

    scikit-learn raises "All the N fits failed" at the end of each call of
    ``evaluate_candidates``; for an iterative search a single failing
    candidate must not end it. The hook only acts in the thread and context
    of the search that entered it; every other search behaves as in sklearn.
    """
    global _original_warn_or_raise
    if _original_warn_or_raise is None:
        _original_warn_or_raise = _sklearn_search._warn_or_raise_about_fit_failures
        _sklearn_search._warn_or_raise_about_fit_failures = (
            _warn_or_raise_about_fit_failures
        )
    log = FailureLog()
    token = _ACTIVE_LOG.set(log)
    try:
        yield log
    finally:
        _ACTIVE_LOG.reset(token)


def begin_callback_task(
    callback_ctx: Any,
    estimator: Any,
    name: str,
    max_subtasks: int | None = None,
    sequential: bool = True,
) -> Any:
    """Open a callback sub-task (scikit-learn >= 1.9); ``None`` elsewhere.

    The parent must have sequential sub-tasks: they are numbered in order.
    """
    if callback_ctx is None:
        return None
    return callback_ctx.subcontext(
        task_name=name,
        max_subtasks=max_subtasks,
        sequential_subtasks=sequential,
    ).call_on_fit_task_begin(estimator=estimator)


def end_callback_task(ctx: Any, estimator: Any) -> None:
    """Close a sub-task opened by :func:`begin_callback_task`."""
    if ctx is not None:
        ctx.call_on_fit_task_end(estimator=estimator)

"""Every use of a private scikit-learn name, and the version switches.

skhyper supports scikit-learn 1.6 to the newest. Private names move between
releases; keeping them here means one file to fix when they do.
"""

from __future__ import annotations

import contextlib
import contextvars
import numbers
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sklearn
from sklearn.base import is_classifier
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import _search as _sklearn_search
from sklearn.model_selection import check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._split import _yields_constant_splits
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.fixes import parse_version
from sklearn.utils.validation import indexable

__all__ = [
    "NON_FINITE_SCORES_WARNING",
    "SKLEARN_VERSION",
    "BaseSearchCV",
    "FailureLog",
    "HasMethods",
    "Interval",
    "StrOptions",
    "begin_callback_task",
    "checked_cv_and_n_splits",
    "end_callback_task",
    "has_sklearn_progress_bar",
    "remember_fit_inputs",
    "shifted_sklearn_verbosity",
    "silence_per_batch_non_finite_warnings",
    "tolerate_failed_batches",
    "user_verbosity",
    "yields_constant_splits",
]

SKLEARN_VERSION = parse_version(sklearn.__version__)
#: scikit-learn 1.9 added callbacks and ``callback_ctx`` to ``_run_search``.
HAS_CALLBACKS = SKLEARN_VERSION >= parse_version("1.9.0.dev0")


_FIT_INPUTS: contextvars.ContextVar[tuple | None] = contextvars.ContextVar(
    "skhyper_fit_inputs", default=None
)


@contextlib.contextmanager
def remember_fit_inputs(X: Any, y: Any, params: dict) -> Iterator[None]:
    """Keep ``fit``'s inputs at hand for :func:`checked_cv_and_n_splits`.

    scikit-learn < 1.9 computes the checked cv and ``n_splits_`` inside
    ``fit`` without exposing them to ``_run_search``.
    """
    token = _FIT_INPUTS.set((X, y, params))
    try:
        yield
    finally:
        _FIT_INPUTS.reset(token)


def checked_cv_and_n_splits(search: Any) -> tuple[Any, int]:
    """The cv splitter a running search uses and its number of splits."""
    cv = getattr(search, "_checked_cv_orig", None)
    n_splits = getattr(search, "n_splits_", None)
    if cv is not None and n_splits is not None:
        return cv, n_splits
    X, y, params = _FIT_INPUTS.get()
    X, y = indexable(X, y)
    split_params = search._get_routed_params_for_fit(params).splitter.split
    cv = check_cv(search.cv, y, classifier=is_classifier(search.estimator))
    return cv, cv.get_n_splits(X, y, **split_params)


_USER_VERBOSE: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "skhyper_user_verbose", default=None
)


@contextlib.contextmanager
def shifted_sklearn_verbosity(search: Any) -> Iterator[None]:
    """Within ``fit``, let scikit-learn see ``verbose - 1``.

    skhyper's ``verbose=1`` prints one line per batch; scikit-learn's
    ``BaseSearchCV.fit`` reads ``self.verbose`` itself and at 1 already
    prints "Fitting K folds..." at every ``evaluate_candidates`` call, and
    at 2 and above one line per fit. Its messages therefore start at our
    ``verbose=2``. It offers no other way in than the attribute, so the
    attribute holds the shifted value during ``fit`` only and is restored
    even when ``fit`` raises; :func:`user_verbosity` gives the user's value
    meanwhile. A value that is not an integer is left for the parameter
    validation to refuse.
    """
    user_value = search.verbose
    token = _USER_VERBOSE.set(user_value)
    if isinstance(user_value, numbers.Integral) and user_value > 0:
        search.verbose = int(user_value) - 1
    try:
        yield
    finally:
        search.verbose = user_value
        _USER_VERBOSE.reset(token)


def user_verbosity(search: Any) -> Any:
    """The ``verbose`` the user set, also inside :func:`shifted_sklearn_verbosity`."""
    value = _USER_VERBOSE.get()
    return search.verbose if value is None else value


def has_sklearn_progress_bar(estimator: Any) -> bool:
    """Whether scikit-learn's ``ProgressBar`` is among the estimator's
    callbacks (``set_callbacks``, scikit-learn >= 1.9)."""
    callbacks = getattr(estimator, "_skl_callbacks", None)
    if not HAS_CALLBACKS or not callbacks:
        return False
    from sklearn.callback import ProgressBar

    return any(isinstance(callback, ProgressBar) for callback in callbacks)


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
    #: Metric names of a scorer returning a dict ([] for one metric), once known.
    metric_names: list[str] | None = None
    #: Failed fits still holding a scalar error score for want of the names.
    scalar_failures: list[dict] = field(default_factory=list)

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
    _give_failures_the_metric_names(log, results, error_score)
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


def _give_failures_the_metric_names(
    log: FailureLog, results: list[dict], error_score: Any
) -> None:
    """Shape the error scores of failed fits as the dicts a callable scorer returns.

    sklearn fills them in from a successful fit of the same
    ``evaluate_candidates`` call; a batch where every fit failed keeps a
    scalar, and mixing it with the dicts of other batches breaks
    ``cv_results_``. The result dicts are the ones sklearn accumulates, so
    patching them in place also repairs earlier batches.
    """
    if log.metric_names is None:
        scored = next((r for r in results if r["fit_error"] is None), None)
        if scored is not None:
            scores = scored["test_scores"]
            log.metric_names = list(scores) if isinstance(scores, dict) else []
    if log.metric_names == []:  # one metric: sklearn's scalars are right
        log.scalar_failures = []
        return
    failed = [
        r
        for r in results
        if r["fit_error"] is not None and not isinstance(r["test_scores"], dict)
    ]
    if len(failed) < len(results):
        failed = []  # sklearn fills in this batch itself
    log.scalar_failures += failed
    if log.metric_names is None:
        return
    for result in log.scalar_failures:
        for key in ("test_scores", "train_scores"):
            if key in result:
                result[key] = dict.fromkeys(log.metric_names, error_score)
    log.scalar_failures = []


#: The start of the warning sklearn gives at every ``evaluate_candidates`` call
#: while any score so far is non-finite.
NON_FINITE_SCORES_WARNING = "One or more of the (test|train) scores are non-finite"


@contextlib.contextmanager
def silence_per_batch_non_finite_warnings() -> Iterator[None]:
    """Hide sklearn's non-finite-score warning, which an iterative search
    would repeat at every batch; the search warns once at the end."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=NON_FINITE_SCORES_WARNING, category=UserWarning
        )
        # numpy's inf - inf in the standard deviation of infinite scores
        warnings.filterwarnings(
            "ignore",
            message="invalid value encountered in subtract",
            category=RuntimeWarning,
            module=_sklearn_search.__name__,
        )
        yield


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

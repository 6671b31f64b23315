"""Warnings that a process shows once, however many searches give them."""

from __future__ import annotations

import threading
import warnings

__all__ = ["small_space_message", "warn_once"]

_SHOWN: set[tuple[type[Warning], str]] = set()
_LOCK = threading.Lock()


def warn_once(message: str, category: type[Warning], stacklevel: int = 1) -> None:
    """``warnings.warn`` the first time this process gives ``message``.

    Python's default filter shows a warning once per code location, but
    scikit-learn's ``warnings.catch_warnings`` blocks reset that memory, so
    a warning given in every ``fit`` of a search nested in cross-validation
    shows once per fit. Here the memory is the process's own.
    """
    key = (category, message)
    with _LOCK:
        if key in _SHOWN:
            return
        _SHOWN.add(key)
    warnings.warn(message, category, stacklevel=stacklevel + 1)


def forget_shown_warnings() -> None:
    """Show every warning again (for tests)."""
    with _LOCK:
        _SHOWN.clear()


def small_space_message(n_distinct: int, n_iter: int) -> str:
    """The warning for a space of fewer candidates than the budget ``n_iter``.

    scikit-learn's ``ParameterSampler`` words, which ``RandomizedSearchCV``
    and ``HalvingRandomSearchCV`` give: scripts silence it by this message
    (``filterwarnings("ignore", message="The total space of parameters")``).

    Parameters
    ----------
    n_distinct : int
        Number of distinct candidates in the space, the ones evaluated.
    n_iter : int
        The budget asked for (``n_iter``, or a halving search's first-rung
        ``n_candidates``).

    Returns
    -------
    str
        The message.
    """
    return (
        f"The total space of parameters {n_distinct} is smaller than "
        f"n_iter={n_iter}. Running {n_distinct} iterations. For exhaustive "
        "searches, use GridSearchCV."
    )

"""``fit_timeout``: stop one fold's fit and scoring when it runs too long.

The limit is enforced where the fit runs (a loky worker process, a dask
worker thread, the user's own thread with ``n_jobs=1``), around
scikit-learn's ``_fit_and_score`` of one candidate on one fold:

- in the main thread of a process (``n_jobs=1`` from the main thread, every
  loky worker), a ``SIGALRM`` timer (``setitimer``) whose handler raises in
  the fit. It interrupts Python code and blocking calls such as
  ``time.sleep`` at once;
- in any other thread (dask workers, the threading backend, a search run
  from a thread) or where a ``SIGALRM`` timer is already in use or missing
  (Windows), a watchdog thread that raises in the fit's thread with
  ``PyThreadState_SetAsyncExc``. The exception lands at the next Python
  bytecode the fit runs, so a long blocking call returns first.

Either way, C code that runs long without returning to Python (a single
libsvm solve, one large BLAS call) is stopped only when it returns, and
threads or processes the fit started itself (``n_jobs`` of the estimator)
are not stopped. Nothing is left behind: the timer is disarmed and the
watchdog thread joined before the task returns.

The interruption is a ``BaseException`` (so ``except Exception`` in the
estimator does not swallow it); it is turned into a failed fit result as
scikit-learn records one (``error_score``, the error text naming the
timeout), or into :class:`FitTimeoutError` with ``error_score="raise"``.
"""

from __future__ import annotations

import ctypes
import functools
import signal
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from skhyper.utils._sklearn_compat import failed_fit_result, wrap_task_function

__all__ = ["FitTimeoutError", "TimeLimit", "TimeLimitedParallel", "with_time_limit"]


class FitTimeoutError(Exception):
    """A fit (with its scoring) ran past ``fit_timeout`` and was stopped."""


class _TimeUp(BaseException):
    """Raised inside the fit when its time is up."""


def _can_use_alarm() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    """Make ``thread_id`` raise ``exception`` at its next bytecode (None
    cancels one not yet raised)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id),
        None if exception is None else ctypes.py_object(exception),
    )


class TimeLimit:
    """Raise ``_TimeUp`` in the calling thread ``seconds`` after :meth:`start`
    unless :meth:`stop` came first; raises at most once. :meth:`stop` is
    idempotent and must run whatever happened."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._armed = False
        self._alarm = False
        self._previous_handler: Any = None
        self._watchdog: threading.Thread | None = None

    def start(self) -> None:
        self._armed = True
        if _can_use_alarm():
            self._alarm = True
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            return
        self._thread_id = threading.get_ident()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._fired = False
        self._watchdog = threading.Thread(
            target=self._watch, name="skhyper-fit-timeout", daemon=True
        )
        self._watchdog.start()

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self._armed:
            self._armed = False
            raise _TimeUp

    def _watch(self) -> None:
        if self._done.wait(self.seconds):
            return
        with self._lock:
            if self._armed:
                self._armed = False
                self._fired = True
                _raise_in_thread(self._thread_id, _TimeUp)

    def stop(self) -> None:
        self._armed = False  # from here on, nothing raises
        if self._alarm:
            self._alarm = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            previous = self._previous_handler
            signal.signal(
                signal.SIGALRM, signal.SIG_DFL if previous is None else previous
            )
        elif self._watchdog is not None:
            with self._lock:
                if self._fired:  # fired but maybe not raised yet: cancel it
                    self._fired = False
                    _raise_in_thread(self._thread_id, None)
            self._done.set()
            self._watchdog.join()
            self._watchdog = None


def with_time_limit(
    func: Callable[..., dict], seconds: float, /, *args: Any, **kwargs: Any
) -> dict:
    """``func(*args, **kwargs)`` (scikit-learn's ``_fit_and_score``) stopped
    after ``seconds``; a stopped call returns scikit-learn's failed result."""
    limit = TimeLimit(seconds)
    started = time.time()
    try:
        try:
            limit.start()
            return func(*args, **kwargs)
        finally:
            limit.stop()
    except _TimeUp:
        limit.stop()
    elapsed = time.time() - started
    message = (
        f"The fit and scoring of {kwargs.get('parameters')} on one fold ran past "
        f"fit_timeout={seconds:g} s and were stopped."
    )
    if kwargs.get("error_score") == "raise":
        raise FitTimeoutError(message)
    return failed_fit_result(
        kwargs, f"{__name__}.{FitTimeoutError.__name__}: {message}", elapsed
    )


class TimeLimitedParallel:
    """A ``joblib.Parallel`` whose every task runs under :func:`with_time_limit`.

    Parameters
    ----------
    parallel : joblib.Parallel
        The one scikit-learn's search uses (already entered).
    seconds : float
    """

    def __init__(self, parallel: Any, seconds: float) -> None:
        self._parallel = parallel
        self.seconds = seconds

    def __call__(self, tasks: Iterable[tuple]) -> Any:
        def limited(func: Callable[..., dict]) -> Callable[..., dict]:
            return functools.partial(with_time_limit, func, self.seconds)

        return self._parallel(
            (wrap_task_function(func, limited), args, kwargs)
            for func, args, kwargs in tasks
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parallel, name)

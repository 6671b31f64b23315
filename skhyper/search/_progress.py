"""A live progress bar for a running search (the optional ``progress`` extra).

The bar is drawn with rich, chosen over tqdm because scikit-learn's own
``ProgressBar`` callback (scikit-learn >= 1.9) needs rich too, so one extra
serves both; because rich tells terminals, dumb terminals and Jupyter apart
and honours ``TTY_INTERACTIVE``; and because while its bar is live it prints
what the search writes to stderr (warnings) above the bar instead of across
it.

The bar goes to stderr, as progress displays usually do, so the standard
output of a script stays clean for its results.
"""

from __future__ import annotations

import contextvars
import math
import multiprocessing
import os
import sys
import threading
import time
from datetime import timedelta
from importlib.util import find_spec
from typing import Any

from skhyper.search._interrupt import INTERRUPTED
from skhyper.search._observers import SearchObserver
from skhyper.search._state import SearchState
from skhyper.utils._sklearn_compat import has_sklearn_progress_bar

__all__ = ["ProgressBarDisplay", "auto_progress_console", "progress_console"]

#: What works whether skhyper came from PyPI or from a clone.
INSTALL_HINT = "pip install rich"

#: True while a bar is live in this context: a search fitted inside another
#: (nested in its estimator) draws no second bar over it.
_BAR_IS_LIVE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "skhyper_bar_is_live", default=False
)


def progress_console(progress_bar: bool | str, verbose: Any, search: Any) -> Any:
    """The rich console to draw the search's bar on, or None for no bar.

    ``"auto"`` shows the bar only when nothing else reports progress
    (``verbose`` is 0, no scikit-learn ``ProgressBar`` is attached, no
    outer search draws a bar), the search runs in the main thread of the
    main process (not inside a joblib worker of an outer search), rich is
    installed and stderr is an interactive terminal or the search runs in
    Jupyter.

    Raises
    ------
    ImportError
        ``progress_bar=True`` without rich.
    ValueError
        ``progress_bar=True`` with scikit-learn's ``ProgressBar`` attached:
        two live displays would overwrite each other.
    """
    if progress_bar is False:
        return None
    if has_sklearn_progress_bar(search):
        if progress_bar is True:
            raise ValueError(
                "progress_bar=True and scikit-learn's ProgressBar callback would "
                "draw two live displays over each other; set progress_bar=False "
                "or remove the ProgressBar from set_callbacks()."
            )
        return None
    if progress_bar is True:
        return _stderr_console()
    if verbose or _BAR_IS_LIVE.get() or not _in_main_thread_of_main_process():
        return None
    return auto_progress_console()


def auto_progress_console() -> Any:
    """A rich console on stderr if a bar should show by default, else None.

    Yes when rich is installed and stderr is a terminal that is interactive
    for rich (not ``TERM=dumb``, not ``TTY_INTERACTIVE=0``), or in Jupyter
    with ipywidgets (which rich needs to draw there). ``FORCE_COLOR`` alone
    does not count: CI services set it for colour, not for redrawn lines.
    """
    try:
        console = _stderr_console()
    except ImportError:
        return None
    if console.is_jupyter:
        return console if find_spec("ipywidgets") is not None else None
    # rich >= 14 reads TTY_INTERACTIVE itself; older versions do not.
    if os.environ.get("TTY_INTERACTIVE") == "0":
        return None
    if console.is_interactive and _isatty(sys.stderr):
        return console
    return None


def _stderr_console() -> Any:
    try:
        from rich.console import Console
    except ImportError as exc:
        raise ImportError(
            f"The search's progress bar needs rich: {INSTALL_HINT} (skhyper's "
            '"progress" extra), '
            "or set progress_bar=False."
        ) from exc
    return Console(stderr=True)


def _in_main_thread_of_main_process() -> bool:
    return (
        multiprocessing.parent_process() is None
        and threading.current_thread() is threading.main_thread()
    )


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    return str(timedelta(seconds=max(int(seconds), 0)))


class _Elapsed:
    """Formats as the time since ``start``, when rich draws it."""

    def __init__(self, start: float) -> None:
        self.start = start
        self.end: float | None = None

    def __format__(self, spec: str) -> str:
        end = time.monotonic() if self.end is None else self.end
        return _clock(end - self.start)


class _Countdown:
    """Formats as `` ETA h:mm:ss`` counting down to ``end``, when rich draws it.

    The estimate assumes the remaining candidates cost what the evaluated
    ones did on average; it is renewed after every batch.
    """

    def __init__(self) -> None:
        self.end: float | None = None
        self.finished = False

    def __format__(self, spec: str) -> str:
        if self.finished:
            return ""
        if self.end is None:
            return " ETA -:--:--"
        return f" ETA {_clock(self.end - time.monotonic())}"


class ProgressBarDisplay(SearchObserver):
    """A live bar: candidates done / planned, best score so far, elapsed
    time, estimated time left and the current iteration.

    It moves after each batch, when scores are known. A search evaluated in
    one batch (grid, random and Sobol generators ask everything at once
    unless ``batch_size`` is set) moves once, at the end; meanwhile the
    clock runs and the status says how many candidates are being evaluated.

    Parameters
    ----------
    name : str
        Shown at the left of the bar (the search's class name).
    console : rich.console.Console
        Where to draw.
    """

    def __init__(self, name: str, console: Any) -> None:
        self.name = name
        self.console = console
        self._progress: Any = None
        self._task: Any = None

    def on_start(self, state: SearchState) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
        from rich.table import Column

        def text(template: str, **column: Any) -> Any:
            return TextColumn(template, table_column=Column(no_wrap=True, **column))

        self._elapsed = _Elapsed(state.start_time)
        self._eta = _Countdown()
        self._progress = Progress(
            text("{task.description}"),
            BarColumn(bar_width=None, table_column=Column(ratio=1, max_width=40)),
            MofNCompleteColumn(),
            text("{task.fields[best]}"),
            text("{task.fields[elapsed]}{task.fields[eta]}"),
            # The status gives way first, when the terminal is narrow.
            text("{task.fields[status]}", ratio=2, overflow="ellipsis", min_width=0),
            console=self.console,
            expand=True,
            # print() goes above the bar when stdout shares its terminal, and
            # stays on stdout when that is a file or a pipe.
            redirect_stdout=_isatty(sys.stdout) or self.console.is_jupyter,
            redirect_stderr=True,
        )
        self._task = self._progress.add_task(
            self.name,
            total=state.n_iter,
            best="best score -",
            elapsed=self._elapsed,
            eta=self._eta,
            status="",
        )
        self._progress.start()
        self._live_token = _BAR_IS_LIVE.set(True)

    def on_batch_start(self, state: SearchState, candidates: list[dict]) -> None:
        self._progress.update(
            self._task,
            # Short enough for an 80-column terminal beside the rest.
            status=f"{len(candidates)} running"
            + (f", {state.stage}" if state.stage else ""),
        )

    def on_batch(self, state: SearchState) -> None:
        done = state.n_evaluated
        remaining = state.elapsed / done * max(state.n_iter - done, 0)
        self._eta.end = time.monotonic() + remaining
        self._progress.update(self._task, completed=done, best=_best(state), status="")

    def on_end(self, state: SearchState, stop_reason: str) -> None:
        if self._progress is None:
            return
        self._elapsed.end = time.monotonic()
        self._eta.finished = True
        if state.n_evaluated >= state.n_iter:
            status = "done"
        elif stop_reason == INTERRUPTED:
            status = "interrupted"
        else:
            status = f"stopped: {stop_reason}"
        self._progress.update(
            self._task, completed=state.n_evaluated, best=_best(state), status=status
        )
        self._progress.stop()
        _BAR_IS_LIVE.reset(self._live_token)


def _best(state: SearchState) -> str:
    if not math.isfinite(state.best_score):
        return f"best {state.metric} -"
    return f"best {state.metric} {state.best_score:.6g}"

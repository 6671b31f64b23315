"""Every use of a private scikit-learn name, and the version switches.

skhyper supports scikit-learn 1.6 to the newest. Private names move between
releases; keeping them here means one file to fix when they do.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sklearn
from sklearn.base import clone, is_classifier
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import _search as _sklearn_search
from sklearn.model_selection import check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._split import _yields_constant_splits
from sklearn.model_selection._validation import _fit_and_score, _insert_error_scores
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, Interval, RealNotInt, StrOptions
from sklearn.utils.fixes import parse_version
from sklearn.utils.parallel import delayed as _sklearn_delayed
from sklearn.utils.validation import _num_samples, indexable

__all__ = [
    "NON_FINITE_SCORES_WARNING",
    "SKLEARN_VERSION",
    "BaseSearchCV",
    "CandidatesNumberedOverTheSearch",
    "EvaluatedSoFar",
    "FailureLog",
    "FitTasks",
    "FreshParallel",
    "HasMethods",
    "Interval",
    "RealNotInt",
    "StrOptions",
    "WarmStartedParallel",
    "begin_callback_task",
    "candidates_numbered_over_the_search",
    "check_candidate_fits",
    "checked_cv_and_n_splits",
    "cv_splits",
    "end_callback_task",
    "failed_fit_result",
    "fit_inputs",
    "folds_split_once",
    "fresh_parallel",
    "has_sklearn_progress_bar",
    "num_samples",
    "pretty_print_like_any_estimator",
    "remember_fit_inputs",
    "results_so_far",
    "safe_indexing",
    "select_best_index",
    "silence_per_batch_non_finite_warnings",
    "tolerate_failed_batches",
    "user_verbosity",
    "warm_started_fits",
    "without_batch_header",
    "wrap_task_function",
    "wrapped_search_parallel",
    "yields_constant_splits",
]

SKLEARN_VERSION = parse_version(sklearn.__version__)
#: scikit-learn 1.9 added callbacks and ``callback_ctx`` to ``_run_search``.
HAS_CALLBACKS = SKLEARN_VERSION >= parse_version("1.9.0.dev0")


def pretty_print_like_any_estimator(
    repr_method: Callable[..., str],
    reading: Callable[[], contextlib.AbstractContextManager[Any]],
) -> None:
    """Have scikit-learn's estimator repr lay out and read a search as it does
    any estimator.

    scikit-learn's pretty printer breaks a long repr into one parameter per
    line only for classes whose ``__repr__`` is ``BaseEstimator.__repr__``
    (its ``_dispatch`` table); a class that overrides it is printed on one
    line. And when a search is nested in another estimator (a
    ``OneVsRestClassifier``, a ``Pipeline`` step), the outer repr reads the
    search's parameters without the search's own ``__repr__``.

    Parameters
    ----------
    repr_method : callable
        The search class's ``__repr__``, registered as an estimator's.
    reading : callable
        A context manager factory under which every estimator repr runs, so
        nested searches read their parameters as their own repr does.
    """
    try:
        from sklearn.utils._pprint import _EstimatorPrettyPrinter
    except ImportError:  # pragma: no cover - a scikit-learn without it
        return
    printer: Any = _EstimatorPrettyPrinter
    dispatch = getattr(printer, "_dispatch", None)
    layout = getattr(printer, "_pprint_estimator", None)
    if isinstance(dispatch, dict) and layout is not None:
        dispatch.setdefault(repr_method, layout)
    plain = printer.pformat
    if getattr(plain, "_skhyper_reading", None) is reading:
        return

    def pformat(self: Any, object: Any) -> str:
        with reading():
            return plain(self, object)

    pformat._skhyper_reading = reading  # type: ignore[attr-defined]
    printer.pformat = pformat


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


def fit_inputs() -> tuple[Any, Any, dict]:
    """``X``, ``y`` and the fit parameters of the running ``fit``."""
    inputs = _FIT_INPUTS.get()
    if inputs is None:
        raise RuntimeError("fit_inputs() is only available inside a search's fit.")
    return inputs


def num_samples(X: Any) -> int:
    """The number of samples of any array-like scikit-learn accepts."""
    return int(_num_samples(X))


def cv_splits(search: Any) -> list[tuple[Any, Any]]:
    """The (train, test) index arrays of every fold of a running search."""
    X, y, params = fit_inputs()
    cv, _ = checked_cv_and_n_splits(search)
    X, y = indexable(X, y)
    split_params = search._get_routed_params_for_fit(params).splitter.split
    return list(cv.split(X, y, **split_params))


def safe_indexing(data: Any, indices: Any) -> Any:
    """Rows ``indices`` of an array, DataFrame or list, as scikit-learn's
    cross-validation takes them."""
    return _safe_indexing(data, indices)


def checked_cv_and_n_splits(search: Any) -> tuple[Any, int]:
    """The cv splitter a running search uses and its number of splits."""
    cv = getattr(search, "_checked_cv_orig", None)
    n_splits = getattr(search, "n_splits_", None)
    if cv is not None and n_splits is not None:
        return cv, n_splits
    inputs = _FIT_INPUTS.get()
    if inputs is None:
        raise RuntimeError("The search's fit inputs are only known inside its fit.")
    X, y, params = inputs
    X, y = indexable(X, y)
    split_params = search._get_routed_params_for_fit(params).splitter.split
    cv = check_cv(search.cv, y, classifier=is_classifier(search.estimator))
    return cv, cv.get_n_splits(X, y, **split_params)


def user_verbosity(search: Any) -> Any:
    """The search's ``verbose``: scikit-learn's own messages follow it
    unchanged, and skhyper adds one line per iteration from ``verbose=1``."""
    return search.verbose


@contextlib.contextmanager
def without_batch_header(search: Any) -> Iterator[None]:
    """Within it, ``evaluate_candidates`` of a search at ``verbose=1`` does
    not print its "Fitting K folds for each of N candidates" line.

    scikit-learn prints it when ``search.verbose > 0`` and prints nothing
    else per fit below ``verbose=2``, so the search's ``verbose`` reads 0
    meanwhile; any other level is left alone.
    """
    if search.verbose != 1:
        yield
        return
    search.verbose = 0
    try:
        yield
    finally:
        search.verbose = 1


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


#: The variables of ``BaseSearchCV.fit`` (scikit-learn 1.6 to 1.9) in which
#: ``evaluate_candidates`` accumulates its calls, and the formatted results.
_ACCUMULATORS = ("all_candidate_params", "all_out", "all_more_results", "results")
#: The variables ``evaluate_candidates`` builds its fit tasks from.
_FIT_INPUT_CELLS = ("X", "y", "base_estimator", "fit_and_score_kwargs", "routed_params")


def _closure_cells(evaluate_candidates: Callable[..., Any]) -> dict[str, Any]:
    code = getattr(evaluate_candidates, "__code__", None)
    closure = getattr(evaluate_candidates, "__closure__", None) or ()
    return dict(zip(code.co_freevars if code else (), closure, strict=False))


def _required_cells(
    evaluate_candidates: Callable[..., Any],
    names: Sequence[str],
    *,
    needed_by: str,
    otherwise: str,
) -> dict[str, Any]:
    """``evaluate_candidates``' closure cells, or a RuntimeError naming the
    ones of ``names`` this scikit-learn release no longer keeps."""
    cells = _closure_cells(evaluate_candidates)
    missing = [name for name in names if name not in cells]
    if missing:
        raise RuntimeError(
            f"{needed_by} needs scikit-learn's evaluate_candidates to keep "
            f"{', '.join(names)} in BaseSearchCV.fit, but in "
            f"scikit-learn {sklearn.__version__} {', '.join(missing)} is "
            f"missing. Please report this to skhyper; meanwhile {otherwise}."
        )
    return cells


@contextlib.contextmanager
def wrapped_search_parallel(
    evaluate_candidates: Callable[..., Any], wrap: Callable[[Any], Any]
) -> Iterator[None]:
    """Within this context, ``evaluate_candidates`` dispatches its fits
    through ``wrap(parallel)`` instead of scikit-learn's ``parallel``.

    ``BaseSearchCV.fit`` (1.6 to 1.9) creates one ``joblib.Parallel``, enters
    it, and ``evaluate_candidates`` closes over it as ``parallel``; the
    wrapper sees every ``delayed(_fit_and_score)`` task of this search only,
    whichever backend runs them.
    """
    cell = _closure_cells(evaluate_candidates).get("parallel")
    if cell is None:
        raise RuntimeError(
            "fit_timeout needs scikit-learn's evaluate_candidates to dispatch "
            f"through a joblib Parallel named parallel; scikit-learn "
            f"{sklearn.__version__} does not. Please report this to skhyper; "
            "meanwhile run without fit_timeout or with scikit-learn 1.6 to 1.9."
        )
    original = cell.cell_contents
    cell.cell_contents = wrap(original)
    try:
        yield
    finally:
        cell.cell_contents = original


def _wrapped_where_possible(
    evaluate_candidates: Callable[..., Any], wrap: Callable[[Any], Any]
) -> contextlib.AbstractContextManager:
    """:func:`wrapped_search_parallel` where ``evaluate_candidates`` keeps a
    ``parallel`` to wrap; elsewhere nothing changes (for wrappers that only
    refine what the search does anyway)."""
    if "parallel" not in _closure_cells(evaluate_candidates):
        return contextlib.nullcontext()
    return wrapped_search_parallel(evaluate_candidates, wrap)


class FreshParallel:
    """Runs the tasks of one ``evaluate_candidates`` call in a new
    ``Parallel`` like the search's own, entered for this call only.

    scikit-learn before 1.9 enters one ``Parallel`` for the whole search; after
    a worker died in one call, that object may hand the next call results
    left over from the aborted one (scikit-learn 1.6 then raises "cv.split
    and cv.get_n_splits returned inconsistent results"). A retry runs in a
    fresh one.
    """

    def __init__(self, parallel: Any) -> None:
        self._parallel = parallel

    def __call__(self, tasks: Iterable[tuple]) -> Any:
        fresh = type(self._parallel)(
            n_jobs=self._parallel.n_jobs, pre_dispatch=self._parallel.pre_dispatch
        )
        with fresh:
            return fresh(tasks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parallel, name)


def fresh_parallel(
    evaluate_candidates: Callable[..., Any],
) -> contextlib.AbstractContextManager:
    """Within it, ``evaluate_candidates`` runs its fits in a
    :class:`FreshParallel` (nothing changes where the search keeps no
    ``parallel`` to wrap)."""
    return _wrapped_where_possible(evaluate_candidates, FreshParallel)


class WarmStartedParallel:
    """A ``joblib.Parallel`` whose fit tasks may continue a fitted estimator
    and hand theirs back.

    For each task of ``evaluate_candidates`` (candidate ``k`` of the batch,
    fold ``f``, training rows ``train``), ``previous(k, f, train)`` gives an
    estimator to fit instead of the fresh clone (or None); with ``keep``,
    the fitted estimator of every fit that succeeded goes to ``keep(k, f,
    train, estimator)`` and is removed from the result, so scikit-learn's
    accumulated results never hold it.

    Parameters
    ----------
    parallel : joblib.Parallel
        The one scikit-learn's search uses (already entered).
    previous : callable
        ``(candidate index, fold index, train indices) -> estimator or None``.
    keep : callable or None
        ``(candidate index, fold index, train indices, fitted estimator)``.
    """

    def __init__(
        self,
        parallel: Any,
        previous: Callable[[int, int, Any], Any],
        keep: Callable[[int, int, Any, Any], None] | None,
    ) -> None:
        self._parallel = parallel
        self.previous = previous
        self.keep = keep

    def __call__(self, tasks: Iterable[tuple]) -> Any:
        prepared, where = [], []
        for function, args, kwargs in tasks:
            candidate = kwargs["candidate_progress"][0]
            fold = kwargs["split_progress"][0]
            start = self.previous(candidate, fold, kwargs["train"])
            if start is not None:
                args = (start, *args[1:])
            if self.keep is not None:
                kwargs = {**kwargs, "return_estimator": True}
            prepared.append((function, args, kwargs))
            where.append((candidate, fold, kwargs["train"]))
        out = self._parallel(prepared)
        if self.keep is not None:
            for (candidate, fold, train), result in zip(where, out, strict=True):
                estimator = result.pop("estimator", None)
                if estimator is not None and result.get("fit_error") is None:
                    self.keep(candidate, fold, train, estimator)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parallel, name)


def warm_started_fits(
    evaluate_candidates: Callable[..., Any],
    previous: Callable[[int, int, Any], Any],
    keep: Callable[[int, int, Any, Any], None] | None,
) -> contextlib.AbstractContextManager:
    """Within it, ``evaluate_candidates`` fits through a
    :class:`WarmStartedParallel` (nothing changes on a scikit-learn release
    whose search keeps no ``parallel`` to wrap: every fit is then cold)."""
    return _wrapped_where_possible(
        evaluate_candidates,
        lambda parallel: WarmStartedParallel(parallel, previous, keep),
    )


class CandidatesNumberedOverTheSearch:
    """A ``joblib.Parallel`` whose fit tasks number their candidate over the
    whole search: ``offset + k`` of ``total`` where ``evaluate_candidates``
    numbers it ``k`` of its batch. scikit-learn prints that number from
    ``verbose=10`` ("[CV 2/5; 7/64] START ..."), as ``GridSearchCV`` counts
    its one batch.

    Parameters
    ----------
    parallel : joblib.Parallel
        The one scikit-learn's search uses (already entered).
    offset : int
        Candidates evaluated before this batch.
    total : int
        Candidates of the whole search.
    """

    def __init__(self, parallel: Any, offset: int, total: int) -> None:
        self._parallel = parallel
        self.offset = offset
        self.total = total

    def __call__(self, tasks: Iterable[tuple]) -> Any:
        def renumbered(task: tuple) -> tuple:
            function, args, kwargs = task
            progress = kwargs.get("candidate_progress")
            if progress is not None:
                kwargs = {
                    **kwargs,
                    "candidate_progress": (self.offset + progress[0], self.total),
                }
            return function, args, kwargs

        return self._parallel(renumbered(task) for task in tasks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parallel, name)


def candidates_numbered_over_the_search(
    evaluate_candidates: Callable[..., Any], offset: int, total: int
) -> contextlib.AbstractContextManager:
    """Within it, ``evaluate_candidates`` numbers its candidates ``offset + k``
    of ``total`` in scikit-learn's per-fit lines (nothing changes on a
    scikit-learn release whose search keeps no ``parallel`` to wrap: the
    lines then count within the batch)."""
    return _wrapped_where_possible(
        evaluate_candidates,
        lambda parallel: CandidatesNumberedOverTheSearch(parallel, offset, total),
    )


def wrap_task_function(
    task_function: Any, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> Any:
    """A joblib task's function made ``wrap(function)``.

    scikit-learn's ``delayed`` hands its ``Parallel`` a ``_FuncWrapper``
    that carries the configuration to the worker; the wrapping goes inside
    it so that scikit-learn still finds it.
    """
    inner = getattr(task_function, "function", None)
    if inner is None:
        return wrap(task_function)
    task_function.function = wrap(inner)
    return task_function


def failed_fit_result(kwargs: dict, fit_error: str, fit_time: float) -> dict:
    """The result ``_fit_and_score(**kwargs)`` returns for a fit that failed
    with ``fit_error`` after ``fit_time`` seconds (numeric ``error_score``)."""
    error_score = kwargs["error_score"]
    scorer = kwargs.get("scorer")
    names = getattr(scorer, "_scorers", None)  # _MultimetricScorer
    scores = dict.fromkeys(names, error_score) if names else error_score
    result: dict[str, Any] = {"fit_error": fit_error, "test_scores": scores}
    if kwargs.get("return_train_score"):
        result["train_scores"] = dict(scores) if names else scores
    if kwargs.get("return_n_test_samples"):
        result["n_test_samples"] = len(kwargs["test"])
    if kwargs.get("return_times"):
        result["fit_time"] = fit_time
        result["score_time"] = 0.0
    if kwargs.get("return_parameters"):
        result["parameters"] = kwargs.get("parameters")
    if kwargs.get("return_estimator"):
        result["estimator"] = None
    return result


class EvaluatedSoFar:
    """What scikit-learn's ``evaluate_candidates`` has accumulated, to read
    and to extend.

    ``BaseSearchCV.fit`` keeps the candidates, the raw results of
    ``_fit_and_score`` (one dict per candidate and fold) and the extra
    columns of every call of ``evaluate_candidates`` in variables of its own
    scope that the function closes over; each call formats ``cv_results_``
    from all of them with ``_format_results``, and after ``_run_search``
    ``fit`` reads ``all_out[0]`` and the last formatted results for
    ``multimetric_``, ``best_index_`` and the refit. A checkpoint reads each
    new batch's raw results here; a resumed search adds the recorded ones, so
    everything downstream sees them as if just evaluated. Overriding
    ``_format_results`` alone would not do: when the checkpoint already holds
    the whole search, ``evaluate_candidates`` is never called and ``fit``
    fails on the empty ``all_out``.

    Parameters
    ----------
    evaluate_candidates : callable
        The function ``BaseSearchCV.fit`` passes to ``_run_search``.

    Raises
    ------
    RuntimeError
        If ``evaluate_candidates`` does not close over those variables (a
        scikit-learn release that changed them).
    """

    def __init__(self, evaluate_candidates: Callable[..., Any]) -> None:
        self._cells = _required_cells(
            evaluate_candidates,
            _ACCUMULATORS,
            needed_by="checkpoint=",
            otherwise="run without checkpoint= or with scikit-learn 1.6 to 1.9",
        )

    @property
    def candidate_params(self) -> list[dict]:
        return self._cells["all_candidate_params"].cell_contents

    @property
    def out(self) -> list[dict]:
        return self._cells["all_out"].cell_contents

    @property
    def more_results(self) -> dict[str, list]:
        return self._cells["all_more_results"].cell_contents

    def last(self, n_candidates: int, n_splits: int) -> tuple[list, list, dict]:
        """Candidates, raw fit results and extra columns of the last
        ``n_candidates`` evaluated."""
        if n_candidates == 0:
            return [], [], {}
        return (
            self.candidate_params[-n_candidates:],
            self.out[-n_candidates * n_splits :],
            {key: list(v[-n_candidates:]) for key, v in self.more_results.items()},
        )

    def extend(
        self, candidate_params: list[dict], out: list[dict], more_results: dict
    ) -> None:
        """Add candidates evaluated elsewhere (a checkpoint's batches)."""
        self.candidate_params.extend(candidate_params)
        self.out.extend(out)
        for key, values in more_results.items():
            self.more_results[key].extend(values)

    def format(self, search: Any, n_splits: int) -> dict:
        """Format ``cv_results_`` from everything accumulated and make it the
        results ``fit`` uses."""
        results = search._format_results(
            self.candidate_params, n_splits, self.out, self.more_results
        )
        self._cells["results"].cell_contents = results
        return results


def folds_split_once(
    evaluate_candidates: Callable[..., Any], search: Any, required: bool = True
) -> Any:
    """The search's folds, split once, as a cv that yields them at every
    call.

    ``GridSearchCV`` splits once for all its candidates; a search in
    batches passes this to every batch so that all candidates see the same
    folds too, even from a splitter that shuffles without a seed (other
    folds at every split) or one that splits only once (an iterator of
    folds). The data and routed ``split`` parameters (``groups``) are those
    ``BaseSearchCV.fit`` gave ``evaluate_candidates``. Where a scikit-learn
    release keeps them elsewhere: a RuntimeError if ``required``, else None
    (every batch then splits again, which a splitter with constant folds
    allows).
    """
    names = ("X", "y", "routed_params")
    if not required and not set(names) <= set(_closure_cells(evaluate_candidates)):
        return None
    cells = _required_cells(
        evaluate_candidates,
        names,
        needed_by="A cv splitter that shuffles without a seed",
        otherwise="set the splitter's random_state to an int",
    )
    inputs = {name: cells[name].cell_contents for name in names}
    return check_cv(_split(search, inputs))


def _split(search: Any, inputs: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The (train, test) folds of the search's cv on the fit inputs."""
    cv, _ = checked_cv_and_n_splits(search)
    split_params = inputs["routed_params"].splitter.split
    return list(cv.split(inputs["X"], inputs["y"], **split_params))


def _tagged(tag: Any, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``function`` in a worker and return its result with ``tag``, so
    results arriving in any order can be matched to their task."""
    return tag, function(*args, **kwargs)


class FitTasks:
    """scikit-learn's fit-and-score tasks, one (candidate, fold) at a time.

    ``evaluate_candidates`` builds all the fits of its candidates and runs
    them in one ``Parallel`` call; an asynchronous search needs them one by
    one. The tasks here are built from the very inputs ``BaseSearchCV.fit``
    gave ``evaluate_candidates`` (data, cloned estimator, scorers, routed
    parameters, folds), read from its closure, with scikit-learn's
    configuration and warning filters carried to the workers as
    ``sklearn.utils.parallel.Parallel`` carries them. Each task returns
    ``(tag, result)``, ``result`` being the dict ``_fit_and_score`` returns.

    Parameters
    ----------
    evaluate_candidates : callable
        The function ``BaseSearchCV.fit`` passes to ``_run_search``.
    search : BaseSearchCV
        The running search.
    limit : callable, optional
        Makes ``_fit_and_score`` the function the workers run (a time
        limit); the result must pickle.

    Raises
    ------
    RuntimeError
        If ``evaluate_candidates`` does not close over those inputs (a
        scikit-learn release that changed them).
    """

    def __init__(
        self,
        evaluate_candidates: Callable[..., Any],
        search: Any,
        limit: Callable[[Callable[..., dict]], Callable[..., dict]] | None = None,
    ) -> None:
        self._fit_and_score = _fit_and_score if limit is None else limit(_fit_and_score)
        cells = _required_cells(
            evaluate_candidates,
            _FIT_INPUT_CELLS,
            needed_by="Asynchronous evaluation",
            otherwise="pass asynchronous=False",
        )
        inputs = {name: cells[name].cell_contents for name in _FIT_INPUT_CELLS}
        self._X, self._y = inputs["X"], inputs["y"]
        self._estimator = inputs["base_estimator"]
        self._kwargs = dict(inputs["fit_and_score_kwargs"])
        self.splits = _split(search, inputs)
        self.n_splits = len(self.splits)
        self._config = sklearn.get_config()
        filters = getattr(warnings, "_get_filters", None)
        self._warning_filters = list(
            filters() if filters is not None else warnings.filters
        )

    def task(
        self,
        tag: Any,
        candidate: dict[str, Any],
        split: int,
        progress: tuple[int, int],
    ) -> tuple[Callable[..., Any], tuple, dict]:
        """The joblib task fitting ``candidate`` on fold ``split``.

        ``progress`` is the candidate's (index, total), for the per-fit
        messages at high ``verbose``.
        """
        train, test = self.splits[split]
        function, args, kwargs = _sklearn_delayed(_tagged)(
            tag,
            self._fit_and_score,
            clone(self._estimator),
            self._X,
            self._y,
            train=train,
            test=test,
            parameters=candidate,
            split_progress=(split, self.n_splits),
            candidate_progress=progress,
            **self._kwargs,
        )
        if hasattr(function, "with_config_and_warning_filters"):
            function = function.with_config_and_warning_filters(
                self._config, self._warning_filters
            )
        elif hasattr(function, "with_config"):  # scikit-learn < 1.7
            function = function.with_config(self._config)
        return function, args, kwargs


def check_candidate_fits(results: list[dict], search: Any) -> None:
    """What ``evaluate_candidates`` does with the raw results of its fits
    before accumulating them: warn about (or raise on) failed fits, and give
    the error scores of a callable scorer the shape of its successful
    results. The failure check is looked up at call time, so inside
    :func:`tolerate_failed_batches` it is the tolerant one."""
    _sklearn_search._warn_or_raise_about_fit_failures(results, search.error_score)
    if callable(search.scoring):
        _insert_error_scores(results, search.error_score)


def results_so_far(evaluate_candidates: Callable[..., Any]) -> dict | None:
    """The ``cv_results_`` that ``evaluate_candidates`` formatted last (all
    candidates evaluated so far), or None if none were or if this
    scikit-learn keeps them elsewhere."""
    closure = getattr(evaluate_candidates, "__closure__", None) or ()
    code = getattr(evaluate_candidates, "__code__", None)
    cells = dict(zip(code.co_freevars if code else (), closure, strict=False))
    try:
        results = cells["results"].cell_contents
    except (KeyError, ValueError):  # no such variable, or an empty cell
        return None
    return results if isinstance(results, dict) and results else None


def select_best_index(search: Any, refit: Any, metric: str, results: dict) -> int:
    """``best_index_`` as ``BaseSearchCV.fit`` selects it."""
    return int(search._select_best_index(refit, metric, results))


@dataclass
class FailureLog:
    """What the fits of one search reported: how many ran and failed."""

    n_fits: int = 0
    n_failed: int = 0
    first_error: str | None = None
    #: Every distinct error message and how many fits raised it.
    errors: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)
    #: Metric names of a scorer returning a dict ([] for one metric), once known.
    metric_names: list[str] | None = None
    #: Failed fits still holding a scalar error score for want of the names.
    scalar_failures: list[dict] = field(default_factory=list)
    #: Report the failed fits once, over the whole search (:meth:`warn`),
    #: rather than at every batch.
    summarize: bool = False

    def count(self, results: list[dict]) -> None:
        """Add the raw results of some fits (``_fit_and_score`` dicts)."""
        errors = [r["fit_error"] for r in results if r["fit_error"] is not None]
        self.n_fits += len(results)
        self.n_failed += len(errors)
        self.errors.update(errors)
        if errors and self.first_error is None:
            self.first_error = errors[0]

    @property
    def all_failed(self) -> bool:
        return self.n_fits > 0 and self.n_failed == self.n_fits

    def warn(self, error_score: Any) -> None:
        """scikit-learn's ``FitFailedWarning`` ("N fits failed out of a total
        of M", with its summary of the errors) over every fit of the search,
        as ``GridSearchCV`` gives it once; nothing if no fit failed or if
        every fit did (:meth:`all_failed_error` is for that)."""
        if not self.n_failed or self.all_failed:
            return
        results: list[dict[str, str | None]] = [
            {"fit_error": error}
            for error, count in self.errors.items()
            for _ in range(count)
        ]
        results += [{"fit_error": None}] * (self.n_fits - self.n_failed)
        check = (
            _original_warn_or_raise or _sklearn_search._warn_or_raise_about_fit_failures
        )
        check(results, error_score)

    def all_failed_error(self, error_score: Any) -> ValueError:
        """scikit-learn's "All the N fits failed" error over the whole search
        (its own wording and summary of the errors), for when every fit of
        every batch failed."""
        results = [
            {"fit_error": error}
            for error, count in self.errors.items()
            for _ in range(count)
        ]
        check = (
            _original_warn_or_raise or _sklearn_search._warn_or_raise_about_fit_failures
        )
        try:
            check(results, error_score)
        except ValueError as exc:
            return ValueError(
                f"{exc}\nskhyper: every candidate of the search failed, so no "
                "best candidate exists."
            )
        return ValueError(f"All the {self.n_fits} fits failed.")


_ACTIVE_LOG: contextvars.ContextVar[FailureLog | None] = contextvars.ContextVar(
    "skhyper_failure_log", default=None
)
_original_warn_or_raise: Callable[..., None] | None = None
_HOOK_LOCK = threading.Lock()


def _warn_or_raise_about_fit_failures(results: list[dict], error_score: Any) -> None:
    """sklearn's check, except that inside a skhyper search a batch whose fits
    all failed is recorded and warned about instead of ending the search."""
    original = _original_warn_or_raise
    if original is None:  # only installed by tolerate_failed_batches()
        raise RuntimeError("scikit-learn's fit-failure check is not patched.")
    log = _ACTIVE_LOG.get()
    if log is None:
        original(results, error_score)
        return
    _give_failures_the_metric_names(log, results, error_score)
    log.count(results)
    if log.summarize:  # reported once, at the end of the search
        return
    try:
        original(results, error_score)
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
def tolerate_failed_batches(summarize: bool = False) -> Iterator[FailureLog]:
    """Within this context, a batch of failed fits does not end the search.

    scikit-learn raises "All the N fits failed" at the end of each call of
    ``evaluate_candidates``; for an iterative search a single failing
    candidate must not end it. The hook only acts in the thread and context
    of the search that entered it; every other search behaves as in sklearn.
    ``summarize`` silences scikit-learn's per-call warning about failed fits
    too: the caller reports them once with :meth:`FailureLog.warn`.
    """
    global _original_warn_or_raise
    # Searches starting at once in several threads must install the hook
    # once: a second install would take the hook for sklearn's function.
    with _HOOK_LOCK:
        if _original_warn_or_raise is None:
            _original_warn_or_raise = _sklearn_search._warn_or_raise_about_fit_failures
            _sklearn_search._warn_or_raise_about_fit_failures = (
                _warn_or_raise_about_fit_failures
            )
    log = FailureLog(summarize=summarize)
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
    Without any callback set on the search, no sub-task is opened: scikit-learn
    sends the context, with the whole task tree so far, to every fit, so an
    iterative search would send a tree that grows with every candidate (at
    10,000 candidates, half a megabyte per fit).
    """
    if callback_ctx is None or not (
        getattr(callback_ctx, "_callbacks", None)
        or getattr(estimator, "_skl_callbacks", None)
    ):
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

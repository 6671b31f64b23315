"""The shared base of skhyper's search meta-estimators."""

from __future__ import annotations

import contextlib
import copy
import functools
import math
import os
from abc import abstractmethod
from collections.abc import Sequence
from numbers import Integral
from numbers import Real as RealNumber
from typing import Any

import numpy as np

from skhyper.generators import BaseGenerator
from skhyper.search._checkpoint import Checkpoint
from skhyper.search._interrupt import is_explained_by
from skhyper.search._loop import run_search
from skhyper.search._observers import (
    SearchObserver,
    StoppingRules,
    VerbosePrinter,
    as_callback_list,
)
from skhyper.search._progress import ProgressBarDisplay, progress_console
from skhyper.search._space_synonyms import (
    SpaceSynonym,
    given_space_parameters,
    given_under,
)
from skhyper.search._timeout import TimeLimitedParallel
from skhyper.selection import pareto_front
from skhyper.space import SearchSpace, parse_search_space
from skhyper.utils._sklearn_compat import (
    BaseSearchCV,
    Interval,
    StrOptions,
    pretty_print_like_any_estimator,
    remember_fit_inputs,
    user_verbosity,
    wrapped_search_parallel,
)

__all__ = ["SPACE_PARAMETERS", "BaseHyperSearchCV"]

#: The names a search space may be given under: skhyper's and scikit-learn's.
SPACE_PARAMETERS = ("search_spaces", "param_grid", "param_distributions")

SHARED_PARAMETERS_DOC = """
    estimator : estimator object
        An object with ``fit``; a scikit-learn estimator or Pipeline.

    search_spaces : dict or list of dicts
        Parameter names mapped to what to search: any sequence of values
        (list, tuple, array, ``range``, ``pandas.Series``: a set of choices,
        as in a ``GridSearchCV`` param grid), a ``scipy.stats`` distribution
        (as in ``RandomizedSearchCV``), :class:`~skhyper.Real`,
        :class:`~skhyper.Integer` or :class:`~skhyper.Categorical` (Optuna's
        distribution objects too), or a single fixed value. A list of dicts
        gives alternative sub-spaces. Validated at ``fit``.

    param_grid, param_distributions : dict or list of dicts, default=None
        Synonyms of ``search_spaces``, so that code written for
        ``GridSearchCV(estimator, param_grid=...)`` or
        ``RandomizedSearchCV(estimator, param_distributions=...)`` runs
        unchanged. Give the space under exactly one of the three names.
        Left unset, both read as ``search_spaces`` (``search.param_grid``,
        ``get_params()["param_grid"]``), as ``GridSearchCV(estimator,
        grid).param_grid`` reads back the grid given positionally; ``clone``
        and ``repr`` keep to the name the space was given under.
        A grid under ``param_grid=`` that is smaller than ``n_iter`` is
        evaluated whole without the warning the other names give.
{specific}
    n_iter : int or None, default={n_iter_default}
        Number of candidates to evaluate. {n_iter_none}

    batch_size : int or None, default=None
        Candidates proposed per iteration. ``None`` asks for the whole search
        at once when the generator ignores scores (grid, random, Sobol;
        smaller batches under ``max_time`` or a ``checkpoint``) or when
        ``n_iter`` covers every candidate of a space of lists and neither
        ``max_time``, ``callbacks``, a ``checkpoint`` nor the asynchronous
        mode can end the search early (the order would change nothing: the
        grid is evaluated as ``GridSearchCV`` does, in one batch, in grid
        order, and the generator is told every score), for
        one finite-difference stencil with the gradient generator (its
        ``preferred_batch_size``), and otherwise for enough candidates that
        candidates x folds keeps ``n_jobs`` workers busy. Several batches
        share the folds of one split at the start, as the candidates of
        ``GridSearchCV`` do; only with a ``checkpoint`` must the cv splitter
        give the same folds at every call.

    asynchronous : bool or "auto", default="auto"
        ``True`` evaluates candidates asynchronously: every fit is a joblib
        task of its own, a worker that finishes one starts the next at once,
        and the generator is told each candidate's score as soon as its
        folds are back and proposes the next one while the other fits run
        (taking the running candidates into account). Workers no longer
        wait for the slowest fit of a batch nor for the generator, which
        keeps a large cluster busy; but the candidates then depend on the
        order in which fits finish, so a fixed ``random_state`` no longer
        gives identical results. In ``cv_results_`` the ``iteration`` of a
        candidate numbers the ask that proposed it; ``callbacks``,
        ``max_time``, the progress bar and the checkpoint see every
        finished candidate (each counts as one batch). ``False`` evaluates
        in batches (ask, evaluate all, tell), exactly reproducible.
        ``"auto"`` runs asynchronously a generator that uses scores (GP)
        on 8 or more parallel workers, where batches leave workers idle,
        and in batches otherwise. Needs joblib >= 1.4 and a backend that
        returns results as they come (loky, threading and dask do); not
        with ``batch_size`` nor with a generator proposing batches of its
        own (gradient). See :doc:`/parallel`.

    initial_points : list of dict or None, default=None
        Candidates to evaluate before any proposal of the generator (for
        example the best parameters of an earlier search). They count towards
        ``n_iter``.

    scoring : str, callable, list, tuple or dict, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`. The generator
        maximizes the refit metric (the first metric when ``refit`` is a
        callable or ``False`` under multi-metric scoring).

    n_jobs : int, default=None
        Number of jobs to run in parallel (joblib); ``-1`` uses all
        processors. Any joblib backend works, including dask. A batch whose
        worker died (a dask worker or loky process killed) is evaluated
        again, twice at most, with a ``RuntimeWarning``.

    refit : bool, str, or callable, default=True
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    cv : int, cross-validation generator or an iterable, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`: every
        candidate sees the same folds. A splitter that shuffles without a
        fixed ``random_state`` is split once, at the start of ``fit``, and
        those folds serve every batch (with a ``checkpoint`` it needs a
        fixed ``random_state``, since a resumed search splits again).

    verbose : int, default=0
        scikit-learn's messages at the same level as in ``GridSearchCV``
        ("Fitting K folds for each of N candidates" once for the search at
        ``1`` and at every iteration from ``2``, a line per fit from ``2``,
        with its scores from ``3``, and
        from ``10`` the candidate's number "k/N" counted over the whole
        search, as ``GridSearchCV`` counts them), plus
        skhyper's own line per iteration with the best score so far and,
        at the end, why the search stopped. From ``1``,
        ``progress_bar="auto"`` draws no bar.

    pre_dispatch : int or str, default="2*n_jobs"
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    random_state : int, RandomState instance or None, default=None
        Seed of the generator. An int gives the same candidates and
        ``cv_results_`` at every fit, whatever ``n_jobs``, in batch mode
        (see ``asynchronous``; not when evaluating asynchronously). ``None``
        draws from NumPy's global generator, as ``RandomizedSearchCV`` does,
        except for a grid evaluated whole, where, as ``GridSearchCV``, the
        search leaves it untouched for the estimators.

    error_score : "raise" or numeric, default=np.nan
        Score of a failed fit. A candidate failing on every fold is recorded
        and the search goes on; ``fit`` raises only when every fit of the
        whole search failed, and warns when no candidate got a finite score.
        Failed fits are reported once, at the end, in scikit-learn's
        ``FitFailedWarning`` ("N fits failed out of a total of M") over the
        whole search, as ``GridSearchCV`` gives it.
        ``"raise"`` re-raises the estimator's error.

    return_train_score : bool, default=False
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    max_time : float or None, default=None
        Wall-clock budget in seconds. Checked after each batch: the search
        starts no new batch once the budget is spent, then refits the best
        candidate as usual (the refit is not counted). Evaluating
        asynchronously, it is checked as each candidate finishes: no new
        candidate starts once the budget is spent and the fits running
        finish. So that the budget
        also bounds grid, random and Sobol searches, their batches are then
        sized from the measured time per candidate: the first keeps every
        worker busy once, later ones take about 5% of the budget and never
        more than the time left, so the overrun is about one such batch (or
        one fit longer than that). An explicit ``batch_size`` is used as
        given. ``None`` means no limit.

    callbacks : callable, list of callables or None, default=None
        Called after each batch (each candidate, asynchronously) with a
        :class:`~skhyper.SearchState`; a truthy return value (a string says
        why) stops the search, which then refits the best candidate as
        usual. Ready-made:
        :class:`~skhyper.NoImprovement`, :class:`~skhyper.TargetScore`.
        scikit-learn's own callbacks (scikit-learn >= 1.9) go through
        ``set_callbacks`` instead. A callback with an ``on_search_end``
        method also gets ``on_search_end(search, error)`` once ``fit`` is
        done (after the refit; ``error`` is None, or the exception ``fit``
        is about to raise), as :class:`~skhyper.tracking.MLflowLogger` uses
        to log the best model.

    progress_bar : "auto" or bool, default="auto"
        A live bar on stderr with the candidates done out of ``n_iter``, the
        best score so far, the elapsed time and an estimate of the time
        left. Needs rich: ``pip install rich`` (the ``progress`` extra). ``"auto"``
        draws it only when stderr is an interactive terminal (or in Jupyter
        with ipywidgets), ``verbose=0``, rich is installed and no
        scikit-learn ``ProgressBar`` callback is set; it is silent in pipes,
        log files, CI and joblib workers. ``True`` draws it wherever stderr
        goes (outside a terminal once, in its final state) and raises
        ImportError without rich; ``False`` never draws it. The bar moves
        after each iteration, so a search evaluated in one batch (grid,
        random or Sobol without ``batch_size``) fills it at the end, its
        clock running meanwhile.
    checkpoint : str, path-like or None, default=None
        A file where every finished batch is recorded (appended and synced
        to disk before the next batch starts). If it exists, ``fit`` first
        replays the candidates it holds, without refitting them, into
        ``cv_results_`` and the generator, then continues up to ``n_iter``
        (which may be raised to extend a finished search). A checkpoint
        recorded with another search space, estimator, data, folds or
        scoring is refused with a ``ValueError``. With a checkpoint, a
        ``KeyboardInterrupt`` ends the search cleanly: what finished is kept
        and the best candidate so far is refitted (without one, the interrupt
        propagates, and the search keeps ``cv_results_``, ``best_params_``,
        ``best_score_`` and ``best_index_`` of what finished, unrefitted).
        Generators that ignore scores then evaluate in about 20 batches
        rather than one (unless ``batch_size`` is set). The file holds JSON
        lines (plain data, no pickles): opening it runs no code. See
        :doc:`/checkpoints`.
    fit_timeout : float or None, default=None
        Seconds allowed for the fit and scoring of one candidate on one
        fold. A fit that runs longer is stopped, recorded as failed with
        ``error_score`` (its error text says it ran past ``fit_timeout``,
        and scikit-learn's ``FitFailedWarning`` shows it) and the search
        goes on; with ``error_score="raise"`` it raises
        :class:`~skhyper.FitTimeoutError`.
        Works with ``n_jobs=1``, loky and dask. In a process's main thread
        (``n_jobs=1``, loky workers) a ``SIGALRM`` timer interrupts the fit,
        also in ``time.sleep`` or I/O; in other threads (dask workers, a
        search run from a thread) the fit is interrupted at its next Python
        bytecode. C code that runs long without returning to Python (one
        libsvm solve) is stopped only when it returns, and threads or
        processes the estimator starts itself keep running. The final refit
        is not limited. ``None`` (default) adds nothing to any fit. See
        :doc:`/long_searches`.

    objectives : list of str or callable, or None, default=None
        Several objectives to trade off, for a Pareto front: ``"score"`` or
        a scorer name (maximized), ``"fit_time"``, ``"score_time"``,
        ``"total_time"`` (mean times, minimized), another ``cv_results_``
        column (maximized; ``"-column"`` minimizes), or a callable taking
        ``cv_results_`` and returning one value per candidate (maximized).
        A user metric of the fitted model (its size, the features it keeps)
        is a scorer in a multi-metric ``scoring``. The multi-objective
        generator (``"pareto_gp"``, which ``"gp"`` and
        :class:`BayesSearchCV` become with two or more objectives) models
        them all; times are modelled on a log scale. Other generators work
        unchanged. The fitted search then has ``pareto_front_``; pick the
        refitted model with ``refit=ParetoRefit(objectives)`` (see
        :mod:`skhyper.selection`).
"""

FITTED_ATTRIBUTES_DOC = """
    cv_results_ : dict of numpy (masked) ndarrays
        As in :class:`~sklearn.model_selection.GridSearchCV`, with one more
        column, ``iteration``: the iteration whose ask proposed the candidate.
        Candidates are listed in the order they were evaluated, except that a
        search that evaluated every candidate of a grid of lists lists them
        in ``ParameterGrid``'s order, as ``GridSearchCV`` does.

    best_estimator_, best_score_, best_params_, best_index_, scorer_, \
n_splits_, refit_time_, multimetric_, classes_, n_features_in_, \
feature_names_in_
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    generator_ : BaseGenerator
        The generator after the search, holding every told candidate and
        score.

    n_iter_ : int
        Number of ask/evaluate/tell iterations run.

    pareto_front_ : ndarray of int
        With ``objectives``: the indices into ``cv_results_`` of the
        candidates no other dominates, best first in the first objective.

    stop_reason_ : str
        Why the search stopped: ``n_iter`` reached, the space exhausted,
        ``max_time`` spent, a callback's answer or an interruption.
"""


class BaseHyperSearchCV(BaseSearchCV):
    """Base class: a BaseSearchCV whose candidates come from a generator."""

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "search_spaces": [dict, list, None],
        "param_grid": [dict, list, None],
        "param_distributions": [dict, list, None],
        "n_iter": [Interval(Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "asynchronous": ["boolean", StrOptions({"auto"})],
        "initial_points": [list, None],
        "random_state": ["random_state"],
        "max_time": [Interval(RealNumber, 0, None, closed="neither"), None],
        "callbacks": [callable, list, tuple, None],
        "progress_bar": [StrOptions({"auto"}), "boolean"],
        "checkpoint": [str, os.PathLike, None],
        "fit_timeout": [Interval(RealNumber, 0, None, closed="neither"), None],
        "objectives": [list, tuple, None],
    }

    # scikit-learn's names read as a space given positionally (scripts read
    # GridSearchCV(est, grid).param_grid back); clone and repr see them as
    # given, and so does the search (_search_space_spec).
    param_grid = SpaceSynonym()
    param_distributions = SpaceSynonym()

    @abstractmethod
    def __init__(
        self,
        estimator: Any,
        search_spaces: dict | list | None = None,
        *,
        param_grid: dict | list | None = None,
        param_distributions: dict | list | None = None,
        n_iter: int | None = None,
        batch_size: int | None = None,
        asynchronous: bool | str = "auto",
        initial_points: list[dict] | None = None,
        scoring: Any = None,
        n_jobs: int | None = None,
        refit: Any = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        random_state: Any = None,
        error_score: Any = np.nan,
        return_train_score: bool = False,
        max_time: float | None = None,
        callbacks: Any = None,
        progress_bar: bool | str = "auto",
        checkpoint: str | os.PathLike | None = None,
        fit_timeout: float | None = None,
        objectives: Sequence[Any] | None = None,
    ) -> None:
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        # The synonyms first: left at None, they read as search_spaces.
        self.param_grid = param_grid
        self.param_distributions = param_distributions
        self.search_spaces = search_spaces
        self.n_iter = n_iter
        self.batch_size = batch_size
        self.asynchronous = asynchronous
        self.initial_points = initial_points
        self.random_state = random_state
        self.max_time = max_time
        self.callbacks = callbacks
        self.progress_bar = progress_bar
        self.checkpoint = checkpoint
        self.fit_timeout = fit_timeout
        self.objectives = objectives

    def __sklearn_clone__(self) -> Any:
        with given_space_parameters():
            return super().__sklearn_clone__()

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        with given_space_parameters():
            return super().__repr__(N_CHAR_MAX)

    def _validate_params(self) -> None:
        # scikit-learn's parameter validation names the name given.
        with given_space_parameters():
            super()._validate_params()

    def _get_params_html(self, *args: Any, **kwargs: Any) -> Any:
        # The HTML display's parameter table (scikit-learn >= 1.7).
        with given_space_parameters():
            return super()._get_params_html(*args, **kwargs)

    def _search_space_spec(self) -> dict | list:
        """The search space, from whichever of its three names was given."""
        given = {
            name: given_under(self, name)
            for name in SPACE_PARAMETERS
            if given_under(self, name) is not None
        }
        if len(given) == 1:
            return next(iter(given.values()))
        name = type(self).__name__
        if not given:
            raise ValueError(
                f"{name} needs a search space: pass it as search_spaces (the "
                "second positional argument), param_grid= or "
                "param_distributions=."
            )
        raise ValueError(
            f"{name} got a search space under {' and '.join(given)}; these are "
            "synonyms, pass the space under one of them only."
        )

    def _parsed_search_space(self) -> SearchSpace:
        """The search space, validated against the estimator's parameters."""
        # Asked of a copy: the user's estimator is asked its parameters as
        # often as scikit-learn's searches ask (xgboost's get_params draws
        # a seed from a RandomState random_state, so each call moves it).
        estimator = copy.deepcopy(self.estimator)
        get_params = getattr(estimator, "get_params", None)
        return parse_search_space(
            self._search_space_spec(),
            valid_names=None if get_params is None else get_params(deep=True),
            accepts=self._estimator_accepts,
        )

    def _estimator_accepts(self, name: str, value: Any) -> bool:
        """Whether the estimator's ``set_params`` takes ``name`` (tried on a
        copy): the names it lists are not always all it accepts."""
        try:
            copy.deepcopy(self.estimator).set_params(**{name: value})
        except (ValueError, TypeError, AttributeError, KeyError):
            return False
        return True

    @property
    def _n_objectives(self) -> int:
        # Searches without the parameter (successive halving) have one.
        objectives = getattr(self, "objectives", None)
        if objectives is None:
            return 1
        if isinstance(objectives, str) or not len(objectives):
            raise ValueError(
                "objectives must be a non-empty list such as ['score', 'fit_time'], "
                f"got {objectives!r}."
            )
        return len(objectives)

    @abstractmethod
    def _make_generator(self) -> BaseGenerator:
        """A fresh, unstarted generator for this search."""

    def fit(self, X: Any, y: Any = None, **params: Any) -> BaseHyperSearchCV:
        """Run the search: evaluate candidates from the generator, then refit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target; None for unsupervised learning.
        **params : dict of str -> object
            Parameters passed to the estimator's ``fit``, the scorer and the
            cv splitter (``groups``), as in
            :meth:`sklearn.model_selection.GridSearchCV.fit`.

        Returns
        -------
        self : object
            The fitted search.
        """
        try:
            with remember_fit_inputs(X, y, params):
                super().fit(X, y, **params)
            objectives = getattr(self, "objectives", None)
            if objectives is not None:
                self.pareto_front_ = pareto_front(self.cv_results_, objectives)
        except KeyboardInterrupt as interrupt:
            _notify_search_end(self, interrupt)
            if not is_explained_by(interrupt, self):
                raise
            # Its message says what was kept; the loop's frames say nothing.
            raise interrupt.with_traceback(None) from None
        except BaseException as exc:
            _notify_search_end(self, exc)
            raise
        _notify_search_end(self, None)
        return self

    def _fit_time_limit(
        self, evaluate_candidates: Any
    ) -> contextlib.AbstractContextManager:
        """Within it, every fit of ``evaluate_candidates`` runs under
        ``fit_timeout`` (nothing at all when it is None)."""
        if self.fit_timeout is None:
            return contextlib.nullcontext()
        return wrapped_search_parallel(
            evaluate_candidates,
            functools.partial(TimeLimitedParallel, seconds=self.fit_timeout),
        )

    def _make_observers(self, space_size: float = math.inf) -> list[SearchObserver]:
        """``max_time`` and callbacks, the verbose printer and the progress bar
        (``space_size``: the number of candidates of the space searched)."""
        observers: list[SearchObserver] = [
            StoppingRules(self.max_time, as_callback_list(self.callbacks))
        ]
        verbose = user_verbosity(self)
        if verbose > 0:
            observers.append(VerbosePrinter(type(self).__name__, space_size))
        console = progress_console(self.progress_bar, verbose, self)
        if console is not None:
            observers.append(ProgressBarDisplay(type(self).__name__, console))
        return observers

    def _run_search(
        self, evaluate_candidates: Any, *, callback_ctx: Any = None
    ) -> None:
        """Ask the generator for batches, evaluate them and tell the scores."""
        space = self._parsed_search_space()
        observers = self._make_observers(space.size)
        generator = self._make_generator()
        with (
            (
                contextlib.nullcontext()
                if self.checkpoint is None
                else Checkpoint(_checkpoint_file(self.checkpoint), self, space)
            ) as checkpoint,
            self._fit_time_limit(evaluate_candidates),
        ):
            run_search(
                self,
                evaluate_candidates,
                space,
                generator,
                callback_ctx,
                observers,
                checkpoint,
            )


def _checkpoint_file(checkpoint: str | os.PathLike) -> str:
    """The ``checkpoint`` parameter as a file path, or a ValueError."""
    path = os.fspath(checkpoint)
    if not path or (isinstance(path, str) and not path.strip()):
        raise ValueError(
            f"checkpoint must name a file, such as 'search.ckpt', got {checkpoint!r}."
        )
    if os.path.isdir(path):
        raise ValueError(
            f"checkpoint={checkpoint!r} is a directory; name a file in it, such as "
            f"{os.path.join(path, 'search.ckpt')!r}."
        )
    return path


pretty_print_like_any_estimator(BaseHyperSearchCV.__repr__, given_space_parameters)


def _notify_search_end(search: BaseHyperSearchCV, error: BaseException | None) -> None:
    """Call ``on_search_end`` of the callbacks that have one."""
    callbacks = search.callbacks
    listed = callbacks if isinstance(callbacks, (list, tuple)) else [callbacks]
    for callback in listed:
        hook = getattr(callback, "on_search_end", None)
        if callable(hook):
            hook(search, error)

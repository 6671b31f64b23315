"""Optuna's ``OptunaSearchCV``, running on skhyper's search."""

from __future__ import annotations

import contextlib
import datetime
import math
import sys
from collections.abc import Iterator, Mapping
from numbers import Integral
from numbers import Real as RealNumber
from typing import Any

import numpy as np
from sklearn.base import is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.validation import check_is_fitted, indexable

from skhyper.optuna._options import (
    check_callbacks,
    check_catch,
    check_pruning,
    check_study,
)
from skhyper.optuna._trials import (
    DATAFRAME_ATTRS,
    FrozenTrial,
    SearchStudy,
    in_given_order,
    make_trial,
)
from skhyper.search import BayesSearchCV as CoreBayesSearchCV
from skhyper.search import SearchState
from skhyper.search._observers import SearchObserver, VerbosePrinter
from skhyper.search._state import objective_key
from skhyper.utils._sklearn_compat import (
    BaseSearchCV,
    Interval,
    RealNotInt,
    num_samples,
    safe_indexing,
)

__all__ = ["OptunaSearchCV"]

#: n_iter when neither n_trials nor a finite space bounds the search.
UNLIMITED = sys.maxsize


class OptunaSearchCV(CoreBayesSearchCV):
    """Optuna's ``OptunaSearchCV``: its arguments, skhyper's search.

    ``from skhyper.optuna import OptunaSearchCV`` runs code written for
    ``optuna.integration.OptunaSearchCV`` (now
    ``optuna_integration.OptunaSearchCV``) unchanged, without Optuna: the
    candidates come from skhyper's Gaussian-process generator
    (:class:`~skhyper.GPGenerator`, as :class:`skhyper.BayesSearchCV` runs
    it: Sobol points, then log expected improvement), where Optuna's
    default is its TPE sampler. It is a :class:`skhyper.BayesSearchCV`, so
    everything after ``fit`` is scikit-learn's (``cv_results_`` has every
    key ``GridSearchCV`` gives), and Optuna's own attributes (``trials_``,
    ``best_trial_``, ``study_``, ``trials_dataframe()``) are records of the
    same candidates. Arguments without a skhyper equivalent
    (``enable_pruning=True``, ``study``, ``catch`` with
    ``error_score="raise"``) raise a ``ValueError`` at ``fit`` naming the
    skhyper way.

    Parameters
    ----------
    estimator : estimator object
        An object with ``fit``; a scikit-learn estimator or Pipeline.

    param_distributions : dict or list of dicts
        Parameter names mapped to Optuna's ``FloatDistribution``,
        ``IntDistribution`` or ``CategoricalDistribution`` (with ``log`` and
        ``step``; recognised without importing Optuna), or to anything a
        skhyper search space takes: :class:`~skhyper.Real`,
        :class:`~skhyper.Integer`, :class:`~skhyper.Categorical`, a list of
        choices, a ``scipy.stats`` distribution, a fixed value. A list of
        dicts gives alternative sub-spaces (Optuna takes one dict only).

    cv : int, cross-validation generator or an iterable, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`: 5-fold, and
        stratified for a classifier, by default.

    enable_pruning : bool, default=False
        Only ``False``: Optuna's pruning between ``partial_fit`` epochs has
        no skhyper equivalent, and ``True`` raises a ``ValueError`` naming
        :class:`skhyper.HalvingBayesSearchCV` (successive halving, which
        stops unpromising candidates early by growing ``max_iter`` or the
        number of samples).

    error_score : "raise" or numeric, default=np.nan
        Score of a failed fit, as in scikit-learn. With a number, a
        candidate whose mean score is NaN is a ``FAIL`` trial and the search
        goes on; ``fit`` raises only if every fit failed.

    max_iter : int, default=1000
        Optuna's epochs of ``partial_fit`` under pruning; validated
        (``>= 1``) and otherwise unused, as in Optuna without pruning.

    n_jobs : int, default=None
        Number of joblib workers running the fits of each batch (Optuna runs
        whole trials in threads); ``-1`` uses every processor. The results
        do not depend on it for a given ``random_state``.

    n_trials : int or None, default=10
        Number of candidates to evaluate (skhyper's ``n_iter``). ``None``:
        no limit but ``timeout``, the size of a finite space, or an
        interruption (``KeyboardInterrupt``, raised from ``fit`` with
        ``cv_results_`` of what finished kept on the search, as Optuna
        keeps its trials).

    random_state : int, RandomState instance or None, default=None
        Seed of the search (and of ``subsample``): the same int gives the
        same candidates and ``cv_results_``, whatever ``n_jobs``.

    refit : bool, str or callable, default=True
        As in :class:`~sklearn.model_selection.GridSearchCV`: refit the best
        candidate on the whole data (a metric name under multi-metric
        ``scoring``, where Optuna has no multi-metric search).

    return_train_score : bool, default=False
        As in :class:`~sklearn.model_selection.GridSearchCV`; the train
        scores also go into each trial's ``user_attrs``.

    scoring : str, callable, list, tuple or dict, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`. The search
        maximizes the score (the refit metric under multi-metric scoring).

    study : None, default=None
        Only ``None``: an Optuna study (sampler, pruner, storage) is not
        run, and raises a ``ValueError`` naming the skhyper search that
        corresponds to its sampler. ``study_`` holds the trials after fit.

    subsample : float or int, default=1.0
        The samples the search sees, as in Optuna: a share of them (float)
        or a number (int), drawn without replacement with ``random_state``;
        their indices are ``sample_indices_``. The cross-validation folds
        split these samples only; the refit uses all of them.

    timeout : float or None, default=None
        Seconds after which no new batch starts (skhyper's ``max_time``);
        the best candidate is then refitted as usual.

    verbose : int, default=0
        As in :class:`skhyper.BayesSearchCV`: scikit-learn's messages, plus a
        line per batch with the best score so far.

    callbacks : list of callables or None, default=None
        Optuna-style callbacks, each called as ``callback(study, trial)``
        after each trial (in order, once its batch is evaluated), with the
        search's :class:`SearchStudy` and the trial's :class:`FrozenTrial`.
        ``study.stop()`` ends the search after the current batch;
        ``study.set_user_attr`` and ``study.best_value`` work as in Optuna,
        and so does ``optuna.study.MaxTrialsCallback``.

    catch : exception class or tuple of them, default=()
        With a numeric ``error_score`` (the default), every failed fit is
        already recorded and the search goes on, so ``catch`` changes
        nothing. With ``error_score="raise"``, a non-empty ``catch`` raises
        a ``ValueError``: skhyper cannot go on after some exception types
        only.

    Attributes
    ----------
    cv_results_, best_estimator_, best_score_, best_params_, best_index_, \
scorer_, n_splits_, refit_time_, multimetric_, classes_, n_features_in_
        As in :class:`~sklearn.model_selection.GridSearchCV`;
        ``cv_results_`` also has skhyper's ``iteration`` column.
        ``best_index_`` is ``best_trial_.number``, as in Optuna.

    study_ : SearchStudy
        The trials, read as an Optuna study: ``study_.best_trial``,
        ``study_.trials``, ``study_.trials_dataframe()``, ``user_attrs``.

    trials_ : list of FrozenTrial
        One per candidate, numbered by their row in ``cv_results_``.

    best_trial_ : FrozenTrial
        The trial of ``best_index_``.

    n_trials_ : int
        Number of trials evaluated.

    user_attrs_ : dict
        The study's user attributes (``set_user_attr``).

    sample_indices_ : ndarray of int
        The samples the search evaluated on (all unless ``subsample``).

    generator_, n_iter_, stop_reason_
        As in :class:`skhyper.BayesSearchCV` (``n_iter_`` counts batches).

    See Also
    --------
    skhyper.BayesSearchCV : The same search with skhyper's own arguments
        (``max_time``, stopping callbacks, checkpoints, the acquisition).

    Examples
    --------
    Optuna's distributions go in as they are (``FloatDistribution(1e-2,
    1e2, log=True)``); skhyper's dimensions and lists work too:

    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from skhyper import Real
    >>> from skhyper.optuna import OptunaSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = OptunaSearchCV(
    ...     SVC(), {"C": Real(1e-2, 1e2, log=True), "kernel": ["rbf", "linear"]},
    ...     n_trials=8, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> search.n_trials_, search.best_index_ == search.best_trial_.number
    (8, True)
    >>> bool(search.best_trial_.value == search.best_score_)
    True
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "param_distributions": [Mapping, list],
        "enable_pruning": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "n_trials": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "study": "no_validation",
        "subsample": [
            Interval(RealNotInt, 0, 1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "timeout": [Interval(RealNumber, 0, None, closed="neither"), None],
        "callbacks": [list, tuple, None],
        "catch": "no_validation",
    }

    # skhyper's search settings this face does not take as arguments; fit
    # sets n_iter, max_time and cv from n_trials, timeout and subsample.
    search_spaces = None
    param_grid = None
    n_iter = None
    batch_size = None
    asynchronous = False  # per-trial records need the batches' results
    initial_points = None
    max_time = None
    progress_bar: bool | str = "auto"
    checkpoint = None
    fit_timeout = None
    objectives = None
    acquisition = "log_ei"
    n_initial_points = None

    def __init__(
        self,
        estimator: Any,
        param_distributions: Mapping[str, Any] | list,
        *,
        cv: Any = None,
        enable_pruning: bool = False,
        error_score: Any = np.nan,
        max_iter: int = 1000,
        n_jobs: int | None = None,
        n_trials: int | None = 10,
        random_state: Any = None,
        refit: Any = True,
        return_train_score: bool = False,
        scoring: Any = None,
        study: Any = None,
        subsample: float | int = 1.0,
        timeout: float | None = None,
        verbose: int = 0,
        callbacks: list | None = None,
        catch: Any = (),
    ) -> None:
        BaseSearchCV.__init__(
            self,
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch="2*n_jobs",
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.param_distributions = param_distributions
        self.enable_pruning = enable_pruning
        self.max_iter = max_iter
        self.n_trials = n_trials
        self.random_state = random_state
        self.study = study
        self.subsample = subsample
        self.timeout = timeout
        self.callbacks = callbacks
        self.catch = catch

    @property
    def _estimator_type(self) -> str | None:
        # optuna-integration's OptunaSearchCV has it on every scikit-learn (from
        # the estimator's tags), where scikit-learn's searches dropped it in 1.8.
        estimator_type: str | None = get_tags(self.estimator).estimator_type
        return estimator_type

    # -- Optuna's fitted attributes ------------------------------------------
    def _fitted_study(self) -> SearchStudy:
        check_is_fitted(self, "study_")
        study: SearchStudy = self.study_
        return study

    @property
    def trials_(self) -> list[FrozenTrial]:
        """Every trial, numbered by its row in ``cv_results_``."""
        return self._fitted_study().trials

    @property
    def n_trials_(self) -> int:
        """Number of trials evaluated."""
        return len(self._fitted_study().get_trials(deepcopy=False))

    @property
    def best_trial_(self) -> FrozenTrial:
        """The trial of ``best_index_`` (the refitted candidate)."""
        trials = self._fitted_study().get_trials(deepcopy=False)
        if "best_index_" not in self.__dict__:
            raise AttributeError(
                "best_trial_ needs best_index_, which scikit-learn does not set "
                "under multi-metric scoring with refit=False."
            )
        return trials[self.best_index_].copy()

    @property
    def user_attrs_(self) -> dict[str, Any]:
        """The study's user attributes, set by :meth:`set_user_attr`."""
        return self._fitted_study().user_attrs

    def set_user_attr(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` in ``user_attrs_`` (the study's).

        Parameters
        ----------
        key : str
            The attribute's name.
        value : object
            Its value.
        """
        self._fitted_study().set_user_attr(key, value)

    def trials_dataframe(
        self, attrs: tuple[str, ...] = DATAFRAME_ATTRS, multi_index: bool = False
    ) -> Any:
        """The trials as a ``pandas.DataFrame``, with Optuna's columns.

        See :meth:`SearchStudy.trials_dataframe`; needs pandas (without it,
        ``cv_results_`` has the same numbers).

        Parameters
        ----------
        attrs : tuple of str, default=DATAFRAME_ATTRS
            The trial fields to show.
        multi_index : bool, default=False
            Two-level column names instead of ``params_C``-style ones.

        Returns
        -------
        pandas.DataFrame
        """
        return self._fitted_study().trials_dataframe(attrs, multi_index)

    # -- the search ----------------------------------------------------------
    def fit(
        self, X: Any, y: Any = None, groups: Any = None, **fit_params: Any
    ) -> OptunaSearchCV:
        """Run the search on ``X``, then refit the best candidate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target; None for unsupervised learning.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group cv splitter.
        **fit_params : dict
            Passed to the estimator's ``fit`` (and to the scorer and
            splitter, as in :meth:`sklearn.model_selection.GridSearchCV.fit`).

        Returns
        -------
        self : object
        """
        self._validate_params()
        check_study(self.study)
        check_pruning(self.enable_pruning, self.estimator)
        check_catch(self.catch, self.error_score)
        optuna_callbacks = check_callbacks(self.callbacks)
        indices, cv = self._subsampled_cv(X, y, groups)
        n_iter = self._n_candidates()
        params = dict(fit_params)
        if groups is not None:
            params["groups"] = groups
        study = SearchStudy(study_name=type(self).__name__)
        recorder = TrialRecorder(study, optuna_callbacks, self.param_distributions)
        settings = {
            "n_iter": n_iter,
            "max_time": self.timeout,
            "cv": cv,
            "callbacks": None,
            "_trial_recorder": recorder,
            "_open_ended": n_iter == UNLIMITED,
        }
        if n_iter == UNLIMITED:
            settings["progress_bar"] = False
        self.sample_indices_ = indices
        try:
            with _core_settings(self, settings):
                super().fit(X, y, **params)
        except BaseException:
            if recorder.trials:
                self.study_ = study
                study._set_trials(recorder.trials)
            raise
        self.study_ = study
        study._set_trials(recorder.trials_in_order_of(self.cv_results_, self.refit))
        if "best_index_" in self.__dict__:
            # An int, as Optuna's (a trial number); scikit-learn's is numpy's.
            self.best_index_ = int(self.__dict__["best_index_"])
        if "best_params_" in self.__dict__:
            # In the order of param_distributions, as Optuna's trials suggest
            # them (skhyper's candidates list them by name).
            self.best_params_ = in_given_order(
                self.__dict__["best_params_"], self.param_distributions
            )
        return self

    def _n_candidates(self) -> int:
        if self.n_trials is not None:
            return int(self.n_trials)
        size = self._parsed_search_space().size
        return int(size) if math.isfinite(size) else UNLIMITED

    def _subsampled_cv(self, X: Any, y: Any, groups: Any) -> tuple[np.ndarray, Any]:
        """``sample_indices_`` and the cv the search uses: the user's when
        every sample is used, else the folds of the subsample, as indices
        into the whole data (so that the refit sees every sample)."""
        n_samples = num_samples(X)
        size = self.subsample
        if isinstance(size, RealNumber) and not isinstance(size, Integral):
            size = int(size * n_samples)
        indices = np.arange(n_samples)
        if size >= n_samples:
            return indices, self.cv
        if size < 1:
            raise ValueError(
                f"subsample={self.subsample!r} of {n_samples} samples leaves none "
                "to search on."
            )
        X, y, groups = indexable(X, y, groups)
        rng = check_random_state(self.random_state)
        indices = np.sort(rng.choice(n_samples, int(size), replace=False))

        def part(data: Any) -> Any:
            return None if data is None else safe_indexing(data, indices)

        cv = check_cv(self.cv, part(y), classifier=is_classifier(self.estimator))
        splits = [
            (indices[train], indices[test])
            for train, test in cv.split(part(X), part(y), part(groups))
        ]
        return indices, splits

    def _make_observers(self, space_size: float = math.inf) -> list[SearchObserver]:
        observers = super()._make_observers(space_size)
        if getattr(self, "_open_ended", False):
            observers = [
                OpenEndedPrinter(o.name) if isinstance(o, VerbosePrinter) else o
                for o in observers
            ]
        recorder = getattr(self, "_trial_recorder", None)
        if recorder is not None:
            observers.append(recorder)
        return observers


class TrialRecorder(SearchObserver):
    """Writes a :class:`FrozenTrial` for each candidate as its batch ends,
    with the batch's start and end times, and calls the Optuna-style
    callbacks with it."""

    def __init__(self, study: SearchStudy, callbacks: list, distributions: Any) -> None:
        self.study = study
        self.callbacks = callbacks
        self.distributions = distributions
        self.trials: list[FrozenTrial] = []
        # id(candidate) -> (candidate, start): the candidate dict is kept so
        # that its id stays its own.
        self._started: dict[int, tuple[dict, datetime.datetime]] = {}
        self._candidates: list[dict] = []

    def on_start(self, state: SearchState) -> None:
        self.study._running = True

    def on_batch_start(self, state: SearchState, candidates: list[dict]) -> None:
        now = datetime.datetime.now()
        for candidate in candidates:
            self._started.setdefault(id(candidate), (candidate, now))

    def on_batch(self, state: SearchState) -> str | None:
        results = state.results
        if results is None:
            return None
        now = datetime.datetime.now()
        new = []
        for row in range(len(self.trials), state.n_evaluated):
            candidate = state.candidates[row]
            started = self._started.get(id(candidate))
            trial = make_trial(
                results,
                row,
                state.objective,
                _distributions_of(self.distributions, candidate),
                None if started is None else started[1],
                now,
            )
            self.trials.append(trial)
            self._candidates.append(candidate)
            new.append(trial)
        self.study._set_trials(self.trials)
        for trial in new:
            for callback in self.callbacks:
                callback(self.study, trial.copy())
        if self.study._stop_requested:
            return "study.stop() was called by a callback"
        return None

    def on_end(self, state: SearchState, stop_reason: str) -> None:
        self.study._running = False

    def trials_in_order_of(self, results: dict, refit: Any) -> list[FrozenTrial]:
        """The trials in the order of the rows of the final ``cv_results_``
        (a whole grid of choices is listed in grid order), numbered so."""
        by_id = {id(c): t for c, t in zip(self._candidates, self.trials, strict=True)}
        objective = objective_key(results, refit)
        trials = []
        for row, params in enumerate(results["params"]):
            trial = by_id.get(id(params))
            if trial is None:  # not seen batch by batch: no times known
                trial = make_trial(
                    results,
                    row,
                    objective,
                    _distributions_of(self.distributions, params),
                    None,
                    None,
                )
            trial.number = trial.trial_id = row
            trials.append(trial)
        return trials


class OpenEndedPrinter(VerbosePrinter):
    """The verbose line of a search without a number of candidates."""

    def on_batch(self, state: SearchState) -> None:
        print(
            f"[{self.name}] iteration {state.n_batches - 1}: "
            f"{state.n_evaluated} candidates done, "
            f"best {state.metric} so far {state.best_score:.6g}, "
            f"{state.elapsed:.1f} s elapsed",
            flush=True,
        )


def _distributions_of(spec: Any, params: dict) -> dict[str, Any]:
    """The part of the user's search space that produced ``params``: the
    dict itself, or the sub-space of a list with the same names."""
    if isinstance(spec, Mapping):
        return dict(spec)
    for subspace in spec if isinstance(spec, list) else []:
        if isinstance(subspace, Mapping) and set(subspace) == set(params):
            return dict(subspace)
    return {}


@contextlib.contextmanager
def _core_settings(search: OptunaSearchCV, settings: dict[str, Any]) -> Iterator[None]:
    """Give the core search its reading of Optuna's arguments for one fit,
    then restore the user's values, so that ``get_params`` and ``clone``
    see what was passed."""
    saved = {name: search.__dict__.get(name, _MISSING) for name in settings}
    search.__dict__.update(settings)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is _MISSING:
                search.__dict__.pop(name, None)
            else:
                search.__dict__[name] = value


_MISSING = object()

"""scikit-optimize's ``BayesSearchCV``, running on skhyper's search."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from numbers import Integral
from typing import Any

import numpy as np
from scipy.stats import rankdata

from skhyper.generators import BaseGenerator
from skhyper.search import BayesSearchCV as CoreBayesSearchCV
from skhyper.search import SearchState
from skhyper.skopt._dimensions import to_core_subspace
from skhyper.skopt._options import generator_from_optimizer_kwargs
from skhyper.skopt._sequence import SubspaceSequence
from skhyper.utils._sklearn_compat import BaseSearchCV, Interval

__all__ = ["BayesSearchCV"]


def _check_callback(callback: Any) -> list[Callable]:
    if callback is None:
        return []
    if callable(callback):
        return [callback]
    if isinstance(callback, (list, tuple)) and all(callable(c) for c in callback):
        return list(callback)
    raise ValueError("callback should be either a callable or a list of callables.")


class _SkoptCallbacks:
    """Calls scikit-optimize-style callbacks after each batch.

    Each gets the ``OptimizeResult`` of the sub-space the batch came from; a
    truthy answer stops that sub-space (scikit-optimize's meaning), and the
    whole search once no sub-space is left. While the search runs,
    ``best_score_`` and ``best_params_`` of the search hold the best so far,
    so a callback may read them (scikit-optimize's documented example does).
    """

    __name__ = "fit(callback=...)"

    def __init__(self, search: BayesSearchCV, callbacks: list[Callable]) -> None:
        self.search = search
        self.callbacks = callbacks

    def __call__(self, state: SearchState) -> str | None:
        generator = self.search._sequence
        index = generator.last_subspace_
        if state.best_params is not None:
            self.search.best_score_ = state.best_score
            self.search.best_params_ = state.best_params
        if index is None or not self.callbacks:
            return None
        result = generator.result(index)
        # Every callback is called, as scikit-optimize does.
        answers = [bool(callback(result)) for callback in self.callbacks]
        if any(answers):
            generator.stop_subspace(index)
            if not generator.has_more:
                return "a callback returned True"
        return None


class BayesSearchCV(CoreBayesSearchCV):
    """scikit-optimize's ``BayesSearchCV``: its arguments, skhyper's search.

    ``from skhyper.skopt import BayesSearchCV, Real, Integer, Categorical``
    runs code written for ``skopt.BayesSearchCV`` unchanged, on skhyper's
    Gaussian-process search (which also accepts failed fits, and is
    a :class:`skhyper.BayesSearchCV`). Migrating further, to
    :class:`skhyper.BayesSearchCV` itself, gives ``max_time``, stopping
    callbacks, checkpoints and every generator setting.

    Parameters
    ----------
    estimator : estimator object
        An object with ``fit``; a scikit-learn estimator or Pipeline.

    search_spaces : dict, list of dict, or list of (dict, int)
        Parameter names mapped to ``Real``, ``Integer`` or ``Categorical``
        (from this module or from skhyper), to a tuple ``(low, high)``,
        ``(low, high, prior)`` or ``(low, high, "log-uniform", base)`` (a
        range: ``Integer`` when both bounds are integers, else ``Real``), or
        to a list of choices. Anything else skhyper's searches accept (a
        scipy.stats distribution, a fixed value) is accepted too. A list
        gives sub-spaces searched one after another, each for ``n_iter``
        candidates, or for its own count in a ``(dict, n_iter)`` pair; all
        candidates land in one ``cv_results_``.

        Lists are choices, as in scikit-learn and as scikit-optimize
        announces; scikit-optimize 0.10 still reads a list of two numbers as
        a range, so such a list gets a warning.

    optimizer_kwargs : dict or None, default=None
        scikit-optimize ``Optimizer`` arguments with a skhyper equivalent:
        ``n_initial_points`` (``n_random_starts``), ``acq_func`` (``"EI"``
        and ``"PI"`` run their log forms, ``"LCB"`` runs the upper confidence
        bound of the score; ``"gp_hedge"``, scikit-optimize's default
        portfolio, runs log EI), ``acq_func_kwargs={"kappa": ...}``,
        ``acq_optimizer``, ``acq_optimizer_kwargs`` (``n_points``,
        ``n_restarts_optimizer``), ``base_estimator="GP"`` or ``"dummy"``
        (random search), ``initial_point_generator="random"`` or
        ``"sobol"`` (skhyper always starts from scrambled Sobol points),
        ``random_state`` (used when the search's own ``random_state`` is
        None), and ``n_jobs``/``model_queue_size`` (no effect). Others, such
        as ``base_estimator="RF"`` or ``acq_func="EIps"``, raise a
        ``ValueError`` naming the skhyper way.

    n_iter : int, default=50
        Candidates per sub-space that has no count of its own.

    scoring : str, callable, list, tuple or dict, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    fit_params : dict or None, default=None
        Parameters passed to the estimator's ``fit`` (scikit-optimize's
        older spelling; those given to :meth:`fit` take precedence). A
        ``callback`` key is ignored with a warning, as scikit-optimize 0.10
        ignores it (it ignores every key here): the search's callbacks go to
        :meth:`fit`.

    n_jobs : int, default=1
        Number of jobs to run in parallel (joblib).

    n_points : int, default=1
        Candidates proposed per batch; with ``n_jobs > 1``, a batch's
        ``n_points`` x folds fits run in parallel.

    iid : "deprecated", default="deprecated"
        Ignored, with a warning when set (as in scikit-optimize).

    refit : bool, str or callable, default=True
        As in :class:`~sklearn.model_selection.GridSearchCV` (a callable is
        accepted, which scikit-optimize refuses).

    cv : int, cross-validation generator or an iterable, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    verbose : int, default=0
        As in :class:`skhyper.BayesSearchCV`.

    pre_dispatch : int or str, default="2*n_jobs"
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    random_state : int, RandomState instance or None, default=None
        Seed of the search: the same int gives the same candidates.

    error_score : "raise" or numeric, default="raise"
        scikit-optimize's default: a failed fit raises. A number records the
        failure (skhyper models it as the worst score) and the search goes
        on, where scikit-optimize would stop on the NaN.

    return_train_score : bool, default=False
        Adds the train scores to ``cv_results_``, with ``rank_train_*``
        columns as scikit-optimize gives them.

    Attributes
    ----------
    cv_results_, best_estimator_, best_score_, best_params_, best_index_, \
scorer_, n_splits_, refit_time_, multimetric_
        As in :class:`~sklearn.model_selection.GridSearchCV`; ``cv_results_``
        also has skhyper's ``iteration`` column.

    optimizer_results_ : list of scipy.optimize.OptimizeResult
        One per sub-space, in order, as scikit-optimize gives them: ``x``,
        ``fun`` (the negated best score), ``x_iters``, ``func_vals`` (negated
        scores), ``space`` (with the ``distance``, ``dimension_names`` and
        ``n_dims`` of ``skopt.space.Space``, so that ``DeltaXStopper`` works);
        plus ``x_dict`` and ``generator`` (skhyper's model of that
        sub-space). ``models`` is empty.

    optimizers_ : list of BaseGenerator
        The generator of each sub-space.

    generator_, n_iter_, stop_reason_
        As in :class:`skhyper.BayesSearchCV`.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from skhyper.skopt import BayesSearchCV, Real
    >>> X, y = load_iris(return_X_y=True)
    >>> opt = BayesSearchCV(
    ...     SVC(),
    ...     {"C": Real(1e-2, 1e2, prior="log-uniform"),
    ...      "gamma": (1e-3, 1.0, "log-uniform")},
    ...     n_iter=10, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> len(opt.cv_results_["params"]), opt.total_iterations
    (10, 10)
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "search_spaces": [dict, list],
        "optimizer_kwargs": [dict, None],
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        "fit_params": [dict, None],
        "n_points": [Interval(Integral, 1, None, closed="left")],
        "iid": "no_validation",
        "random_state": ["random_state"],
    }

    # skhyper's search settings this face does not take as arguments.
    initial_points = None
    max_time = None
    checkpoint = None
    progress_bar = "auto"
    callbacks = None
    fit_timeout = None
    objectives = None
    batch_size = None  # n_points, during fit
    # scikit-optimize prints scikit-learn's "Fitting K folds" line at every
    # step from verbose=1.
    _fitting_line_per_batch = True

    def __init__(
        self,
        estimator: Any,
        search_spaces: dict | list,
        optimizer_kwargs: dict | None = None,
        n_iter: int = 50,
        scoring: Any = None,
        fit_params: dict | None = None,
        n_jobs: int | None = 1,
        n_points: int = 1,
        iid: Any = "deprecated",
        refit: Any = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        random_state: Any = None,
        error_score: Any = "raise",
        return_train_score: bool = False,
    ) -> None:
        BaseSearchCV.__init__(
            self,
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
        self.search_spaces = search_spaces
        self.optimizer_kwargs = optimizer_kwargs
        self.n_iter = n_iter
        self.fit_params = fit_params
        self.n_points = n_points
        self.iid = iid
        self.random_state = random_state

    def _subspaces_and_budgets(self) -> tuple[list[Any], list[int]]:
        spaces = self.search_spaces
        if isinstance(spaces, dict):
            spaces = [spaces]
        if not isinstance(spaces, list) or not spaces:
            raise ValueError(
                "The search_spaces parameter should contain at least one non-empty "
                f"search space, got {self.search_spaces!r}."
            )
        subspaces, budgets = [], []
        for position, element in enumerate(spaces):
            if isinstance(element, tuple):
                if len(element) != 2:
                    raise ValueError(
                        "All tuples in list of search spaces should have length 2, "
                        f"and contain (dict, int), got {element!r}."
                    )
                subspace, n_iter = element
                if not isinstance(n_iter, Integral) or n_iter < 0:
                    raise ValueError(
                        "Number of iterations in search space should be a "
                        f"non-negative integer, got {n_iter!r} in tuple "
                        f"search_spaces[{position}]."
                    )
            else:
                subspace, n_iter = element, self.n_iter
            subspaces.append(subspace)
            budgets.append(int(n_iter))
        if not any(budgets):
            raise ValueError(
                f"Every sub-space has a budget of 0 candidates ({budgets}); set "
                "n_iter or a (space, n_iter) pair to at least 1."
            )
        return subspaces, budgets

    @property
    def total_iterations(self) -> int:
        """Candidates the search evaluates over all sub-spaces (at most)."""
        return sum(self._subspaces_and_budgets()[1])

    @property
    def optimizer_results_(self) -> list:
        """One ``OptimizeResult`` per sub-space (see the class docstring)."""
        sequence = getattr(self, "generator_", None)
        if not isinstance(sequence, SubspaceSequence):
            raise AttributeError(
                "optimizer_results_ exists only after fit: this "
                f"{type(self).__name__} instance is not fitted yet."
            )
        return [sequence.result(i) for i in range(len(sequence.generators_))]

    @property
    def optimizers_(self) -> list[BaseGenerator]:
        """The generator of each sub-space."""
        sequence = getattr(self, "generator_", None)
        if not isinstance(sequence, SubspaceSequence):
            raise AttributeError(
                f"optimizers_ exists only after fit: this {type(self).__name__} "
                "instance is not fitted yet."
            )
        return list(sequence.generators_)

    def fit(
        self,
        X: Any,
        y: Any = None,
        *,
        groups: Any = None,
        callback: Any = None,
        **fit_params: Any,
    ) -> BayesSearchCV:
        """Run the search, then refit the best candidate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target; None for unsupervised learning.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group cv splitter.
        callback : callable or list of callables, default=None
            Called after each batch with the ``OptimizeResult`` of the
            sub-space searched; a truthy return value ends that sub-space
            (and the search after the last one).
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
        """
        self._skopt_callbacks = _check_callback(callback)
        if self.iid != "deprecated":
            warnings.warn(
                "The `iid` parameter has been deprecated and will be ignored.",
                FutureWarning,
                stacklevel=2,
            )
        params = {**self._constructor_fit_params(), **fit_params}
        if groups is not None:
            params["groups"] = groups
        try:
            super().fit(X, y, **params)
        finally:
            del self._skopt_callbacks
        if self.return_train_score:
            self._add_train_ranks()
        return self

    def _constructor_fit_params(self) -> dict[str, Any]:
        """``fit_params`` given to the constructor, for the estimator's fit.

        scikit-optimize 0.10 ignores them (its older releases passed them to
        the estimator), so scripts written for it carry keys meant for the
        search, chiefly ``callback``: that one is ignored with a warning, as
        scikit-optimize ignores it, instead of failing in the estimator.
        """
        params = dict(self.fit_params or {})
        if "callback" in params:
            params.pop("callback")
            warnings.warn(
                "fit_params={'callback': ...} given to BayesSearchCV is "
                "ignored, as scikit-optimize 0.10 ignores it: callbacks of the "
                "search go to fit(X, y, callback=...). The other fit_params "
                "given to the constructor are passed to the estimator's fit.",
                UserWarning,
                stacklevel=3,
            )
        return params

    def _add_train_ranks(self) -> None:
        results = self.cv_results_
        for key in [k for k in results if k.startswith("mean_train_")]:
            scores = np.asarray(results[key], dtype=float)
            scores = np.where(np.isfinite(scores), scores, -np.inf)
            ranks = rankdata(-scores, method="min").astype(np.int32)
            results["rank_train_" + key.removeprefix("mean_train_")] = ranks

    def _make_generator(self) -> BaseGenerator:
        return self._sequence

    def _search_space_spec(self) -> list[dict]:
        return self._core_spec

    def _run_search(
        self, evaluate_candidates: Any, *, callback_ctx: Any = None
    ) -> None:
        subspaces, budgets = self._subspaces_and_budgets()
        warned: set[str] = set()
        core_spec = [
            to_core_subspace(subspace, position, warned)
            for position, subspace in enumerate(subspaces)
        ]
        generator, kwargs_seed = generator_from_optimizer_kwargs(self.optimizer_kwargs)
        settings = {
            "_core_spec": core_spec,
            "_sequence": SubspaceSequence(generator, budgets),
            "n_iter": sum(budgets),
            "batch_size": self.n_points,
            "callbacks": [_SkoptCallbacks(self, getattr(self, "_skopt_callbacks", []))],
            "random_state": (
                self.random_state if self.random_state is not None else kwargs_seed
            ),
        }
        with _core_settings(self, settings):
            super()._run_search(evaluate_candidates, callback_ctx=callback_ctx)


@contextlib.contextmanager
def _core_settings(search: BayesSearchCV, settings: dict[str, Any]) -> Iterator[None]:
    """Give the core search loop its reading of the scikit-optimize
    arguments for the duration of one search, then restore the user's
    values (so ``get_params`` and ``clone`` always see what was passed).
    The best-so-far attributes the callbacks saw are removed at the end:
    scikit-learn sets the final ones after the search."""
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
        for name in ("best_score_", "best_params_"):
            search.__dict__.pop(name, None)


_MISSING = object()

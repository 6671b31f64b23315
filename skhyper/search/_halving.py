"""Successive halving with candidates from a (multi-fidelity) Gaussian process."""

from __future__ import annotations

import contextlib
import os
from numbers import Integral
from numbers import Real as RealNumber
from typing import Any, cast

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from skhyper.generators import (
    BaseGenerator,
    GPGenerator,
    MultiFidelityGPGenerator,
    RandomGenerator,
    SobolGenerator,
)
from skhyper.search._base import BaseHyperSearchCV
from skhyper.search._halving_loop import HalvingCheckpoint, HalvingPlan, run_halving
from skhyper.search._halving_schedule import (
    SubsampledFolds,
    check_resource,
    plan_schedule,
)
from skhyper.search._warm_start import WarmStarts, warm_start_parameter
from skhyper.utils._sklearn_compat import (
    BaseSearchCV,
    HasMethods,
    Interval,
    StrOptions,
    checked_cv_and_n_splits,
    cv_splits,
    fit_inputs,
    num_samples,
    user_verbosity,
    yields_constant_splits,
)

__all__ = ["HalvingBayesSearchCV"]

HALVING_GENERATORS = {
    "gp": MultiFidelityGPGenerator,
    "random": RandomGenerator,
    "sobol": SobolGenerator,
}


class HalvingBayesSearchCV(BaseHyperSearchCV):
    """Successive halving whose candidates come from a Gaussian process.

    A drop-in replacement for scikit-learn's
    :class:`~sklearn.model_selection.HalvingRandomSearchCV` (same resource
    semantics, schedule, ``cv_results_`` keys and fitted attributes), with
    the candidates of the first rung proposed by a Gaussian process that
    learns from every score at every rung
    (:class:`~skhyper.MultiFidelityGPGenerator`). Most fits are cheap: all
    candidates are first evaluated with ``min_resources`` (samples, or
    iterations or estimators of the model), and only the best ``1 / factor``
    of them go on to ``factor`` times the resource, rung after rung.

    See :doc:`/multi_fidelity` for the resource semantics and how a
    low-fidelity ranking that disagrees with the full-fidelity one is
    handled.

    Parameters
    ----------
    estimator : estimator object
        An object with ``fit``; a scikit-learn estimator or Pipeline.

    search_spaces : dict or list of dicts
        As in :class:`~skhyper.BayesSearchCV`: lists of values, frozen
        ``scipy.stats`` distributions, :class:`~skhyper.Real`,
        :class:`~skhyper.Integer`, :class:`~skhyper.Categorical` or fixed
        values. The resource parameter must not be among them.

    param_grid, param_distributions : dict or list of dicts, default=None
        Synonyms of ``search_spaces``, for scripts written for scikit-learn's
        ``HalvingGridSearchCV`` and ``HalvingRandomSearchCV``; give the space
        under one name only. A finite space given as ``param_grid=`` keeps
        ``HalvingGridSearchCV``'s defaults: the whole grid in the first rung
        and ``min_resources="exhaust"`` (see ``min_resources``). Left unset,
        both read as ``search_spaces`` (``search.param_grid``,
        ``get_params()["param_grid"]``), as scikit-learn's searches read
        back the space given positionally; the schedule still follows the
        name the space was given under.

    resource : str, default="n_samples"
        What grows from rung to rung. ``"n_samples"``: each fit sees a random
        subset of ``n_resources`` samples' share of its training fold (and
        is scored on the same share of its test fold), as in scikit-learn.
        Otherwise the name of an integer parameter of the estimator
        (``"n_estimators"``, ``"max_iter"``, or ``"<step>__max_iter"`` in a
        Pipeline), set to ``n_resources`` in every candidate of a rung.

    factor : float, default=3
        Each rung keeps the best ``1 / factor`` of the candidates of the rung
        before (rounded up) and multiplies their resource by ``factor``.

    min_resources : int, "auto", "smallest" or "exhaust", default="auto"
        The resource of the first rung. ``"smallest"``: ``2 * n_splits``
        samples (times the number of classes for a classifier) with
        ``resource="n_samples"``, ``1`` otherwise. ``"exhaust"``: as large
        as lets the last rung use ``max_resources``, given ``n_candidates``.
        ``"auto"``: the default of the scikit-learn search whose keyword
        gave the space: ``"exhaust"`` for a finite ``param_grid=``
        (``HalvingGridSearchCV``), ``"smallest"`` otherwise
        (``HalvingRandomSearchCV``).

    max_resources : int or "auto", default="auto"
        The largest resource. ``"auto"``: the number of samples with
        ``resource="n_samples"``, and the estimator's own value of the
        resource parameter otherwise (``n_estimators=100`` gives 100).

    n_candidates : int or "exhaust", default="exhaust"
        Candidates of the first rung of each bracket. ``"exhaust"``:
        ``max_resources // min_resources``, so that the last rung uses about
        ``max_resources``; for a finite space given as ``param_grid=``, the
        whole grid, as in ``HalvingGridSearchCV``.

    aggressive_elimination : bool, default=False
        As in scikit-learn: when resources would run out before few
        candidates are left, repeat the first rung's resource until they do.

    n_brackets : int, default=1
        Successive-halving brackets run one after the other. Each bracket's
        first rung is proposed by a generator that knows every result of the
        brackets before, so later brackets start from better candidates.
        ``best_params_`` comes from the highest rung any bracket finished,
        compared across brackets.

    hyperband : bool, default=False
        Run Hyperband's brackets (Li et al., 2018) instead of repeating one
        bracket: bracket ``b`` starts at rung ``b % n_iterations_`` with
        fewer candidates (about ``n_candidates * n_iterations_ /
        ((n_iterations_ - s) * factor**s)`` at starting rung ``s``), so the
        brackets cycle from the most aggressive (every candidate starts at
        ``min_resources``) to one that evaluates a few candidates at
        ``max_resources`` only. Each kind of bracket costs about the same.
        This guards against a low-fidelity ranking that misleads, at the
        price of fewer candidates per unit of budget; see
        :doc:`/multi_fidelity`. Needs ``n_brackets > 1`` to matter.

    warm_start_promotions : bool, default=False
        With a resource that is an estimator parameter (``n_estimators``,
        ``max_iter``, a Pipeline step's ``clf__n_estimators``), fit a
        promoted candidate by continuing its fitted model of the rung before
        on each fold (``warm_start=True``: a forest of 27 trees promoted to
        81 grows 54 more) instead of fitting it again from nothing. For
        scikit-learn's ensembles (forests, bagging, gradient boosting,
        HistGradientBoosting), whose warm start grows the model to the new
        value; other estimators, and ``resource="n_samples"``, raise a
        ``ValueError``. A forest with an integer ``random_state`` grows the
        very trees a cold fit would; a boosting model's early stopping and
        random subsampling may differ slightly from a cold fit. The fold
        models of the last rung's candidates stay in memory (those of
        candidates not promoted are dropped), and travel to and from the
        workers with ``n_jobs``; a search resumed from a checkpoint fits its
        first promotions cold. Measured in ``benchmarks/RESULTS.md``.

    generator : {"gp", "random", "sobol"} or generator instance, default="gp"
        Where candidates of the first rung come from. ``"gp"`` is
        :class:`~skhyper.MultiFidelityGPGenerator` (a
        :class:`~skhyper.GPGenerator` instance is converted to it, keeping
        its parameters); ``"random"`` makes this a
        ``HalvingRandomSearchCV``. Other instances are cloned and told the
        scores of the first rung only. A Gaussian-process generator left at
        ``n_initial_points=None`` proposes the whole first rung of the first
        bracket as scrambled Sobol points, and its model proposes from the
        second bracket on, once promotions brought scores at several
        fidelities: with ``n_brackets=1`` the search is then a quasi-random
        successive halving. Set ``n_initial_points`` to let the model
        propose within the first rung.

    batch_size : int or None, default=None
        Candidates asked from the generator at a time in a first rung.
        ``None``: the whole rung at once for generators that ignore scores
        and for the Gaussian process's Sobol design (by default the first
        bracket's first rung), and about a quarter of it where the Gaussian
        process proposes (so the rest of the rung already uses the first
        scores). Promoted rungs are evaluated in one batch. With a
        checkpoint, every rung is evaluated in about four batches.

    initial_points : list of dict or None, default=None
        Candidates placed first in the first rung of the first bracket.

    scoring : str, callable, list, tuple or dict, default=None
        As in :class:`~sklearn.model_selection.GridSearchCV`; candidates are
        ranked and promoted by the refit metric (the first metric when
        ``refit`` is not a metric name).

    n_jobs : int, default=None
        Number of jobs to run in parallel (joblib; dask works too).

    refit : bool, str, or callable, default=True
        As in :class:`~sklearn.model_selection.GridSearchCV`. A callable
        receives the whole ``cv_results_`` and chooses among all rungs.

    cv : int, cross-validation generator or an iterable, default=5
        As in :class:`~sklearn.model_selection.HalvingRandomSearchCV`. A
        splitter that shuffles needs a fixed ``random_state``: every rung
        must see the same folds.

    verbose : int, default=0
        As in scikit-learn's halving searches (the schedule, then each rung's
        number of candidates and resource, and scikit-learn's messages per
        batch and, from ``2``, per fit), plus skhyper's line per batch with
        the bracket, rung, resource and best score so far.

    pre_dispatch : int or str, default="2*n_jobs"
        As in :class:`~sklearn.model_selection.GridSearchCV`.

    random_state : int, RandomState instance or None, default=None
        Seed of the generator and of the sample subsets
        (``resource="n_samples"``); an int with ``generator="random"``
        draws the same subsets as scikit-learn's halving searches. ``None``
        (without ``checkpoint``) draws each rung's subsets from NumPy's
        global generator when the rung starts, as scikit-learn's halving
        searches do, and nothing else: a script that seeds NumPy gets
        ``HalvingGridSearchCV``'s subsets for a grid.

    error_score : "raise" or numeric, default=np.nan
        Score of a failed fit; failed candidates are never promoted.

    return_train_score : bool, default=True
        As in :class:`~sklearn.model_selection.HalvingRandomSearchCV`.

    max_time : float or None, default=None
        Wall-clock budget in seconds, checked after each batch. With
        ``n_brackets`` large, this makes an anytime search: brackets run
        until the budget is spent.

    callbacks : callable, list of callables or None, default=None
        As in :class:`~skhyper.BayesSearchCV`; the
        :class:`~skhyper.SearchState` they receive has a ``stage`` naming
        the bracket, rung and resource. Its scores mix all rungs.

    progress_bar : "auto" or bool, default="auto"
        As in :class:`~skhyper.BayesSearchCV`; the bar counts evaluations
        over all rungs and brackets and shows the current rung and resource.

    checkpoint : str, path-like or None, default=None
        As in :class:`~skhyper.BayesSearchCV`: every finished batch is
        recorded; resuming puts recorded results back in their bracket and
        rung and evaluates only the rest (a rung interrupted half-way
        continues where it stopped). A checkpoint recorded with another
        resource schedule is refused.

    fit_timeout : float or None, default=None
        As in :class:`~skhyper.BayesSearchCV`: a fit (with its scoring) on
        one fold that runs longer is stopped and recorded as failed, so the
        candidate is not promoted.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        As in scikit-learn's halving searches (``iter`` is the rung,
        ``n_resources`` its resource; a Hyperband bracket's first ``iter``
        is its starting rung), plus ``iteration`` (the batch) and
        ``bracket``.

    best_estimator_, best_score_, best_params_, best_index_, scorer_, \
n_splits_, refit_time_, multimetric_, classes_, n_features_in_, \
feature_names_in_
        As in :class:`~sklearn.model_selection.HalvingRandomSearchCV`: the
        best candidate of the highest rung that a bracket finished.

    n_resources_ : list of int
        The resource of each rung.

    n_candidates_ : list of int
        Candidates evaluated at each rung, over all brackets.

    n_iterations_, n_possible_iterations_, n_required_iterations_, \
min_resources_, max_resources_, n_remaining_candidates_
        As in :class:`~sklearn.model_selection.HalvingRandomSearchCV`.

    n_brackets_ : int
        Brackets started.

    best_rung_ : int
        The rung ``best_params_`` comes from.

    generator_ : BaseGenerator
        The generator after the search.

    n_iter_ : int
        Number of batches evaluated.

    stop_reason_ : str
        Why the search stopped.

    See Also
    --------
    BayesSearchCV : Every candidate at full fidelity.
    sklearn.model_selection.HalvingRandomSearchCV : Random candidates.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skhyper import HalvingBayesSearchCV, Integer
    >>> X, y = load_digits(return_X_y=True)
    >>> search = HalvingBayesSearchCV(
    ...     RandomForestClassifier(random_state=0),
    ...     {"max_depth": Integer(2, 20), "min_samples_leaf": Integer(1, 10)},
    ...     resource="n_estimators", max_resources=27, min_resources="exhaust",
    ...     n_candidates=9, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> search.n_resources_
    [3, 9, 27]
    >>> search.best_params_["n_estimators"]
    27
    """

    _parameter_constraints: dict = {
        **{
            k: v
            for k, v in BaseHyperSearchCV._parameter_constraints.items()
            if k != "n_iter"
        },
        "resource": [str],
        "factor": [Interval(RealNumber, 1, None, closed="neither")],
        "min_resources": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto", "exhaust", "smallest"}),
        ],
        "max_resources": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "n_candidates": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"exhaust"}),
        ],
        "aggressive_elimination": ["boolean"],
        "n_brackets": [Interval(Integral, 1, None, closed="left")],
        "hyperband": ["boolean"],
        "warm_start_promotions": ["boolean"],
        "generator": [
            StrOptions(set(HALVING_GENERATORS)),
            HasMethods(["start", "ask", "tell"]),
        ],
    }

    n_resources_: list[int]

    def __init__(
        self,
        estimator: Any,
        search_spaces: dict | list | None = None,
        *,
        param_grid: dict | list | None = None,
        param_distributions: dict | list | None = None,
        resource: str = "n_samples",
        factor: float = 3,
        min_resources: int | str = "auto",
        max_resources: int | str = "auto",
        n_candidates: int | str = "exhaust",
        aggressive_elimination: bool = False,
        n_brackets: int = 1,
        hyperband: bool = False,
        generator: str | BaseGenerator = "gp",
        batch_size: int | None = None,
        initial_points: list[dict] | None = None,
        scoring: Any = None,
        n_jobs: int | None = None,
        refit: Any = True,
        cv: Any = 5,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        random_state: Any = None,
        error_score: Any = np.nan,
        return_train_score: bool = True,
        max_time: float | None = None,
        callbacks: Any = None,
        progress_bar: bool | str = "auto",
        checkpoint: str | os.PathLike | None = None,
        fit_timeout: float | None = None,
        warm_start_promotions: bool = False,
    ) -> None:
        super().__init__(
            estimator,
            search_spaces,
            param_grid=param_grid,
            param_distributions=param_distributions,
            batch_size=batch_size,
            initial_points=initial_points,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            random_state=random_state,
            error_score=error_score,
            return_train_score=return_train_score,
            max_time=max_time,
            callbacks=callbacks,
            progress_bar=progress_bar,
            checkpoint=checkpoint,
            fit_timeout=fit_timeout,
        )
        # Successive halving plans its own number of candidates: n_iter is
        # not a parameter here (an attribute outside the signature would
        # break get_params and clone).
        del self.n_iter
        # Nor does it take several objectives (yet).
        del self.objectives
        self.resource = resource
        self.factor = factor
        self.min_resources = min_resources
        self.max_resources = max_resources
        self.n_candidates = n_candidates
        self.aggressive_elimination = aggressive_elimination
        self.n_brackets = n_brackets
        self.hyperband = hyperband
        self.generator = generator
        self.warm_start_promotions = warm_start_promotions

    def _make_generator(self) -> BaseGenerator:
        generator = self.generator
        if isinstance(generator, str):
            return HALVING_GENERATORS[generator]()
        if isinstance(generator, GPGenerator) and not isinstance(
            generator, MultiFidelityGPGenerator
        ):
            params = generator.get_params()
            # Scores at several fidelities do not measure progress alike: the
            # multi-fidelity model has no trust region.
            params.pop("trust_region", None)
            return MultiFidelityGPGenerator(**params)
        return clone(generator)

    def _run_search(
        self, evaluate_candidates: Any, *, callback_ctx: Any = None
    ) -> None:
        """Run the brackets of successive halving."""
        space = self._parsed_search_space()
        X, y, _ = fit_inputs()
        cv, n_splits = checked_cv_and_n_splits(self)
        if not yields_constant_splits(cv):
            raise ValueError(
                "The cv parameter must yield consistent folds across calls to "
                "split(): every rung of successive halving compares candidates "
                f"on the same folds, but {cv!r} shuffles without a fixed seed. "
                "Set its random_state to an int, or set shuffle=False."
            )
        searched = set().union(*(subspace.dimensions for subspace in space))
        resource_default = check_resource(self, searched)
        warm_parameter = (
            warm_start_parameter(self.estimator, self.resource)
            if self.warm_start_promotions
            else None
        )
        n_samples_resource = self.resource == "n_samples"
        n_total = num_samples(X)
        # The cv's own errors first (too few samples for its splits), but an
        # empty X gets scikit-learn's error about min_resources_ instead.
        splits = cv_splits(self) if n_samples_resource and n_total else []
        schedule = plan_schedule(
            self, X, y, n_splits, splits, resource_default, space.size
        )
        random_state = check_random_state(self.random_state)
        subsample_seed: int | None
        folds_of_rung: dict[int, SubsampledFolds] = {}
        if self.random_state is None and self.checkpoint is None:
            # As scikit-learn's halving searches: each rung's subsets come
            # from NumPy's global generator when the rung starts, and nothing
            # else of the search draws from it (its generator gets a copy),
            # so a script that seeds NumPy gets HalvingGridSearchCV's subsets.
            random_state = np.random.RandomState()
            random_state.set_state(np.random.get_state())  # noqa: NPY002
            subsample_seed = None
        else:
            subsample_seed = (
                int(self.random_state)
                if isinstance(self.random_state, Integral)
                else int(random_state.randint(2**31))
            )

        def cv_at(resources: int) -> Any:
            if not n_samples_resource:
                return None
            # One per rung, however many batches evaluate it: without a seed
            # it draws its subsets once (a seed gives the same at every call).
            if resources not in folds_of_rung:
                folds_of_rung[resources] = SubsampledFolds(
                    cv, resources / n_total, subsample_seed, n_splits
                )
            return folds_of_rung[resources]

        plan = HalvingPlan(
            schedule=schedule,
            n_brackets=self.n_brackets,
            resource=self.resource,
            cv_at=cv_at,
            n_splits=n_splits,
            warm_starts=None
            if warm_parameter is None
            else WarmStarts(warm_parameter, last_rung=schedule.n_iterations - 1),
        )
        self._set_schedule_attributes(schedule)
        if user_verbosity(self) > 0:
            # scikit-learn's halving searches print these lines.
            print(
                f"n_iterations: {schedule.n_iterations}\n"
                f"n_required_iterations: {schedule.n_required_iterations}\n"
                f"n_possible_iterations: {schedule.n_possible_iterations}\n"
                f"min_resources_: {schedule.min_resources}\n"
                f"max_resources_: {schedule.max_resources}\n"
                f"aggressive_elimination: {schedule.aggressive_elimination}\n"
                f"factor: {schedule.factor}",
                flush=True,
            )
        generator = self._make_generator()
        if (
            isinstance(generator, MultiFidelityGPGenerator)
            and generator.n_initial_points is None
        ):
            # Scores of one low fidelity mislead the model towards settings
            # that are slow and no better at full fidelity; until promotions
            # bring scores at several fidelities, a space-filling design
            # does better (benchmarks/RESULTS.md, issue 11).
            generator.set_params(n_initial_points=schedule.n_first(0))
        generator.start(
            space, random_state=random_state, initial_points=self.initial_points
        )
        resource_param = None if n_samples_resource else self.resource
        with (
            (
                contextlib.nullcontext(None)
                if self.checkpoint is None
                else HalvingCheckpoint(self.checkpoint, self, space, resource_param)
            ) as checkpoint,
            self._fit_time_limit(evaluate_candidates),
        ):
            run = run_halving(
                self,
                evaluate_candidates,
                space,
                generator,
                plan,
                self._make_observers(),
                cast("HalvingCheckpoint | None", checkpoint),
                callback_ctx,
            )
        rungs = range(schedule.n_iterations)
        self.n_candidates_ = [
            sum(len(r.candidates) for (_, i), r in run.rungs.items() if i == rung)
            for rung in rungs
        ]
        last = max((i for i, n in enumerate(self.n_candidates_) if n), default=0)
        self.n_candidates_ = self.n_candidates_[: last + 1]
        self.n_resources_ = self.n_resources_[: last + 1]
        self.n_remaining_candidates_ = int(
            np.ceil(self.n_candidates_[-1] / schedule.factor)
        )
        self.n_brackets_ = 1 + max((b for b, _ in run.rungs), default=0)
        self.best_rung_ = run.best_rung()

    def _set_schedule_attributes(self, schedule: Any) -> None:
        self.min_resources_ = schedule.min_resources
        self.max_resources_ = schedule.max_resources
        self.n_iterations_ = schedule.n_iterations
        self.n_possible_iterations_ = schedule.n_possible_iterations
        self.n_required_iterations_ = schedule.n_required_iterations
        self.n_resources_ = [
            schedule.n_resources(rung) for rung in range(schedule.n_iterations)
        ]

    def _select_best_index(self, refit: Any, refit_metric: str, results: dict) -> int:
        """The best candidate of the highest rung a bracket finished (a
        callable ``refit`` chooses itself, among all rungs)."""
        if callable(refit):
            return BaseSearchCV._select_best_index(refit, refit_metric, results)
        rows = np.flatnonzero(np.asarray(results["iter"]) == self.best_rung_)
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=float)[rows]
        if np.isnan(scores).all():
            return int(rows[0])
        return int(rows[np.nanargmax(scores)])

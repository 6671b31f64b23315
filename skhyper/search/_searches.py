"""The public search meta-estimators."""

from __future__ import annotations

import os
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np

from skhyper.generators import (
    GENERATORS,
    BaseGenerator,
    GPGenerator,
    ParetoGPGenerator,
    RandomGenerator,
    make_generator,
)
from skhyper.search._base import (
    FITTED_ATTRIBUTES_DOC,
    SHARED_PARAMETERS_DOC,
    BaseHyperSearchCV,
)
from skhyper.utils._sklearn_compat import HasMethods, Interval, StrOptions

__all__ = ["BayesSearchCV", "HyperSearchCV", "RandomSearchCV"]

GENERATOR_DOC = """
    generator : str or generator instance, default="random"
        ``"grid"``, ``"random"``, ``"sobol"``, ``"gp"``, ``"gradient"``,
        ``"pareto_gp"``, or a configured generator such as
        ``GridGenerator(n_points=10)``; an instance is cloned. With two or
        more ``objectives``, ``"gp"`` means ``"pareto_gp"``.
"""

BAYES_DOC = """
    acquisition : {"log_ei", "ucb", "pi"}, default="log_ei"
        The acquisition function (see :class:`~skhyper.GPGenerator`).

    n_initial_points : int or None, default=None
        Sobol points before the model takes over (see
        :class:`~skhyper.GPGenerator`).
"""


class HyperSearchCV(BaseHyperSearchCV):
    __doc__ = f"""Search over hyperparameters with any candidate generator.

    A drop-in replacement for :class:`~sklearn.model_selection.GridSearchCV`
    and :class:`~sklearn.model_selection.RandomizedSearchCV`: the same
    cross-validation, scoring, ``cv_results_``, ``refit`` and parallelism,
    with candidates proposed by a generator in iterations of ask, evaluate,
    tell.

    Parameters
    ----------
    {
        SHARED_PARAMETERS_DOC.format(
            n_iter_default="None",
            n_iter_none="``None`` evaluates the whole grid for a generator that "
            "enumerates a finite grid, and 10 candidates otherwise.",
            specific=GENERATOR_DOC,
        ).strip()
    }

    Attributes
    ----------
    {FITTED_ATTRIBUTES_DOC.strip()}

    See Also
    --------
    RandomSearchCV : The same with the random generator.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from skhyper import HyperSearchCV, Real
    >>> X, y = load_iris(return_X_y=True)
    >>> search = HyperSearchCV(
    ...     SVC(), {{"C": Real(1e-2, 1e2, log=True), "kernel": ["linear", "rbf"]}},
    ...     generator="sobol", n_iter=8, random_state=0,
    ... ).fit(X, y)
    >>> sorted(search.best_params_)
    ['C', 'kernel']
    """

    _parameter_constraints: dict = {
        **BaseHyperSearchCV._parameter_constraints,
        "generator": [
            StrOptions(set(GENERATORS)),
            HasMethods(["start", "ask", "tell"]),
        ],
    }

    def __init__(
        self,
        estimator: Any,
        search_spaces: dict | list | None = None,
        *,
        param_grid: dict | list | None = None,
        param_distributions: dict | list | None = None,
        generator: str | BaseGenerator = "random",
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
            estimator,
            search_spaces,
            param_grid=param_grid,
            param_distributions=param_distributions,
            n_iter=n_iter,
            batch_size=batch_size,
            asynchronous=asynchronous,
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
            objectives=objectives,
        )
        self.generator = generator

    def _make_generator(self) -> BaseGenerator:
        if self.generator == "gp" and self._n_objectives > 1:
            return ParetoGPGenerator()
        return make_generator(self.generator)


class RandomSearchCV(BaseHyperSearchCV):
    __doc__ = f"""Random search over hyperparameters.

    Like :class:`~sklearn.model_selection.RandomizedSearchCV`, and it also
    takes :class:`~skhyper.Real`, :class:`~skhyper.Integer` and
    :class:`~skhyper.Categorical` dimensions and fixed values. Candidates
    are drawn independently from the priors; lists-only spaces are sampled
    without replacement.

    Parameters
    ----------
    {
        SHARED_PARAMETERS_DOC.format(
            n_iter_default="10",
            n_iter_none="``None`` means 10.",
            specific="",
        ).strip()
    }

    Attributes
    ----------
    {FITTED_ATTRIBUTES_DOC.strip()}

    See Also
    --------
    HyperSearchCV : The same with any generator.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skhyper import RandomSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = RandomSearchCV(
    ...     LogisticRegression(max_iter=1000), {{"C": loguniform(1e-3, 1e3)}},
    ...     n_iter=5, random_state=0,
    ... ).fit(X, y)
    >>> len(search.cv_results_["params"])
    5
    """

    def __init__(
        self,
        estimator: Any,
        search_spaces: dict | list | None = None,
        *,
        param_grid: dict | list | None = None,
        param_distributions: dict | list | None = None,
        n_iter: int | None = 10,
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
            estimator,
            search_spaces,
            param_grid=param_grid,
            param_distributions=param_distributions,
            n_iter=n_iter,
            batch_size=batch_size,
            asynchronous=asynchronous,
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
            objectives=objectives,
        )

    def _make_generator(self) -> BaseGenerator:
        return RandomGenerator()


class BayesSearchCV(BaseHyperSearchCV):
    __doc__ = f"""Bayesian optimization of hyperparameters with a Gaussian process.

    A drop-in replacement for :class:`~sklearn.model_selection.GridSearchCV`
    (and for scikit-optimize's ``BayesSearchCV``) whose candidates come from
    :class:`~skhyper.GPGenerator`: a few Sobol points, then each batch
    maximizes the expected improvement of a Gaussian-process model of the
    cross-validated score.

    Parameters
    ----------
    {
        SHARED_PARAMETERS_DOC.format(
            n_iter_default="50",
            n_iter_none="``None`` means 50. A finite space of fewer candidates "
            "is evaluated whole, with a warning only when ``n_iter`` was set "
            "(not for the default, nor for a grid under ``param_grid=``).",
            specific=BAYES_DOC,
        ).strip()
    }

    Attributes
    ----------
    {FITTED_ATTRIBUTES_DOC.strip()}

    See Also
    --------
    HyperSearchCV : Any generator, e.g. ``generator=GPGenerator(xi=0.01)``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from skhyper import BayesSearchCV, Real
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearchCV(
    ...     SVC(), {{"C": Real(1e-2, 1e2, log=True), "gamma": Real(1e-3, 1, log=True)}},
    ...     n_iter=12, random_state=0,
    ... ).fit(X, y)
    >>> bool(search.best_score_ > 0.9)
    True
    """

    _parameter_constraints: dict = {
        **BaseHyperSearchCV._parameter_constraints,
        "acquisition": [StrOptions({"log_ei", "ei", "ucb", "pi", "log_pi"})],
        "n_initial_points": [Interval(Integral, 1, None, closed="left"), None],
    }
    # n_iter=50 is skhyper's: a grid swapped in from GridSearchCV that is
    # smaller is evaluated whole without a warning.
    _default_n_iter_is_sklearns = False

    def __init__(
        self,
        estimator: Any,
        search_spaces: dict | list | None = None,
        *,
        param_grid: dict | list | None = None,
        param_distributions: dict | list | None = None,
        acquisition: str = "log_ei",
        n_initial_points: int | None = None,
        n_iter: int | None = 50,
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
            estimator,
            search_spaces,
            param_grid=param_grid,
            param_distributions=param_distributions,
            n_iter=n_iter,
            batch_size=batch_size,
            asynchronous=asynchronous,
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
            objectives=objectives,
        )
        self.acquisition = acquisition
        self.n_initial_points = n_initial_points

    def _make_generator(self) -> BaseGenerator:
        if self._n_objectives > 1:
            return ParetoGPGenerator(n_initial_points=self.n_initial_points)
        return GPGenerator(
            acquisition=self.acquisition, n_initial_points=self.n_initial_points
        )

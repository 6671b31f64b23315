"""A Gaussian-process generator that learns from scores at several fidelities.

Successive halving evaluates candidates with a small resource (few samples,
few iterations) and promotes the best ones to larger resources. The model
here sees every result: each observation carries its fidelity, a number in
``[0, 1]`` (0 the smallest resource, 1 the full one), as one more input of
the Gaussian process, and candidates are proposed where the acquisition is
best *at full fidelity*. How far low-fidelity scores inform the full-fidelity
prediction is learned: the length scale of the fidelity column is fitted like
any other, so when the rankings at low and full fidelity disagree, the model
lowers the weight of the low-fidelity data near the full-fidelity points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from skhyper._gp import (
    AcquisitionFunction,
    GaussianProcess,
    HyperPrior,
    fit_reusing_theta,
    make_acquisition_function,
    pick_from_pool,
)
from skhyper.generators._bayes import GPGenerator
from skhyper.generators._encoding import SubSpaceEncoder
from skhyper.generators._shared_pool import SharedPool
from skhyper.space import SubSpace

__all__ = ["MultiFidelityGPGenerator"]

#: Values of ``fidelity_model``.
FIDELITY_MODELS = ("input", "highest")
#: The cost model's hyperparameters are refitted when its data grew by this.
COST_REFIT_FRACTION = 0.5


class _FidelityEncoder(SubSpaceEncoder):
    """A sub-space encoding with one more, last, column: the fidelity.

    Candidates are encoded at full fidelity (1.0) unless told otherwise;
    ``snap`` puts every point back at full fidelity, so the acquisition is
    always maximized for the full resource.
    """

    def __init__(self, subspace: SubSpace) -> None:
        super().__init__(subspace)
        self.n_features += 1
        self.one_hot_mask = np.append(self.one_hot_mask, False)
        self.ordered_mask = np.append(self.ordered_mask, False)
        #: Columns the acquisition polish leaves alone: one-hot blocks and
        #: the fidelity.
        self.fixed_mask = np.append(self.one_hot_mask[:-1], True)

    def encode(
        self, candidates: list[dict[str, Any]], fidelity: float = 1.0
    ) -> np.ndarray:
        # The parent fills n_features columns, the last of which (the
        # fidelity) it leaves at zero.
        X = super().encode(candidates)[:, :-1]
        return np.hstack([X, np.full((len(candidates), 1), float(fidelity))])

    def decode(self, X: np.ndarray) -> list[dict[str, Any]]:
        return super().decode(np.atleast_2d(X)[:, :-1])

    def snap(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=float))
        return np.hstack([super().snap(X[:, :-1]), np.ones((len(X), 1))])


class MultiFidelityGPGenerator(GPGenerator):
    """Gaussian-process Bayesian optimization over scores at several fidelities.

    The generator of :class:`~skhyper.HalvingBayesSearchCV`. It takes every
    parameter of :class:`~skhyper.GPGenerator` and behaves like it, except
    that each told score may come from a cheaper, lower-fidelity evaluation:
    :meth:`tell_at_fidelity` records scores with their fidelity in ``[0, 1]``
    (``tell`` means full fidelity). Proposals maximize the acquisition at
    full fidelity, and never repeat a candidate evaluated at any fidelity.

    Parameters
    ----------
    fidelity_model : {"input", "highest"}, default="input"
        ``"input"``: one Gaussian process over the parameters and the
        fidelity, fitted to every score at every fidelity; the incumbent of
        the acquisition is the best predicted full-fidelity score among the
        evaluated candidates. ``"highest"``: one model per fidelity, and
        proposals come from the model of the highest fidelity that holds at
        least ``n_features + 2`` scores (as BOHB does); lower fidelities
        only serve until a higher one has enough data.
    cost_exponent : float, default=0.0
        How much a candidate's predicted evaluation time counts: proposals
        maximize the expected improvement divided by the predicted time
        (fit plus score, at full fidelity) to the power ``cost_exponent``.
        ``0`` ignores time; ``1`` is expected improvement per second (Snoek
        et al., 2012). Times come from :meth:`tell_costs`
        (:class:`~skhyper.HalvingBayesSearchCV` tells them after every
        batch) and are modelled by a second Gaussian process on their
        logarithm, over the parameters and the fidelity. Needs
        ``acquisition="log_ei"``.
    input_warping : bool, default=False
        As in :class:`~skhyper.GPGenerator` (the fidelity column is never
        warped), but off by default here: the multi-fidelity measurements
        (``benchmarks/RESULTS.md``, issue 11) were made without it.
    **gp_params
        Parameters of :class:`~skhyper.GPGenerator` (``acquisition``, ``xi``,
        ``n_initial_points``, ...), except ``trust_region``: scores at
        several fidelities do not measure progress alike, so this model has
        none.
    """

    def __init__(
        self,
        acquisition: str = "log_ei",
        *,
        fidelity_model: str = "input",
        cost_exponent: float = 0.0,
        xi: float = 0.0,
        kappa: float = 1.96,
        n_initial_points: int | None = None,
        n_pool: int = 1024,
        n_polish: int = 5,
        n_local: int = 64,
        local_scale: float = 0.05,
        polish_max_iter: int = 15,
        n_restarts: int = 0,
        length_scale_prior: float = 0.15,
        warp: bool = True,
        refit_fraction: float = 0.1,
        batch_fantasy: str = "believer",
        batch_local: bool = False,
        max_fit_points: int | None = 256,
        input_warping: bool = False,
    ) -> None:
        super().__init__(
            acquisition,
            xi=xi,
            kappa=kappa,
            n_initial_points=n_initial_points,
            n_pool=n_pool,
            n_polish=n_polish,
            n_local=n_local,
            local_scale=local_scale,
            polish_max_iter=polish_max_iter,
            n_restarts=n_restarts,
            length_scale_prior=length_scale_prior,
            warp=warp,
            refit_fraction=refit_fraction,
            batch_fantasy=batch_fantasy,
            batch_local=batch_local,
            max_fit_points=max_fit_points,
            input_warping=input_warping,
            trust_region=False,
        )
        self.fidelity_model = fidelity_model
        self.cost_exponent = cost_exponent

    def _start(self) -> None:
        if self.fidelity_model not in FIDELITY_MODELS:
            raise ValueError(
                f"fidelity_model must be one of {FIDELITY_MODELS}, got "
                f"{self.fidelity_model!r}."
            )
        cost_exponent = self.cost_exponent
        if (
            not isinstance(cost_exponent, (int, float))
            or isinstance(cost_exponent, bool)
            or not 0.0 <= float(cost_exponent) < np.inf
        ):
            raise ValueError(
                f"cost_exponent must be a number >= 0, got {cost_exponent!r}."
            )
        if cost_exponent > 0 and self.acquisition != "log_ei":
            raise ValueError(
                "cost_exponent > 0 divides the expected improvement by the "
                "predicted time, which needs acquisition='log_ei', got "
                f"acquisition={self.acquisition!r}."
            )
        super()._start()
        self._encoders = [_FidelityEncoder(s) for s in self.space_]
        # Models whose warped columns are those of the fidelity encoding.
        self._models = [self._new_model(i) for i in range(len(self.space_))]
        # The initial design counts candidates, whatever their fidelity.
        self._fidelity = 1.0
        self._fidelities: list[list[float]] = [[] for _ in self.space_]
        # Encoded candidates (with their fidelity) and log seconds they took.
        self._cost_X: list[list[np.ndarray]] = [[] for _ in self.space_]
        self._cost_y: list[list[float]] = [[] for _ in self.space_]
        self._cost_models: list[GaussianProcess] = [
            GaussianProcess(prior=HyperPrior(), warp=False, max_fit_points=256)
            for _ in self.space_
        ]
        # Times told when each cost model was last fitted, and when its
        # hyperparameters were.
        self._cost_n_fitted: list[tuple[int, int]] = [(0, 0)] * len(self.space_)
        # Which fidelity the last model of each sub-space was fitted on
        # ("highest"); a change forces a fresh hyperparameter fit.
        self._model_level: list[float | None] = [None] * len(self.space_)

    def tell_at_fidelity(
        self,
        candidates: list[dict[str, Any]],
        scores: Any,
        fidelity: float,
    ) -> None:
        """Record scores obtained at ``fidelity`` (0 the cheapest resource,
        1 the full one).

        Parameters
        ----------
        candidates : list of dict
        scores : array-like of shape (len(candidates),)
        fidelity : float in [0, 1]
        """
        fidelity = float(fidelity)
        if not 0.0 <= fidelity <= 1.0:
            raise ValueError(f"fidelity must lie in [0, 1], got {fidelity!r}.")
        self._fidelity = fidelity
        try:
            self.tell(candidates, scores)
        finally:
            self._fidelity = 1.0

    def tell_costs(
        self, candidates: list[dict[str, Any]], seconds: Any, fidelity: float = 1.0
    ) -> None:
        """Record how long evaluating ``candidates`` at ``fidelity`` took.

        Only used with ``cost_exponent > 0``: with ``0`` the times are
        checked and dropped. Non-finite or non-positive times are ignored.

        Parameters
        ----------
        candidates : list of dict
        seconds : array-like of shape (len(candidates),)
        fidelity : float in [0, 1], default=1.0
        """
        self._check_started()
        seconds = np.asarray(seconds, dtype=float).reshape(-1)
        if len(seconds) != len(candidates):
            raise ValueError(
                f"tell_costs() got {len(candidates)} candidates and "
                f"{len(seconds)} times."
            )
        if not self.cost_exponent:
            return
        for candidate, time in zip(candidates, seconds, strict=True):
            if not (np.isfinite(time) and time > 0):
                continue
            index = self.space_.locate(candidate)
            encoder: Any = self._encoders[index]  # a FidelityEncoder
            self._cost_X[index].append(
                encoder.encode([candidate], fidelity=float(fidelity))[0]
            )
            self._cost_y[index].append(float(np.log(time)))

    def _cost_model(
        self, index: int, rng: np.random.Generator
    ) -> GaussianProcess | None:
        """The model of log seconds of sub-space ``index`` (None without
        ``cost_exponent`` or enough recorded times). Refitted only when
        times were told since, and its hyperparameters only when the times
        grew by half (a time varies smoothly; refitting them as often as the
        score model's took a fifth of a search's time, measured on SVR)."""
        n = len(self._cost_y[index])
        if not self.cost_exponent or n < 3:
            return None
        model = self._cost_models[index]
        n_told, n_at_fit = self._cost_n_fitted[index]
        if n_told != n:
            n_at_fit = fit_reusing_theta(
                model,
                np.vstack(self._cost_X[index]),
                np.asarray(self._cost_y[index]),
                rng,
                n_at_fit,
                COST_REFIT_FRACTION,
            )
            self._cost_n_fitted[index] = (n, n_at_fit)
        return model

    def _observe(self, candidates: list[dict[str, Any]], scores: np.ndarray) -> None:
        if np.isnan(scores).any():
            self._warn_once(
                "Candidates scored NaN (failed fits or scoring); the model "
                "treats them as the worst score seen."
            )
        for candidate, score in zip(candidates, scores, strict=True):
            index = self.space_.locate(candidate)
            encoder: Any = self._encoders[index]  # a FidelityEncoder
            x = encoder.encode([candidate], fidelity=self._fidelity)[0]
            self._pending[index].pop(self.space_.key(candidate, index), None)
            self._X[index].append(x)
            self._y[index].append(float(score))
            self._fidelities[index].append(self._fidelity)

    def _fit_model(
        self, index: int, y: np.ndarray, rng: np.random.Generator
    ) -> GaussianProcess:
        if self.fidelity_model == "input":
            return super()._fit_model(index, y, rng)
        fidelities = np.asarray(self._fidelities[index])
        n_min = self._encoders[index].n_features + 1
        level = max(
            (f for f in np.unique(fidelities) if np.sum(fidelities == f) >= n_min),
            default=float(fidelities.min()),
        )
        rows = fidelities == level
        X = np.vstack(self._X[index])[rows]
        X[:, -1] = 1.0
        model = self._models[index]
        if self._model_level[index] != level:
            model.theta_ = None
            self._model_level[index] = level
        return model.fit(X, y[rows], rng)

    def _seen_at_full_fidelity(self, index: int) -> np.ndarray:
        """Every candidate evaluated in sub-space ``index``, at any fidelity,
        moved to full fidelity: proposals must differ from all of them."""
        seen = np.vstack(self._X[index])
        seen[:, -1] = 1.0
        return seen

    def _draw_pool(
        self, index: int, rng: np.random.Generator, centers: np.ndarray
    ) -> np.ndarray:
        # The local pool goes around the candidate predicted best at full
        # fidelity, not around the best score seen at whatever fidelity.
        seen = self._seen_at_full_fidelity(index)
        predicted = self._models[index].predict(seen, standardized=True)[0]
        return super()._draw_pool(index, rng, seen[[int(np.argmax(predicted))]])

    def _pick(
        self,
        index: int,
        model: GaussianProcess,
        pool: SharedPool,
        best_score: float,
        rng: np.random.Generator,
        extra: np.ndarray | None,
    ) -> tuple[np.ndarray, float]:
        encoder: Any = self._encoders[index]  # a FidelityEncoder
        seen = self._seen_at_full_fidelity(index)
        # The incumbent is the best full-fidelity prediction among the
        # evaluated candidates: scores at low fidelity are not comparable.
        incumbent = float(np.max(model.predict(seen, standardized=True)[0]))
        func = make_acquisition_function(model, self._acquisition, best=incumbent)
        values = pool.acquisition_values(self._acquisition, incumbent)
        cost_model = self._cost_model(index, rng)
        if cost_model is not None:
            func = _per_cost(func, cost_model, float(self.cost_exponent))
            values = values - self.cost_exponent * cost_model.predict(pool.X)[0]
        return pick_from_pool(
            func,
            pool.X,
            values,
            rng=rng,
            prepare=self._prepare(index),
            free=~encoder.fixed_mask,
            n_polish=self.n_polish,
            max_iter=self.polish_max_iter,
            exclude=np.vstack([seen, *self._pending[index].values()]),
            n_fresh=self.n_pool,
            extra=extra,
        )


def _per_cost(
    func: AcquisitionFunction, cost_model: GaussianProcess, exponent: float
) -> AcquisitionFunction:
    """``func`` (a log expected improvement) minus ``exponent`` times the
    predicted log seconds: the log of EI per ``seconds**exponent``."""

    def per_cost(X: np.ndarray, with_grad: bool) -> tuple[np.ndarray, Any]:
        values, grads = func(X, with_grad)
        if not with_grad:
            return values - exponent * cost_model.predict(X)[0], None
        mean, _, dmean, _ = cost_model.predict(X, return_grad=True)
        if grads is not None:
            grads = grads - exponent * dmean
        return values - exponent * mean, grads

    return per_cost

"""Bayesian optimization: a Gaussian process per sub-space and an acquisition."""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from skhyper._gp import (
    GaussianProcess,
    HyperPrior,
    draw_pool,
    fit_reusing_theta,
    get_acquisition,
    jitter,
    make_acquisition_function,
    pick_from_pool,
)
from skhyper.generators._encoding import SubSpaceEncoder
from skhyper.generators._random import SobolGenerator
from skhyper.generators._shared_pool import SharedPool
from skhyper.generators._sobol_started import SobolStartedGenerator
from skhyper.generators._trust_region import TrustRegion

__all__ = ["GPGenerator"]


class GPGenerator(SobolStartedGenerator):
    """Gaussian-process Bayesian optimization.

    The first ``n_initial_points`` candidates are scrambled Sobol points.
    Then each sub-space's scores are modelled by a Gaussian process with a
    Matérn-5/2 kernel with one length scale per feature, fitted by maximum a
    posteriori on the unit-cube encoding of the candidates (integers and
    numeric lists in order, unordered lists one-hot), and each new candidate
    maximizes the acquisition function over a Sobol pool polished with
    L-BFGS-B, snapped to valid values and never equal to an evaluated or
    pending candidate. A batch of ``n`` candidates is built by the kriging
    believer heuristic made pessimistic: after each pick the model believes
    its prediction there minus one standard deviation, which pushes the
    next pick elsewhere (``batch_fantasy``); the acquisition's
    pool is drawn and evaluated once per ask, and updated after each pick.
    Candidates asked earlier and not told yet (an asynchronous search asks
    while others are still being evaluated) are believed at their
    prediction (the kriging believer).

    Failed evaluations (NaN scores) are modelled as the worst score seen;
    infinite scores are clipped to the finite range seen.

    After ``tell``, :meth:`predict` gives the model's mean and standard
    deviation of the score at any candidate; :mod:`skhyper.plots` draws
    partial dependence and parameter importance from it.

    Parameters
    ----------
    acquisition : {"log_ei", "ucb", "pi"}, default="log_ei"
        Log expected improvement (numerically stable), upper confidence
        bound, or log probability of improvement.
    xi : float, default=0.0
        Improvement margin of ``"log_ei"`` and ``"pi"``, in standardized
        score units.
    kappa : float, default=1.96
        Exploration weight of ``"ucb"``.
    n_initial_points : int or None, default=None
        Sobol points before the model takes over; ``None`` uses
        ``min(max(n_features + 1, 8), 20)`` (``n_features`` of the largest
        sub-space). Measured at 50 evaluations over 8 seeds (median regret,
        Hartmann-6 / Rosenbrock-4): 4 points 0.0048 / 86, 8 points 0.0042 /
        65, 12 points 0.011 / 123, 16 points 0.0065 / 236; Branin and
        Hartmann-3 are solved for all.
    n_pool : int, default=1024
        Sobol pool size of the acquisition optimizer.
    n_polish : int, default=5
        Best pool points polished with L-BFGS-B.
    n_local : int, default=64
        Extra pool points drawn around the best candidate so far (Gaussian
        jitter of ``local_scale`` in the unit cube), so the acquisition's
        optimizer always looks closely at the incumbent's neighbourhood.
    local_scale : float, default=0.05
        Standard deviation of that jitter. Measured at 50 evaluations over 8
        seeds (median regret, Branin / Hartmann-3 / Hartmann-6 /
        Rosenbrock-4): the defaults 1.3e-5 / 7.9e-6 / 0.0049 / 92;
        ``n_local=0`` 5.3e-5 / 3.3e-5 / 0.013 / 57; ``local_scale=0.02``
        4.1e-5 / 9.0e-6 / 0.0035 / 90; ``local_scale=0.15`` 2.0e-5 / 1.1e-5 /
        0.011 / 77.
    polish_max_iter : int, default=15
        L-BFGS-B iterations of the polish (all starts move together).
    n_restarts : int, default=0
        Extra random starts of the kernel-hyperparameter fit, on top of the
        previous optimum and the prior mean.
    length_scale_prior : float, default=0.15
        Median of the log-normal prior on each kernel length scale, per
        ``sqrt(n_features)`` (inputs live in the unit cube, so the typical
        distance grows like ``sqrt(n_features)``). Shorter length scales make
        the model expect more local structure and explore more widely.
        Measured on full 50-evaluation runs (12 seeds, median regret): 0.15
        against 0.5 cut Hartmann-6 from 0.12 to 0.004 (the longer prior
        stalls in its local optima) at the price of Rosenbrock-4 (65 -> 140,
        both below Optuna's GPSampler); Branin and Hartmann-3 are solved
        either way.
    warp : bool, default=True
        Compress scores far below the bulk before standardizing them (a
        monotone, unit-free transform), so a few very bad candidates or
        failed fits imputed as the worst score do not flatten the model
        around the good ones. Data without low outliers is left unchanged.
    refit_fraction : float, default=0.1
        The kernel hyperparameters of a sub-space are re-optimized when its
        number of observations grew by more than this fraction since they
        were last optimized (so at every ask below 10 observations, every
        20th at 200); in between only the posterior is updated with the new
        data. ``0`` re-optimizes at every ask.
    batch_fantasy : str, default="pessimist"
        One of ``"pessimist"``, ``"believer"``, ``"liar_min"``,
        ``"liar_max"``: what the model believes of a candidate already
        picked for the current batch (an ask of several candidates) while
        it picks the next: its posterior mean minus one posterior standard
        deviation (pessimistic where the model is unsure), its posterior
        mean (kriging believer), or the worst or best score seen (constant
        liar). A pessimistic belief pushes the next picks away from it, an
        optimistic one keeps them close. Candidates pending from earlier
        asks (an asynchronous search) are always kriging-believed.
        Measured on the 17 functions of ``benchmarks/pending_quality.py``
        (batches of 8, 6 seeds, median regret against sequential asks; see
        ``benchmarks/RESULTS.md``): with ``"pessimist"`` 16 batches of 8
        came within 3x of 128 sequential asks on every function (within 2x
        on 16), against 9 of 17 with ``"believer"`` (up to 15x on
        Hartmann-6); at 50 evaluations it was better on 11 functions and
        worse on Goldstein-Price and noisy Branin. For pending candidates
        of an asynchronous search the pessimistic belief was worse than the
        believer on most functions, and ``"liar_max"`` far worse.
    max_fit_points : int or None, default=256
        Above this many observations in a sub-space the kernel
        hyperparameters are fitted on a subset of them (the best half of it
        by score, the rest spread over the other ranks), which bounds the
        cost of a refit; the posterior still uses every observation, and
        between refits it is extended, not recomputed. ``None`` fits on all.
    batch_local : bool, default=False
        Also draw the incumbent-neighbourhood pool points (``n_local``)
        around the candidates already picked for the current batch.
    input_warping : bool, default=True
        Warp each ordered dimension of more than two values with a
        Kumaraswamy CDF whose two parameters are fitted with the kernel's
        (log-normal priors centred at the identity), so the model can be
        smooth at one end of a range and vary fast at the other (a learning
        rate searched on a linear scale). Measured side by side against no
        warping (``benchmarks/RESULTS.md``, "Input warping"): on the 17
        test functions (10 seeds) the median regret was lower on 11 of 16
        at 50 evaluations and on 14 of 16 at 100 (worse on Goldstein-Price
        at 50, Dixon-Price-10 at 100, and Levy-30 at 200); on the 10
        scikit-learn tasks (three runs of 5 seeds) it was level within the
        spread between runs (normalized score 71.4 against 69.1 at 50
        evaluations, 75.2 against 75.5 at 100); a learning-rate-like
        parameter searched on a linear scale was found on 8 seeds of 8
        against none.
        An ask costs about 30% more CPU (median 8.9 against 6.8 ms on the
        function suite).
    trust_region : bool, default=False
        Confine the acquisition's optimizer to a box around the best
        candidate so far (the trust region of TuRBO, Eriksson et al. 2019).
        Its sides follow the model's length scales (longer where the score
        varies slowly; their geometric mean starts at 0.8 of the unit
        cube); it doubles after three asks in a row that improved the best
        score by more than 0.1% of it, halves after ``max(4, n_features)``
        results without such an improvement (when the fitted noise is near
        zero, the next proposal then goes where the model is least sure
        inside the box, in case it is wrongly sure of the region), and
        starts again at its first size once it shrank below 0.5**7 (the
        observations are kept).
        Discrete columns keep at least three values either side of the best
        candidate's inside; unordered and two-valued dimensions, and the
        first ``n_initial_points`` candidates, are never confined.
        Measured side by side against the default
        (``benchmarks/RESULTS.md``, "Trust region"): on the 17 test
        functions (10 seeds) a lower median regret on 15 at 50 evaluations
        and 14 at 100 (Rosenbrock-4 88 -> 6 and Goldstein-Price 3.2 -> 0.06
        at 50); on six 30-D functions at 200 evaluations (10 seeds) lower on
        Styblinski-Tang, Ackley and Hartmann-6 embedded in 30-D, higher on
        Rosenbrock (1.18x) and Levy (2.3x). Not the default: on the ten
        scikit-learn tasks (5 seeds, three runs each) its normalized score
        was 57.6 / 66.2 at 50 / 100 evaluations against the default's 64.6
        / 74.5.
    """

    uses_scores = True

    def __init__(
        self,
        acquisition: str = "log_ei",
        *,
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
        batch_fantasy: str = "pessimist",
        batch_local: bool = False,
        max_fit_points: int | None = 256,
        input_warping: bool = True,
        trust_region: bool = False,
    ) -> None:
        self.acquisition = acquisition
        self.xi = xi
        self.kappa = kappa
        self.n_initial_points = n_initial_points
        self.n_pool = n_pool
        self.n_polish = n_polish
        self.n_local = n_local
        self.local_scale = local_scale
        self.polish_max_iter = polish_max_iter
        self.n_restarts = n_restarts
        self.length_scale_prior = length_scale_prior
        self.warp = warp
        self.refit_fraction = refit_fraction
        self.batch_fantasy = batch_fantasy
        self.batch_local = batch_local
        self.max_fit_points = max_fit_points
        self.input_warping = input_warping
        self.trust_region = trust_region

    def _start(self) -> None:
        self._acquisition = (
            get_acquisition(self.acquisition, kappa=self.kappa)
            if self.acquisition == "ucb"
            else get_acquisition(self.acquisition, xi=self.xi)
        )
        if not isinstance(self.refit_fraction, numbers.Real) or not (
            self.refit_fraction >= 0
        ):
            raise ValueError(
                f"refit_fraction must be a number >= 0, got {self.refit_fraction!r}."
            )
        if not isinstance(self.length_scale_prior, numbers.Real) or not (
            self.length_scale_prior > 0
        ):
            raise ValueError(
                "length_scale_prior must be a number > 0, got "
                f"{self.length_scale_prior!r}."
            )
        if self.batch_fantasy not in _FANTASIES:
            raise ValueError(
                f"batch_fantasy must be one of {sorted(_FANTASIES)}, got "
                f"{self.batch_fantasy!r}."
            )
        if self.max_fit_points is not None and (
            not isinstance(self.max_fit_points, numbers.Integral)
            or self.max_fit_points < 2
        ):
            raise ValueError(
                "max_fit_points must be None or an integer >= 2, got "
                f"{self.max_fit_points!r}."
            )
        if not isinstance(self.n_local, numbers.Integral) or self.n_local < 0:
            raise ValueError(f"n_local must be an integer >= 0, got {self.n_local!r}.")
        if not isinstance(self.local_scale, numbers.Real) or not (self.local_scale > 0):
            raise ValueError(
                f"local_scale must be a number > 0, got {self.local_scale!r}."
            )
        if not isinstance(self.trust_region, (bool, np.bool_)):
            raise ValueError(
                f"trust_region must be True or False, got {self.trust_region!r}."
            )
        for name in ("n_pool", "n_polish", "polish_max_iter"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}.")
        self._encoders: list[SubSpaceEncoder] = [
            SubSpaceEncoder(s) for s in self.space_
        ]
        n_features = max(e.n_features for e in self._encoders)
        self.n_initial_points_: int
        if self.n_initial_points is None:
            self.n_initial_points_ = min(max(n_features + 1, 8), 20)
        else:
            if not isinstance(self.n_initial_points, numbers.Integral) or (
                self.n_initial_points < 1
            ):
                raise ValueError(
                    "n_initial_points must be a positive integer or None, got "
                    f"{self.n_initial_points!r}."
                )
            self.n_initial_points_ = int(self.n_initial_points)
        self._initial: SobolGenerator = SobolGenerator().start(
            self.space_, random_state=self.random_state_.randint(2**31)
        )
        n_sub = len(self.space_)
        self._X: list[list[np.ndarray]] = [[] for _ in range(n_sub)]
        self._y: list[list[float]] = [[] for _ in range(n_sub)]
        self._pending: list[dict[tuple, np.ndarray]] = [{} for _ in range(n_sub)]
        self._models: list[GaussianProcess] = [
            self._new_model(index) for index in range(n_sub)
        ]
        # Observations of each sub-space when its hyperparameters were fitted.
        self._n_at_fit: list[int] = [0] * n_sub
        self._trust_regions: list[TrustRegion | None] = [
            TrustRegion(e.n_features) if self._uses_trust_region(e) else None
            for e in self._encoders
        ]
        self._boxes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        # Models fitted by predict(), by sub-space: (scores told, model).
        self._surrogates: dict[int, tuple[int, GaussianProcess]] = {}

    def _uses_trust_region(self, encoder: SubSpaceEncoder) -> bool:
        return bool(self.trust_region) and bool(encoder.ordered_mask.any())

    # -- observations ---------------------------------------------------------
    def _observe(self, candidates: list[dict[str, Any]], scores: np.ndarray) -> None:
        if np.isnan(scores).any():
            self._warn_once(
                "Candidates scored NaN (failed fits or scoring); the model "
                "treats them as the worst score seen."
            )
        for candidate, score in zip(candidates, scores, strict=True):
            index = self.space_.locate(candidate)
            x = self._encoders[index].encode([candidate])[0]
            self._pending[index].pop(self.space_.key(candidate, index), None)
            self._X[index].append(x)
            self._y[index].append(float(score))

    def _imputed_scores(self) -> list[np.ndarray] | None:
        """Scores per sub-space with NaN as the worst and inf clipped, or
        None while no finite score exists."""
        raw = [np.asarray(y, dtype=float) for y in self._y]
        finite = np.concatenate([y[np.isfinite(y)] for y in raw])
        if finite.size == 0:
            return None
        low, high = float(finite.min()), float(finite.max())
        return [np.clip(np.where(np.isnan(y), low, y), low, high) for y in raw]

    # -- the surrogate model ---------------------------------------------------
    def predict(
        self, candidates: Sequence[dict[str, Any]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and standard deviation of the score at candidates.

        Each candidate is predicted by the Gaussian process of its sub-space,
        fitted to every score told so far (failures imputed as the worst
        score, as when proposing). Predicting changes nothing that the
        generator proposes later.

        Parameters
        ----------
        candidates : list of dict
            Points of the search space (of any of its sub-spaces).

        Returns
        -------
        mean : ndarray of shape (len(candidates),)
            Predicted score, in the units of the told scores (greater is
            better).
        std : ndarray of shape (len(candidates),)
            Its posterior standard deviation (noise-free), in the same units.

        Raises
        ------
        ValueError
            If no finite score was told yet, or a candidate's sub-space has
            no told score.
        """
        self._check_started()
        scores = self._imputed_scores()
        if scores is None:
            raise ValueError(
                "GPGenerator.predict needs at least one finite told score."
            )
        mean, std = np.empty(len(candidates)), np.empty(len(candidates))
        rows: dict[int, list[int]] = {}
        for i, candidate in enumerate(candidates):
            rows.setdefault(self.space_.locate(candidate), []).append(i)
        with _blas_controller().limit(limits=1, user_api="blas"):
            for index, where in rows.items():
                model = self._surrogate(index, scores[index])
                X = self._encoders[index].encode([candidates[i] for i in where])
                mean[where], std[where] = model.predict(X)
        return mean, std

    def _surrogate(self, index: int, y: np.ndarray) -> GaussianProcess:
        """A model of sub-space ``index`` fitted to all its told scores,
        without touching the models (nor the random state) of ask()."""
        if y.size == 0:
            raise ValueError(
                f"Sub-space {index} of the search space has no told score to "
                "predict from."
            )
        # Imputed failures depend on every sub-space's scores: key on all.
        n_told = len(self.scores_)
        cached = self._surrogates.get(index)
        if cached is not None and cached[0] == n_told:
            return cached[1]
        model = self._new_model(index)
        fitted = self._models[index]
        if fitted.theta_ is not None:
            model.theta_ = fitted.theta_.copy()
            model.input_warp_ = fitted.input_warp_
        model.fit(np.vstack(self._X[index]), y, np.random.default_rng(0))
        self._surrogates[index] = (n_told, model)
        return model

    def _new_model(self, index: int) -> GaussianProcess:
        """An unfitted model of sub-space ``index`` with the settings of
        this generator."""
        return GaussianProcess(
            prior=HyperPrior(lengthscale_factor=float(self.length_scale_prior)),
            n_random_starts=self.n_restarts,
            warp=bool(self.warp),
            max_fit_points=self.max_fit_points,
            warp_inputs=(
                self._encoders[index].ordered_mask if self.input_warping else None
            ),
        )

    # -- proposals ------------------------------------------------------------
    def _propose(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        n_initial = self.n_design_left
        scores = self._imputed_scores()
        if scores is None or n_initial >= n:
            return self._propose_initial(n)
        out = self._propose_initial(n_initial) if n_initial else []
        # The matrices are small: threaded BLAS only adds contention.
        with _blas_controller().limit(limits=1, user_api="blas"):
            out += self._propose_from_models(n - len(out), scores)
        return out

    def _propose_from_models(
        self, n: int, scores: list[np.ndarray]
    ) -> list[tuple[int, dict[str, Any]]]:
        rng = np.random.default_rng(self.random_state_.randint(2**31))
        unexplored = [i for i, y in enumerate(scores) if y.size == 0]
        models: dict[int, GaussianProcess] = {}
        # Where the acquisition's optimizer looks closely: the incumbent, also
        # when the model believes pending candidates that may predict better.
        self._local_centres: dict[int, np.ndarray] = {}
        self._boxes = {}
        for index, y in enumerate(scores):
            if y.size:
                fitted = self._fit_model(index, y, rng)
                models[index] = self._believe_pending(index, fitted)
                if models[index] is not fitted:
                    self._local_centres[index] = fitted.X_best
                region = self._trust_regions[index]
                if region is not None:
                    region.update(y)
                    encoder = self._encoders[index]
                    self._boxes[index] = region.box(
                        fitted.X_best,
                        fitted.lengthscales,
                        encoder.ordered_mask,
                        # Three values either side of the centre's, on an
                        # even scale.
                        min_half_width=3 * encoder.value_width,
                    )
        best_score = max(float(y.max()) for y in scores if y.size)
        proposals = []
        batch_picks: dict[int, list[np.ndarray]] = {}
        # Each sub-space's acquisition pool is drawn and evaluated once per
        # ask; believing a pick updates its posterior by a rank-one
        # correction instead of a new pool per pick.
        pools: dict[int, SharedPool] = {}
        for _ in range(n):
            if unexplored:
                # A sub-space without data: explore it before trusting models.
                proposals += self._propose_initial_in(unexplored.pop(0))
                continue
            picks = []
            for index, model in models.items():
                incumbent = self._local_centres.get(index, model.X_best)
                if index not in pools:
                    pools[index] = SharedPool(
                        model, self._draw_pool(index, rng, incumbent[None, :])
                    )
                extra = None
                if self.batch_local and batch_picks.get(index):
                    extra = self._prepare(index)(
                        jitter(
                            np.vstack(batch_picks[index]),
                            rng,
                            self.n_local,
                            self.local_scale,
                        )
                    )
                x, value = self._pick(
                    index, model, pools[index], best_score, rng, extra
                )
                picks.append((self._in_score_units(value, model), index, x))
            _, index, x = max(picks, key=lambda p: p[0])
            (candidate,) = self._encoders[index].decode(x[None, :])
            self._mark_pending(index, candidate)
            proposals.append((index, candidate))
            batch_picks.setdefault(index, []).append(x)
            if len(proposals) < n:
                believed = self._believed(models[index], x)
                models[index] = models[index].condition_on(
                    x[None, :], believed, standardized=True
                )
                pools[index].condition(x, float(believed[0]))
        return proposals

    def _believed(self, model: GaussianProcess, X: np.ndarray) -> np.ndarray:
        """Standardized scores the model believes candidates picked earlier
        in this ask, at the rows of ``X``, will get (``batch_fantasy``)."""
        X = np.atleast_2d(X)
        if self.batch_fantasy == "liar_min":
            return np.full(X.shape[0], model.y_train_.min())
        if self.batch_fantasy == "liar_max":
            return np.full(X.shape[0], model.y_train_.max())
        mean, std = model.predict(X, standardized=True)
        if self.batch_fantasy == "pessimist":
            return mean - std
        return mean

    def _fit_model(
        self, index: int, y: np.ndarray, rng: np.random.Generator
    ) -> GaussianProcess:
        model, X = self._models[index], np.vstack(self._X[index])
        self._n_at_fit[index] = fit_reusing_theta(
            model, X, y, rng, self._n_at_fit[index], self.refit_fraction
        )
        return model

    def _believe_pending(self, index: int, model: GaussianProcess) -> GaussianProcess:
        """The model also believing its own predictions at the candidates
        asked earlier and not told yet (still being evaluated, in an
        asynchronous search), so new proposals move away from them (the
        kriging believer, whatever ``batch_fantasy``: measured, the other
        beliefs do worse for pending candidates). A search in batches tells
        every batch before the next ask, so it has none."""
        pending = self._pending[index]
        if not pending:
            return model
        X = np.vstack(list(pending.values()))
        believed, _ = model.predict(X, standardized=True)
        return model.condition_on(X, believed, standardized=True)

    def _propose_initial_in(self, index: int) -> list[tuple[int, dict[str, Any]]]:
        encoder = self._encoders[index]
        rng = self.random_state_
        x = encoder.snap(rng.random_sample((1, encoder.n_features)))
        (candidate,) = encoder.decode(x)
        self._mark_pending(index, candidate)
        return [(index, candidate)]

    def _prepare(
        self, index: int, confined: bool = True
    ) -> Callable[[np.ndarray], np.ndarray]:
        """Clip to the unit cube (or, if ``confined``, the trust region's
        box) and snap to valid values of sub-space ``index``."""
        snap = self._encoders[index].snap
        lower: float | np.ndarray = 0.0
        upper: float | np.ndarray = 1.0
        if confined and index in self._boxes:
            lower, upper = self._boxes[index]

        def prepare(X: np.ndarray) -> np.ndarray:
            return np.clip(
                np.asarray(snap(np.clip(X, lower, upper)), dtype=float), 0, 1
            )

        return prepare

    def _draw_pool(
        self, index: int, rng: np.random.Generator, centers: np.ndarray
    ) -> np.ndarray:
        return draw_pool(
            self._encoders[index].n_features,
            rng,
            n_pool=self.n_pool,
            prepare=self._prepare(index),
            snapped=True,
            centers=centers,
            n_local=self.n_local,
            local_scale=self.local_scale,
            box=self._boxes.get(index),
        )

    def _pick(
        self,
        index: int,
        model: GaussianProcess,
        pool: SharedPool,
        best_score: float,
        rng: np.random.Generator,
        extra: np.ndarray | None,
    ) -> tuple[np.ndarray, float]:
        """The acquisition's maximizer in sub-space ``index`` under ``model``
        (``pool`` holds the pool's posterior under the same model)."""
        encoder = self._encoders[index]
        incumbent = float(model.standardizer_.transform(np.array([best_score]))[0])
        func = make_acquisition_function(model, self._acquisition, best=incumbent)
        exclude = list(self._pending[index].values())
        exclude.append(model.X_train_)
        region = self._trust_regions[index]
        explore = region is not None and region.explore_next and index in self._boxes
        if region is not None:
            region.explore_next = False
        # Only a model of (nearly) noise-free scores can be wrongly sure of
        # the region; noisy scores make it halve often for nothing.
        if explore and model.noise_variance < _NOISE_FOR_EXPLORING:

            def std(X: np.ndarray, return_grad: bool = False) -> tuple[Any, None]:
                return model.predict(X)[1], None

            x, _ = pick_from_pool(
                std,
                pool.X,
                pool.std(),
                rng=rng,
                prepare=self._prepare(index),
                free=~encoder.one_hot_mask,
                n_polish=0,
                max_iter=1,
                exclude=np.vstack(exclude),
                n_fresh=self.n_pool,
                prepare_fresh=self._prepare(index, confined=False),
            )
            value = func(x[None, :], False)[0]
            return x, float(value[0]) if np.isfinite(value[0]) else -math.inf
        return pick_from_pool(
            func,
            pool.X,
            pool.acquisition_values(self._acquisition, incumbent),
            rng=rng,
            prepare=self._prepare(index),
            free=~encoder.one_hot_mask,
            n_polish=self.n_polish,
            max_iter=self.polish_max_iter,
            exclude=np.vstack(exclude),
            n_fresh=self.n_pool,
            extra=extra,
            bounds=self._boxes.get(index),
            prepare_fresh=self._prepare(index, confined=False),
        )

    def _in_score_units(self, value: float, model: GaussianProcess) -> float:
        """Make acquisition values of different sub-spaces comparable."""
        if len(self.space_) == 1 or not math.isfinite(value):
            return value
        scale = model.standardizer_.scale
        if self.acquisition == "ucb":
            return value * scale + model.standardizer_.mean
        if self.acquisition in ("log_ei", "ei"):
            return value + math.log(scale)
        return value


_FANTASIES = ("pessimist", "believer", "liar_min", "liar_max")
# Fitted noise variance (standardized) below which the model may be wrongly
# sure of a region: deterministic scores.
_NOISE_FOR_EXPLORING = 1e-4


@functools.cache
def _blas_controller() -> ThreadpoolController:
    """One controller per process: building it scans the loaded libraries,
    which costs milliseconds per ask."""
    return ThreadpoolController()

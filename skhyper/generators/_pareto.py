"""Multi-objective Bayesian optimization: one Gaussian process per
objective, candidates chosen by expected hypervolume improvement."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
from scipy.stats import qmc

from skhyper._gp import GaussianProcess, HyperPrior, fit_reusing_theta
from skhyper._gp._hypervolume import hypervolume_improvement_2d, non_dominated
from skhyper.generators._bayes import _blas_controller
from skhyper.generators._encoding import SubSpaceEncoder
from skhyper.generators._random import SobolGenerator
from skhyper.generators._sobol_started import SobolStartedGenerator

__all__ = ["ParetoGPGenerator"]

#: Reference point of the hypervolume, in objectives scaled to [0, 1]
#: (minimized): a little beyond the worst value seen, as in the benchmarks.
_REFERENCE = 1.1
#: Unit-cube distance under which two encodings are the same candidate.
_SAME = 1e-9


class ParetoGPGenerator(SobolStartedGenerator):
    """Bayesian optimization of several objectives at once.

    It is told one row of objective values per candidate (all greater is
    better: a search tells the score and the negated logarithm of the fit
    time, say) and proposes candidates that enlarge the Pareto front. After
    ``n_initial_points`` Sobol points, each objective of each sub-space is
    modelled by its own Gaussian process (the numerics of
    :class:`~skhyper.GPGenerator`). Objectives are scaled to ``[0, 1]`` over
    the values seen; each candidate of a Sobol pool (plus jittered copies of
    the front's points) is scored by its expected hypervolume improvement
    over the current front, reference point 1.1 beyond the worst value, by
    Monte Carlo over the models' posteriors with common random numbers. With
    three or more objectives the improvement of the optimistic point (mean
    plus one standard deviation) is used instead. A batch is built by the
    kriging believer: each pick joins the front at its predicted values.

    Told a single column of scores it behaves as a single-objective
    generator (the front is the best point). Failed evaluations (NaN) are
    modelled as the worst value seen in that objective.

    Parameters
    ----------
    n_initial_points : int or None, default=None
        Sobol points before the models take over; ``None`` uses
        ``min(max(n_features + 1, 8), 20)``.
    n_pool : int, default=512
        Sobol pool size of each proposal.
    n_local : int, default=128
        Pool points drawn around the current front's points (Gaussian
        jitter of ``local_scale`` in the unit cube).
    local_scale : float, default=0.05
    n_samples : int, default=64
        Posterior samples of the Monte Carlo expected improvement.
    length_scale_prior : float, default=0.15
        As in :class:`~skhyper.GPGenerator`.
    refit_fraction : float, default=0.1
        As in :class:`~skhyper.GPGenerator`.

    Attributes
    ----------
    objective_values_ : ndarray of shape (n_told, n_objectives)
        Every told row (``scores_`` is its first column).
    """

    uses_scores = True
    #: Searches tell this generator every objective, not only the score.
    multi_objective: ClassVar[bool] = True

    def __init__(
        self,
        *,
        n_initial_points: int | None = None,
        n_pool: int = 512,
        n_local: int = 128,
        local_scale: float = 0.05,
        n_samples: int = 64,
        length_scale_prior: float = 0.15,
        refit_fraction: float = 0.1,
    ) -> None:
        self.n_initial_points = n_initial_points
        self.n_pool = n_pool
        self.n_local = n_local
        self.local_scale = local_scale
        self.n_samples = n_samples
        self.length_scale_prior = length_scale_prior
        self.refit_fraction = refit_fraction

    objective_values_: np.ndarray
    n_initial_points_: int
    _encoders: list[SubSpaceEncoder]
    _initial: SobolGenerator

    # -- state ---------------------------------------------------------------
    def _start(self) -> None:
        for name in ("n_pool", "n_samples"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}.")
        if not isinstance(self.n_local, numbers.Integral) or self.n_local < 0:
            raise ValueError(f"n_local must be an integer >= 0, got {self.n_local!r}.")
        self._encoders: list[SubSpaceEncoder] = [
            SubSpaceEncoder(s) for s in self.space_
        ]
        n_features = max(e.n_features for e in self._encoders)
        self.n_initial_points_: int
        if self.n_initial_points is None:
            self.n_initial_points_ = min(max(n_features + 1, 8), 20)
        elif (
            not isinstance(self.n_initial_points, numbers.Integral)
            or self.n_initial_points < 1
        ):
            raise ValueError(
                "n_initial_points must be a positive integer or None, got "
                f"{self.n_initial_points!r}."
            )
        else:
            self.n_initial_points_ = int(self.n_initial_points)
        self._initial: SobolGenerator = SobolGenerator().start(
            self.space_, random_state=self.random_state_.randint(2**31)
        )
        self.objective_values_: np.ndarray = np.empty((0, 0))
        self._X: list[list[np.ndarray]] = [[] for _ in self.space_]
        self._rows: list[list[int]] = [[] for _ in self.space_]
        self._pending: list[dict[tuple, np.ndarray]] = [{} for _ in self.space_]
        self._models: dict[tuple[int, int], GaussianProcess] = {}
        self._n_at_fit: dict[tuple[int, int], int] = {}

    def tell(self, candidates: Sequence[dict[str, Any]], scores: Any) -> None:
        """Record objective values: an array of shape ``(n, n_objectives)``
        (or ``(n,)`` for one objective), greater is better, NaN for a
        failure."""
        self._check_started()
        values = np.asarray(scores, dtype=float)
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2 or len(values) != len(candidates):
            raise ValueError(
                f"tell() got {len(candidates)} candidates and objective values "
                f"of shape {np.shape(scores)}."
            )
        if (
            self.objective_values_.size
            and values.shape[1] != (self.objective_values_.shape[1])
        ):
            raise ValueError(
                f"tell() got {values.shape[1]} objectives, earlier calls "
                f"{self.objective_values_.shape[1]}."
            )
        if np.isinf(values).any():
            self._warn_once(
                "ParetoGPGenerator was told infinite values; models clip them to "
                "the finite range seen."
            )
        self._mark_known(candidates)
        self.candidates_.extend(dict(c) for c in candidates)
        self.scores_ = np.concatenate([self.scores_, values[:, 0]])
        start = len(self.objective_values_)
        self.objective_values_ = (
            values.copy()
            if not self.objective_values_.size
            else np.vstack([self.objective_values_, values])
        )
        for k, candidate in enumerate(candidates):
            index = self.space_.locate(candidate)
            self._pending[index].pop(self.space_.key(candidate, index), None)
            self._X[index].append(self._encoders[index].encode([candidate])[0])
            self._rows[index].append(start + k)

    def _scaled_values(self) -> np.ndarray | None:
        """Told values scaled to [0, 1] and minimized (0 best), NaN as the
        worst seen, infinities clipped; None while some objective has no
        finite value."""
        values = self.objective_values_
        if not values.size:
            return None
        finite = np.isfinite(values)
        if not finite.any(axis=0).all():
            return None
        low = np.array([values[finite[:, j], j].min() for j in range(values.shape[1])])
        high = np.array([values[finite[:, j], j].max() for j in range(values.shape[1])])
        clipped = np.clip(np.where(np.isnan(values), low, values), low, high)
        self._low, self._span = low, np.where(high > low, high - low, 1.0)
        return (high - clipped) / self._span

    # -- proposals ------------------------------------------------------------
    def _propose(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        n_initial = self.n_design_left
        scaled = self._scaled_values()
        if scaled is None or n_initial >= n:
            return self._propose_initial(n)
        out = self._propose_initial(n_initial) if n_initial else []
        with _blas_controller().limit(limits=1, user_api="blas"):
            out += self._propose_from_models(n - len(out), scaled)
        return out

    def _propose_from_models(
        self, n: int, scaled: np.ndarray
    ) -> list[tuple[int, dict[str, Any]]]:
        rng = np.random.default_rng(self.random_state_.randint(2**31))
        n_objectives = scaled.shape[1]
        models: dict[int, list[GaussianProcess]] = {}
        unexplored = []
        for index, rows in enumerate(self._rows):
            if not rows:
                unexplored.append(index)
                continue
            X = np.vstack(self._X[index])
            models[index] = [
                self._fit(index, j, X, -scaled[rows, j], rng)
                for j in range(n_objectives)
            ]
        front = non_dominated(scaled[np.isfinite(scaled).all(axis=1)])
        # Common random numbers: every pool point sees the same draws.
        normals = rng.standard_normal((self.n_samples, n_objectives))
        proposals = []
        for _ in range(n):
            if unexplored:
                proposals.append(self._random_in(unexplored.pop(0)))
                continue
            picks = []
            for index, gps in models.items():
                x, value, mean = self._best_in(index, gps, front, normals, rng)
                if x is not None:
                    picks.append((value, index, x, mean))
            if not picks:
                break
            _, index, x, mean = max(picks, key=lambda p: p[0])
            (candidate,) = self._encoders[index].decode(x[None, :])
            self._mark_pending(index, candidate)
            proposals.append((index, candidate))
            front = non_dominated(np.vstack([front, mean[None, :]]))
            models[index] = [
                gp.condition_on(x[None, :], -mean[j : j + 1])
                for j, gp in enumerate(models[index])
            ]
        return proposals

    def _fit(
        self, index: int, j: int, X: np.ndarray, y: np.ndarray, rng: Any
    ) -> GaussianProcess:
        key = (index, j)
        model = self._models.get(key)
        if model is None:
            prior = HyperPrior(lengthscale_factor=float(self.length_scale_prior))
            model = self._models[key] = GaussianProcess(prior=prior)
        self._n_at_fit[key] = fit_reusing_theta(
            model, X, y, rng, self._n_at_fit.get(key, 0), self.refit_fraction
        )
        return model

    def _pool(self, index: int, front_x: np.ndarray, rng: Any) -> np.ndarray:
        encoder = self._encoders[index]
        d = encoder.n_features
        m = max(math.ceil(math.log2(self.n_pool)), 0)
        pool = qmc.Sobol(d, scramble=True, seed=rng).random_base2(m)[: self.n_pool]
        if self.n_local and len(front_x):
            centres = front_x[rng.integers(len(front_x), size=self.n_local)]
            local = centres + self.local_scale * rng.standard_normal(centres.shape)
            pool = np.vstack([pool, local])
        pool = encoder.snap(pool)
        exclude = np.vstack([np.vstack(self._X[index]), *self._pending[index].values()])
        pool = np.unique(pool, axis=0)
        far = np.ones(len(pool), dtype=bool)
        for start in range(0, len(pool), 256):
            part = pool[start : start + 256]
            dist = np.abs(part[:, None, :] - exclude[None, :, :]).max(axis=2)
            far[start : start + 256] = dist.min(axis=1) > _SAME
        return pool[far]

    def _best_in(
        self,
        index: int,
        gps: list[GaussianProcess],
        front: np.ndarray,
        normals: np.ndarray,
        rng: Any,
    ) -> tuple[np.ndarray | None, float, np.ndarray]:
        """The pool point of sub-space ``index`` with the largest expected
        hypervolume improvement, its value and its predicted (scaled,
        minimized) objectives."""
        X_seen = np.vstack(self._X[index])
        rows = np.asarray(self._rows[index])
        all_scaled = self._scaled_values()
        assert all_scaled is not None  # proposals start once every objective scored
        scaled = all_scaled[rows]
        on_front = np.array(
            [(np.abs(front - s).max(axis=1) < 1e-12).any() for s in scaled]
        )
        pool = self._pool(index, X_seen[on_front], rng)
        if not len(pool):
            return None, -math.inf, np.empty(0)
        # Models are fitted to the negated scaled values (maximized).
        predictions = [gp.predict(pool) for gp in gps]
        mean = -np.column_stack([p[0] for p in predictions])
        std = np.column_stack([p[1] for p in predictions])
        ref = np.full(mean.shape[1], _REFERENCE)
        if mean.shape[1] == 1:
            best = front.min() if front.size else _REFERENCE
            samples = mean[:, None, 0] + std[:, None, 0] * normals[None, :, 0]
            value = np.maximum(best - samples, 0.0).mean(axis=1)
        elif mean.shape[1] == 2:
            samples = mean[:, None, :] + std[:, None, :] * normals[None, :, :]
            flat = samples.reshape(-1, 2)
            value = (
                hypervolume_improvement_2d(flat, front, ref)
                .reshape(len(pool), -1)
                .mean(axis=1)
            )
        else:
            value = self._optimistic_improvement(mean - std, front, ref)
        if not (value > 0).any():
            # Nothing promises an improvement: the most uncertain point.
            value = std.sum(axis=1) * 1e-12
        k = int(np.argmax(value))
        return pool[k], float(value[k]), mean[k]

    @staticmethod
    def _optimistic_improvement(
        points: np.ndarray, front: np.ndarray, ref: np.ndarray
    ) -> np.ndarray:
        from skhyper.selection import hypervolume

        reference = ref.tolist()
        base = hypervolume(front, reference) if len(front) else 0.0
        return np.array(
            [
                hypervolume(np.vstack([front, p[None, :]]), reference) - base
                for p in points
            ]
        )

    def _random_in(self, index: int) -> tuple[int, dict[str, Any]]:
        encoder = self._encoders[index]
        x = encoder.snap(self.random_state_.random_sample((1, encoder.n_features)))
        (candidate,) = encoder.decode(x)
        self._mark_pending(index, candidate)
        return index, candidate

"""Gaussian-process regression with a Matérn-5/2 ARD kernel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, overload

import numpy as np
import scipy.linalg
import scipy.optimize
from numpy.typing import NDArray

from ._input_warp import InputWarp, WarpPrior
from ._kernel import matern52, matern52_grad_x, pairwise_sq_diff
from ._likelihood import HyperPrior, neg_log_posterior, neg_log_posterior_warped
from ._linalg import robust_cholesky
from ._transform import Standardizer

__all__ = ["GaussianProcess", "fit_reusing_theta"]

Array = NDArray[np.float64]

# Smallest predictive variance, relative to the signal variance. Below it the
# standard deviation is clipped and its gradient set to zero.
_VAR_FLOOR = 1e-12


class GaussianProcess:
    """Gaussian process for maximising scores on the unit cube.

    Scores are standardised (``(y - mean) / std``) before fitting, after an
    optional squash of very low outliers (``warp``). The hyperparameters
    (ARD length scales, signal variance, noise variance) are set by
    maximising the log marginal likelihood plus a log prior with L-BFGS-B on
    their logarithms, using the analytic gradient.

    Parameters
    ----------
    prior : HyperPrior or None, default=None
        Priors and bounds of the log hyperparameters; ``None`` uses
        ``HyperPrior()``.
    n_random_starts : int, default=0
        Extra optimiser starts drawn from the prior, on top of the previous
        optimum (when refitting) and the prior mean.
    max_iter : int, default=200
        Maximum L-BFGS-B iterations per start.
    warp : bool, default=True
        Compress scores far below the bulk before standardising (a monotone,
        unit-free transform, see :class:`Standardizer`); it leaves data
        without low outliers unchanged and helps when failures are imputed
        with very bad scores.
    max_fit_points : int or None, default=256
        Above this many observations the hyperparameters are fitted on a
        subset: the best half of it by score and an even spread of ranks of
        the rest (each likelihood evaluation costs ``O(n^3)``). The
        posterior still conditions on every observation. ``None`` fits on
        all.
    warp_inputs : ndarray of shape (d,) of bool or None, default=None
        Columns of the inputs to warp with a Kumaraswamy CDF whose two
        parameters per column are fitted with the kernel's (see
        :mod:`skhyper._gp._input_warp`); ``None`` warps none.
    warp_prior : WarpPrior or None, default=None
        Prior and bounds of the warping's log parameters; ``None`` uses
        ``WarpPrior()``.

    Attributes
    ----------
    theta_ : ndarray of shape (d + 2,)
        Fitted log length scales, log signal variance, log noise variance
        (in standardised units).
    X_train_ : ndarray of shape (n, d)
        Training inputs, including any conditioned (fantasy) points.
    y_train_ : ndarray of shape (n,)
        Standardised training scores.
    standardizer_ : Standardizer
        Map from score units to standardised units.
    input_warp_ : InputWarp or None
        The fitted input warping (``None`` without ``warp_inputs``).
    """

    def __init__(
        self,
        *,
        prior: HyperPrior | None = None,
        n_random_starts: int = 0,
        max_iter: int = 200,
        warp: bool = True,
        max_fit_points: int | None = 256,
        warp_inputs: Array | None = None,
        warp_prior: WarpPrior | None = None,
    ) -> None:
        self.prior = prior if prior is not None else HyperPrior()
        self.n_random_starts = n_random_starts
        self.max_iter = max_iter
        self.warp = warp
        self.max_fit_points = max_fit_points
        self.warp_inputs = warp_inputs
        self.warp_prior = warp_prior if warp_prior is not None else WarpPrior()
        self.theta_: Array | None = None
        self.input_warp_: InputWarp | None = None

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        X: Array,
        y: Array,
        rng: np.random.Generator | int | None = None,
        *,
        theta: Array | None = None,
    ) -> GaussianProcess:
        """Fit hyperparameters and the posterior to observed scores.

        Parameters
        ----------
        X : ndarray of shape (n, d)
            Inputs in the unit cube, ``n >= 1``.
        y : ndarray of shape (n,)
            Finite scores (greater is better).
        rng : numpy.random.Generator, int or None, default=None
            Randomness for the extra random starts (unused when
            ``n_random_starts == 0``).
        theta : ndarray of shape (d + 2,) or None, default=None
            If given, these log hyperparameters (log length scales, log
            signal variance, log noise variance, in standardised units) are
            used as they are and no optimisation takes place (with the
            input warping of the last optimisation, if any).

        Returns
        -------
        self : GaussianProcess
            The fitted model. Refitting the same object starts the
            hyperparameter search from the previous optimum. With ``theta``
            unchanged and ``X`` extending the previous training inputs (new
            rows appended), the Cholesky factor is extended, not recomputed.
            Above ``max_fit_points`` observations the hyperparameters are
            fitted on a subset (see ``max_fit_points``); the posterior always
            uses every observation.
        """
        X = np.atleast_2d(np.asarray(X, dtype=float))
        y = np.asarray(y, dtype=float).ravel()
        if X.shape[0] != y.size or y.size == 0:
            raise ValueError("X and y must have the same, non-zero, number of rows")
        if not np.all(np.isfinite(y)):
            raise ValueError("y must be finite")
        rng = np.random.default_rng(rng)
        d = X.shape[1]
        self.standardizer_ = Standardizer.fit(y, warp=self.warp)
        ys = self.standardizer_.transform(y)
        if theta is not None:
            theta = np.asarray(theta, dtype=float).ravel()
            if theta.size != d + 2:
                raise ValueError(f"theta must have {d + 2} entries")
            self._set_posterior(X, ys, theta)
            return self
        subset = _fit_subset(ys, self.max_fit_points)
        warp = self._warp_to_fit(d)
        bounds = self.prior.bounds(d)
        previous = self.theta_
        # The warping's log parameters follow theta; their default is 0.
        extra = np.zeros(0)
        objective: Callable[..., tuple[float, Array]]
        if warp is None:
            objective = neg_log_posterior
            args: tuple = (pairwise_sq_diff(X[subset]), ys[subset], self.prior)
        else:
            objective = neg_log_posterior_warped
            args = (X[subset], ys[subset], self.prior, warp, self.warp_prior)
            bounds = np.vstack([bounds, self.warp_prior.log_bounds(warp.k)])
            extra = np.zeros(2 * warp.k)
            if previous is not None:
                previous = np.concatenate([previous, warp.log_params])
        defaults = [np.concatenate([self.prior.default_theta(d), extra])]

        starts = []
        if previous is not None and previous.size == bounds.shape[0]:
            starts.append(np.clip(previous, bounds[:, 0], bounds[:, 1]))
        starts.extend(defaults)
        starts.extend(
            np.concatenate([self.prior.sample(d, rng), extra])
            for _ in range(self.n_random_starts)
        )

        best, best_value = starts[0], np.inf
        for start in starts:
            res = scipy.optimize.minimize(
                objective,
                start,
                args=args,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": self.max_iter},
            )
            if np.isfinite(res.fun) and res.fun < best_value:
                best, best_value = np.asarray(res.x, dtype=float), float(res.fun)
        if warp is not None:
            self.input_warp_ = warp.with_params(best[d + 2 :])
        # A new warping makes the current factor stale even at equal theta.
        self._set_posterior(X, ys, best[: d + 2], refactor=warp is not None)
        return self

    def _warp_to_fit(self, d: int) -> InputWarp | None:
        """The warping whose parameters a fit optimises (None: no warping)."""
        if self.warp_inputs is None:
            return None
        mask = np.asarray(self.warp_inputs, dtype=bool)
        if mask.shape != (d,):
            raise ValueError(
                f"warp_inputs must have one entry per input column ({d}), got "
                f"shape {mask.shape}."
            )
        if not mask.any():
            return None
        current = self.input_warp_
        if current is not None and np.array_equal(current.mask, mask):
            return current
        return InputWarp(mask)

    def _inputs(self, X: Array) -> Array:
        """Inputs as the kernel sees them (warped, if the model warps)."""
        if self.input_warp_ is None:
            return X
        return self.input_warp_.transform(X)

    def kernel(self, A: Array, B: Array) -> Array:
        """Prior covariance ``signal * k(A, B)`` of the fitted model, in
        standardised units, shape ``(len(A), len(B))``."""
        return self.signal_variance * matern52(
            self._inputs(np.atleast_2d(A)),
            self._inputs(np.atleast_2d(B)),
            self.lengthscales,
        )

    def _set_posterior(
        self, X: Array, ys: Array, theta: Array, refactor: bool = False
    ) -> None:
        """Store training data and factorise the kernel for fixed ``theta``
        (anew with ``refactor``, else extending the current factor when the
        inputs only gained rows)."""
        theta = np.asarray(theta, dtype=float)
        n_old = 0 if refactor else self._extendable_rows(X, theta)
        self.theta_ = theta
        if n_old == X.shape[0]:
            pass  # the same inputs and theta: the factor is current
        elif n_old:
            self._L = self._extended_factor(X[n_old:])
        else:
            K = self.kernel(X, X)
            K[np.diag_indices_from(K)] += self.noise_variance
            self._L, self._jitter = robust_cholesky(K)
        self.X_train_ = X
        self.y_train_ = ys
        self._alpha = scipy.linalg.cho_solve((self._L, True), ys, check_finite=False)

    def _extendable_rows(self, X: Array, theta: Array) -> int:
        """Rows of ``X`` already factorised with ``theta`` (0: factorise anew)."""
        L = getattr(self, "_L", None)
        if L is None or self.theta_ is None or not np.isfinite(self._jitter):
            return 0
        n_old = self.X_train_.shape[0]
        if (
            X.shape[0] < n_old
            or X.shape[1] != self.X_train_.shape[1]
            or not np.array_equal(theta, self.theta_)
            or not np.array_equal(X[:n_old], self.X_train_)
        ):
            return 0
        return n_old

    def _extended_factor(self, X_new: Array) -> Array:
        """Cholesky factor of the kernel of ``[X_train_; X_new]`` by a block
        update of the current one (hyperparameters unchanged)."""
        K12 = self.kernel(self.X_train_, X_new)
        K22 = self.kernel(X_new, X_new)
        K22[np.diag_indices_from(K22)] += self.noise_variance + self._jitter
        B = scipy.linalg.solve_triangular(self._L, K12, lower=True, check_finite=False)
        C = robust_cholesky(K22 - B.T @ B)[0]
        n, p = self._L.shape[0], X_new.shape[0]
        L = np.zeros((n + p, n + p))
        L[:n, :n] = self._L
        L[n:, :n] = B.T
        L[n:, n:] = C
        return L

    # ------------------------------------------------------------ properties
    def _fitted_theta(self) -> Array:
        if self.theta_ is None:
            raise RuntimeError("GaussianProcess is not fitted; call fit() first")
        return self.theta_

    @property
    def lengthscales(self) -> Array:
        """Fitted ARD length scales, shape ``(d,)``."""
        return np.exp(self._fitted_theta()[:-2])

    @property
    def signal_variance(self) -> float:
        """Fitted signal variance in standardised units."""
        return float(np.exp(self._fitted_theta()[-2]))

    @property
    def noise_variance(self) -> float:
        """Fitted noise variance in standardised units."""
        return float(np.exp(self._fitted_theta()[-1]))

    @property
    def best_standardized(self) -> float:
        """Largest standardised training score (the incumbent for EI/PI)."""
        return float(np.max(self.y_train_))

    @property
    def X_best(self) -> Array:
        """Training input with the largest score, shape ``(d,)``."""
        return self.X_train_[int(np.argmax(self.y_train_))]

    # -------------------------------------------------------------- predict
    @overload
    def predict(
        self,
        Xs: Array,
        return_grad: Literal[False] = ...,
        standardized: bool = ...,
    ) -> tuple[Array, Array]: ...

    @overload
    def predict(
        self,
        Xs: Array,
        return_grad: Literal[True],
        standardized: bool = ...,
    ) -> tuple[Array, Array, Array, Array]: ...

    @overload
    def predict(
        self,
        Xs: Array,
        return_grad: bool,
        standardized: bool = ...,
    ) -> tuple[Array, Array] | tuple[Array, Array, Array, Array]: ...

    def predict(
        self,
        Xs: Array,
        return_grad: bool = False,
        standardized: bool = False,
    ) -> tuple[Array, Array] | tuple[Array, Array, Array, Array]:
        """Posterior mean and standard deviation of the latent function.

        Parameters
        ----------
        Xs : ndarray of shape (m, d)
            Query points.
        return_grad : bool, default=False
            Also return the gradients of mean and std with respect to the
            query points.
        standardized : bool, default=False
            If False, results are in score units (for users). If True, they
            are in standardised units (for acquisition functions, which then
            compare with :attr:`best_standardized`).

        Returns
        -------
        mean : ndarray of shape (m,)
            Posterior mean. In score units with ``warp=True`` this is the
            back-transformed mean, i.e. the posterior median of the score.
        std : ndarray of shape (m,)
            Posterior standard deviation of the noise-free function (in score
            units with ``warp=True``: first-order delta-method approximation).
        dmean : ndarray of shape (m, d)
            ``d mean / d Xs`` (only if ``return_grad``).
        dstd : ndarray of shape (m, d)
            ``d std / d Xs`` (only if ``return_grad``; zero where the variance
            is clipped at its floor).
        """
        Xs = np.atleast_2d(np.asarray(Xs, dtype=float))
        signal = self.signal_variance
        ls = self.lengthscales
        Us, U_train = self._inputs(Xs), self._inputs(self.X_train_)
        Ks = signal * matern52(Us, U_train, ls)
        mean = Ks @ self._alpha
        V = scipy.linalg.solve_triangular(self._L, Ks.T, lower=True, check_finite=False)
        var = signal - np.einsum("nm,nm->m", V, V)
        floor = _VAR_FLOOR * signal
        clipped = var <= floor
        std = np.sqrt(np.maximum(var, floor))
        sd = self.standardizer_
        if not return_grad:
            if standardized:
                return mean, std
            return sd.inverse_mean(mean), std * sd.derivative(mean)

        dKs = signal * matern52_grad_x(Us, U_train, ls)  # (m, n, d)
        if self.input_warp_ is not None:
            dKs *= self.input_warp_.slope(Xs)[:, None, :]
        dmean = np.einsum("mnd,n->md", dKs, self._alpha)
        W = scipy.linalg.solve_triangular(
            self._L, V, lower=True, trans="T", check_finite=False
        )  # K^{-1} Ks^T, shape (n, m)
        dvar = -2.0 * np.einsum("mnd,nm->md", dKs, W)
        dstd = dvar / (2.0 * std[:, None])
        dstd[clipped] = 0.0
        if standardized:
            return mean, std, dmean, dstd
        # Back to score units: mean -> g(mean), std -> g'(mean) std (delta
        # method), with g the inverse output transform.
        slope = sd.derivative(mean)[:, None]
        curv = sd.second_derivative(mean)[:, None]
        return (
            sd.inverse_mean(mean),
            std * slope[:, 0],
            slope * dmean,
            slope * dstd + curv * std[:, None] * dmean,
        )

    # ------------------------------------------------------------ fantasies
    def condition_on(
        self, X_new: Array, y_new: Array, standardized: bool = False
    ) -> GaussianProcess:
        """New GP with extra observations and the same hyperparameters.

        Used for batch proposals (kriging believer / constant liar): pending
        points are added with believed values without refitting. The
        Cholesky factor is extended by a block update, not recomputed.

        Parameters
        ----------
        X_new : ndarray of shape (p, d)
            Extra inputs.
        y_new : ndarray of shape (p,)
            Believed scores at ``X_new``.
        standardized : bool, default=False
            Whether ``y_new`` is in standardised units (else score units).

        Returns
        -------
        GaussianProcess
            A new model; ``self`` is unchanged. Its standardisation is the
            one of ``self``.
        """
        X_new = np.atleast_2d(np.asarray(X_new, dtype=float))
        y_new = np.asarray(y_new, dtype=float).ravel()
        if X_new.shape[0] != y_new.size:
            raise ValueError("X_new and y_new must have the same number of rows")
        if not standardized:
            y_new = self.standardizer_.transform(y_new)
        L = self._extended_factor(X_new) if X_new.shape[0] else self._L.copy()

        new = GaussianProcess(
            prior=self.prior,
            n_random_starts=self.n_random_starts,
            max_iter=self.max_iter,
            max_fit_points=self.max_fit_points,
            warp_inputs=self.warp_inputs,
            warp_prior=self.warp_prior,
        )
        new.theta_ = self._fitted_theta().copy()
        new.input_warp_ = self.input_warp_
        new.standardizer_ = self.standardizer_
        new.X_train_ = np.vstack([self.X_train_, X_new])
        new.y_train_ = np.concatenate([self.y_train_, y_new])
        new._L = L
        new._jitter = self._jitter
        new._alpha = scipy.linalg.cho_solve((L, True), new.y_train_, check_finite=False)
        return new


def _fit_subset(ys: Array, max_points: int | None) -> NDArray[np.intp]:
    """Rows the hyperparameters are fitted on: all, or the best half of
    ``max_points`` by score and the rest spread evenly over the other ranks
    (deterministic, so refits do not jump with a random draw)."""
    n = ys.size
    if max_points is None or n <= max_points:
        return np.arange(n)
    order = np.argsort(-ys, kind="stable")
    n_top = max_points // 2
    rest = order[n_top:]
    picks = np.linspace(0, rest.size - 1, max_points - n_top).round().astype(int)
    return np.sort(np.concatenate([order[:n_top], rest[picks]]))


def fit_reusing_theta(
    model: GaussianProcess,
    X: Array,
    y: Array,
    rng: np.random.Generator | int | None,
    n_at_fit: int,
    refit_fraction: float,
) -> int:
    """Fit ``model`` to ``(X, y)``, optimizing its hyperparameters only when
    it has none yet or the data grew by more than ``refit_fraction`` since
    ``n_at_fit`` rows (the rows of the last optimization); otherwise the
    current ones are kept. Returns the rows of the last optimization."""
    if model.theta_ is not None and len(y) <= n_at_fit * (1.0 + refit_fraction):
        model.fit(X, y, rng, theta=model.theta_)
        return n_at_fit
    model.fit(X, y, rng)
    return len(y)

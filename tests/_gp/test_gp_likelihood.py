"""Tests of the marginal-likelihood objective, its prior and its gradient."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper._gp import HyperPrior, matern52, neg_log_posterior
from skhyper._gp._kernel import pairwise_sq_diff


def _reference_nll(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    d = X.shape[1]
    K = np.exp(theta[d]) * matern52(X, X, np.exp(theta[:d]))
    K += np.exp(theta[d + 1]) * np.eye(len(y))
    _, logdet = np.linalg.slogdet(K)
    return (
        0.5 * y @ np.linalg.solve(K, y)
        + 0.5 * logdet
        + 0.5 * len(y) * np.log(2 * np.pi)
    )


def test_value_matches_dense_reference() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.random((8, 2)), rng.standard_normal(8)
    theta = np.array([-1.0, 0.5, 0.3, -3.0])
    value, _ = neg_log_posterior(theta, pairwise_sq_diff(X), y)
    assert value == pytest.approx(_reference_nll(theta, X, y), rel=1e-10)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("with_prior", [False, True])
def test_gradient(seed: int, with_prior: bool, assert_grad) -> None:
    rng = np.random.default_rng(seed)
    d = 1 + seed % 4
    X, y = rng.random((10, d)), rng.standard_normal(10)
    D = pairwise_sq_diff(X)
    prior = HyperPrior() if with_prior else None
    theta = np.concatenate(
        [rng.normal(-1, 0.7, d), [rng.normal(0, 0.5)], [rng.uniform(-6, -1)]]
    )

    def f(t: np.ndarray) -> float:
        return neg_log_posterior(t, D, y, prior)[0]

    def g(t: np.ndarray) -> np.ndarray:
        return neg_log_posterior(t, D, y, prior)[1]

    assert_grad(f, g, theta)


def test_prior_gradient(assert_grad) -> None:
    prior = HyperPrior()
    theta = np.array([0.1, -2.0, 0.4, -5.0])
    assert_grad(
        lambda t: prior.neg_log_density(t)[0],
        lambda t: prior.neg_log_density(t)[1],
        theta,
    )


def test_prior_defaults_scale_with_dimension() -> None:
    prior = HyperPrior()
    low, high = prior.default_theta(1)[0], prior.default_theta(16)[0]
    assert high > low
    b = prior.bounds(3)
    assert b.shape == (5, 2)
    assert np.all(b[:, 0] < b[:, 1])
    assert np.exp(b[-1, 0]) == pytest.approx(1e-6)


def test_duplicate_rows_do_not_break_objective() -> None:
    X = np.array([[0.5], [0.5], [0.5], [0.1]])
    y = np.array([1.0, -1.0, 0.0, 0.3])
    value, grad = neg_log_posterior(
        np.array([0.0, 0.0, np.log(1e-6)]), pairwise_sq_diff(X), y
    )
    assert np.isfinite(value)
    assert np.all(np.isfinite(grad))

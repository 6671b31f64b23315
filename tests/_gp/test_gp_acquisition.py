"""Tests of the acquisition functions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from skhyper._gp import (
    GaussianProcess,
    LogExpectedImprovement,
    LogProbabilityOfImprovement,
    UpperConfidenceBound,
    get_acquisition,
    log_h,
    make_acquisition_function,
)

Z_GRID = np.concatenate(
    [-np.logspace(3, -3, 400), [0.0], np.logspace(-3, 3, 400)]
)  # [-1e3, 1e3]


@pytest.mark.parametrize("sigma", [1e-12, 1e-6, 1.0, 1e3])
def test_log_ei_finite_and_monotone(sigma: float) -> None:
    best = 0.5
    mu = best + Z_GRID * sigma
    values, _ = LogExpectedImprovement()(mu, np.full_like(mu, sigma), best)
    assert np.all(np.isfinite(values))
    assert np.all(np.diff(values) >= 0)


@pytest.mark.parametrize("sigma", [1e-12, 1e-3, 1.0, 1e4])
def test_log_ei_matches_naive_where_naive_is_accurate(sigma: float) -> None:
    z = np.linspace(-8, 1e3, 2001)
    best = 1.0
    mu = best + z * sigma
    values, _ = LogExpectedImprovement()(mu, np.full_like(mu, sigma), best)
    z = (mu - best) / sigma  # the z actually represented after rounding
    naive = np.log(sigma * (norm.pdf(z) + z * norm.cdf(z)))
    np.testing.assert_allclose(values, naive, rtol=1e-9)


def test_log_h_continuous_across_branches() -> None:
    for edge in (-1.0, -100.0):
        z = edge + np.array([-1e-9, 0.0, 1e-9])
        v = log_h(z)
        steps = np.diff(v)
        assert np.all(steps > 0)
        # Equal steps on both sides of the branch point: no jump there.
        assert steps[1] == pytest.approx(steps[0], rel=1e-3)


def test_log_h_asymptotics() -> None:
    # log h(z) = log phi(z) - 2 log|z| + log(1 - 3/z^2 + ...) for z -> -inf.
    z = np.array([-1e3, -1e5, -1e8])
    expected = norm.logpdf(z) - 2 * np.log(-z) + np.log1p(-3 / z**2)
    np.testing.assert_allclose(log_h(z), expected, rtol=1e-12)
    # and log h(z) -> log z for z -> +inf
    np.testing.assert_allclose(log_h(np.array([1e3])), np.log(1e3), rtol=1e-12)


@pytest.mark.parametrize(
    "z0", [-1e3, -250.0, -99.0, -30.0, -3.0, -1.0, -0.5, 0.0, 2.0, 40.0, 1e3]
)
@pytest.mark.parametrize(
    "acq", [LogExpectedImprovement(), LogProbabilityOfImprovement()]
)
def test_gradient_wrt_mu_sigma_across_regimes(z0: float, acq, assert_grad) -> None:
    # Treat (mu, sigma) as the "inputs": dmu = [1, 0], dsigma = [0, 1].
    best = 0.2
    eye = np.eye(2)

    def f(p: np.ndarray) -> float:
        return float(acq(p[:1], p[1:], best)[0][0])

    def g(p: np.ndarray) -> np.ndarray:
        return acq(p[:1], p[1:], best, eye[:1], eye[1:])[1][0]

    sigma = 0.3
    assert_grad(f, g, np.array([best + z0 * sigma, sigma]))


def _gp(seed: int) -> GaussianProcess:
    rng = np.random.default_rng(seed)
    X = rng.random((15, 2))
    y = -np.sum((X - 0.6) ** 2, axis=1) + 0.1 * np.sin(9 * X[:, 0])
    return GaussianProcess().fit(X, y, rng)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(
    "acq",
    [
        get_acquisition("log_ei"),
        get_acquisition("log_ei", xi=0.1),
        get_acquisition("ucb", kappa=1.5),
        get_acquisition("pi"),
        get_acquisition("pi", xi=0.05),
    ],
)
def test_acquisition_gradient_wrt_x(seed: int, acq, assert_grad) -> None:
    func = make_acquisition_function(_gp(seed), acq)
    rng = np.random.default_rng(seed + 50)
    for _ in range(3):
        x0 = rng.random(2)
        assert_grad(
            lambda x: float(func(x[None, :], False)[0][0]),
            lambda x: func(x[None, :], True)[1][0],
            x0,
        )


def test_far_from_data_log_ei_gradient_finite() -> None:
    gp = _gp(0)
    func = make_acquisition_function(gp, get_acquisition("log_ei"), best=1e3)
    values, grads = func(np.random.default_rng(0).random((50, 2)), True)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(grads))


def test_ucb_and_pi_values() -> None:
    mu, sigma = np.array([1.0, 2.0]), np.array([0.5, 0.1])
    np.testing.assert_allclose(
        UpperConfidenceBound(kappa=2.0)(mu, sigma, 0.0)[0], [2.0, 2.2]
    )
    pi, _ = LogProbabilityOfImprovement(xi=0.1)(mu, sigma, 1.5)
    np.testing.assert_allclose(pi, norm.logcdf((mu - 1.6) / sigma), rtol=1e-12)
    very_bad, _ = LogProbabilityOfImprovement()(np.array([-1e3]), np.array([1e-3]), 0.0)
    assert np.isfinite(very_bad[0])


def test_get_acquisition_by_name() -> None:
    assert isinstance(get_acquisition(), LogExpectedImprovement)
    assert get_acquisition("ucb", kappa=3.0) == UpperConfidenceBound(kappa=3.0)
    assert get_acquisition("PI", xi=0.2) == LogProbabilityOfImprovement(xi=0.2)
    with pytest.raises(ValueError):
        get_acquisition("nope")
    with pytest.raises(ValueError):
        get_acquisition("ucb", xi=1.0)

"""Tests of the Kumaraswamy input warping and of a GP that fits it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skhyper._gp import GaussianProcess, HyperPrior
from skhyper._gp._input_warp import InputWarp, WarpPrior
from skhyper._gp._kernel import pairwise_sq_diff
from skhyper._gp._likelihood import neg_log_posterior, neg_log_posterior_warped

_LOG_PARAM = st.floats(-1.6, 1.6)


@settings(max_examples=60, deadline=None)
@given(
    log_a=_LOG_PARAM,
    log_b=_LOG_PARAM,
    x=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=20),
)
def test_warp_is_a_monotone_map_of_the_unit_interval(
    log_a: float, log_b: float, x: list[float]
) -> None:
    warp = InputWarp(np.array([True]), np.array([log_a, log_b]))
    xs = np.sort(np.asarray(x))[:, None]
    u = warp.transform(xs)[:, 0]
    assert np.all((u >= 0.0) & (u <= 1.0))
    assert np.all(np.diff(u) >= 0.0)
    assert np.all(warp.slope(xs) >= 0.0)


def test_zero_parameters_are_the_identity_and_unwarped_columns_stay() -> None:
    X = np.random.default_rng(0).uniform(0.01, 0.99, (7, 3))
    warp = InputWarp(np.array([True, False, True]))
    np.testing.assert_allclose(warp.transform(X), X, atol=1e-12)
    moved = warp.with_params(np.array([0.7, -0.4, 0.2, 0.9])).transform(X)
    np.testing.assert_array_equal(moved[:, 1], X[:, 1])
    assert not np.allclose(moved[:, [0, 2]], X[:, [0, 2]])


def test_wrong_number_of_parameters_is_an_error() -> None:
    with pytest.raises(ValueError, match="4 entries"):
        InputWarp(np.array([True, True]), np.zeros(3))


@pytest.mark.parametrize("log_params", [[0.0, 0.0], [0.8, -0.5], [-1.2, 1.1]])
def test_derivatives_match_finite_differences(log_params: list[float]) -> None:
    x = np.linspace(0.05, 0.95, 11)[:, None]
    params = np.asarray(log_params)
    warp = InputWarp(np.array([True]), params)
    h = 1e-6
    slope = (warp.transform(x + h) - warp.transform(x - h))[:, 0] / (2 * h)
    np.testing.assert_allclose(warp.slope(x)[:, 0], slope, rtol=1e-5, atol=1e-8)
    for half, analytic in enumerate(warp.param_gradients(x)):
        step = np.zeros(2)
        step[half] = h
        numeric = (
            warp.with_params(params + step).transform(x)
            - warp.with_params(params - step).transform(x)
        )[:, 0] / (2 * h)
        np.testing.assert_allclose(analytic[:, 0], numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_warped_objective_gradient(seed: int, assert_grad) -> None:
    rng = np.random.default_rng(seed)
    d = 2 + seed % 3
    X, y = rng.random((12, d)), rng.standard_normal(12)
    mask = rng.random(d) < 0.7
    mask[0] = True
    warp = InputWarp(mask)
    params = np.concatenate(
        [
            rng.normal(-1, 0.5, d),
            [rng.normal(0, 0.5), rng.uniform(-6, -1)],
            rng.normal(0, 0.5, 2 * warp.k),
        ]
    )

    def objective(p: np.ndarray) -> tuple[float, np.ndarray]:
        return neg_log_posterior_warped(p, X, y, HyperPrior(), warp, WarpPrior())

    assert_grad(lambda p: objective(p)[0], lambda p: objective(p)[1], params)


def test_identity_warp_adds_only_its_prior_to_the_objective() -> None:
    rng = np.random.default_rng(1)
    X, y = rng.random((9, 2)), rng.standard_normal(9)
    theta = np.array([-1.0, -0.5, 0.2, -4.0])
    plain, _ = neg_log_posterior(theta, pairwise_sq_diff(X), y, HyperPrior())
    warped, _ = neg_log_posterior_warped(
        np.concatenate([theta, np.zeros(4)]),
        X,
        y,
        HyperPrior(),
        InputWarp(np.array([True, True])),
        WarpPrior(),
    )
    assert warped == pytest.approx(plain, rel=1e-6)


def _power_law_data() -> tuple[np.ndarray, np.ndarray]:
    """Scores that change fast near x0 = 0 and slowly near 1 (log-like)."""
    rng = np.random.default_rng(0)
    X = rng.random((40, 2))
    return X, np.sqrt(X[:, 0]) + 0.1 * X[:, 1]


def test_gp_learns_to_stretch_the_end_where_scores_change_fast() -> None:
    X, y = _power_law_data()
    gp = GaussianProcess(warp_inputs=np.array([True, True])).fit(X, y, 0)
    assert gp.input_warp_ is not None
    log_a_x0 = gp.input_warp_.log_params[0]
    assert log_a_x0 < -0.2  # a < 1: the low end of x0 is stretched


def test_warping_improves_the_fit_of_a_power_law() -> None:
    X, y = _power_law_data()
    X_test = np.random.default_rng(1).random((200, 2))
    y_test = np.sqrt(X_test[:, 0]) + 0.1 * X_test[:, 1]
    errors = {}
    for warp in (False, True):
        mask = np.array([True, True]) if warp else None
        gp = GaussianProcess(warp_inputs=mask).fit(X, y, 0)
        errors[warp] = float(np.mean((gp.predict(X_test)[0] - y_test) ** 2))
    assert errors[True] < errors[False]


def test_gradients_of_a_warped_prediction(assert_grad) -> None:
    X, y = _power_law_data()
    # Few observations, so the standard deviation is far from its floor.
    gp = GaussianProcess(warp_inputs=np.array([True, False])).fit(X[:8], y[:8], 0)
    x0 = np.array([0.3, 0.6])
    for output in (0, 1):  # mean, std

        def f(x: np.ndarray, output: int = output) -> float:
            return float(gp.predict(x[None, :])[output][0])

        def g(x: np.ndarray, output: int = output) -> np.ndarray:
            return gp.predict(x[None, :], return_grad=True)[2 + output][0]

        assert_grad(f, g, x0, epsilon=1e-6)


def test_refit_with_fixed_theta_keeps_the_warping_and_extends_the_factor() -> None:
    X, y = _power_law_data()
    gp = GaussianProcess(warp_inputs=np.array([True, True])).fit(X[:30], y[:30], 0)
    warp = gp.input_warp_
    gp.fit(X, y, theta=gp.theta_)
    assert gp.input_warp_ is warp
    fresh = GaussianProcess(warp_inputs=np.array([True, True]))
    fresh.input_warp_ = warp
    fresh.fit(X, y, theta=gp.theta_)
    np.testing.assert_allclose(gp.predict(X)[0], fresh.predict(X)[0], rtol=1e-8)


def test_conditioned_model_keeps_the_warping() -> None:
    X, y = _power_law_data()
    gp = GaussianProcess(warp_inputs=np.array([True, True])).fit(X, y, 0)
    new = gp.condition_on(np.array([[0.2, 0.2]]), np.array([0.5]))
    assert new.input_warp_ is gp.input_warp_
    np.testing.assert_allclose(new.kernel(X[:3], X[:3]), gp.kernel(X[:3], X[:3]))


def test_mask_of_the_wrong_length_is_an_error() -> None:
    X, y = _power_law_data()
    with pytest.raises(ValueError, match="one entry per input column"):
        GaussianProcess(warp_inputs=np.array([True])).fit(X, y, 0)


def test_all_false_mask_is_the_plain_model() -> None:
    X, y = _power_law_data()
    plain = GaussianProcess().fit(X, y, 0)
    masked = GaussianProcess(warp_inputs=np.array([False, False])).fit(X, y, 0)
    assert masked.input_warp_ is None
    np.testing.assert_allclose(masked.theta_, plain.theta_)

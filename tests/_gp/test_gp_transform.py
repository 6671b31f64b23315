"""Tests of the output transform (standardisation and low-tail squash)."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper._gp import GaussianProcess, Standardizer


def _with_outliers(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y = rng.normal(0.8, 0.02, 30)
    y[:3] = [-5.0, -1e3, 0.1]
    return y


def test_plain_standardisation() -> None:
    y = np.array([1.0, 2.0, 4.0])
    sd = Standardizer.fit(y)
    assert sd.is_affine
    np.testing.assert_allclose(sd.transform(y), (y - y.mean()) / y.std())
    np.testing.assert_allclose(sd.inverse_mean(sd.transform(y)), y)


def test_constant_and_single_scores() -> None:
    for y in (np.full(5, 0.1), np.array([3.0]), np.zeros(4)):
        sd = Standardizer.fit(y, warp=True)
        assert sd.scale > 0
        assert np.all(np.isfinite(sd.transform(y)))


def test_warp_is_identity_without_low_outliers() -> None:
    y = np.random.default_rng(0).normal(size=50)
    y = y[y > np.percentile(y, 25) - 1.0]  # nothing far below the bulk
    a, b = Standardizer.fit(y), Standardizer.fit(y, warp=True)
    np.testing.assert_allclose(a.transform(y), b.transform(y))


def test_warp_is_monotone_invertible_and_compresses_low_tail() -> None:
    y = _with_outliers()
    sd = Standardizer.fit(y, warp=True)
    assert not sd.is_affine
    t = sd.transform(y)
    order = np.argsort(y)
    assert np.all(np.diff(t[order]) > 0)
    np.testing.assert_allclose(sd.inverse_mean(t), y, rtol=1e-10)
    # The bulk keeps a usable spread: the outliers no longer dominate.
    plain = Standardizer.fit(y)
    bulk = slice(3, None)
    assert np.std(t[bulk]) > 20 * np.std(plain.transform(y)[bulk])


@pytest.mark.parametrize("scale", [1e-9, 1e9])
@pytest.mark.parametrize("shift", [0.0, 5.0])
def test_warp_is_unit_free(scale: float, shift: float) -> None:
    y = _with_outliers()
    a = Standardizer.fit(y, warp=True)
    b = Standardizer.fit(y * scale + shift * scale, warp=True)
    np.testing.assert_allclose(
        a.transform(y), b.transform(y * scale + shift * scale), atol=1e-6
    )


def test_derivatives(assert_grad) -> None:
    sd = Standardizer.fit(_with_outliers(), warp=True)
    for m in (-12.0, -3.0, -0.1, 0.5):
        x0 = np.array([m])
        assert_grad(lambda v: float(sd.inverse_mean(v)[0]), sd.derivative, x0)
        assert_grad(lambda v: float(sd.derivative(v)[0]), sd.second_derivative, x0)


@pytest.mark.parametrize("seed", range(3))
def test_score_unit_gradients_with_warp(seed: int, assert_grad) -> None:
    rng = np.random.default_rng(seed)
    X = rng.random((25, 2))
    y = np.sin(5 * X[:, 0]) + X[:, 1]
    y[:3] = -100.0  # failures
    gp = GaussianProcess().fit(X, y, rng)
    assert not gp.standardizer_.is_affine
    for _ in range(3):
        x0 = rng.random(2)

        def pred(x: np.ndarray) -> tuple:
            return gp.predict(x[None, :], return_grad=True)

        assert_grad(lambda x: pred(x)[0][0], lambda x: pred(x)[2][0], x0)
        assert_grad(lambda x: pred(x)[1][0], lambda x: pred(x)[3][0], x0)


def test_warp_improves_fit_of_the_bulk_with_a_failure() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((20, 1))

    def f(x: np.ndarray) -> np.ndarray:
        return np.sin(6 * x[:, 0])

    y = f(X)
    y[0] = -1e4  # one failed evaluation
    Xt = np.linspace(0, 1, 200)[:, None]
    far = np.abs(Xt[:, 0] - X[0, 0]) > 0.15
    errors = {}
    for warp in (False, True):
        gp = GaussianProcess(warp=warp).fit(X, y, rng=0)
        errors[warp] = np.sqrt(np.mean((gp.predict(Xt)[0][far] - f(Xt)[far]) ** 2))
    assert errors[True] < 0.5 * errors[False]

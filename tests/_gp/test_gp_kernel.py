"""Tests of the Matérn-5/2 ARD kernel and its gradients."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper._gp import matern52, matern52_grad_x, matern52_with_grad


def _reference(x1: np.ndarray, x2: np.ndarray, ls: np.ndarray) -> float:
    r = np.sqrt(np.sum(((x1 - x2) / ls) ** 2))
    return (1 + np.sqrt(5) * r + 5 / 3 * r**2) * np.exp(-np.sqrt(5) * r)


def test_matches_elementwise_formula() -> None:
    rng = np.random.default_rng(0)
    X1, X2, ls = rng.random((4, 3)), rng.random((5, 3)), rng.uniform(0.1, 2, 3)
    K = matern52(X1, X2, ls)
    ref = np.array([[_reference(a, b, ls) for b in X2] for a in X1])
    np.testing.assert_allclose(K, ref, rtol=1e-12, atol=1e-14)


def test_self_kernel_symmetric_unit_diagonal_psd() -> None:
    rng = np.random.default_rng(1)
    X = rng.random((30, 4))
    K, dK = matern52_with_grad(X, np.full(4, 0.3))
    np.testing.assert_allclose(K, K.T)
    np.testing.assert_allclose(np.diag(K), 1.0)
    assert np.min(np.linalg.eigvalsh(K)) > -1e-10
    assert dK.shape == (4, 30, 30)
    np.testing.assert_allclose(K, matern52(X, X, np.full(4, 0.3)), atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_grad_wrt_log_lengthscales(seed: int, assert_grad) -> None:
    rng = np.random.default_rng(seed)
    d = 3
    X = rng.random((6, d))
    W = rng.standard_normal((6, 6))

    def f(log_ls: np.ndarray) -> float:
        K, _ = matern52_with_grad(X, np.exp(log_ls))
        return float(np.sum(W * K))

    def g(log_ls: np.ndarray) -> np.ndarray:
        _, dK = matern52_with_grad(X, np.exp(log_ls))
        return np.tensordot(dK, W, axes=([1, 2], [0, 1]))

    assert_grad(f, g, rng.normal(-0.5, 0.5, d))


@pytest.mark.parametrize("seed", range(4))
def test_grad_wrt_x(seed: int, assert_grad) -> None:
    rng = np.random.default_rng(seed)
    d = 4
    X = rng.random((7, d))
    w = rng.standard_normal(7)
    ls = rng.uniform(0.2, 1.0, d)

    def f(x: np.ndarray) -> float:
        return float(matern52(x[None, :], X, ls)[0] @ w)

    def g(x: np.ndarray) -> np.ndarray:
        return matern52_grad_x(x[None, :], X, ls)[0].T @ w

    assert_grad(f, g, rng.random(d))


def test_grad_wrt_x_is_zero_at_coincident_point() -> None:
    X = np.array([[0.2, 0.4]])
    dK = matern52_grad_x(X, X, np.array([0.5, 0.5]))
    np.testing.assert_allclose(dK, 0.0)

"""Tests of the jittered Cholesky factorisation."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper._gp import GaussianProcess
from skhyper._gp._linalg import robust_cholesky


def test_positive_definite_needs_no_jitter() -> None:
    K = np.array([[2.0, 0.5], [0.5, 1.0]])
    L, jitter = robust_cholesky(K)
    assert jitter == 0.0
    np.testing.assert_allclose(L @ L.T, K)
    assert np.all(np.triu(L, 1) == 0)


def test_singular_matrix_gets_small_jitter() -> None:
    K = np.ones((4, 4))  # rank one: duplicate points, no noise
    L, jitter = robust_cholesky(K)
    assert 0.0 < jitter < 1e-2
    np.testing.assert_allclose(L @ L.T, K + jitter * np.eye(4), atol=1e-12)


def test_non_finite_matrix_does_not_raise() -> None:
    K = np.array([[1.0, np.nan], [np.nan, 1.0]])
    L, jitter = robust_cholesky(K)
    assert np.isinf(jitter)
    assert np.all(np.isfinite(L))


def test_unfitted_model_raises_clear_error() -> None:
    with pytest.raises(RuntimeError, match="not fitted"):
        _ = GaussianProcess().lengthscales

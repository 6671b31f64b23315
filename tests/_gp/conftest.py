"""Shared helpers for the GP tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy.optimize import check_grad


def _assert_grad(
    func: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    rtol: float = 1e-4,
    epsilon: float = 1e-7,
) -> None:
    """Assert that ``grad`` matches finite differences of ``func`` at ``x0``."""
    x0 = np.asarray(x0, dtype=float)
    err = check_grad(func, grad, x0, epsilon=epsilon)
    scale = max(float(np.linalg.norm(grad(x0))), 1e-6)
    assert err / scale < rtol, (err, scale, x0)


@pytest.fixture
def assert_grad() -> Callable[..., None]:
    """The gradient-checking helper."""
    return _assert_grad

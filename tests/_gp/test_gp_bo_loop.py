"""End-to-end: sequential proposals beat random search on simple problems."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from skhyper._gp import GaussianProcess, propose_batch


def neg_quadratic(X: np.ndarray) -> np.ndarray:
    """Maximum 0 at x = 0.3."""
    return -((X[:, 0] - 0.3) ** 2)


def neg_branin(X: np.ndarray) -> np.ndarray:
    """Negated Branin on the unit square; maximum -0.397887."""
    x1, x2 = 15 * X[:, 0] - 5, 15 * X[:, 1]
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return -((x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10)


def _bo_regret(f: Callable, d: int, optimum: float, seed: int) -> float:
    rng = np.random.default_rng(seed)
    X = rng.random((5, d))
    y = f(X)
    gp = GaussianProcess()
    for _ in range(20):
        gp.fit(X, y, rng)
        x = propose_batch(gp, 1, "log_ei", rng=rng)
        X, y = np.vstack([X, x]), np.append(y, f(x))
    return optimum - float(np.max(y))


def _random_regret(f: Callable, d: int, optimum: float, seed: int) -> float:
    X = np.random.default_rng(seed + 1000).random((25, d))
    return optimum - float(np.max(f(X)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quadratic_1d(seed: int) -> None:
    bo = _bo_regret(neg_quadratic, 1, 0.0, seed)
    assert bo < 1e-5
    assert bo < 0.1 * _random_regret(neg_quadratic, 1, 0.0, seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_branin_2d(seed: int) -> None:
    optimum = -0.397887
    bo = _bo_regret(neg_branin, 2, optimum, seed)
    # Typical regrets: BO 1e-3 to 9e-2, random search 0.3 to 7.
    assert bo < 0.25
    assert bo < 0.25 * _random_regret(neg_branin, 2, optimum, seed)

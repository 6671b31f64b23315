"""Tests of acquisition maximisation and batch proposals."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper._gp import (
    GaussianProcess,
    get_acquisition,
    make_acquisition_function,
    maximize_acquisition,
    propose_batch,
)

TARGET = np.array([0.7, 0.2, 0.55])


def _bowl(X: np.ndarray, return_grad: bool = True):
    values = -np.sum((X - TARGET) ** 2, axis=1)
    return values, (-2.0 * (X - TARGET) if return_grad else None)


def test_finds_maximum_of_smooth_function() -> None:
    x, value = maximize_acquisition(_bowl, 3, rng=0, n_pool=256, n_polish=3)
    np.testing.assert_allclose(x, TARGET, atol=1e-5)
    assert value == pytest.approx(0.0, abs=1e-9)


def test_respects_unit_cube() -> None:
    def outside(X: np.ndarray, return_grad: bool = True):
        values = np.sum(X, axis=1)
        return values, (np.ones_like(X) if return_grad else None)

    x, _ = maximize_acquisition(outside, 4, rng=1, n_pool=64)
    np.testing.assert_allclose(x, 1.0)


def test_never_returns_excluded_point() -> None:
    x, _ = maximize_acquisition(_bowl, 3, rng=0, n_pool=256, exclude=TARGET[None, :])
    assert np.max(np.abs(x - TARGET)) > 1e-9


def test_snap_is_applied_and_excluded_grid_points_skipped() -> None:
    def snap(X: np.ndarray) -> np.ndarray:
        return np.round(X * 4) / 4

    x, _ = maximize_acquisition(_bowl, 3, rng=0, n_pool=128, snap=snap)
    np.testing.assert_allclose(x, [0.75, 0.25, 0.5])
    x2, _ = maximize_acquisition(
        _bowl, 3, rng=0, n_pool=128, snap=snap, exclude=x[None, :]
    )
    np.testing.assert_allclose(x2, snap(x2[None, :])[0])
    assert np.max(np.abs(x2 - x)) > 0.2


def test_fixed_mask_keeps_coordinates() -> None:
    mask = np.array([False, True, False])
    fixed = np.array([0.0, 0.9, 0.0])
    x, _ = maximize_acquisition(
        _bowl, 3, rng=0, n_pool=128, fixed_mask=mask, fixed_values=fixed
    )
    assert x[1] == 0.9
    np.testing.assert_allclose(x[[0, 2]], TARGET[[0, 2]], atol=1e-5)

    def snap(X: np.ndarray) -> np.ndarray:  # dimension 1 is binary
        X = X.copy()
        X[:, 1] = np.round(X[:, 1])
        return X

    x, _ = maximize_acquisition(_bowl, 3, rng=0, n_pool=128, fixed_mask=mask, snap=snap)
    assert x[1] == 0.0
    np.testing.assert_allclose(x[[0, 2]], TARGET[[0, 2]], atol=1e-5)


def test_all_excluded_falls_back_to_a_point() -> None:
    def line(X: np.ndarray, return_grad: bool = True):
        return X[:, 0], (np.ones_like(X) if return_grad else None)

    x, value = maximize_acquisition(
        line, 1, rng=0, n_pool=16, snap=np.round, exclude=np.array([[0.0], [1.0]])
    )
    assert x.shape == (1,) and np.isfinite(value)


def _gp(seed: int, d: int = 2, n: int = 8) -> GaussianProcess:
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    return GaussianProcess().fit(X, -np.sum((X - 0.5) ** 2, axis=1), rng)


@pytest.mark.parametrize("name", ["log_ei", "ucb", "pi"])
def test_propose_batch_distinct_and_not_excluded(name: str) -> None:
    gp = _gp(0)
    pending = np.array([[0.5, 0.5], [0.45, 0.55]])
    batch = propose_batch(gp, 5, get_acquisition(name), rng=1, exclude=pending)
    assert batch.shape == (5, 2)
    blocked = np.vstack([gp.X_train_, pending])
    for i, x in enumerate(batch):
        assert np.all(np.max(np.abs(blocked - x), axis=1) > 1e-9)
        others = np.delete(batch, i, axis=0)
        assert np.all(np.max(np.abs(others - x), axis=1) > 1e-9)
    assert np.all((batch >= 0) & (batch <= 1))


@pytest.mark.parametrize("fantasy", ["liar_min", "liar_mean", "liar_max"])
def test_propose_batch_constant_liar(fantasy: str) -> None:
    gp = _gp(4)
    batch = propose_batch(gp, 4, "log_ei", rng=2, fantasy=fantasy)
    assert batch.shape == (4, 2)
    assert len({tuple(row) for row in batch}) == 4


def test_propose_batch_rejects_unknown_fantasy() -> None:
    with pytest.raises(ValueError):
        propose_batch(_gp(0), 2, "log_ei", rng=0, fantasy="oracle")


def test_propose_batch_ten_dimensions() -> None:
    gp = _gp(5, d=10, n=30)
    batch = propose_batch(gp, 3, "log_ei", rng=0)
    assert batch.shape == (3, 10)
    assert np.all((batch >= 0) & (batch <= 1))
    assert len({tuple(row) for row in batch}) == 3


def test_local_points_are_used() -> None:
    # A needle near the local point that a tiny pool would miss.
    center = np.array([0.123, 0.877, 0.5])

    def needle(X: np.ndarray, return_grad: bool = True):
        diff = X - center
        values = np.exp(-np.sum(diff**2, axis=1) / 1e-3)
        grads = -2e3 * diff * values[:, None]
        return values, (grads if return_grad else None)

    x, value = maximize_acquisition(
        needle, 3, rng=0, n_pool=4, n_polish=2, local_points=center[None, :], n_local=16
    )
    np.testing.assert_allclose(x, center, atol=1e-4)
    assert value == pytest.approx(1.0, abs=1e-6)


def test_propose_batch_on_small_grid_uses_every_free_cell() -> None:
    X = np.array([[0.0], [1.0], [0.05]])
    gp = GaussianProcess().fit(X, np.array([0.0, 1.0, 0.1]))

    def snap(X: np.ndarray) -> np.ndarray:
        return np.round(X * 4) / 4  # five cells: 0, .25, .5, .75, 1

    batch = propose_batch(gp, 3, "log_ei", rng=0, snap=snap, exclude=snap(X))
    assert sorted(batch.ravel().tolist()) == [0.25, 0.5, 0.75]


def test_make_acquisition_function_shapes() -> None:
    func = make_acquisition_function(_gp(1), get_acquisition())
    X = np.random.default_rng(0).random((9, 2))
    values, grads = func(X, True)
    assert values.shape == (9,) and grads.shape == (9, 2)
    values2, none = func(X, False)
    assert none is None
    np.testing.assert_allclose(values, values2)


def test_proposals_are_reproducible() -> None:
    a = propose_batch(_gp(6), 3, "log_ei", rng=11)
    b = propose_batch(_gp(6), 3, "log_ei", rng=11)
    np.testing.assert_array_equal(a, b)


def test_proposals_do_not_depend_on_score_units() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((12, 3))
    y = np.sin(4 * X[:, 0]) - X[:, 1] ** 2 + 0.5 * X[:, 2]
    batches = []
    for scale in (1e-6, 1.0, 1e6):
        gp = GaussianProcess().fit(X, y * scale, rng=0)
        batches.append(propose_batch(gp, 2, "log_ei", rng=3))
    np.testing.assert_allclose(batches[0], batches[1], atol=1e-5)
    np.testing.assert_allclose(batches[2], batches[1], atol=1e-5)


def test_mixed_space_with_one_hot_block() -> None:
    # Dimension 0 continuous, dimension 1 an integer with 5 levels,
    # dimensions 2-4 a one-hot categorical with 3 levels.
    def snap(X: np.ndarray) -> np.ndarray:
        X = X.copy()
        X[:, 1] = np.round(X[:, 1] * 4) / 4
        hot = np.argmax(X[:, 2:5], axis=1)
        X[:, 2:5] = 0.0
        X[np.arange(len(X)), 2 + hot] = 1.0
        return X

    def score(X: np.ndarray) -> np.ndarray:
        return -((X[:, 0] - 0.3) ** 2) - (X[:, 1] - 0.75) ** 2 + 0.5 * X[:, 3]

    rng = np.random.default_rng(0)
    X = snap(rng.random((6, 5)))
    y = score(X)
    gp = GaussianProcess()
    mask = np.array([False, False, True, True, True])
    for _ in range(15):
        gp.fit(X, y, rng)
        x = propose_batch(gp, 1, "log_ei", rng=rng, snap=snap, fixed_mask=mask)
        np.testing.assert_array_equal(x, snap(x))
        X, y = np.vstack([X, x]), np.append(y, score(x))
    best = X[np.argmax(y)]
    assert best[3] == 1.0 and best[1] == 0.75
    assert abs(best[0] - 0.3) < 0.05
    assert len({tuple(row) for row in X}) == len(X)


def test_accepts_function_of_x_only() -> None:
    def bowl_x_only(X: np.ndarray):
        return _bowl(X, True)

    x, _ = maximize_acquisition(bowl_x_only, 3, rng=0, n_pool=128)
    np.testing.assert_allclose(x, TARGET, atol=1e-5)

"""Tests of GaussianProcess: posterior, gradients, robustness, fantasies."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper._gp import GaussianProcess


def _k(a: float, b: float, ls: float) -> float:
    r = abs(a - b) / ls
    return (1 + np.sqrt(5) * r + 5 / 3 * r**2) * np.exp(-np.sqrt(5) * r)


def test_posterior_matches_hand_solved_reference() -> None:
    x = np.array([0.1, 0.5, 0.8])
    y = np.array([2.0, 5.0, 3.0])
    ls, signal, noise = 0.3, 1.7, 0.01
    gp = GaussianProcess().fit(x[:, None], y, theta=np.log([ls, signal, noise]))
    # Independent reference: standardise by hand, solve the 3x3 system.
    mean, std = y.mean(), y.std()
    ys = (y - mean) / std
    K = signal * np.array([[_k(a, b, ls) for b in x] for a in x]) + noise * np.eye(3)
    xs = np.array([0.0, 0.3, 0.5, 0.95])
    Ks = signal * np.array([[_k(a, b, ls) for b in x] for a in xs])
    mu_ref = Ks @ np.linalg.solve(K, ys)
    var_ref = signal - np.sum(Ks * np.linalg.solve(K, Ks.T).T, axis=1)

    mu, sd = gp.predict(xs[:, None])
    np.testing.assert_allclose(mu, mu_ref * std + mean, rtol=1e-10)
    np.testing.assert_allclose(sd, np.sqrt(var_ref) * std, rtol=1e-10)
    mu_s, sd_s = gp.predict(xs[:, None], standardized=True)
    np.testing.assert_allclose(mu_s, mu_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sd_s, np.sqrt(var_ref), rtol=1e-10)


def _fitted(seed: int, n: int = 12, d: int = 3) -> GaussianProcess:
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = np.sin(6 * X[:, 0]) + X[:, -1] ** 2 + 0.05 * rng.standard_normal(n)
    return GaussianProcess().fit(X, y, rng)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("standardized", [False, True])
def test_mean_and_std_gradients(seed: int, standardized: bool, assert_grad) -> None:
    gp = _fitted(seed)
    rng = np.random.default_rng(100 + seed)
    for _ in range(3):
        x0 = rng.random(3)

        def pred(x: np.ndarray) -> tuple:
            return gp.predict(x[None, :], return_grad=True, standardized=standardized)

        assert_grad(lambda x: pred(x)[0][0], lambda x: pred(x)[2][0], x0)
        assert_grad(lambda x: pred(x)[1][0], lambda x: pred(x)[3][0], x0)


def test_batch_gradients_match_single_point_gradients() -> None:
    gp = _fitted(0)
    Xs = np.random.default_rng(5).random((6, 3))
    _, _, dm, ds = gp.predict(Xs, return_grad=True)
    for i in range(6):
        _, _, dm1, ds1 = gp.predict(Xs[i : i + 1], return_grad=True)
        np.testing.assert_allclose(dm[i], dm1[0], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ds[i], ds1[0], rtol=1e-10, atol=1e-12)


def test_fit_improves_on_default_start() -> None:
    gp = _fitted(3)
    from skhyper._gp import neg_log_posterior
    from skhyper._gp._kernel import pairwise_sq_diff

    D = pairwise_sq_diff(gp.X_train_)
    fitted = neg_log_posterior(gp.theta_, D, gp.y_train_, gp.prior)[0]
    start = neg_log_posterior(gp.prior.default_theta(3), D, gp.y_train_, gp.prior)[0]
    assert fitted <= start


@pytest.mark.parametrize("scale", [1e-9, 1e-6, 1e6, 1e9])
def test_score_scale_invariance(scale: float) -> None:
    rng = np.random.default_rng(0)
    X = rng.random((15, 2))
    y = np.cos(5 * X[:, 0]) * X[:, 1] + 0.3
    Xs = rng.random((20, 2))
    ref = GaussianProcess().fit(X, y, rng=1)
    gp = GaussianProcess().fit(X, y * scale, rng=1)
    np.testing.assert_allclose(gp.theta_, ref.theta_, rtol=1e-5, atol=1e-5)
    m_ref, s_ref = ref.predict(Xs)
    m, s = gp.predict(Xs)
    np.testing.assert_allclose(m / scale, m_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s / scale, s_ref, rtol=1e-5, atol=1e-6)


def test_constant_scores_do_not_raise() -> None:
    X = np.random.default_rng(0).random((8, 3))
    gp = GaussianProcess().fit(X, np.full(8, 0.1))
    m, s, dm, ds = gp.predict(np.random.default_rng(1).random((5, 3)), return_grad=True)
    np.testing.assert_allclose(m, 0.1, rtol=1e-6)
    for arr in (s, dm, ds):
        assert np.all(np.isfinite(arr))


def test_duplicate_rows_do_not_raise() -> None:
    X = np.array([[0.2, 0.3]] * 5 + [[0.7, 0.1]] * 3)
    y = np.array([1.0, 1.1, 0.9, 1.0, 1.05, 0.2, 0.25, 0.2])
    gp = GaussianProcess().fit(X, y)
    m, s = gp.predict(X)
    assert np.all(np.isfinite(m)) and np.all(np.isfinite(s))
    assert m[0] == pytest.approx(np.mean(y[:5]), abs=0.1)


def test_exact_duplicates_with_constant_scores() -> None:
    X = np.tile([[0.5, 0.5, 0.5]], (6, 1))
    gp = GaussianProcess().fit(X, np.full(6, -3.0))
    m, s = gp.predict(np.array([[0.5, 0.5, 0.5], [0.0, 1.0, 0.0]]))
    np.testing.assert_allclose(m, -3.0, rtol=1e-6)
    assert np.all(np.isfinite(s))


def test_single_point() -> None:
    gp = GaussianProcess().fit(np.array([[0.4, 0.6]]), np.array([7.0]))
    m, s = gp.predict(np.array([[0.4, 0.6], [0.0, 0.0]]))
    assert m[0] == pytest.approx(7.0, abs=1e-3)
    assert np.all(np.isfinite(s)) and s[1] > s[0]


@pytest.mark.parametrize("d", [1, 10])
def test_dimensions(d: int) -> None:
    rng = np.random.default_rng(d)
    X = rng.random((30, d))
    y = -np.sum((X - 0.4) ** 2, axis=1)
    gp = GaussianProcess().fit(X, y, rng)
    m, s, dm, ds = gp.predict(rng.random((7, d)), return_grad=True)
    assert m.shape == s.shape == (7,)
    assert dm.shape == ds.shape == (7, d)
    assert gp.lengthscales.shape == (d,)
    # Interpolates (nearly noise-free) data.
    np.testing.assert_allclose(gp.predict(X)[0], y, atol=0.05 * np.ptp(y))


def test_refit_is_warm_started_and_consistent() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((20, 2))
    y = np.sin(4 * X[:, 0]) + X[:, 1]
    gp = GaussianProcess().fit(X[:15], y[:15])
    gp.fit(X, y)
    fresh = GaussianProcess().fit(X, y)
    np.testing.assert_allclose(gp.predict(X)[0], fresh.predict(X)[0], atol=1e-3)


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        GaussianProcess().fit(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError):
        GaussianProcess().fit(np.zeros((2, 2)), np.array([0.0, np.nan]))


def test_condition_on_matches_refit_with_fixed_hyperparameters() -> None:
    gp = _fitted(1, n=10)
    rng = np.random.default_rng(9)
    X_new, y_new = rng.random((3, 3)), rng.standard_normal(3)
    cond = gp.condition_on(X_new, y_new)
    assert cond is not gp and gp.X_train_.shape[0] == 10
    # Same model built from scratch with the same hyperparameters and scaling.
    X_all = np.vstack([gp.X_train_, X_new])
    ys_all = np.concatenate([gp.y_train_, gp.standardizer_.transform(y_new)])
    ref = GaussianProcess()
    ref.standardizer_ = gp.standardizer_
    ref._set_posterior(X_all, ys_all, gp.theta_)
    Xs = rng.random((8, 3))
    for a, b in zip(
        cond.predict(Xs, return_grad=True),
        ref.predict(Xs, return_grad=True),
        strict=True,
    ):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(cond.theta_, gp.theta_)


def test_kriging_believer_shrinks_std_at_pending_point() -> None:
    gp = _fitted(2)
    x = np.array([[0.9, 0.05, 0.5]])
    m, s = gp.predict(x, standardized=True)
    cond = gp.condition_on(x, m, standardized=True)
    m2, s2 = cond.predict(x, standardized=True)
    assert m2[0] == pytest.approx(m[0], rel=1e-6, abs=1e-9)
    # One noisy observation with variance v: var' = var * v / (var + v).
    v = gp.noise_variance
    assert s2[0] ** 2 == pytest.approx(s[0] ** 2 * v / (s[0] ** 2 + v), rel=1e-6)


def test_condition_on_nothing_and_mismatched_rows() -> None:
    gp = _fitted(0)
    same = gp.condition_on(np.zeros((0, 3)), np.zeros(0))
    Xs = np.random.default_rng(0).random((4, 3))
    np.testing.assert_allclose(same.predict(Xs)[0], gp.predict(Xs)[0])
    with pytest.raises(ValueError):
        gp.condition_on(np.zeros((2, 3)), np.zeros(1))


@pytest.mark.parametrize("n_new", [1, 7])
def test_posterior_update_with_new_rows_matches_a_fresh_factorisation(
    n_new: int,
) -> None:
    rng = np.random.default_rng(3)
    X = rng.random((30 + n_new, 4))
    y = np.sin(5 * X).sum(axis=1)
    gp = GaussianProcess().fit(X[:30], y[:30])
    theta = gp.theta_.copy()
    gp.fit(X, y, theta=theta)  # extends the factor of the first 30 rows
    fresh = GaussianProcess().fit(X, y, theta=theta)
    Xs = rng.random((20, 4))
    for a, b in zip(gp.predict(Xs), fresh.predict(Xs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(gp._L @ gp._L.T, fresh._L @ fresh._L.T, atol=1e-10)


def test_changed_rows_or_hyperparameters_factorise_anew() -> None:
    rng = np.random.default_rng(4)
    X, y = rng.random((20, 2)), rng.random(20)
    gp = GaussianProcess().fit(X, y)
    X2 = X.copy()
    X2[0] += 0.1  # not an extension: the first rows differ
    gp.fit(X2, y, theta=gp.theta_)
    fresh = GaussianProcess().fit(X2, y, theta=gp.theta_)
    np.testing.assert_allclose(gp._L, fresh._L, atol=1e-12)
    other = gp.theta_ + 0.3
    gp.fit(X2, y, theta=other)
    np.testing.assert_allclose(
        gp._L, GaussianProcess().fit(X2, y, theta=other)._L, atol=1e-12
    )


def test_same_rows_and_hyperparameters_keep_the_factor() -> None:
    # An ask with nothing new told refits on the same rows: the factor is
    # kept (no O(n^3) work), and new scores for the same rows still count.
    rng = np.random.default_rng(7)
    X, y = rng.random((25, 3)), rng.random(25)
    gp = GaussianProcess().fit(X, y)
    factor = gp._L
    y2 = y.copy()
    y2[0] = -3.0  # an imputed failure, say
    gp.fit(X.copy(), y2, theta=gp.theta_)
    assert gp._L is factor
    fresh = GaussianProcess().fit(X, y2, theta=gp.theta_)
    Xs = rng.random((10, 3))
    for a, b in zip(gp.predict(Xs), fresh.predict(Xs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_hyperparameters_are_fitted_on_a_bounded_subset() -> None:
    from skhyper._gp._regression import _fit_subset

    ys = np.random.default_rng(5).standard_normal(1000)
    rows = _fit_subset(ys, 256)
    assert rows.size == 256 and np.unique(rows).size == 256
    # The best 128 scores are all in, and the rest spans the other ranks.
    assert set(np.argsort(-ys)[:128]) <= set(rows.tolist())
    assert rows.tolist() == _fit_subset(ys, 256).tolist()
    assert ys[rows].min() == ys.min()
    np.testing.assert_array_equal(_fit_subset(ys[:200], 256), np.arange(200))


def test_subset_fit_agrees_with_full_fit_on_a_smooth_function() -> None:
    rng = np.random.default_rng(6)
    X = rng.random((400, 2))
    y = np.sin(3 * X[:, 0]) + 0.5 * X[:, 1]
    sub = GaussianProcess(max_fit_points=128).fit(X, y)
    full = GaussianProcess(max_fit_points=None).fit(X, y)
    Xs = rng.random((50, 2))
    # Both models interpolate the data; their predictions agree closely.
    np.testing.assert_allclose(sub.predict(Xs)[0], full.predict(Xs)[0], atol=0.02)
    assert sub.X_train_.shape[0] == 400

"""The acquisition pool shared by the picks of one ask."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper import GPGenerator, Real
from skhyper._gp import (
    GaussianProcess,
    draw_pool,
    get_acquisition,
    make_acquisition_function,
    maximize_acquisition,
    pick_from_pool,
)
from skhyper.generators._shared_pool import SharedPool


def fitted_model(n=40, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = -np.sum((X - 0.3) ** 2, axis=1) + 0.05 * np.sin(9 * X[:, 0])
    return GaussianProcess().fit(X, y, rng), rng


@pytest.mark.parametrize("lie", [None, "min", "max"])
def test_rank_one_updates_give_the_conditioned_models_posterior(lie):
    model, rng = fitted_model()
    pool = rng.random((200, 3))
    shared = SharedPool(model, pool)
    conditioned = model
    # Picks on and off the pool, as polished picks are.
    for x in [pool[7], rng.random(3), pool[150], rng.random(3)]:
        if lie is None:
            believed = conditioned.predict(x[None, :], standardized=True)[0][0]
        else:
            y = model.y_train_
            believed = float(y.min() if lie == "min" else y.max())
        shared.condition(x, believed)
        conditioned = conditioned.condition_on(
            x[None, :], np.array([believed]), standardized=True
        )
        mean, std = conditioned.predict(pool, standardized=True)
        np.testing.assert_allclose(shared.mean, mean, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(shared.std(), std, rtol=1e-6, atol=1e-9)


def test_a_first_pick_is_the_one_maximize_acquisition_makes():
    model, _ = fitted_model()
    acquisition = get_acquisition("log_ei")
    func = make_acquisition_function(model, acquisition)
    centers = model.X_best[None, :]
    expected = maximize_acquisition(
        func, 3, rng=5, n_pool=128, n_polish=3, local_points=centers, max_iter=10
    )
    rng = np.random.default_rng(5)

    def prepare(X):
        return np.clip(X, 0.0, 1.0)

    pool = draw_pool(
        3,
        rng,
        n_pool=128,
        prepare=prepare,
        snapped=False,
        centers=centers,
        n_local=64,
        local_scale=0.05,
    )
    shared = SharedPool(model, pool)
    x, value = pick_from_pool(
        func,
        pool,
        shared.acquisition_values(acquisition, model.best_standardized),
        rng=rng,
        prepare=prepare,
        free=np.ones(3, dtype=bool),
        n_polish=3,
        max_iter=10,
        exclude=model.X_train_,
        n_fresh=128,
    )
    np.testing.assert_array_equal(x, expected[0])
    assert value == expected[1]


def test_an_ask_of_several_evaluates_the_pool_once(monkeypatch):
    space = {f"x{i}": Real(0.0, 1.0) for i in range(3)}
    gp = GPGenerator(n_pool=256, n_initial_points=5).start(space, random_state=0)
    first = gp.ask(12)
    gp.tell(first, [-sum((c[k] - 0.3) ** 2 for k in c) for c in first])
    predicted_rows = []
    predict = GaussianProcess.predict

    def counting(self, Xs, *args, **kwargs):
        predicted_rows.append(np.atleast_2d(Xs).shape[0])
        return predict(self, Xs, *args, **kwargs)

    monkeypatch.setattr(GaussianProcess, "predict", counting)
    batch = gp.ask(8)
    assert len({tuple(sorted(c.items())) for c in batch}) == 8
    # The pool (256 Sobol points and 64 local ones) is evaluated once, by
    # SharedPool, not once per pick by the model (8 x 320 rows); the polish
    # and the believed values predict a few rows at a time.
    assert max(predicted_rows) < 100
    assert sum(predicted_rows) < 8 * 256


def test_batches_still_spread_and_ask_one_at_a_time_is_unchanged():
    space = {"a": Real(0.0, 1.0), "b": Real(0.0, 1.0)}

    def run(batch):
        gp = GPGenerator(n_initial_points=4).start(space, random_state=3)
        out = []
        for _ in range(3):
            asked = gp.ask(batch)
            gp.tell(
                asked, [-((c["a"] - 0.2) ** 2) - (c["b"] - 0.7) ** 2 for c in asked]
            )
            out += asked
        return out

    assert run(1) == run(1)
    batch = run(6)
    points = np.array([[c["a"], c["b"]] for c in batch])
    gaps = np.linalg.norm(points[:, None] - points[None, :], axis=2)
    assert gaps[np.triu_indices(len(points), 1)].min() > 1e-6


@pytest.mark.parametrize("fantasy", ["pessimist", "believer", "liar_min", "liar_max"])
def test_batch_picks_follow_batch_fantasy_and_pending_ones_are_believed(fantasy):
    space = {"a": Real(0.0, 1.0), "b": Real(0.0, 1.0)}
    gp = GPGenerator(n_initial_points=4, batch_fantasy=fantasy)
    gp.start(space, random_state=0)
    told = gp.ask(6)
    gp.tell(told, [-((c["a"] - 0.2) ** 2) - (c["b"] - 0.7) ** 2 for c in told])
    pending = gp.ask(2)  # asked, not told: still being evaluated
    model = gp._fit_model(0, gp._imputed_scores()[0], np.random.default_rng(0))
    X = np.array([[c["a"], c["b"]] for c in pending])
    mean, std = model.predict(X, standardized=True)
    # Candidates pending from earlier asks: the kriging believer, always.
    believing = gp._believe_pending(0, model)
    np.testing.assert_allclose(believing.X_train_[-2:], X)
    np.testing.assert_allclose(believing.y_train_[-2:], mean)
    # Picks within one ask: batch_fantasy.
    expected = {
        "believer": mean,
        "pessimist": mean - std,
        "liar_min": np.full(2, model.y_train_.min()),
        "liar_max": np.full(2, model.y_train_.max()),
    }[fantasy]
    np.testing.assert_allclose(gp._believed(model, X), expected)


def test_batches_believe_their_picks_pessimistically_by_default():
    assert GPGenerator().batch_fantasy == "pessimist"
    space = {"a": Real(0.0, 1.0)}
    gp = GPGenerator(n_initial_points=3).start(space, random_state=0)
    told = gp.ask(5)
    gp.tell(told, [-((c["a"] - 0.4) ** 2) for c in told])
    model = gp._fit_model(0, gp._imputed_scores()[0], np.random.default_rng(0))
    x = np.array([[0.9]])
    mean, std = model.predict(x, standardized=True)
    assert std[0] > 0
    np.testing.assert_allclose(gp._believed(model, x), mean - std)

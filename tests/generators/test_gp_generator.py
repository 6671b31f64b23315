import warnings

import numpy as np
import pytest
from scipy import stats

from skhyper import GPGenerator, Integer, RandomGenerator, Real, minimize


def branin(x1, x2):
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10


BRANIN_SPACE = {"x1": Real(-5, 10), "x2": Real(0, 15)}
BRANIN_MIN = 0.397887


def best_found(generator, seed, n_calls=30):
    result = minimize(
        lambda x1, x2: branin(x1, x2),
        BRANIN_SPACE,
        n_calls=n_calls,
        generator=generator,
        random_state=seed,
    )
    return result.fun - BRANIN_MIN


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gp_beats_random_on_branin_at_equal_budget(seed):
    gp_regret = best_found("gp", seed)
    random_regret = best_found("random", seed)
    assert gp_regret < 0.05
    assert gp_regret < random_regret / 10


def test_mixed_space_candidates_are_valid_and_distinct():
    space = [
        {
            "a": Real(1e-3, 1, log=True),
            "n": Integer(1, 8),
            "k": ["x", "y", "z"],
            "d": stats.randint(0, 3),
            "f": "fixed",
        },
        {"k": ["w"], "b": Real(0, 1)},
    ]
    gen = GPGenerator(n_initial_points=4).start(space, random_state=0)
    seen = []
    for _ in range(8):
        batch = gen.ask(3)
        assert len(batch) == 3
        for c in batch:
            gen.space_.locate(c)
            assert all(not isinstance(v, np.generic) for v in c.values())
        seen += batch
        gen.tell(batch, [c.get("a", 0.5) - 0.1 * c.get("n", 0) for c in batch])
    keys = {gen.space_.key(c) for c in seen}
    assert len(keys) == len(seen)
    assert {gen.space_.locate(c) for c in seen} == {0, 1}


def test_small_discrete_space_is_exhausted_without_repeats():
    gen = GPGenerator(n_initial_points=2).start(
        {"n": Integer(1, 4), "k": ["a", "b", "c"]}, random_state=0
    )
    seen = []
    while True:
        batch = gen.ask(2)
        if not batch:
            break
        seen += batch
        gen.tell(batch, [c["n"] for c in batch])
    assert len(seen) == 12
    assert len({(c["n"], c["k"]) for c in seen}) == 12


@pytest.mark.parametrize(
    "scores",
    [
        lambda i: np.nan if i % 3 == 0 else float(i),
        lambda i: 1.0,
        lambda i: 1e-9 * i,
        lambda i: 1e9 * i,
        lambda i: np.inf if i == 5 else float(i),
    ],
    ids=["nan", "constant", "tiny", "huge", "inf"],
)
def test_nan_constant_inf_and_extreme_scores_never_crash(scores):
    gen = GPGenerator(n_initial_points=3).start(
        {"a": Real(0, 1), "b": Real(0, 1)}, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for i in range(12):
            (c,) = gen.ask(1)
            gen.tell([c], [scores(i)])
    assert len(gen.candidates_) == 12


def test_all_failed_keeps_exploring():
    gen = GPGenerator(n_initial_points=2).start({"a": Real(0, 1)}, random_state=0)
    with pytest.warns(RuntimeWarning, match="NaN"):
        for _ in range(5):
            batch = gen.ask(2)
            gen.tell(batch, [np.nan] * len(batch))
    assert len({c["a"] for c in gen.candidates_}) == 10


def test_duplicate_told_points_do_not_break_the_model():
    # (repeated initial_points are evaluated once: see test_bad_inputs.py)
    gen = GPGenerator(n_initial_points=1).start({"a": Real(0, 1)}, random_state=0)
    point = {"a": 0.5}
    gen.tell([point] * 3, [1.0, 1.0, 1.0])
    gen.tell([point] * 3, [1.0, 1.1, 0.9])
    batch = gen.ask(2)
    assert len(batch) == 2 and point not in batch


@pytest.mark.parametrize("acquisition", ["log_ei", "ucb", "pi"])
def test_acquisitions_by_name_and_same_seed_same_sequence(acquisition):
    def run():
        gen = GPGenerator(acquisition, n_initial_points=3).start(
            BRANIN_SPACE, random_state=5
        )
        for _ in range(5):
            batch = gen.ask(2)
            gen.tell(batch, [-branin(**c) for c in batch])
        return gen.candidates_

    assert run() == run()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"acquisition": "nope"}, "unknown acquisition"),
        ({"n_initial_points": 0}, "n_initial_points"),
        ({"n_pool": 0}, "n_pool"),
        ({"polish_max_iter": 1.5}, "polish_max_iter"),
        ({"refit_fraction": -1}, "refit_fraction"),
        ({"length_scale_prior": 0}, "length_scale_prior must be a number > 0"),
        ({"length_scale_prior": "big"}, "length_scale_prior must be a number > 0"),
        ({"n_local": -1}, "n_local must be an integer >= 0"),
        ({"local_scale": 0.0}, "local_scale must be a number > 0"),
    ],
)
def test_invalid_parameters_are_reported_at_start(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GPGenerator(**kwargs).start(BRANIN_SPACE)


@pytest.mark.parametrize("factor, warp", [(0.15, True), (0.5, False)])
def test_prior_and_warp_reach_the_models(factor, warp):
    gen = GPGenerator(length_scale_prior=factor, warp=warp).start(BRANIN_SPACE)
    (model,) = gen._models
    assert model.warp is warp
    loc, _ = model.prior.locs_scales(2)
    np.testing.assert_allclose(np.exp(loc[:2]), factor * np.sqrt(2))


def test_minimize_result_and_callback_stop():
    calls = []
    result = minimize(
        lambda x: (x - 1) ** 2,
        {"x": Real(-3, 3)},
        n_calls=20,
        generator="sobol",
        random_state=0,
        callback=lambda r: calls.append(len(r.x_iters)) or len(r.x_iters) >= 5,
    )
    assert calls == [1, 2, 3, 4, 5]
    assert len(result.x_iters) == 5 and result.func_vals.shape == (5,)
    assert result.fun == result.func_vals.min()
    with pytest.raises(ValueError, match="n_calls"):
        minimize(lambda x: x, {"x": Real(0, 1)}, n_calls=0)
    assert isinstance(RandomGenerator(), RandomGenerator)


def test_scores_told_up_front_skip_the_initial_design():
    gen = GPGenerator(n_initial_points=10).start(BRANIN_SPACE, random_state=0)
    rng = np.random.default_rng(0)
    history = [{"x1": float(a), "x2": float(b)} for a, b in rng.random((12, 2)) * 10]
    gen.tell(history, [-branin(**c) for c in history])
    gen.ask(1)
    assert gen._initial.n_asked_ == 0


def _run(gen, func, n_rounds, predict_between=False):
    asked = []
    for _ in range(n_rounds):
        batch = gen.ask(2)
        asked += batch
        gen.tell(batch, [func(**c) for c in batch])
        if predict_between:
            gen.predict(batch)
    return asked


def test_predict_fits_the_told_scores_and_is_uncertain_far_from_them():
    gen = GPGenerator(n_initial_points=6).start({"x": Real(0, 1)}, random_state=0)
    xs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    told = [{"x": x} for x in xs]
    gen.tell(told, [np.sin(6 * x) for x in xs])
    mean, std = gen.predict([*told, {"x": 0.35}, {"x": 1.0}])
    assert mean.shape == std.shape == (8,)
    np.testing.assert_allclose(mean[:6], np.sin(6 * np.array(xs)), atol=0.02)
    assert abs(mean[6] - np.sin(6 * 0.35)) < 0.05
    # Inside the data the model is sure; at x = 1, far from it, it is not.
    assert std[6] < std[7] / 5


def test_predict_changes_nothing_the_generator_asks_later():
    def func(x1, x2):
        return -branin(x1, x2)

    plain = _run(
        GPGenerator(n_initial_points=4).start(BRANIN_SPACE, random_state=3), func, 6
    )
    probed = _run(
        GPGenerator(n_initial_points=4).start(BRANIN_SPACE, random_state=3),
        func,
        6,
        predict_between=True,
    )
    assert plain == probed


def test_predict_uses_each_candidates_sub_space_and_needs_scores():
    space = [{"a": Real(0, 1)}, {"b": Integer(1, 9)}, {"c": ["u", "v", "w"]}]
    gen = GPGenerator().start(space, random_state=0)
    with pytest.raises(ValueError, match="finite told score"):
        gen.predict([{"a": 0.5}])
    gen.tell([{"a": 0.2}, {"a": 0.8}, {"b": 3}, {"b": 7}], [0.0, 1.0, 10.0, 12.0])
    mean, _ = gen.predict([{"b": 7}, {"a": 0.8}, {"b": 3}])
    np.testing.assert_allclose(mean, [12.0, 1.0, 10.0], atol=0.2)
    with pytest.raises(ValueError, match="no told score"):
        gen.predict([{"c": "u"}])
    with pytest.raises(ValueError, match="does not lie in the search space"):
        gen.predict([{"d": 1}])


@pytest.mark.parametrize(
    "params",
    [
        {"batch_fantasy": "believer"},
        {"batch_fantasy": "liar_min"},
        {"batch_fantasy": "pessimist"},
        {"batch_fantasy": "liar_max"},
        {"batch_local": True},
    ],
)
def test_batch_options_give_distinct_valid_batches(params):
    space = {"x": Real(0, 1), "y": Real(-2, 2), "k": ["a", "b", "c"]}
    gen = GPGenerator(n_initial_points=4, **params).start(space, random_state=0)
    for _ in range(3):
        batch = gen.ask(5)
        assert len(batch) == 5
        keys = {gen.space_.key(c) for c in batch}
        assert len(keys) == 5
        gen.tell(batch, [-((c["x"] - 0.3) ** 2) - c["y"] ** 2 for c in batch])


def test_unknown_batch_fantasy_is_rejected():
    with pytest.raises(ValueError, match="batch_fantasy"):
        GPGenerator(batch_fantasy="median").start({"x": Real(0, 1)}, random_state=0)

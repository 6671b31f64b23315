"""ParetoGPGenerator: proposals, NaN, batches, and a better front than random."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from skhyper import Integer, ParetoGPGenerator, RandomGenerator, Real
from skhyper._gp._hypervolume import hypervolume_improvement_2d, non_dominated
from skhyper.selection import hypervolume, pareto_mask

MIXED = [
    {"a": Real(0, 1), "b": Integer(1, 20), "c": ["x", "y", "z"]},
    {"d": stats.uniform(0, 1)},
]


def two_objectives(c):
    """A convex trade-off front (ZDT1-like) on (a, b / 20)."""
    x = c.get("a", c.get("d"))
    g = 1 + 9 * abs(c.get("b", 10) / 20 - 0.5)
    f1 = x
    f2 = g * (1 - np.sqrt(x / g))
    return [-f1, -f2]  # maximized


def run(generator, n, batch=4, seed=0, fail_every=0):
    gen = generator.start(MIXED[:1], random_state=seed)
    told = []
    while len(told) < n:
        batch_points = gen.ask(min(batch, n - len(told)))
        values = np.array([two_objectives(c) for c in batch_points])
        if fail_every:
            values[::fail_every] = np.nan
        multi = getattr(gen, "multi_objective", False)
        gen.tell(batch_points, values if multi else values[:, 0])
        told.extend(values.tolist())
    return np.array(told)


def test_hypervolume_improvement_matches_the_exact_hypervolume():
    rng = np.random.default_rng(0)
    ref = np.array([1.1, 1.1])
    for _ in range(50):
        front = rng.random((rng.integers(0, 6), 2)) * 1.3
        points = rng.random((4, 2)) * 1.3
        base = hypervolume(front, ref) if len(front) else 0.0
        expected = [
            hypervolume(np.vstack([front, p[None]]), ref) - base for p in points
        ]
        np.testing.assert_allclose(
            hypervolume_improvement_2d(points, front, ref), expected, atol=1e-12
        )
    assert len(non_dominated(np.array([[0, 1], [1, 0], [1, 1], [0, 1]]))) == 2


def test_proposals_are_new_valid_and_reproducible():
    gen = ParetoGPGenerator(n_initial_points=5).start(MIXED, random_state=1)
    seen = []
    for _ in range(4):
        batch = gen.ask(3)
        assert len(batch) == 3
        for c in batch:
            gen.space_.locate(c)
            assert all(not isinstance(v, np.generic) for v in c.values())
        seen += batch
        gen.tell(batch, np.array([two_objectives(c) for c in batch]))
    keys = {gen.space_.key(c) for c in seen}
    assert len(keys) == len(seen)
    again = ParetoGPGenerator(n_initial_points=5).start(MIXED, random_state=1)
    replay = []
    for _ in range(4):
        batch = again.ask(3)
        replay += batch
        again.tell(batch, np.array([two_objectives(c) for c in batch]))
    assert replay == seen
    assert gen.objective_values_.shape == (12, 2)
    np.testing.assert_array_equal(gen.scores_, gen.objective_values_[:, 0])


def test_nan_and_infinite_values_do_not_crash():
    gen = ParetoGPGenerator(n_initial_points=4).start(MIXED[:1], random_state=0)
    batch = gen.ask(6)
    values = np.array([two_objectives(c) for c in batch])
    values[0] = np.nan
    values[1, 1] = -np.inf
    with pytest.warns(RuntimeWarning, match="infinite"):
        gen.tell(batch, values)
    assert len(gen.ask(2)) == 2


def test_tell_checks_shapes():
    gen = ParetoGPGenerator().start(MIXED[:1], random_state=0)
    batch = gen.ask(2)
    with pytest.raises(ValueError, match="objective values of shape"):
        gen.tell(batch, np.zeros((3, 2)))
    gen.tell(batch, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="got 3 objectives"):
        gen.tell(gen.ask(1), np.zeros((1, 3)))


def test_one_objective_behaves_like_a_maximizer():
    gen = ParetoGPGenerator(n_initial_points=5).start(
        {"x": Real(-2, 2)}, random_state=0
    )
    for _ in range(10):
        batch = gen.ask(1)
        gen.tell(batch, [-((c["x"] - 0.7) ** 2) for c in batch])
    best = gen.candidates_[int(np.argmax(gen.scores_))]["x"]
    assert abs(best - 0.7) < 0.1


def test_three_objectives():
    gen = ParetoGPGenerator(n_initial_points=4, n_pool=64, n_local=16).start(
        MIXED[:1], random_state=0
    )
    for _ in range(3):
        batch = gen.ask(2)
        values = np.array([[*two_objectives(c), -c["b"]] for c in batch])
        gen.tell(batch, values)
    assert pareto_mask(gen.objective_values_).any()


def test_front_beats_random_search_on_a_known_trade_off():
    # 30 evaluations, 3 seeds: the model's front dominates more volume.
    def volume(values):
        return hypervolume(-values, [0.5, 10.5])

    gp = [volume(run(ParetoGPGenerator(), 30, seed=s)) for s in range(3)]
    rnd = [volume(run(RandomGenerator(), 30, seed=s)) for s in range(3)]
    assert np.median(gp) > np.median(rnd), (gp, rnd)

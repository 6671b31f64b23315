import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

from skhyper import (
    Categorical,
    GPGenerator,
    GridGenerator,
    Integer,
    RandomGenerator,
    Real,
    SobolGenerator,
)
from skhyper.generators import make_generator

MIXED = [
    {"a": Real(1e-3, 1e3, log=True), "b": Integer(1, 50), "c": ["x", "y", "z"]},
    {"d": stats.uniform(0, 1), "e": stats.randint(0, 4), "f": "fixed"},
]
GENERATORS = [GridGenerator, RandomGenerator, SobolGenerator]


@pytest.mark.parametrize("cls", GENERATORS)
def test_candidates_lie_in_the_space_and_use_python_scalars(cls):
    gen = cls().start(MIXED, random_state=0)
    n = 95 if cls is GridGenerator else 40  # the grid has 5 * 5 * 3 + 5 * 4
    candidates = gen.ask(n)
    assert len(candidates) == n
    assert (len(gen.ask(1)) == 0) == (cls is GridGenerator)
    for c in candidates:
        gen.space_.locate(c)
        assert all(not isinstance(v, np.generic) for v in c.values())
    assert {gen.space_.locate(c) for c in candidates} == {0, 1}


@pytest.mark.parametrize("cls", [RandomGenerator, SobolGenerator])
def test_same_seed_same_sequence_whatever_the_batches(cls):
    whole = cls().start(MIXED, random_state=3).ask(12)
    gen = cls().start(MIXED, random_state=3)
    split = gen.ask(5) + gen.ask(1) + gen.ask(6)
    assert split == whole
    assert cls().start(MIXED, random_state=4).ask(12) != whole


@pytest.mark.parametrize("cls", GENERATORS)
def test_initial_points_come_first(cls):
    first = [{"c": "z", "a": 1.0, "b": 3}, {"d": 0.5, "e": 1, "f": "fixed"}]
    gen = cls().start(MIXED, random_state=0, initial_points=first)
    assert gen.ask(1) == first[:1]
    assert gen.ask(2)[0] == first[1]


def test_initial_points_outside_the_space_are_rejected():
    with pytest.raises(ValueError, match="does not lie in the search space"):
        RandomGenerator().start(MIXED, initial_points=[{"a": 1e9, "b": 3, "c": "x"}])
    with pytest.raises(TypeError, match="must be dicts"):
        RandomGenerator().start(MIXED, initial_points=[("a", 1)])


def test_grid_matches_parameter_grid_and_is_exhausted():
    grid = [{"C": [1, 10, 100], "k": ["rbf", "poly"]}, {"k": ["linear"]}]
    gen = GridGenerator().start(grid)
    assert gen.n_remaining == 7
    got = gen.ask(4) + gen.ask(10)
    assert got == list(ParameterGrid(grid))
    assert gen.exhausted and gen.n_remaining == 0


def test_grid_points_for_ranges():
    gen = GridGenerator(n_points=3).start(
        {"a": Real(1, 100, log=True), "n": Integer(1, 2), "m": Integer(0, 100)}
    )
    values = gen.ask(100)
    assert sorted({v["a"] for v in values}) == pytest.approx([1, 10, 100])
    assert sorted({v["n"] for v in values}) == [1, 2]
    assert sorted({v["m"] for v in values}) == [0, 50, 100]
    assert len(values) == 18


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 1000))
def test_random_on_a_finite_grid_samples_without_replacement(n1, n2, seed):
    grid = [{"a": list(range(n1)), "b": list("xyzw")[:n2]}, {"c": [None, 1]}]
    gen = RandomGenerator().start(grid, random_state=seed)
    got = gen.ask(100)
    assert len(got) == n1 * n2 + 2
    assert sorted(map(repr, got)) == sorted(map(repr, ParameterGrid(grid)))
    assert gen.exhausted


@pytest.mark.parametrize("cls", [RandomGenerator, SobolGenerator])
def test_small_integer_spaces_are_exhausted_without_duplicates(cls):
    gen = cls().start(
        {"n": Integer(1, 6), "k": Categorical([True, False])}, random_state=0
    )
    got = gen.ask(50)
    keys = [(c["n"], c["k"]) for c in got]
    assert len(keys) == len(set(keys)) == 12
    assert gen.exhausted and gen.ask(3) == []


def test_random_samples_the_prior():
    gen = RandomGenerator().start({"x": stats.norm(5, 2)}, random_state=0)
    x = np.array([c["x"] for c in gen.ask(4000)])
    assert stats.kstest(x, stats.norm(5, 2).cdf).pvalue > 1e-3


def test_sobol_covers_the_cube_better_than_random():
    def discrepancy(cls):
        gen = cls().start({"a": Real(0, 1), "b": Real(0, 1)}, random_state=0)
        u = np.array([[c["a"], c["b"]] for c in gen.ask(64)])
        from scipy.stats import qmc

        return qmc.discrepancy(u)

    assert discrepancy(SobolGenerator) < discrepancy(RandomGenerator) / 3


def test_tell_records_scores_and_checks_lengths():
    gen = RandomGenerator().start({"a": Real(0, 1)}, random_state=0)
    c = gen.ask(3)
    gen.tell(c, [0.1, np.nan, 0.3])
    assert gen.candidates_ == c
    np.testing.assert_array_equal(gen.scores_, [0.1, np.nan, 0.3])
    with pytest.raises(ValueError, match="2 candidates and 1 scores"):
        gen.tell(c[:2], [1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gen.tell(c[:1], [np.inf])  # ignores scores: nothing to clip, no warning
    gp = GPGenerator().start({"a": Real(0, 1)}, random_state=0)
    with pytest.warns(RuntimeWarning, match="infinite"):
        gp.tell(c[:1], [np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once per search, not at every batch
        gp.tell(c[1:2], [-np.inf])


def test_unstarted_generator_and_bad_n():
    with pytest.raises(RuntimeError, match="not been started"):
        RandomGenerator().ask(1)
    gen = RandomGenerator().start({"a": [1, 2]})
    with pytest.raises(ValueError, match="positive integer"):
        gen.ask(0)
    with pytest.raises(ValueError, match="n_points"):
        GridGenerator(n_points=0).start({"a": Real(0, 1)})


def test_make_generator_by_name_and_instance():
    assert isinstance(make_generator("sobol"), SobolGenerator)
    custom = GridGenerator(n_points=7)
    made = make_generator(custom)
    assert made is not custom and made.n_points == 7
    assert clone(custom).get_params() == {"n_points": 7}
    with pytest.raises(ValueError, match="Unknown generator 'nope'"):
        make_generator("nope")
    with pytest.raises(TypeError, match="subclass of skhyper.generators.BaseGenerator"):
        make_generator(object())


def test_initial_points_with_numpy_scalars_are_handed_out_as_python_scalars():
    gen = RandomGenerator().start(
        {"a": Real(0, 1), "n": Integer(1, 5)},
        initial_points=[{"a": np.float64(0.5), "n": np.int64(2)}],
    )
    (point,) = gen.ask(1)
    assert type(point["a"]) is float and type(point["n"]) is int


@pytest.mark.parametrize("cls", GENERATORS)
def test_started_generators_pickle_and_continue_identically(cls):
    import pickle

    gen = cls().start(MIXED, random_state=0)
    gen.ask(3)
    copy = pickle.loads(pickle.dumps(gen))
    assert copy.ask(4) == gen.ask(4)

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from skhyper import Categorical, Integer, Real
from skhyper.space import Distribution, Fixed, to_dimension

unit = st.floats(0.0, 1.0, allow_nan=False)
bounds = st.tuples(
    st.floats(1e-6, 1e6, allow_nan=False), st.floats(1.001, 1e3, allow_nan=False)
).map(lambda t: (t[0], t[0] * t[1]))


@given(bounds, st.booleans(), st.lists(unit, min_size=1, max_size=20))
def test_real_from_unit_stays_in_bounds_and_round_trips(b, log, us):
    dim = Real(*b, log=log)
    dim.validate("x")
    values = dim.from_unit(np.array(us))
    assert all(type(v) is float and dim.low <= v <= dim.high for v in values)
    np.testing.assert_allclose(dim.to_unit(values), us, atol=1e-9)


@given(
    st.integers(-1000, 1000),
    st.integers(1, 5000),
    st.booleans(),
    st.lists(unit, min_size=1, max_size=20),
)
def test_integer_values_are_python_ints_and_cells_round_trip(low, width, log, us):
    if log:
        low = abs(low) + 1
    dim = Integer(low, low + width, log=log)
    dim.validate("n")
    values = dim.from_unit(np.array(us))
    assert all(type(v) is int and dim.low <= v <= dim.high for v in values)
    assert dim.from_unit(dim.to_unit(values)) == values


@given(
    st.lists(
        st.one_of(st.integers(), st.text(), st.none()),
        min_size=1,
        max_size=8,
        unique_by=repr,
    ),
    st.lists(unit, min_size=1, max_size=10),
)
def test_categorical_maps_every_unit_to_a_choice_and_back(choices, us):
    dim = Categorical(choices)
    values = dim.from_unit(np.array(us))
    assert all(dim.contains(v) for v in values)
    assert dim.from_unit(dim.to_unit(values)) == values


def test_integer_log_prior_is_discretized_log_uniform():
    dim = Integer(1, 100, log=True)
    values = np.array(dim.from_unit(np.random.default_rng(0).random(200_000)))
    p1 = np.mean(values == 1)
    assert p1 == pytest.approx(math.log(2) / math.log(101), abs=0.005)


def test_numeric_categorical_is_ordered_by_value_but_keeps_user_order():
    dim = Categorical([10, 1, 100])
    assert dim.is_ordered
    assert dim.grid(3) == [10, 1, 100]
    assert dim.from_unit(np.array([0.0, 0.5, 0.99])) == [1, 10, 100]
    assert not Categorical(["a", 1]).is_ordered


def test_categorical_numpy_values_become_python_scalars():
    dim = to_dimension("x", np.array([1, 2, 3]))
    assert [type(v) for v in dim.grid(3)] == [int, int, int]


@pytest.mark.parametrize(
    ("dist", "kind"),
    [
        (stats.loguniform(1e-3, 1e3), float),
        (stats.uniform(0, 2), float),
        (stats.norm(0, 1), float),
        (stats.randint(1, 10), int),
    ],
)
def test_distribution_ppf_map(dist, kind):
    dim = Distribution(dist)
    values = dim.from_unit(np.array([0.0, 0.25, 0.5, 1.0]))
    assert all(type(v) is kind and np.isfinite(v) for v in values)
    assert values == sorted(values)
    np.testing.assert_allclose(dim.from_unit(dim.to_unit(values)), values, rtol=1e-6)


def test_randint_distribution_is_finite():
    dim = Distribution(stats.randint(1, 10))
    assert dim.is_finite and dim.size == 9
    assert not Distribution(stats.poisson(3)).is_finite


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (Real(5, 1), ValueError, "'p'.*low < high"),
        (Real(1, 1), ValueError, "low < high"),
        (Real(0, 1, log=True), ValueError, "'p'.*low > 0"),
        (Integer(1.5, 3), TypeError, "'p'.*integer bounds"),
        (Integer(-1, 3, log=True), ValueError, "low > 0"),
        (Real("a", 2), TypeError, "finite numbers"),
        (Real(0, math.inf), TypeError, "finite numbers"),
        ([], ValueError, "'p'.*empty"),
        ({"a": 1}, TypeError, "not a search dimension"),
        (np.ones((2, 2)), ValueError, "1-d arrays"),
        (Categorical("abc"), TypeError, "list of choices"),
    ],
)
def test_invalid_dimensions_name_the_parameter(value, error, match):
    with pytest.raises(error, match=match):
        to_dimension("p", value)


@pytest.mark.parametrize("value", [3, "rbf", None, 0.5, [7], Categorical([1])])
def test_single_values_become_fixed(value):
    dim = to_dimension("p", value)
    assert isinstance(dim, Fixed)
    assert dim.n_unit == 0


def test_dimension_repr_and_equality():
    assert repr(Real(0.1, 1.0, log=True)) == "Real(low=0.1, high=1.0, log=True)"
    assert Integer(1, 5) == Integer(1, 5) != Integer(1, 6)
    assert len({Real(0, 1), Real(0, 1)}) == 1


@given(
    st.sampled_from(
        [
            Real(0.1, 10, log=True),
            Integer(-3, 4),
            Integer(1, 100, log=True),
            Categorical(["a", "b", "c"]),
            Categorical([5, 1, 1, 3]),
            Categorical([True, 1, "1", None]),
            Distribution(stats.randint(2, 9)),
            Distribution(stats.norm(0, 1)),
        ]
    ),
    st.lists(st.floats(-0.5, 1.5), min_size=1, max_size=20),
)
def test_snap_unit_is_to_unit_of_from_unit(dim, us):
    u = np.array(us)
    np.testing.assert_allclose(
        dim.snap_unit(u), dim.to_unit(dim.from_unit(u)), rtol=0, atol=1e-12
    )

"""scikit-optimize's dimension spellings in skhyper.skopt."""

import warnings

import numpy as np
import pytest
from sklearn.svm import SVC

import skhyper
from skhyper.skopt import Categorical, Integer, Real
from skhyper.skopt._dimensions import to_core_dimension


def convert(value, name="p"):
    return to_core_dimension(name, value, set())


@pytest.mark.parametrize(
    "dimension, core",
    [
        (Real(1e-6, 1e6, prior="log-uniform"), skhyper.Real(1e-6, 1e6, log=True)),
        (Real(0, 1), skhyper.Real(0.0, 1.0)),
        (Real(1e-3, 1, "log-uniform", base=2), skhyper.Real(1e-3, 1.0, log=True)),
        (Integer(1, 8), skhyper.Integer(1, 8)),
        (Integer(1, 1024, prior="log-uniform"), skhyper.Integer(1, 1024, log=True)),
    ],
)
def test_ranges_are_core_ranges(dimension, core):
    assert isinstance(dimension, type(core))
    assert (dimension.low, dimension.high, dimension.log) == (
        core.low,
        core.high,
        core.log,
    )
    assert dimension.bounds == (core.low, core.high)


def test_categorical_keeps_its_choices():
    dimension = Categorical(("linear", "poly", "rbf"))
    assert isinstance(dimension, skhyper.Categorical)
    assert dimension.categories == ("linear", "poly", "rbf")
    assert Categorical(["a", "b"], prior=[0.5, 0.5]).prior == [0.5, 0.5]


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Real(1, 0), "lower bound 1 has to be less than the upper bound 0"),
        (lambda: Integer(5, 5), "lower bound 5 has to be less than"),
        (lambda: Real(0, 1, prior="normal"), "'uniform' or 'log-uniform'"),
        (lambda: Integer(0, 1, prior="log"), "'uniform' or 'log-uniform'"),
        (lambda: Categorical(["a", "b"], prior=[0.9, 0.1]), "same probability"),
        (lambda: Categorical(["a", "b"], prior=[1.0]), "same probability"),
    ],
)
def test_invalid_dimensions_raise_at_construction(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "make", [lambda: Real(0, 1, dtype=int), lambda: Integer(0, 1, dtype=float)]
)
def test_dtype_must_match_the_kind(make):
    with pytest.raises(TypeError, match="dtype"):
        make()


@pytest.mark.parametrize(
    "value, expected",
    [
        ((1, 8), skhyper.Integer(1, 8)),
        ((0.1, 1.0), skhyper.Real(0.1, 1.0)),
        ((1, 1.5), skhyper.Real(1.0, 1.5)),
        ((1e-6, 1e6, "log-uniform"), skhyper.Real(1e-6, 1e6, log=True)),
        ((1, 100, "log-uniform"), skhyper.Integer(1, 100, log=True)),
        ((1, 100, "uniform"), skhyper.Integer(1, 100)),
        ((1, 64, "log-uniform", 2), skhyper.Integer(1, 64, log=True)),
    ],
)
def test_numeric_tuples_are_ranges(value, expected):
    dimension = convert(value)
    assert isinstance(dimension, type(expected))
    assert (dimension.low, dimension.high, dimension.log) == (
        expected.low,
        expected.high,
        expected.log,
    )
    assert type(dimension.low) is type(expected.low)


@pytest.mark.parametrize(
    "value",
    [("a", "b"), (True, False), (1, "a"), (1, 2, 3), (0.1, 0.5, 0.9, 1.0), ("x",)],
)
def test_other_tuples_are_choices(value):
    dimension = convert(value)
    assert isinstance(dimension, skhyper.Categorical)
    assert list(dimension.choices) == list(value)


def test_lists_are_choices_and_warn_where_skopt_reads_a_range():
    with pytest.warns(UserWarning, match=r"taken as a list of choices.*\(1, 10\)"):
        assert convert([1, 10]) == [1, 10]  # the core parser reads choices
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert convert(["linear", "rbf"]) == ["linear", "rbf"]
        assert convert([1, 2, 3]) == [1, 2, 3]


def test_other_values_go_to_the_core_unchanged():
    svc = SVC()
    assert convert(svc) is svc
    core = skhyper.Real(0, 1)
    assert convert(core) is core


def test_dimensions_of_scikit_optimize_itself_are_read_by_attribute():
    class FakeSkoptReal:
        def __init__(self):
            self.low, self.high, self.prior, self.name = 1e-3, 1.0, "log-uniform", None

    FakeSkoptReal.__module__ = "skopt.space.space"
    FakeSkoptReal.__name__ = "Real"
    dimension = convert(FakeSkoptReal())
    assert isinstance(dimension, Real) and dimension.log


def test_face_dimensions_work_in_core_searches(iris):
    X, y = iris
    search = skhyper.BayesSearchCV(
        SVC(),
        {"C": Real(1e-2, 1e2, prior="log-uniform"), "kernel": Categorical(["rbf"])},
        n_iter=4,
        cv=3,
        random_state=0,
    ).fit(X, y)
    values = search.cv_results_["param_C"]
    assert all(1e-2 <= v <= 1e2 and isinstance(v, float) for v in values)
    assert np.all(search.cv_results_["param_kernel"] == "rbf")

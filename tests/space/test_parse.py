import math

import numpy as np
import pytest
from scipy import stats
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC

from skhyper import Integer, Real
from skhyper.space import SearchSpace, parse_search_space


def test_grid_of_lists_matches_parameter_grid():
    grid = [
        {"C": [1, 10], "kernel": ["rbf"], "gamma": [0.1, 1.0]},
        {"kernel": ["linear"], "C": [1, 5, 9]},
    ]
    space = parse_search_space(grid)
    ours = [c for s in space for c in s.grid(5)]
    assert ours == list(ParameterGrid(grid))
    assert space.size == 7


def test_mixed_space_sizes_and_fixed_values():
    space = parse_search_space(
        {
            "a": Real(0, 1),
            "b": Integer(1, 4),
            "c": ["x", "y"],
            "d": "fixed",
            "e": stats.loguniform(1e-3, 1),
        }
    )
    sub = space[0]
    assert sub.searched == ["a", "b", "c", "e"]
    assert sub.fixed == {"d": "fixed"}
    assert math.isinf(space.size)
    candidate = sub.from_unit(np.full((1, 4), 0.5))[0]
    assert candidate["d"] == "fixed" and list(candidate) == sorted(candidate)
    assert space.locate(candidate) == 0


def test_locate_rejects_points_outside_the_space():
    space = parse_search_space([{"C": Real(1, 10)}, {"k": ["a"]}])
    assert space.locate({"k": "a"}) == 1
    with pytest.raises(ValueError, match="does not lie in the search space"):
        space.locate({"C": 100.0})
    with pytest.raises(ValueError, match="does not lie"):
        space.locate({"C": 2.0, "other": 1})


def test_names_are_checked_against_the_estimator_including_nested_ones():
    pipe = Pipeline([("clf", SVC())])
    names = pipe.get_params(deep=True)
    parse_search_space({"clf__C": [1, 2]}, valid_names=names)
    parse_search_space({"clf": [SVC()], "clf__newparam": [1]}, valid_names=names)
    with pytest.raises(ValueError, match="'clf__Cc'.*no such parameter"):
        parse_search_space({"clf__Cc": [1, 2]}, valid_names=names)
    with pytest.raises(ValueError, match="Did you mean.*clf__C"):
        parse_search_space({"svc__C": [1]}, valid_names=names)


def test_parse_is_idempotent_on_a_search_space():
    space = parse_search_space({"a": [1, 2]})
    assert parse_search_space(space) is space
    assert isinstance(space, SearchSpace)

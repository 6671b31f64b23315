"""A grid given positionally reads back under scikit-learn's names, as
``GridSearchCV(est, grid).param_grid`` does, while ``clone``, ``repr`` and
the search itself keep to the name it was given under."""

from __future__ import annotations

import pickle

import pytest
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score

from skhyper import BayesSearchCV, HalvingBayesSearchCV, HyperSearchCV, RandomSearchCV

GRID = {"C": [0.1, 1.0, 10.0], "fit_intercept": [True, False]}

SEARCHES = {
    "bayes": lambda space, **kw: BayesSearchCV(
        LogisticRegression(), space, n_iter=6, random_state=0, cv=3, **kw
    ),
    "grid": lambda space, **kw: HyperSearchCV(
        LogisticRegression(), space, generator="grid", cv=3, **kw
    ),
    "random": lambda space, **kw: RandomSearchCV(
        LogisticRegression(), space, n_iter=3, random_state=0, cv=3, **kw
    ),
    "halving": lambda space, **kw: HalvingBayesSearchCV(
        LogisticRegression(), space, random_state=0, cv=3, **kw
    ),
}


@pytest.mark.parametrize("kind", SEARCHES)
def test_a_positional_grid_reads_back_as_param_grid(iris, kind):
    search = SEARCHES[kind](GRID)
    reference = GridSearchCV(LogisticRegression(), GRID)
    # the reads real scripts make (plots over the grid's values, logging)
    assert search.param_grid is GRID is reference.param_grid
    assert search.get_params()["param_grid"] is GRID
    assert search.get_params(deep=False)["param_grid"] is GRID
    assert search.param_distributions is GRID
    assert list(search.get_params()["param_grid"]["C"]) == GRID["C"]
    # what was given is what is copied and shown
    assert "param_grid" not in repr(search)
    copy = clone(search)
    assert copy.param_grid == GRID and copy.search_spaces == GRID
    assert "param_grid" not in repr(copy)
    X, y = iris
    copy.fit(X, y)
    assert len(copy.cv_results_["params"]) == len(
        search.fit(X, y).cv_results_["params"]
    )
    assert pickle.loads(pickle.dumps(search)).param_grid == GRID


@pytest.mark.parametrize("kind", SEARCHES)
def test_a_keyword_space_is_not_read_under_the_other_names(kind):
    search = SEARCHES[kind](None, param_distributions={"C": loguniform(0.1, 10)})
    assert search.search_spaces is None and search.param_grid is None
    assert search.get_params()["param_grid"] is None


def test_set_params_of_get_params_round_trips(iris):
    X, y = iris
    search = BayesSearchCV(LogisticRegression(), GRID, n_iter=3, cv=3, random_state=0)
    search.set_params(**search.get_params())
    assert search.fit(X, y).n_iter == 3
    search.set_params(search_spaces={"C": [0.5, 2.0]})
    assert search.param_grid == {"C": [0.5, 2.0]}


def test_a_positional_halving_grid_keeps_the_random_search_schedule(iris):
    """Reading it as param_grid does not make it HalvingGridSearchCV's grid:
    the positional space keeps min_resources="smallest"."""
    X, y = iris
    positional = HalvingBayesSearchCV(LogisticRegression(), GRID, cv=3, random_state=0)
    keyword = HalvingBayesSearchCV(
        LogisticRegression(), param_grid=GRID, cv=3, random_state=0
    )
    positional.fit(X, y)
    keyword.fit(X, y)
    assert positional.min_resources_ == 18  # 2 * n_classes * n_splits
    assert keyword.min_resources_ > positional.min_resources_  # "exhaust"


def test_nested_cross_validation_clones_the_search(iris):
    X, y = iris
    search = HyperSearchCV(LogisticRegression(), GRID, generator="grid", cv=3)
    assert len(cross_val_score(search, X, y, cv=3)) == 3


LONG_GRID = {
    "max_depth": [15, 20, 28, None],
    "max_features": ["sqrt", 0.2, 0.3, 0.5],
    "min_samples_leaf": [4, 6, 8, 12],
}


@pytest.mark.parametrize("kind", SEARCHES)
def test_a_long_repr_is_laid_out_as_scikit_learns(kind):
    # scikit-learn's pretty printer breaks a long estimator repr into one
    # parameter per line; a search's repr went on one line.
    search = SEARCHES[kind](None, param_grid=LONG_GRID)
    name = type(search).__name__
    reference = GridSearchCV(LogisticRegression(), param_grid=LONG_GRID, cv=3)
    lines = repr(search).splitlines()
    assert len(lines) > 1
    assert lines[0].startswith(f"{name}(")
    for line in lines[1:]:  # continuation lines aligned under the "("
        assert line.startswith(" " * (len(name) + 1))

    # the grid's block is broken as in GridSearchCV's repr
    def grid_block(text):
        stripped = [line.strip() for line in text.splitlines()]
        start = next(i for i, line in enumerate(stripped) if "param_grid=" in line)
        end = next(i for i in range(start, len(stripped)) if "]}" in stripped[i])
        return [line.rstrip(",)") for line in stripped[start : end + 1]]

    assert grid_block(repr(search)) == grid_block(repr(reference))


@pytest.mark.parametrize("kind", SEARCHES)
def test_a_nested_search_shows_the_space_once_under_its_given_name(kind):
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    for space in (GRID, LONG_GRID):
        for outer in (
            OneVsRestClassifier(SEARCHES[kind](space)),
            make_pipeline(StandardScaler(), SEARCHES[kind](space)),
        ):
            text = repr(outer)
            assert text.count("search_spaces=") == 1, text
            assert "param_grid" not in text and "param_distributions" not in text

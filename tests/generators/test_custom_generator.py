"""A generator written by a user, as the generators guide describes."""

import numpy as np
import pytest
from scipy.stats import qmc
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from skhyper import HyperSearchCV, Real
from skhyper.generators import BaseGenerator


class LatinHypercubeGenerator(BaseGenerator):
    """The guide's example: Latin hypercube points, sub-spaces in turn."""

    def __init__(self, strength=1):
        self.strength = strength

    def _start(self):
        self._turn = 0

    def _propose(self, n):
        out = []
        for _ in range(n):
            index = self._turn % len(self.space_)
            self._turn += 1
            subspace = self.space_[index]
            sampler = qmc.LatinHypercube(
                d=max(subspace.n_dims, 1), seed=self.random_state_
            )
            u = sampler.random(1)[:, : subspace.n_dims]
            out.append((index, subspace.from_unit(u)[0]))
        return out


class AskTellOnly:
    """Has the three methods a quick reading of the protocol suggests."""

    def start(self, space, random_state=None, initial_points=None):
        return self

    def ask(self, n=1):
        return [{"C": 1.0}] * n

    def tell(self, candidates, scores):
        pass


class NoPropose(BaseGenerator):
    pass


def test_a_user_generator_runs_a_search_end_to_end(iris):
    X, y = iris
    space = [
        {"C": Real(1e-3, 1e3, log=True), "solver": ["lbfgs"]},
        {"C": [0.1, 1.0], "fit_intercept": [False]},
    ]
    search = HyperSearchCV(
        LogisticRegression(max_iter=500),
        space,
        generator=LatinHypercubeGenerator(),
        n_iter=8,
        random_state=0,
    ).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 8
    assert {"fit_intercept"} <= set().union(*params)  # both sub-spaces proposed
    assert all(1e-3 <= p["C"] <= 1e3 for p in params)
    assert len({tuple(sorted(p.items())) for p in params}) == 8  # no repeats
    again = clone(search).fit(X, y)
    assert again.cv_results_["params"] == params  # the seed decides
    assert isinstance(search.generator_, LatinHypercubeGenerator)
    assert search.set_params(generator__strength=2).generator.strength == 2


def test_a_user_generator_completes_a_finite_space(iris):
    X, y = iris
    grid = {"C": [0.01, 0.1, 1.0, 10.0], "fit_intercept": [True, False]}
    search = HyperSearchCV(
        LogisticRegression(max_iter=500),
        grid,
        generator=LatinHypercubeGenerator(),
        n_iter=8,
        random_state=1,
    ).fit(X, y)
    seen = {tuple(sorted(p.items())) for p in search.cv_results_["params"]}
    assert len(seen) == 8


@pytest.mark.parametrize(
    "generator, match",
    [
        (AskTellOnly(), r"BaseGenerator.*It lacks exhausted, n_remaining, uses_scores"),
        (NoPropose(), r"NoPropose.*does not implement _propose"),
    ],
)
def test_an_object_that_is_not_a_generator_is_refused_at_fit(iris, generator, match):
    X, y = iris
    search = HyperSearchCV(LogisticRegression(), {"C": [1.0, 2.0]}, generator=generator)
    with pytest.raises(TypeError, match=match):
        search.fit(X, y)
    np.testing.assert_equal(hasattr(search, "cv_results_"), False)

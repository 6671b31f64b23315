"""Whatever GridSearchCV and RandomizedSearchCV accept means the same in
every skhyper search (issue 10: drop-in for real)."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, ParameterGrid
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.validation import check_is_fitted

from skhyper import (
    BayesSearchCV,
    Categorical,
    HalvingBayesSearchCV,
    HyperSearchCV,
    Integer,
    RandomSearchCV,
    Real,
)
from skhyper.space import Distribution, Fixed, to_dimension
from tests.conftest import GlobalDrawRegressor

GENERATORS = ["grid", "random", "sobol", "gp", "gradient"]


def all_searches(estimator, space_keyword, space, **kwargs):
    """One search of every kind, the space given under ``space_keyword``."""
    space_arg = {space_keyword: space}
    searches = [
        HyperSearchCV(estimator, generator=g, **space_arg, **kwargs) for g in GENERATORS
    ]
    searches.append(RandomSearchCV(estimator, **space_arg, **kwargs))
    searches.append(BayesSearchCV(estimator, **space_arg, **kwargs))
    return searches


def params_set(results):
    return {tuple(sorted(p.items(), key=str)) for p in results["params"]}


# -- the keywords of the class a user replaces -----------------------------------
@pytest.mark.parametrize(
    "keyword", ["search_spaces", "param_grid", "param_distributions"]
)
@pytest.mark.parametrize("cls", [HyperSearchCV, RandomSearchCV, BayesSearchCV])
def test_the_space_is_accepted_under_each_keyword(iris, cls, keyword):
    X, y = iris
    search = cls(SVC(), **{keyword: {"C": [0.5, 1.0, 2.0]}}, n_iter=3, cv=3)
    assert search.get_params()[keyword] == {"C": [0.5, 1.0, 2.0]}
    cloned = clone(search)
    assert cloned.get_params()[keyword] == {"C": [0.5, 1.0, 2.0]}
    cloned.set_params(**{keyword: {"C": [0.25, 4.0]}}, n_iter=2)
    cloned.fit(X, y)
    assert params_set(cloned.cv_results_) == {(("C", 0.25),), (("C", 4.0),)}


def test_the_space_given_twice_or_never_is_refused(iris):
    X, y = iris
    twice = HyperSearchCV(SVC(), {"C": [1.0]}, param_grid={"C": [2.0]})
    with pytest.raises(ValueError, match="search_spaces and param_grid.*synonyms"):
        twice.fit(X, y)
    never = RandomSearchCV(SVC())
    with pytest.raises(ValueError, match="needs a search space.*param_grid="):
        never.fit(X, y)


# -- every candidate of a finite space -------------------------------------------
CLASSIC_GRID = [
    {"kernel": ["rbf"], "gamma": [1e-3, 1e-4], "C": [1, 10, 100, 1000]},
    {"kernel": ["linear"], "C": [1, 10, 100, 1000]},
]


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("seed", [0, 1])
def test_every_search_evaluates_the_whole_classic_grid(iris, seed, n_jobs):
    X, y = iris
    expected = params_set({"params": list(ParameterGrid(CLASSIC_GRID))})
    for search in all_searches(
        SVC(),
        "param_grid",
        CLASSIC_GRID,
        n_iter=12,
        cv=3,
        random_state=seed,
        n_jobs=n_jobs,
    ):
        search.fit(X, y)
        assert params_set(search.cv_results_) == expected, search
        assert len(search.cv_results_["params"]) == 12


# -- sequences of choices ----------------------------------------------------------
TEXTS = [
    "good fast cheap model",
    "bad slow model",
    "fast good search",
    "slow bad fit",
    "good model good search",
    "bad fit slow search",
] * 4
LABELS = [1, 0, 1, 0, 1, 0] * 4


@pytest.mark.parametrize("generator", GENERATORS)
def test_tuples_of_tuples_are_choices_as_in_the_text_example(generator):
    pipe = Pipeline([("vect", CountVectorizer()), ("clf", MultinomialNB())])
    space = {"vect__ngram_range": ((1, 1), (1, 2)), "clf__alpha": (0.1, 1.0, 10.0)}
    search = HyperSearchCV(pipe, param_grid=space, generator=generator, n_iter=6, cv=2)
    search.fit(TEXTS, LABELS)
    ours = params_set(search.cv_results_)
    assert ours == params_set({"params": list(ParameterGrid(space))})
    assert all(
        isinstance(p["vect__ngram_range"], tuple) for p in search.cv_results_["params"]
    )


def test_a_pair_of_numbers_is_two_choices_with_one_warning(iris):
    X, y = iris
    space = {"C": (1, 10)}
    with pytest.warns(UserWarning, match=r"'C'.*two choices.*Integer\(1, 10\)"):
        search = HyperSearchCV(SVC(), space, generator="grid").fit(X, y)
    assert [p["C"] for p in search.cv_results_["params"]] == [1, 10]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once per process and message
        HyperSearchCV(SVC(), space, generator="grid").fit(X, y)
    assert [p["C"] for p in search.cv_results_["params"]] == [1, 10]


@pytest.mark.parametrize(
    "value, expected",
    [
        ((1e-6, 1e6, "log-uniform"), Real(1e-6, 1e6, log=True)),
        ((0.0, 1.0, "uniform"), Real(0.0, 1.0)),
        ((1, 64, "log-uniform"), Integer(1, 64, log=True)),
        ((2, 9, "uniform"), Integer(2, 9)),
    ],
)
def test_a_tuple_ending_in_a_prior_is_a_range(value, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert to_dimension("p", value) == expected


@pytest.mark.parametrize(
    "choices",
    [
        [0.1, 1.0, 10.0],
        (0.1, 1.0, 10.0),
        np.array([0.1, 1.0, 10.0]),
        pd.Series([0.1, 1.0, 10.0], index=[7, 8, 9]),
        pd.Index([0.1, 1.0, 10.0]),
    ],
    ids=["list", "tuple", "array", "series", "index"],
)
@pytest.mark.parametrize("cls", [RandomSearchCV, BayesSearchCV])
def test_any_sequence_is_a_set_of_choices(iris, choices, cls):
    X, y = iris
    search = cls(SVC(), param_distributions={"C": choices}, n_iter=3, cv=3)
    search.fit(X, y)
    values = sorted(p["C"] for p in search.cv_results_["params"])
    assert values == [0.1, 1.0, 10.0]
    assert all(type(v) is float for v in values)  # plain Python, never numpy


def test_range_is_choices_and_integers_stay_integers(iris):
    X, y = iris
    search = HyperSearchCV(
        RandomForestClassifier(n_estimators=5, random_state=0),
        {"max_depth": range(1, 4)},
        generator="grid",
        cv=3,
    ).fit(X, y)
    assert [p["max_depth"] for p in search.cv_results_["params"]] == [1, 2, 3]
    assert all(type(p["max_depth"]) is int for p in search.cv_results_["params"])


# -- choices distinct by type and value ------------------------------------------
@pytest.mark.parametrize("generator", ["random", "sobol", "gp", "grid"])
def test_one_and_one_point_zero_are_two_candidates(iris, generator):
    X, y = iris
    search = HyperSearchCV(
        RandomForestClassifier(n_estimators=5, random_state=0),
        {"max_features": [1, 1.0, "sqrt"]},
        generator=generator,
        n_iter=3,
        cv=3,
        random_state=0,
    ).fit(X, y)
    values = [p["max_features"] for p in search.cv_results_["params"]]
    assert sorted(map(repr, values)) == ["'sqrt'", "1", "1.0"]


@given(
    st.lists(
        st.one_of(
            st.integers(-3, 3),
            st.sampled_from([-1.0, 0.0, 1.0, 2.5]),
            st.booleans(),
            st.sampled_from(["a", "b"]),
            st.none(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_choices_are_distinct_by_type_and_value(choices):
    dim = Categorical(choices)
    distinct = {(type(c), c) for c in choices}
    assert dim.size == len(distinct)
    for choice in choices:
        found = dim.choices[dim.index(choice)]
        assert type(found) is type(choice) and found == choice
    back = dim.from_unit(dim.to_unit(choices))
    assert [(type(v), v) for v in back] == [(type(c), c) for c in choices]


# -- distributions draw what RandomizedSearchCV draws -------------------------------
@pytest.mark.parametrize(
    "dist, kind",
    [
        (stats.rv_discrete(values=([3, 7, 15], [0.2, 0.3, 0.5])), int),
        (stats.rv_discrete(values=([3, 7, 15], [0.2, 0.3, 0.5]))(), int),
        (stats.randint(2, 9), int),
        (stats.rv_discrete(values=([0.5, 1.5], [0.5, 0.5])), float),
        (stats.uniform(0.1, 2.0), float),
        (stats.expon, float),
    ],
    ids=[
        "rv_discrete",
        "rv_discrete-frozen",
        "randint",
        "float-values",
        "uniform",
        "expon-unfrozen",
    ],
)
def test_distributions_draw_the_values_and_types_of_their_rvs(dist, kind):
    drawn = dist.rvs(size=200, random_state=0)
    dim = to_dimension("p", dist)
    assert isinstance(dim, Distribution)
    values = dim.from_unit(np.random.default_rng(0).random(200))
    assert all(type(v) is kind for v in values)
    if kind is int or hasattr(dist, "xk"):
        assert set(values) <= {v.item() for v in np.unique(drawn)} | set(
            dim.all_values()
        )
        assert set(values) == set(dim.all_values()) or dim.size > 50


def test_rv_discrete_searches_integers_like_randomized_search(iris):
    X, y = iris
    dist = stats.rv_discrete(values=([5, 10, 20], [1 / 3] * 3))
    search = RandomSearchCV(
        RandomForestClassifier(random_state=0),
        {"n_estimators": dist},
        n_iter=3,
        cv=3,
        error_score="raise",
        random_state=0,
    ).fit(X, y)
    assert sorted(p["n_estimators"] for p in search.cv_results_["params"]) == [
        5,
        10,
        20,
    ]


# -- parameter names as set_params sees them -------------------------------------
class LenientRegressor:
    """Does not inherit BaseEstimator; set_params takes any name."""

    def __init__(self, param=None):
        self.param = param

    def get_params(self, deep=True):
        return {"param": self.param}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        check_is_fitted(self)
        return np.full(len(X), self.mean_)

    def score(self, X, y):
        return -float(np.mean((self.predict(X) - y) ** 2))


def test_names_the_estimator_accepts_but_does_not_list_are_valid(diabetes):
    X, y = diabetes
    pipe = Pipeline([("scale", StandardScaler()), ("model", LenientRegressor())])
    search = HyperSearchCV(
        pipe, {"model__extra": [1, 2], "scale__with_mean": [True]}, generator="grid"
    ).fit(X, y)
    assert search.best_params_.keys() == {"model__extra", "scale__with_mean"}
    with pytest.raises(ValueError, match=r"'scale__with_meen'.*no such parameter"):
        HyperSearchCV(pipe, {"scale__with_meen": [True]}).fit(X, y)


# -- Optuna's distributions, without Optuna -----------------------------------------
class _OptunaBase:
    def to_internal_repr(self, value):
        return value


class FloatDistribution(_OptunaBase):
    def __init__(self, low, high, log=False, step=None):
        self.low, self.high, self.log, self.step = low, high, log, step


class IntDistribution(_OptunaBase):
    def __init__(self, low, high, log=False, step=1):
        self.low, self.high, self.log, self.step = low, high, log, step


class CategoricalDistribution(_OptunaBase):
    def __init__(self, choices):
        self.choices = tuple(choices)


class LogUniformDistribution(FloatDistribution):  # Optuna's deprecated subclass
    def __init__(self, low, high):
        super().__init__(low, high, log=True)


@pytest.mark.parametrize(
    "value, expected",
    [
        (FloatDistribution(1e-3, 1e2, log=True), Real(1e-3, 1e2, log=True)),
        (FloatDistribution(0.0, 1.0), Real(0.0, 1.0)),
        (
            FloatDistribution(0.0, 1.0, step=0.25),
            Categorical([0.0, 0.25, 0.5, 0.75, 1.0]),
        ),
        (IntDistribution(1, 64, log=True), Integer(1, 64, log=True)),
        (IntDistribution(2, 10, step=4), Categorical([2, 6, 10])),
        (IntDistribution(3, 3), Fixed(3)),
        (CategoricalDistribution(["a", None, 2]), Categorical(["a", None, 2])),
        (LogUniformDistribution(0.1, 10.0), Real(0.1, 10.0, log=True)),
    ],
)
def test_optuna_distributions_are_recognised_by_their_shape(value, expected):
    assert to_dimension("p", value) == expected


def test_a_search_over_optuna_distributions(iris):
    X, y = iris
    space = {
        "logisticregression__C": FloatDistribution(1e-2, 1e2, log=True),
        "logisticregression__max_iter": IntDistribution(200, 400, step=100),
        "logisticregression__fit_intercept": CategoricalDistribution([True, False]),
    }
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    search = BayesSearchCV(pipe, space, n_iter=6, cv=3, random_state=0).fit(X, y)
    for p in search.cv_results_["params"]:
        assert 1e-2 <= p["logisticregression__C"] <= 1e2
        assert p["logisticregression__max_iter"] in (200, 300, 400)


def test_real_optuna_distributions_if_installed():
    optuna = pytest.importorskip("optuna")
    d = optuna.distributions
    assert to_dimension("p", d.FloatDistribution(1e-3, 1.0, log=True)) == Real(
        1e-3, 1.0, log=True
    )
    assert to_dimension("p", d.IntDistribution(1, 9, step=2)) == Categorical(
        [1, 3, 5, 7, 9]
    )
    assert to_dimension("p", d.CategoricalDistribution(["x", "y"])) == Categorical(
        ["x", "y"]
    )


# -- messages keep scikit-learn's wording ----------------------------------------
def test_all_fits_failed_keeps_scikit_learns_message(iris, failing_classifier):
    X, y = iris
    est = failing_classifier.set_params(fail=True)
    grid = {"quality": [0.0, 1.0]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError) as theirs:
            GridSearchCV(est, grid, cv=3).fit(X, y)
        with pytest.raises(ValueError) as ours:
            HyperSearchCV(est, grid, generator="gp", n_iter=2, batch_size=1, cv=3).fit(
                X, y
            )

    # The tracebacks inside may come from other lines of scikit-learn's
    # _fit_and_score (with or without a callback context).
    def wording(error):
        return re.sub(r"line \d+", "line N", str(error.value))

    assert wording(ours).startswith(wording(theirs))
    assert re.search("All the 6 fits failed", str(ours.value))


class OnlyRvs:
    """A sampler as RandomizedSearchCV accepts it: rvs and nothing else."""

    def __init__(self, dist):
        self.dist = dist

    def rvs(self, size=None, random_state=None):
        return self.dist.rvs(size=size, random_state=random_state)


@pytest.mark.parametrize(
    "dist, kind", [(stats.loguniform(1e-2, 1e2), float), (stats.randint(1, 6), int)]
)
def test_an_object_with_only_rvs_is_sampled_like_randomized_search(dist, kind):
    dim = to_dimension("p", OnlyRvs(dist))
    values = dim.from_unit(np.random.default_rng(0).random(4000))
    assert all(type(v) is kind for v in values)
    low, high = dist.support()
    assert all(low <= v <= high for v in values)
    # the empirical quantiles follow the distribution's
    for q in (0.1, 0.5, 0.9):
        assert abs(np.quantile(values, q) - dist.ppf(q)) <= 0.1 * dist.ppf(0.9)
    np.testing.assert_allclose(dim.to_unit(dim.from_unit([0.25])), [0.25], atol=0.2)


def test_a_search_over_an_rvs_only_sampler(iris):
    X, y = iris
    space = {"C": OnlyRvs(stats.loguniform(1e-2, 1e2))}
    for cls in (RandomSearchCV, BayesSearchCV):
        search = cls(SVC(), param_distributions=space, n_iter=5, cv=3, random_state=0)
        search.fit(X, y)
        assert all(1e-2 <= p["C"] <= 1e2 for p in search.cv_results_["params"])


# -- a whole grid comes back in grid order -----------------------------------------
@pytest.mark.parametrize("generator", GENERATORS)
def test_a_whole_grid_is_listed_in_grid_order_whatever_the_ask_order(iris, generator):
    X, y = iris
    grid = {"C": [1, 10, 100], "gamma": [0.01, 0.1], "kernel": ["rbf"]}
    reference = GridSearchCV(SVC(), grid, cv=3).fit(X, y)
    search = HyperSearchCV(
        SVC(),
        param_grid=grid,
        generator=generator,
        n_iter=6,
        batch_size=1,
        cv=3,
        random_state=0,
    ).fit(X, y)
    results = search.cv_results_
    assert results["params"] == list(ParameterGrid(grid))
    np.testing.assert_array_equal(
        results["mean_test_score"], reference.cv_results_["mean_test_score"]
    )
    np.testing.assert_array_equal(
        results["rank_test_score"], reference.cv_results_["rank_test_score"]
    )
    assert search.best_index_ == reference.best_index_
    # one candidate per iteration: the column keeps the order they were asked in
    assert sorted(results["iteration"]) == list(range(6))
    table = results["mean_test_score"].reshape(3, 2)  # GridSearchCV scripts do this
    assert table.shape == (3, 2)


def test_a_partial_grid_keeps_the_order_it_was_evaluated_in(iris):
    X, y = iris
    grid = {"C": [1, 10, 100], "gamma": [0.01, 0.1]}
    search = BayesSearchCV(SVC(), grid, n_iter=4, batch_size=1, cv=3, random_state=0)
    search.fit(X, y)
    assert list(search.cv_results_["iteration"]) == [0, 1, 2, 3]


class DrawingClassifier(ClassifierMixin, BaseEstimator):
    """Draws from its RandomState in get_params, as xgboost's estimators do
    (they turn random_state into an int seed there)."""

    def __init__(self, random_state=None, depth=1, n_rounds=10):
        self.random_state = random_state
        self.depth = depth
        self.n_rounds = n_rounds

    def get_params(self, deep=True):
        params = super().get_params(deep)
        if isinstance(self.random_state, np.random.RandomState):
            self.random_state.randint(2**31)
        return params

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _draws_of_a_search(make_search, X, y):
    random_state = np.random.RandomState(4)
    make_search(DrawingClassifier(random_state=random_state)).fit(X, y)
    return random_state.get_state()[2]


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (
            lambda e: BayesSearchCV(e, {"depth": [1, 2, 3]}, n_iter=3, cv=3),
            lambda e: GridSearchCV(e, {"depth": [1, 2, 3]}, cv=3),
        ),
        (
            lambda e: HyperSearchCV(e, {"depth": [1, 2, 3]}, generator="grid", cv=3),
            lambda e: GridSearchCV(e, {"depth": [1, 2, 3]}, cv=3),
        ),
        (
            lambda e: HalvingBayesSearchCV(
                e, param_grid={"depth": [1, 2, 3]}, resource="n_rounds", max_resources=9
            ),
            lambda e: HalvingGridSearchCV(
                e, {"depth": [1, 2, 3]}, resource="n_rounds", max_resources=9
            ),
        ),
    ],
)
def test_the_users_estimator_is_asked_its_params_as_often_as_by_scikit_learn(
    iris, ours, theirs
):
    """An estimator whose get_params draws from its RandomState (xgboost's)
    leaves the user's RandomState where scikit-learn's searches leave it, so
    repeated searches see the same seeds as with scikit-learn's."""
    X, y = iris
    assert _draws_of_a_search(ours, X, y) == _draws_of_a_search(theirs, X, y)


def _bic(estimator, X, y=None):
    return -estimator.bic(X)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda e, g, **kw: BayesSearchCV(e, g, **kw), id="bayes"),
        pytest.param(
            lambda e, g, **kw: BayesSearchCV(e, param_grid=g, **kw), id="bayes-keyword"
        ),
        pytest.param(
            lambda e, g, **kw: HyperSearchCV(e, g, generator="gp", n_iter=6, **kw),
            id="hyper-gp",
        ),
        pytest.param(
            lambda e, g, **kw: HyperSearchCV(e, g, generator="grid", **kw),
            id="hyper-grid",
        ),
    ],
)
def test_a_whole_grid_leaves_numpys_global_generator_as_gridsearchcv(make):
    """A script that seeds NumPy's global generator and leaves its estimator
    unseeded (scikit-learn's gmm_selection example) gets GridSearchCV's
    scores, and its later draws are those it gets after GridSearchCV: a
    search without random_state that evaluates a whole grid draws nothing
    from the global generator, as GridSearchCV."""
    from sklearn.mixture import GaussianMixture

    grid = {"n_components": [1, 2, 3], "covariance_type": ["spherical", "full"]}
    rng = np.random.RandomState(0)
    X = np.r_[rng.randn(150, 2), 0.7 * rng.randn(150, 2) + [-4, 1]]

    def run(search_class):
        np.random.seed(0)  # noqa: NPY002 - the global generator is the point
        search = search_class(GaussianMixture(), grid, scoring=_bic).fit(X)
        return search.cv_results_["mean_test_score"], np.random.randint(2**30)  # noqa: NPY002

    theirs, their_next = run(GridSearchCV)
    ours, our_next = run(make)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    assert our_next == their_next


@pytest.mark.parametrize(
    "make",
    [
        lambda grid: BayesSearchCV(GlobalDrawRegressor(), grid, cv=2),
        lambda grid: BayesSearchCV(GlobalDrawRegressor(), param_grid=grid, cv=2),
        lambda grid: HyperSearchCV(
            GlobalDrawRegressor(), grid, generator="gp", n_iter=4, cv=2
        ),
        lambda grid: HyperSearchCV(GlobalDrawRegressor(), grid, generator="grid", cv=2),
    ],
    ids=["bayes", "bayes-param_grid", "hyper-gp", "hyper-grid"],
)
def test_a_whole_grid_draws_nothing_from_numpys_global_random_state(iris, make):
    # The gallery's plot_gmm_selection.py seeds np.random, then searches a
    # whole grid of an unseeded GaussianMixture: GridSearchCV draws nothing
    # itself, so every fit sees the same global draws, and so must a search
    # that evaluates the same whole grid (random_state=None).
    X, y = iris
    grid = {"a": [1, 2, 3, 4]}
    np.random.seed(0)  # noqa: NPY002
    reference = GridSearchCV(GlobalDrawRegressor(), param_grid=grid, cv=2).fit(X, y)
    after_reference = np.random.rand()  # noqa: NPY002
    np.random.seed(0)  # noqa: NPY002
    search = make(grid).fit(X, y)
    assert np.random.rand() == after_reference  # noqa: NPY002
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"],
        reference.cv_results_["mean_test_score"],
    )
    assert search.best_params_ == reference.best_params_

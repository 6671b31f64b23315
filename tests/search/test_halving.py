"""HalvingBayesSearchCV: drop-in for HalvingRandomSearchCV, resources,
promotion, resume mid-rung and bad inputs."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy.stats import loguniform, randint
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.datasets import make_regression
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestRegressor
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    HalvingGridSearchCV,
    HalvingRandomSearchCV,
    KFold,
    ParameterGrid,
    TimeSeriesSplit,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skhyper import (
    GPGenerator,
    HalvingBayesSearchCV,
    Integer,
    MultiFidelityGPGenerator,
    Real,
)
from skhyper.space._parse import parse_search_space
from skhyper.utils._warnings import forget_shown_warnings
from tests.conftest import GlobalDrawRegressor
from tests.search._schedule import assert_same_schedule

TIME_KEYS = ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time")


class CountingRegressor(RegressorMixin, BaseEstimator):
    """Scores ``-(a - 0.3)**2`` plus a term that grows with ``n_rounds`` and
    the number of training samples; counts its fits."""

    n_fits = 0

    def __init__(self, a=0.5, n_rounds=10):
        self.a = a
        self.n_rounds = n_rounds

    def fit(self, X, y):
        type(self).n_fits += 1
        self.n_train_ = len(X)
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)

    def score(self, X, y):
        return -((self.a - 0.3) ** 2) + 1e-3 * self.n_rounds + 1e-6 * self.n_train_


@pytest.fixture(autouse=True)
def reset_counter():
    CountingRegressor.n_fits = 0


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(90, 3)), rng.normal(size=90)


def counting_search(**params):
    """A halving search of ``CountingRegressor`` over ``a``, resource
    ``n_rounds``, 3 folds, seed 0."""
    params = {"resource": "n_rounds", "cv": 3, "random_state": 0, **params}
    return HalvingBayesSearchCV(CountingRegressor(), {"a": Real(0.0, 1.0)}, **params)


def rows(results, rung):
    return np.flatnonzero(np.asarray(results["iter"]) == rung)


@pytest.mark.parametrize(
    "estimator, resource, space, extra",
    [
        (Ridge(), "n_samples", {"alpha": loguniform(1e-3, 1e3)}, {}),
        (
            Ridge(),
            "n_samples",
            {"alpha": loguniform(1e-3, 1e3)},
            {"min_resources": 40, "aggressive_elimination": True},
        ),
        (
            RandomForestRegressor(random_state=0),
            "n_estimators",
            {"max_depth": [2, 3, 4, 5, 6, 8, 10, 12, None]},
            {"max_resources": 9},
        ),
    ],
)
def test_drop_in_for_halving_random_search(diabetes, estimator, resource, space, extra):
    X, y = diabetes
    common = dict(
        resource=resource, factor=3, n_candidates=9, cv=3, random_state=0, **extra
    )
    theirs = HalvingRandomSearchCV(estimator, space, **common).fit(X, y)
    results = theirs.cv_results_
    first_rung = [
        {k: v for k, v in p.items() if k != resource}
        for p, i in zip(results["params"], results["iter"], strict=True)
        if i == 0
    ]
    ours = HalvingBayesSearchCV(
        estimator,
        param_distributions=space,
        generator="random",
        initial_points=first_rung,
        **common,
    ).fit(X, y)
    assert set(theirs.cv_results_) <= set(ours.cv_results_)
    assert set(ours.cv_results_) - set(theirs.cv_results_) == {"iteration", "bracket"}
    assert_same_schedule(ours, theirs, "best_params_", "best_index_")
    for key, value in theirs.cv_results_.items():
        if key in TIME_KEYS:
            continue
        if key == "params":
            assert ours.cv_results_[key] == value
        elif np.ma.isMaskedArray(value):
            assert list(ours.cv_results_[key]) == list(value), key
        else:
            np.testing.assert_allclose(ours.cv_results_[key], value, err_msg=key)
    assert ours.best_score_ == pytest.approx(theirs.best_score_)


RIDGE_GRID = {
    "alpha": [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0],
    "fit_intercept": [True, False],
}


@pytest.mark.parametrize(
    "grid, extra",
    [
        (RIDGE_GRID, {}),
        (RIDGE_GRID, {"factor": 2}),
        (RIDGE_GRID, {"min_resources": "smallest"}),
        (RIDGE_GRID, {"min_resources": 40, "aggressive_elimination": True}),
        ([{"alpha": [0.1, 1.0]}, {"alpha": [10.0], "fit_intercept": [False]}], {}),
    ],
)
@pytest.mark.parametrize("generator", ["gp", "random"])
def test_drop_in_for_halving_grid_search(diabetes, grid, extra, generator):
    """``param_grid=`` keeps HalvingGridSearchCV's defaults: the whole grid
    starts, and min_resources is "exhaust" unless set."""
    X, y = diabetes
    common = dict(cv=3, random_state=0, **extra)
    theirs = HalvingGridSearchCV(Ridge(), grid, **common).fit(X, y)
    ours = HalvingBayesSearchCV(
        Ridge(),
        param_grid=grid,
        generator=generator,
        initial_points=list(ParameterGrid(grid)),
        **common,
    ).fit(X, y)
    assert_same_schedule(ours, theirs, "best_params_")
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"], theirs.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize("generator", ["gp", "sobol", "random"])
def test_a_whole_grid_starts_in_grid_order_as_in_halving_grid_search(
    diabetes, generator
):
    """Without initial_points, the first rung lists the grid in
    ParameterGrid's order, as HalvingGridSearchCV does: the rungs after it,
    and which of tied candidates wins, follow from that order."""
    X, y = diabetes
    grid = [
        {"alpha": [1e-3, 1e-2, 1e-1, 1.0], "fit_intercept": [True, False]},
        {"alpha": [0.5, 5.0], "positive": [True]},
    ]
    common = dict(cv=3, random_state=0, factor=2)
    theirs = HalvingGridSearchCV(Ridge(), grid, **common).fit(X, y)
    ours = HalvingBayesSearchCV(
        Ridge(), param_grid=grid, generator=generator, **common
    ).fit(X, y)
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]
    assert ours.best_index_ == theirs.best_index_


@pytest.mark.parametrize(
    "keyword, space, min_resources, n_first",
    [
        # HalvingRandomSearchCV's defaults for the other keywords, the
        # grid's for a finite param_grid, and for an infinite one the
        # random search's (there is no grid to exhaust).
        # 200 samples, 3 folds: "smallest" is 6 samples and "exhaust"
        # 200 // 3**2 for the 12 candidates of the grid.
        ("search_spaces", RIDGE_GRID, 6, 12),
        ("param_distributions", RIDGE_GRID, 6, 12),
        ("param_grid", RIDGE_GRID, 22, 12),
        ("param_grid", {"alpha": Real(1e-3, 1e2, log=True)}, 6, 33),
    ],
)
def test_auto_min_resources_follows_the_space_keyword(
    diabetes, keyword, space, min_resources, n_first
):
    X, y = diabetes
    search = HalvingBayesSearchCV(
        Ridge(), **{keyword: space}, cv=3, random_state=0, generator="random"
    ).fit(X, y)
    assert search.get_params()["min_resources"] == "auto"
    assert search.min_resources_ == min_resources
    assert search.n_candidates_[0] == n_first


def test_n_samples_resource_subsamples_every_fold(data):
    X, y = data
    search = HalvingBayesSearchCV(
        CountingRegressor(),
        {"a": Real(0.0, 1.0)},
        n_candidates=9,
        min_resources=10,
        cv=KFold(3),
        generator="sobol",
        random_state=0,
    ).fit(X, y)
    assert search.n_resources_ == [10, 30, 90]
    assert search.n_candidates_ == [9, 3, 1]
    results = search.cv_results_
    for rung, n_resources in enumerate(search.n_resources_):
        # 60 training samples per fold of 90, cut to the rung's share.
        n_train = int(n_resources / 90 * 60)
        for i in rows(results, rung):
            assert results["n_resources"][i] == n_resources
            assert results["split0_train_score"][i] == pytest.approx(
                -((results["params"][i]["a"] - 0.3) ** 2) + 1e-2 + 1e-6 * n_train
            )
    assert search.best_estimator_.n_train_ == 90


def test_parameter_resource_in_a_pipeline(diabetes):
    X, y = diabetes
    pipe = Pipeline([("scale", StandardScaler()), ("clf", CountingRegressor())])
    search = HalvingBayesSearchCV(
        pipe,
        {"clf__a": Real(0.0, 1.0)},
        resource="clf__n_rounds",
        max_resources=27,
        min_resources="exhaust",
        n_candidates=9,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert search.n_resources_ == [3, 9, 27]
    for rung, n_rounds in enumerate(search.n_resources_):
        for i in rows(search.cv_results_, rung):
            assert search.cv_results_["params"][i]["clf__n_rounds"] == n_rounds
            assert search.cv_results_["param_clf__n_rounds"][i] == n_rounds
    assert search.best_params_["clf__n_rounds"] == 27
    assert search.best_estimator_.named_steps["clf"].n_rounds == 27
    # max_resources="auto" takes the estimator's own value of the parameter.
    auto = HalvingBayesSearchCV(
        pipe,
        {"clf__a": Real(0.0, 1.0)},
        resource="clf__n_rounds",
        min_resources="exhaust",
        n_candidates=3,
        cv=3,
        generator="random",
        random_state=0,
    ).fit(X, y)
    assert auto.max_resources_ == 10
    assert auto.n_resources_ == [3, 9]  # scikit-learn's rounding


@pytest.mark.parametrize("generator", ["gp", "random"])
def test_promotion_keeps_the_best_third_and_best_comes_from_the_last_rung(
    data, generator
):
    X, y = data
    search = counting_search(
        max_resources=27,
        min_resources="exhaust",
        n_candidates=10,
        n_brackets=2,
        generator=generator,
    ).fit(X, y)
    results = search.cv_results_
    brackets = np.asarray(results["bracket"])
    assert search.n_candidates_ == [20, 8, 4]
    for bracket in (0, 1):
        for rung in (0, 1):
            here = rows(results, rung)[brackets[rows(results, rung)] == bracket]
            nxt = rows(results, rung + 1)[brackets[rows(results, rung + 1)] == bracket]
            keep = math.ceil(len(here) / 3)
            assert len(nxt) == keep
            order = np.argsort(-results["mean_test_score"][here])
            best = [results["params"][i]["a"] for i in here[order[:keep]]]
            assert sorted(results["params"][i]["a"] for i in nxt) == sorted(best)
    last = rows(results, 2)
    assert search.best_index_ in last
    assert search.best_score_ == results["mean_test_score"][last].max()
    assert search.best_rung_ == 2 and search.n_brackets_ == 2
    # No candidate is proposed twice over the brackets.
    first = [results["params"][i]["a"] for i in rows(results, 0)]
    assert len(set(first)) == len(first)


def test_gp_uses_low_fidelity_scores(data):
    """Later candidates of the first rung concentrate near the optimum."""
    X, y = data
    search = counting_search(
        max_resources=9,
        min_resources="exhaust",
        n_candidates=16,
        n_brackets=2,
    ).fit(X, y)
    results = search.cv_results_
    second = rows(results, 0)[np.asarray(results["bracket"])[rows(results, 0)] == 1]
    distances = [abs(results["params"][i]["a"] - 0.3) for i in second]
    assert np.median(distances) < 0.1
    assert abs(search.best_params_["a"] - 0.3) < 0.05
    assert isinstance(search.generator_, MultiFidelityGPGenerator)


def test_resume_mid_rung_refits_nothing_finished(data, tmp_path):
    X, y = data
    path = tmp_path / "halving.ckpt"

    def make(**params):
        return counting_search(
            max_resources=9,
            min_resources="exhaust",
            n_candidates=12,
            batch_size=2,
            **params,
        )

    full = make().fit(X, y)
    n_full = CountingRegressor.n_fits

    def stop_after_three_batches(state):
        return state.n_batches >= 3

    CountingRegressor.n_fits = 0
    with pytest.warns(UserWarning, match="before any rung finished"):
        first = make(checkpoint=path, callbacks=stop_after_three_batches).fit(X, y)
    assert first.cv_results_["iter"].max() == 0  # stopped inside the first rung
    assert len(first.cv_results_["params"]) == 6
    n_first = CountingRegressor.n_fits - 1  # without the refit
    CountingRegressor.n_fits = 0
    resumed = make(checkpoint=path).fit(X, y)
    n_resumed = CountingRegressor.n_fits - 1
    assert n_first + n_resumed == n_full - 1
    assert resumed.n_candidates_ == full.n_candidates_ == [12, 4, 2]
    assert resumed.cv_results_["params"][:6] == first.cv_results_["params"]
    np.testing.assert_array_equal(
        resumed.cv_results_["mean_test_score"][:6],
        first.cv_results_["mean_test_score"],
    )
    assert resumed.best_params_["n_rounds"] == 9
    # A checkpoint made with another schedule is refused.
    with pytest.raises(ValueError, match="another resource schedule"):
        make(checkpoint=path, factor=2).fit(X, y)


def test_multimetric_scoring_and_max_time(iris):
    X, y = iris
    search = HalvingBayesSearchCV(
        LogisticRegression(max_iter=500),
        {"C": Real(1e-2, 1e2, log=True)},
        scoring={"acc": "accuracy", "bal": "balanced_accuracy"},
        refit="bal",
        n_candidates=6,
        n_brackets=50,
        max_time=0.5,
        random_state=0,
    ).fit(X, y)
    assert "mean_test_bal" in search.cv_results_
    assert search.stop_reason_.startswith("max_time")
    rung = np.asarray(search.cv_results_["iter"]) == search.best_rung_
    best = np.nanmax(search.cv_results_["mean_test_bal"][rung])
    assert search.best_score_ == best


@pytest.mark.parametrize("hyperband", [False, True])
@pytest.mark.parametrize("generator", ["gp", GPGenerator(), MultiFidelityGPGenerator()])
def test_gp_proposes_from_the_second_bracket_by_default(
    data, monkeypatch, hyperband, generator
):
    """The first rung of the first bracket is the GP's Sobol design, asked
    in one batch; the model proposes every first-rung candidate of the later
    brackets, asked in several batches."""
    from_model, asked = [], []
    propose = MultiFidelityGPGenerator._propose_from_models
    ask = MultiFidelityGPGenerator.ask

    def counted(self, n, scores):
        from_model.append(n)
        return propose(self, n, scores)

    def counted_ask(self, n=1):
        asked.append(n)
        return ask(self, n)

    monkeypatch.setattr(MultiFidelityGPGenerator, "_propose_from_models", counted)
    monkeypatch.setattr(MultiFidelityGPGenerator, "ask", counted_ask)
    X, y = data
    search = counting_search(
        max_resources=9,
        n_candidates=9,
        n_brackets=2,
        hyperband=hyperband,
        generator=generator,
    ).fit(X, y)
    assert search.generator_.n_initial_points == 9
    brackets = np.asarray(search.cv_results_["bracket"])
    first_rungs = [
        np.sum((brackets == b) & (np.asarray(search.cv_results_["iter"]) == r))
        for b, r in [(0, 0), (1, 1 if hyperband else 0)]
    ]
    assert first_rungs[0] == 9
    assert sum(from_model) == first_rungs[1] > 0
    assert asked[0] == 9
    assert len(asked) > 2 and sum(asked[1:]) == first_rungs[1]


def test_gp_generator_instance_keeps_its_parameters(data):
    X, y = data
    search = counting_search(
        max_resources=3,
        n_candidates=4,
        generator=GPGenerator(n_initial_points=2, xi=0.1),
    ).fit(X, y)
    assert isinstance(search.generator_, MultiFidelityGPGenerator)
    assert search.generator_.n_initial_points == 2
    assert search.generator_.xi == 0.1


@pytest.mark.parametrize("fidelity_model", ["input", "highest"])
def test_multi_fidelity_generator_never_repeats_and_checks_fidelity(fidelity_model):
    generator = MultiFidelityGPGenerator(
        n_initial_points=3, fidelity_model=fidelity_model
    )
    generator.start({"a": Real(0.0, 1.0), "k": Integer(1, 3)}, random_state=0)
    told = generator.ask(5)
    generator.tell_at_fidelity(told, [0.1, 0.2, 0.3, 0.4, 0.5], fidelity=0.0)
    generator.tell_at_fidelity(told[-2:], [0.6, 0.7], fidelity=1.0)
    keys = {(c["a"], c["k"]) for c in told}
    for candidate in generator.ask(4):
        assert (candidate["a"], candidate["k"]) not in keys
    with pytest.raises(ValueError, match="fidelity must lie in"):
        generator.tell_at_fidelity(told[:1], [0.1], fidelity=2.0)
    with pytest.raises(ValueError, match="fidelity_model"):
        MultiFidelityGPGenerator(fidelity_model="bohb").start(
            {"a": Real(0.0, 1.0)}, random_state=0
        )


class KindedRegressor(CountingRegressor):
    """A ``CountingRegressor`` with a parameter whose default is a string."""

    def __init__(self, a=0.5, n_rounds=10, kind="x"):
        super().__init__(a, n_rounds)
        self.kind = kind


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(resource="n_trees"), "has no such parameter"),
        (dict(resource="kind"), "a positive integer .* but kind is 'x'"),
        (dict(resource="a", max_resources=9), "part of the searched parameters"),
        (dict(min_resources=50, max_resources=20), "greater than max_resources_"),
        (dict(min_resources=2, cv=3), "Set min_resources to at least 3"),
        (dict(cv=KFold(3, shuffle=True)), "consistent folds"),
        (dict(n_candidates="exhaust", min_resources="exhaust"), "both set"),
        (dict(resource="n_rounds", max_resources="auto", n_candidates=2), None),
        (dict(factor=1), "factor"),
        (dict(max_resources=1000), "more than the 90 samples"),
    ],
)
def test_bad_inputs_get_clear_errors(data, params, match):
    X, y = data
    search = HalvingBayesSearchCV(
        KindedRegressor(), {"a": Real(0.0, 1.0)}, generator="random", **params
    )
    if match is None:  # a valid configuration, for contrast
        search.fit(X, y)
        assert search.max_resources_ == 10
        return
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)


def test_auto_max_resources_needs_an_integer_default(data):
    X, y = data
    search = HalvingBayesSearchCV(
        Ridge(), {"alpha": Real(0.1, 1.0)}, resource="max_iter", generator="random"
    )
    with pytest.raises(ValueError, match="set max_resources"):
        search.fit(X, y)


def test_a_resource_whose_default_is_not_an_integer_works_as_in_scikit_learn(data):
    # scikit-learn sets the resource in every candidate and never reads the
    # estimator's own value (IsolationForest's max_samples="auto", say).
    X, y = data
    grid = {"a": [0.1, 0.3, 0.5, 0.9]}
    params = dict(resource="kind", max_resources=9, cv=3, random_state=0)
    ours = HalvingBayesSearchCV(KindedRegressor(), param_grid=grid, **params)
    theirs = HalvingGridSearchCV(KindedRegressor(), grid, **params)
    ours.fit(X, y)
    theirs.fit(X, y)
    assert_same_schedule(ours, theirs)
    assert ours.n_resources_ == [3, 9]
    assert list(ours.cv_results_["param_kind"]) == list(ours.cv_results_["n_resources"])
    assert ours.best_params_ == theirs.best_params_


def _empty_classification():
    return np.empty((0, 3)), []


@pytest.mark.parametrize(
    "estimator, params, inputs",
    [
        (KindedRegressor(), dict(resource="n_trees", max_resources=9), None),
        (KindedRegressor(), dict(resource="kind"), None),
        (DummyClassifier(), dict(min_resources="smallest"), _empty_classification),
    ],
    ids=["not-a-parameter", "auto-max-resources", "empty-dataset"],
)
@pytest.mark.parametrize("keyword", ["param_grid", "param_distributions"])
def test_input_errors_start_with_scikit_learn_wording(
    data, estimator, params, inputs, keyword
):
    X, y = data if inputs is None else inputs()
    grid = {"a": [0.1, 0.5]} if inputs is None else {"strategy": ["prior"]}
    sklearn_class = {
        "param_grid": HalvingGridSearchCV,
        "param_distributions": HalvingRandomSearchCV,
    }[keyword]
    with pytest.raises(ValueError) as raised:
        sklearn_class(clone(estimator), grid, **params).fit(X, y)
    search = HalvingBayesSearchCV(clone(estimator), **{keyword: grid}, **params)
    with pytest.raises(ValueError, match=f"^{re.escape(str(raised.value))}"):
        search.fit(X, y)


def test_more_candidates_than_the_space_holds_warns(data):
    # scikit-learn warns for a space of lists (a distribution it samples
    # with repeats); skhyper evaluates each distinct candidate once.
    X, y = data
    for space in ({"a": [1, 2]}, {"a": randint(1, 3)}):
        forget_shown_warnings()
        search = counting_search(n_candidates=10, max_resources=9)
        search.set_params(search_spaces=space)
        with pytest.warns(
            UserWarning, match="parameters 2 is smaller than n_iter=10. Running 2"
        ):
            search.fit(X, y)
        assert search.n_candidates_ == [2]


def test_too_few_samples_per_class_at_the_first_rung(iris):
    X, y = iris
    search = HalvingBayesSearchCV(
        LogisticRegression(), {"C": Real(0.1, 1.0)}, min_resources=3, cv=5
    )
    with pytest.raises(ValueError, match=r"one per class\).*at least 5"):
        search.fit(X, y)


@pytest.mark.parametrize("generator", ["gp", "random"])
def test_a_first_rung_of_one_sample_per_fold_runs_as_in_scikit_learn(
    diabetes, generator
):
    """HalvingRandomSearchCV fits and scores a rung of 1 training and 1 test
    sample per fold (a TimeSeriesSplit's first fold, min_resources="smallest");
    skhyper warns of it but runs the same schedule."""
    X, y = diabetes[0][:120], diabetes[1][:120]
    space = {"alpha": [0.1, 1.0, 10.0, 100.0]}
    keywords = dict(min_resources="smallest", cv=TimeSeriesSplit(5), random_state=0)
    theirs = HalvingRandomSearchCV(Ridge(), space, **keywords).fit(X, y)
    forget_shown_warnings()
    with pytest.warns(UserWarning, match="fits on 1 training and scores on 1 test"):
        ours = HalvingBayesSearchCV(
            Ridge(), param_distributions=space, generator=generator, **keywords
        ).fit(X, y)
    assert_same_schedule(ours, theirs)
    # R^2 of one test sample is NaN in both, at the first rung only.
    n_nan = [np.isnan(s.cv_results_["mean_test_score"]).sum() for s in (ours, theirs)]
    assert n_nan[0] == n_nan[1] == 4


def test_verbose_shows_the_schedule_and_the_rung(data, capsys):
    X, y = data
    HalvingBayesSearchCV(
        CountingRegressor(),
        {"a": Real(0.0, 1.0)},
        resource="n_rounds",
        max_resources=9,
        min_resources="exhaust",
        n_candidates=9,
        generator="random",
        cv=3,
        verbose=1,
    ).fit(X, y)
    out = capsys.readouterr().out
    assert "n_iterations: 3\n" in out and "min_resources_: 1\n" in out
    assert "iter: 2\nn_candidates: 1\nn_resources: 9" in out
    assert "bracket 1/1, rung 3/3, n_resources=9" in out
    assert "stopped: 1 bracket of 3 rungs evaluated" in out


def test_verbose_stop_line_counts_one_rung_in_the_singular(data, capsys):
    X, y = data
    HalvingBayesSearchCV(
        CountingRegressor(), {"a": [0.1, 0.2]}, generator="random", cv=3, verbose=1
    ).fit(X, y)
    assert "stopped: 1 bracket of 1 rung evaluated" in capsys.readouterr().out


@pytest.mark.parametrize("resource", ["n_samples", "max_iter"])
def test_a_checkpointed_halving_search_records_and_resumes(iris, tmp_path, resource):
    """The halving checkpoint records the resource beside each candidate in
    the checkpoint format (a change of that format once broke it)."""
    X, y = iris
    path = tmp_path / "halving.ckpt"

    def search():
        return HalvingBayesSearchCV(
            LogisticRegression(max_iter=100),
            {"C": Real(1e-2, 1e2, log=True)},
            resource=resource,
            max_resources=150 if resource == "n_samples" else 100,
            cv=3,
            random_state=0,
            checkpoint=path,
        )

    first = search().fit(X, y)
    assert path.stat().st_size > 0
    resumed = search().fit(X, y)
    assert resumed.cv_results_["params"] == first.cv_results_["params"]
    np.testing.assert_array_equal(
        resumed.cv_results_["mean_test_score"], first.cv_results_["mean_test_score"]
    )
    assert resumed.n_resources_ == first.n_resources_


def test_multi_fidelity_generator_takes_every_gp_parameter():
    # But the trust region: scores at several fidelities do not measure
    # progress alike (HalvingBayesSearchCV drops it from a GPGenerator).
    assert set(GPGenerator().get_params()) - {"trust_region"} <= set(
        MultiFidelityGPGenerator().get_params()
    )


def test_multi_fidelity_gp_judges_improvement_at_full_fidelity(monkeypatch):
    # Low-fidelity scores are not comparable with full-fidelity ones: the
    # acquisition's incumbent is the best full-fidelity prediction among the
    # evaluated candidates, not the best score seen at any fidelity.
    import skhyper.generators._fidelity as fidelity_module

    incumbents = []
    original = fidelity_module.make_acquisition_function

    def spy(model, acquisition, *, best):
        incumbents.append((model, best))
        return original(model, acquisition, best=best)

    monkeypatch.setattr(fidelity_module, "make_acquisition_function", spy)
    generator = MultiFidelityGPGenerator(n_initial_points=1).start(
        {"a": Real(0.0, 1.0), "k": Integer(1, 3)}, random_state=0
    )
    told = generator.ask(6)
    # Cheap fits look far better than full ones.
    generator.tell_at_fidelity(told, [0.9, 0.95, 0.99, 0.92, 0.97, 0.93], 0.0)
    generator.tell_at_fidelity(told[:2], [0.1, 0.3], 1.0)
    assert len(generator.ask(2)) == 2
    assert incumbents
    for model, best in incumbents:
        seen = np.vstack(generator._X[0])
        seen[:, -1] = 1.0
        predicted = model.predict(seen, standardized=True)[0]
        assert best == pytest.approx(float(predicted.max()))
        # The best score seen (0.99, at low fidelity) is not the incumbent.
        assert best < float(model.standardizer_.transform(np.array([0.99]))[0])


@pytest.mark.parametrize("generator", ["gp", "random"])
def test_hyperband_brackets_cycle_through_starting_rungs(data, generator):
    X, y = data
    search = counting_search(
        max_resources=27,
        min_resources=1,
        n_candidates=27,
        n_brackets=5,
        hyperband=True,
        generator=generator,
    ).fit(X, y)
    results = search.cv_results_
    brackets = np.asarray(results["bracket"])
    rungs = np.asarray(results["iter"])
    resources = np.asarray(results["n_resources"])
    # Hyperband's brackets for 4 rungs of factor 3: (27, 9, 3, 1) from rung
    # 0, (12, 4, 2) from rung 1, (6, 2) from rung 2, (4,) from rung 3, then
    # the cycle starts again.
    expected = {
        0: [27, 9, 3, 1],
        1: [0, 12, 4, 2],
        2: [0, 0, 6, 2],
        3: [0, 0, 0, 4],
        4: [27, 9, 3, 1],
    }
    for bracket, counts in expected.items():
        here = brackets == bracket
        assert [int(np.sum(here & (rungs == r))) for r in range(4)] == counts
    assert search.n_resources_ == [1, 3, 9, 27]
    np.testing.assert_array_equal(resources, np.array([1, 3, 9, 27])[rungs])
    assert search.n_candidates_ == [54, 30, 16, 10]
    assert search.n_brackets_ == 5 and search.best_rung_ == 3
    assert search.best_index_ in np.flatnonzero(rungs == 3)
    assert search.best_params_["n_rounds"] == 27
    # Every promoted candidate was evaluated in the rung before, in its
    # own bracket; every first-rung candidate is new.
    seen = set()
    for i, params in enumerate(results["params"]):
        a = params["a"]
        start = {0: 0, 1: 1, 2: 2, 3: 3, 4: 0}[brackets[i]]
        if rungs[i] == start:
            assert a not in seen
            seen.add(a)
        else:
            before = (brackets == brackets[i]) & (rungs == rungs[i] - 1)
            assert a in {results["params"][j]["a"] for j in np.flatnonzero(before)}


def test_hyperband_checkpoint_resumes_and_refuses_another_bracket_plan(data, tmp_path):
    X, y = data
    path = tmp_path / "hyperband.ckpt"

    def make(**params):
        params = {"hyperband": True, **params}
        return counting_search(
            max_resources=9,
            min_resources=1,
            n_candidates=9,
            n_brackets=3,
            **params,
        )

    full = make().fit(X, y)
    n_full = CountingRegressor.n_fits - 1

    def stop_in_the_second_bracket(state):
        return "bracket 2/3" in state.stage

    CountingRegressor.n_fits = 0
    first = make(checkpoint=path, callbacks=stop_in_the_second_bracket).fit(X, y)
    n_first = CountingRegressor.n_fits - 1
    # Bracket 0: 9, 3 and 1 candidates from rung 0; bracket 1: 5 and 2 from
    # rung 1; bracket 2: 3 at rung 2.
    assert 13 <= len(first.cv_results_["params"]) < 13 + 5 + 2
    CountingRegressor.n_fits = 0
    resumed = make(checkpoint=path).fit(X, y)
    assert n_first + CountingRegressor.n_fits - 1 == n_full
    assert resumed.n_candidates_ == full.n_candidates_ == [9, 3 + 5, 1 + 2 + 3]
    # Without Hyperband the second bracket would start at rung 0, which the
    # recorded bracket never evaluated.
    with pytest.raises(ValueError, match="another resource schedule"):
        make(checkpoint=path, hyperband=False).fit(X, y)


def test_cost_exponent_steers_proposals_to_cheap_settings():
    """With scores flat in ``a`` and times growing like ``exp(5 a)``, the
    cost-aware generator proposes small ``a``; without, it does not care."""
    space = parse_search_space({"a": Real(0.0, 1.0), "b": Real(0.0, 1.0)})
    medians = {}
    for exponent in (0.0, 1.0):
        generator = MultiFidelityGPGenerator(cost_exponent=exponent)
        generator.start(space, random_state=0)
        proposed = []
        for _ in range(15):
            asked = generator.ask(2)
            generator.tell_at_fidelity(
                asked, [-((c["b"] - 0.5) ** 2) for c in asked], 1
            )
            generator.tell_costs(asked, [math.exp(5 * c["a"]) for c in asked])
            proposed += asked
        medians[exponent] = np.median([c["a"] for c in proposed[10:]])
    assert medians[1.0] < 0.2 < medians[0.0]


@pytest.mark.parametrize(
    "params, match",
    [
        ({"cost_exponent": -1}, "cost_exponent must be a number >= 0"),
        ({"cost_exponent": "fast"}, "cost_exponent must be a number >= 0"),
        ({"cost_exponent": 1, "acquisition": "ucb"}, "needs acquisition='log_ei'"),
    ],
)
def test_cost_exponent_bad_values(params, match):
    space = parse_search_space({"a": Real(0.0, 1.0)})
    with pytest.raises(ValueError, match=match):
        MultiFidelityGPGenerator(**params).start(space, random_state=0)


def test_halving_search_tells_every_evaluation_time_also_on_resume(data, tmp_path):
    X, y = data
    params = dict(
        max_resources=9,
        min_resources=1,
        n_candidates=9,
        generator=MultiFidelityGPGenerator(cost_exponent=1.0),
    )
    search = counting_search(**params).fit(X, y)
    n_rows = len(search.cv_results_["params"])
    assert sum(len(t) for t in search.generator_._cost_y) == n_rows
    # A resumed search tells the recorded times too.
    path = tmp_path / "cost.ckpt"
    counting_search(checkpoint=path, **params).fit(X, y)
    resumed = counting_search(checkpoint=path, **params).fit(X, y)
    assert sum(len(t) for t in resumed.generator_._cost_y) == n_rows
    with pytest.raises(ValueError, match="got 2 candidates and 1 times"):
        search.generator_.tell_costs([{"a": 0.1}, {"a": 0.2}], [1.0])
    # Without a cost model the times are not kept.
    params["generator"] = MultiFidelityGPGenerator()
    assert not any(counting_search(**params).fit(X, y).generator_._cost_y)


@pytest.mark.parametrize("seeded_estimator", [True, False], ids=["seeded", "unseeded"])
def test_without_random_state_a_grid_draws_from_numpy_as_halving_grid_search(
    seeded_estimator,
):
    """HalvingGridSearchCV without random_state draws each rung's subsets
    from NumPy's global generator; a script that seeds it gets the same
    subsets, scores and later draws with HalvingBayesSearchCV on the grid."""
    from sklearn.datasets import make_classification
    from sklearn.ensemble import RandomForestClassifier

    X, y = make_classification(300, 6, n_informative=4, random_state=0)
    grid = {"max_depth": [2, 3, 5], "min_samples_leaf": [1, 4, 8, 16]}
    forest = RandomForestClassifier(
        n_estimators=5, random_state=0 if seeded_estimator else None
    )

    def run(search):
        np.random.seed(0)  # noqa: NPY002 - the global generator is the point
        search.fit(X, y)
        rows = sorted(
            zip(
                search.cv_results_["iter"],
                map(repr, search.cv_results_["params"]),
                search.cv_results_["mean_test_score"],
                strict=True,
            )
        )
        return rows, np.random.randint(2**30)  # noqa: NPY002

    theirs, their_next = run(HalvingGridSearchCV(forest, grid, cv=3))
    ours, our_next = run(HalvingBayesSearchCV(forest, param_grid=grid, cv=3))
    assert [row[:2] for row in ours] == [row[:2] for row in theirs]
    np.testing.assert_allclose([row[2] for row in ours], [row[2] for row in theirs])
    assert our_next == their_next


@pytest.mark.parametrize("generator", ["gp", "sobol", "random"])
def test_a_whole_grid_leaves_numpys_global_random_state_as_halving_grid_search(
    generator,
):
    # np.random.seed at the top of a script, an unseeded estimator, a whole
    # grid and a parameter as the resource: HalvingGridSearchCV draws nothing
    # itself, so its fits see the script's draws; so must every fit here.
    X, y = make_regression(n_samples=120, random_state=0)
    grid = {"a": [1, 2, 3, 4, 5, 6, 7, 8]}
    kwargs = dict(
        param_grid=grid,
        resource="n_trees",
        min_resources=5,
        max_resources=40,
        factor=2,
        cv=2,
    )
    np.random.seed(0)  # noqa: NPY002
    reference = HalvingGridSearchCV(GlobalDrawRegressor(), **kwargs).fit(X, y)
    after_reference = np.random.rand()  # noqa: NPY002
    np.random.seed(0)  # noqa: NPY002
    search = HalvingBayesSearchCV(
        GlobalDrawRegressor(), generator=generator, **kwargs
    ).fit(X, y)
    assert np.random.rand() == after_reference  # noqa: NPY002
    assert search.cv_results_["params"] == reference.cv_results_["params"]
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"],
        reference.cv_results_["mean_test_score"],
    )
    assert search.best_params_ == reference.best_params_

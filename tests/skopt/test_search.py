"""skhyper.skopt.BayesSearchCV: scikit-optimize's arguments on skhyper's search."""

import inspect
import math
import pickle

import numpy as np
import pytest
import sklearn
from scipy.optimize import OptimizeResult
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

import skhyper
from skhyper.generators import GPGenerator, RandomGenerator
from skhyper.skopt import BayesSearchCV, Categorical, Integer, Real
from skhyper.skopt._options import generator_from_optimizer_kwargs
from tests.conftest import FailingClassifier

# scikit-optimize 0.10.2's BayesSearchCV.__init__, read from its source.
SKOPT_SIGNATURE = [
    ("estimator", inspect.Parameter.empty),
    ("search_spaces", inspect.Parameter.empty),
    ("optimizer_kwargs", None),
    ("n_iter", 50),
    ("scoring", None),
    ("fit_params", None),
    ("n_jobs", 1),
    ("n_points", 1),
    ("iid", "deprecated"),
    ("refit", True),
    ("cv", None),
    ("verbose", 0),
    ("pre_dispatch", "2*n_jobs"),
    ("random_state", None),
    ("error_score", "raise"),
    ("return_train_score", False),
]

SVC_SPACE = {"C": (1e-2, 1e2, "log-uniform"), "gamma": Real(1e-3, 1, "log-uniform")}


def test_signature_is_scikit_optimizes():
    parameters = inspect.signature(BayesSearchCV).parameters
    assert [(p.name, p.default) for p in parameters.values()] == SKOPT_SIGNATURE
    assert all(
        p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters.values()
    )
    fit = inspect.signature(BayesSearchCV.fit).parameters
    assert list(fit)[:5] == ["self", "X", "y", "groups", "callback"]


def test_is_a_skhyper_bayes_search_and_clones(iris):
    X, y = iris
    search = BayesSearchCV(SVC(), SVC_SPACE, None, 4, cv=3, random_state=0)
    assert isinstance(search, skhyper.BayesSearchCV)
    assert search.n_iter == 4 and search.optimizer_kwargs is None
    before = search.get_params()
    search.fit(X, y)
    after = search.get_params()
    assert after.keys() == before.keys()
    assert all(after[k] is before[k] for k in before)
    copy = clone(search).set_params(n_points=2)
    assert copy.get_params()["n_points"] == 2
    assert not hasattr(copy, "cv_results_")


def test_defaults_search_n_iter_candidates_one_per_batch(iris):
    X, y = iris
    search = BayesSearchCV(SVC(), SVC_SPACE, n_iter=5, cv=3, random_state=0).fit(X, y)
    assert len(search.cv_results_["params"]) == 5
    assert search.n_iter_ == 5
    assert search.total_iterations == 5
    assert search.error_score == "raise"
    assert search.n_jobs == 1


@pytest.mark.parametrize("n_points, batches", [(2, 3), (3, 2), (5, 1)])
def test_n_points_is_candidates_per_batch(iris, n_points, batches):
    X, y = iris
    search = BayesSearchCV(
        SVC(), SVC_SPACE, n_iter=5, n_points=n_points, cv=3, random_state=0
    ).fit(X, y)
    assert search.n_iter_ == batches
    iterations = search.cv_results_["iteration"]
    assert np.bincount(iterations).tolist()[:-1] == [n_points] * (batches - 1)
    assert len(iterations) == 5


def test_verbose_1_prints_a_fitting_line_per_step_as_scikit_optimize(iris, capsys):
    """scikit-optimize prints scikit-learn's "Fitting" line at every step
    from verbose=1, where the core searches print GridSearchCV's one."""
    X, y = iris
    BayesSearchCV(SVC(), {"C": Real(0.1, 10)}, n_iter=3, cv=3, verbose=1).fit(X, y)
    fitting = [
        line for line in capsys.readouterr().out.splitlines() if "Fitting" in line
    ]
    assert fitting == ["Fitting 3 folds for each of 1 candidates, totalling 3 fits"] * 3


def test_same_seed_same_candidates(iris):
    X, y = iris

    def run(seed):
        search = BayesSearchCV(SVC(), SVC_SPACE, n_iter=5, cv=3, random_state=seed)
        return search.fit(X, y).cv_results_["params"]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_list_of_space_and_n_iter_pairs(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), SVC())
    svc = {
        "svc": Categorical([SVC()]),
        "svc__C": Real(1e-2, 1e2, prior="log-uniform"),
        "svc__kernel": Categorical(["linear", "rbf"]),
    }
    logistic = {
        "svc": [LogisticRegression()],
        "svc__C": (1e-2, 1e2, "log-uniform"),
    }
    search = BayesSearchCV(pipe, [(svc, 5), (logistic, 3)], cv=3, random_state=0)
    assert search.total_iterations == 8
    search.fit(X, y)
    models = [type(p["svc"]).__name__ for p in search.cv_results_["params"]]
    assert models == ["SVC"] * 5 + ["LogisticRegression"] * 3
    results = search.optimizer_results_
    assert [len(r.x_iters) for r in results] == [5, 3]
    assert len(search.optimizers_) == 2
    assert all(isinstance(g, GPGenerator) for g in search.optimizers_)
    # x lists the values in the order of the sorted names, as in skopt.
    best = results[1]
    assert isinstance(best.x[0], LogisticRegression) and isinstance(best.x[1], float)
    assert best.x_dict["svc__C"] == best.x[1]
    assert "x_iters" in repr(best)


def test_plain_dicts_in_a_list_each_get_n_iter(iris):
    X, y = iris
    search = BayesSearchCV(
        SVC(),
        [({"C": (0.1, 1.0)}, 3), {"gamma": (0.1, 1.0)}, {"kernel": ["linear", "rbf"]}],
        n_iter=4,
        cv=3,
        random_state=0,
    )
    assert search.total_iterations == 11
    with pytest.warns(UserWarning, match="total space of parameters 9 is smaller"):
        search.fit(X, y)
    names = [sorted(p) for p in search.cv_results_["params"]]
    assert names == [["C"]] * 3 + [["gamma"]] * 4 + [["kernel"]] * 2


def test_optimizer_results_are_minimization_results(iris):
    X, y = iris
    search = BayesSearchCV(SVC(), SVC_SPACE, n_iter=4, cv=3, random_state=0).fit(X, y)
    (result,) = search.optimizer_results_
    assert isinstance(result, OptimizeResult)
    assert np.allclose(result.func_vals, -search.cv_results_["mean_test_score"])
    assert result.fun == pytest.approx(-search.best_score_)
    assert result.x == [search.best_params_["C"], search.best_params_["gamma"]]
    assert result.x_iters[0] == [
        search.cv_results_["params"][0][k] for k in ("C", "gamma")
    ]
    assert result.models == [] and result.specs["function"] == "BayesSearchCV"


MIXED_SPACE = {
    "C": Real(0.1, 10.0),
    "degree": Integer(1, 4),
    "kernel": Categorical(["rbf", "poly"]),
}


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([1.0, 2, "rbf"], [1.0, 2, "rbf"], 0.0),
        ([1.0, 2, "rbf"], [3.5, 2, "rbf"], 2.5),
        ([1.0, 1, "rbf"], [1.0, 4, "poly"], 4.0),
    ],
)
def test_result_space_distance_is_scikit_optimizes(iris, a, b, expected):
    X, y = iris
    search = BayesSearchCV(SVC(), MIXED_SPACE, n_iter=2, cv=3, random_state=0)
    (result,) = search.fit(X, y).optimizer_results_
    assert result.space.dimension_names == ["C", "degree", "kernel"]
    # A script reads them as scikit-optimize's dimensions' names.
    assert [d.name for d in result.space.dimensions] == ["C", "degree", "kernel"]
    assert result.space.n_dims == 3
    assert result.space.distance(a, b) == pytest.approx(expected)
    with pytest.raises(RuntimeError, match="within the space"):
        result.space.distance(a, [20.0, 2, "rbf"])
    # still skhyper's search space of that sub-space
    assert result.space.locate(search.best_params_) == 0


def test_a_delta_x_stopper_stops_the_search(iris):
    # scikit-optimize's DeltaXStopper, in its own terms.
    def delta_x_stopper(result):
        x = result.x_iters
        return len(x) >= 2 and result.space.distance(x[-2], x[-1]) < 1e9

    X, y = iris
    search = BayesSearchCV(SVC(), MIXED_SPACE, n_iter=6, cv=3, random_state=0)
    search.fit(X, y, callback=delta_x_stopper)
    assert len(search.cv_results_["params"]) == 2


def test_scikit_optimizes_own_delta_x_stopper_if_installed(iris):
    callbacks = pytest.importorskip("skopt.callbacks")
    X, y = iris
    search = BayesSearchCV(SVC(), MIXED_SPACE, n_iter=6, cv=3, random_state=0)
    search.fit(X, y, callback=[callbacks.DeltaXStopper(1e9)])
    assert len(search.cv_results_["params"]) == 2


def test_optimizer_results_before_fit_raise():
    with pytest.raises(AttributeError, match="only after fit"):
        BayesSearchCV(SVC(), SVC_SPACE).optimizer_results_


def test_callback_gets_results_and_best_score_so_far(iris):
    X, y = iris
    seen = []
    search = BayesSearchCV(SVC(), SVC_SPACE, n_iter=4, n_points=2, cv=3, random_state=0)

    def on_step(result):
        seen.append((len(result.x_iters), -result.fun, search.best_score_))

    search.fit(X, y, callback=[on_step, on_step])
    assert [n for n, _, _ in seen] == [2, 2, 4, 4]
    assert all(best == pytest.approx(so_far) for _, best, so_far in seen)
    assert not hasattr(search, "_skopt_callbacks")


def test_truthy_callback_stops_the_search(iris):
    X, y = iris
    search = BayesSearchCV(SVC(), SVC_SPACE, n_iter=10, cv=3, random_state=0)
    search.fit(X, y, callback=lambda result: len(result.x_iters) >= 3)
    assert len(search.cv_results_["params"]) == 3
    assert "callback" in search.stop_reason_
    assert hasattr(search, "best_estimator_")


def test_truthy_callback_stops_only_its_sub_space(iris):
    X, y = iris
    search = BayesSearchCV(
        SVC(), [({"C": (0.1, 10.0)}, 5), ({"gamma": (0.1, 1.0)}, 4)], cv=3
    )
    search.fit(X, y, callback=lambda result: len(result.x_iters) >= 2)
    assert [len(r.x_iters) for r in search.optimizer_results_] == [2, 2]


@pytest.mark.parametrize("callback", ["not callable", [print, 3]])
def test_invalid_callback_raises(iris, callback):
    X, y = iris
    with pytest.raises(ValueError, match="callable or a list of callables"):
        BayesSearchCV(SVC(), SVC_SPACE, n_iter=2).fit(X, y, callback=callback)


def test_error_score_raise_is_the_default(iris):
    X, y = iris
    search = BayesSearchCV(FailingClassifier(), {"fail": [True]}, n_iter=1, cv=3)
    with pytest.raises(ArithmeticError, match="refuses to fit"):
        search.fit(X, y)


def test_error_score_nan_records_failures_and_goes_on(iris):
    X, y = iris
    space = {"fail": [True, False], "quality": (0.0, 1.0)}
    search = BayesSearchCV(
        FailingClassifier(), space, n_iter=6, cv=3, error_score=np.nan, random_state=0
    )
    with pytest.warns(UserWarning):
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores).any() and np.isfinite(scores).any()
    assert search.best_params_["fail"] is False


def test_rank_train_score_with_return_train_score(iris):
    X, y = iris
    search = BayesSearchCV(
        SVC(), SVC_SPACE, n_iter=4, cv=3, random_state=0, return_train_score=True
    ).fit(X, y)
    ranks = search.cv_results_["rank_train_score"]
    train = search.cv_results_["mean_train_score"]
    assert ranks.dtype.kind == "i" and ranks.min() == 1
    assert train[np.argmin(ranks)] == train.max()
    multi = BayesSearchCV(
        SVC(),
        SVC_SPACE,
        n_iter=3,
        cv=3,
        random_state=0,
        scoring=["accuracy", "balanced_accuracy"],
        refit="accuracy",
        return_train_score=True,
    ).fit(X, y)
    assert {"rank_train_accuracy", "rank_train_balanced_accuracy"} <= set(
        multi.cv_results_
    )
    plain = BayesSearchCV(SVC(), SVC_SPACE, n_iter=2, cv=3).fit(X, y)
    assert "rank_train_score" not in plain.cv_results_


def test_fit_params_groups_and_iid(diabetes):
    X, y = diabetes
    groups = np.arange(len(y)) % 4
    weights = np.ones(len(y))
    search = BayesSearchCV(
        Ridge(),
        {"alpha": (1e-3, 1e3, "log-uniform")},
        n_iter=3,
        cv=GroupKFold(n_splits=4),
        fit_params={"sample_weight": weights},
        iid=True,
    )
    with pytest.warns(FutureWarning, match="iid"):
        search.fit(X, y, groups=groups)
    assert search.n_splits_ == 4
    with pytest.raises(ValueError, match="groups"):
        BayesSearchCV(
            Ridge(), {"alpha": (0.1, 1.0)}, n_iter=2, cv=GroupKFold(n_splits=4)
        ).fit(X, y)


def test_a_callback_in_the_constructors_fit_params_is_ignored_as_by_skopt(diabetes):
    # A real script passes DeltaYStopper this way; scikit-optimize 0.10
    # ignores every constructor fit_params, a Pipeline's fit would refuse it.
    X, y = diabetes
    stopped = []
    search = BayesSearchCV(
        make_pipeline(StandardScaler(), Ridge()),
        {"ridge__alpha": (1e-3, 1e3, "log-uniform")},
        n_iter=3,
        cv=3,
        fit_params={"callback": lambda result: stopped.append(1) or True},
        random_state=0,
    )
    with pytest.warns(UserWarning, match=r"fit_params=\{'callback': \.\.\.\}"):
        search.fit(X, y)
    assert not stopped and len(search.cv_results_["params"]) == 3
    assert search.fit_params["callback"] is not None  # the parameter is kept


def test_optimizer_kwargs_reach_the_generator(iris):
    X, y = iris
    kwargs = {"acq_func": "LCB", "acq_func_kwargs": {"kappa": 3.0}}
    kwargs |= {"n_initial_points": 2, "random_state": 7}
    search = BayesSearchCV(SVC(), SVC_SPACE, kwargs, n_iter=4, cv=3).fit(X, y)
    (generator,) = search.optimizers_
    assert generator.acquisition == "ucb" and generator.kappa == 3.0
    assert generator.n_initial_points == 2
    again = BayesSearchCV(SVC(), SVC_SPACE, kwargs, n_iter=4, cv=3).fit(X, y)
    assert again.cv_results_["params"] == search.cv_results_["params"]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, {}),
        ({"acq_func": "EI"}, {"acquisition": "log_ei"}),
        ({"acq_func": "PI"}, {"acquisition": "log_pi"}),
        ({"acq_func": "gp_hedge"}, {"acquisition": "log_ei"}),
        ({"n_random_starts": 4}, {"n_initial_points": 4}),
        ({"base_estimator": "GP", "initial_point_generator": "sobol"}, {}),
        ({"acq_optimizer": "sampling"}, {"n_polish": 0}),
        (
            {"acq_optimizer_kwargs": {"n_points": 500, "n_restarts_optimizer": 3}},
            {"n_pool": 500, "n_polish": 3},
        ),
        ({"n_jobs": 4, "model_queue_size": 2, "avoid_duplicates": True}, {}),
    ],
)
def test_optimizer_kwargs_mapping(kwargs, expected):
    generator, seed = generator_from_optimizer_kwargs(kwargs)
    assert isinstance(generator, GPGenerator) and seed is None
    defaults = GPGenerator().get_params()
    assert generator.get_params() == {**defaults, **expected}


def test_dummy_base_estimator_is_random_search():
    generator, _ = generator_from_optimizer_kwargs(
        {"base_estimator": "dummy", "n_initial_points": 3}
    )
    assert isinstance(generator, RandomGenerator)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"base_estimator": "RF"}, "no tree-based surrogate.*RandomSearchCV"),
        ({"base_estimator": "GBRT"}, "no tree-based surrogate"),
        ({"base_estimator": Ridge()}, "HyperSearchCV.*GPGenerator"),
        ({"acq_func": "EIps"}, "no per-second acquisition.*max_time"),
        ({"acq_func_kwargs": {"xi": 0.1}}, "standard deviations.*GPGenerator"),
        ({"acq_func_kwargs": {"eta": 0.1}}, "unknown setting 'eta'"),
        ({"initial_point_generator": "lhs"}, "Sobol.*initial_points"),
        ({"space_constraint": abs}, "sub-spaces"),
        ({"avoid_duplicates": False}, "never proposes a candidate twice"),
        ({"dimensions": [(0, 1)]}, "from search_spaces"),
        ({"n_calls": 3}, "not a scikit-optimize Optimizer argument"),
        ({"acq_optimizer": "cma"}, "'auto', 'lbfgs' or 'sampling'"),
        ({"base_estimator": "dummy", "acq_func": "EI"}, "does not use"),
    ],
)
def test_optimizer_kwargs_without_equivalent_raise(iris, kwargs, match):
    with pytest.raises(ValueError, match=match):
        generator_from_optimizer_kwargs(kwargs)
    X, y = iris
    with pytest.raises(ValueError, match=match):
        BayesSearchCV(SVC(), SVC_SPACE, optimizer_kwargs=kwargs, n_iter=2).fit(X, y)


@pytest.mark.parametrize(
    "spaces, match",
    [
        ([], "at least one non-empty search space"),
        ([({"C": (0.1, 1.0)}, 2, 3)], "length 2"),
        ([({"C": (0.1, 1.0)}, -1)], "non-negative integer"),
        ([({"C": (0.1, 1.0)}, 2.5)], "non-negative integer"),
        ([{}], "empty dict"),
        ([({"C": (0.1, 1.0)}, 0)], "budget of 0"),
    ],
)
def test_bad_search_spaces_raise_at_fit(iris, spaces, match):
    X, y = iris
    search = BayesSearchCV(SVC(), spaces, n_iter=2)  # validated in fit, not here
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)


def test_a_non_dict_sub_space_raises(iris):
    X, y = iris
    with pytest.raises(TypeError, match="dict or a tuple"):
        BayesSearchCV(SVC(), ["C"], n_iter=2).fit(X, y)


def test_integer_ranges_give_python_ints(iris):
    X, y = iris
    search = BayesSearchCV(
        SVC(kernel="poly"),
        {"degree": (1, 4), "coef0": Integer(0, 3), "C": [1.0, 10.0, 100.0]},
        n_iter=5,
        cv=3,
        random_state=0,
    ).fit(X, y)
    for params in search.cv_results_["params"]:
        assert type(params["degree"]) is int and 1 <= params["degree"] <= 4
        assert type(params["coef0"]) is int


def _instances():
    common = dict(cv=2, random_state=0)
    yield BayesSearchCV(
        Ridge(), {"alpha": (0.1, 10.0, "log-uniform")}, n_iter=3, **common
    )
    yield BayesSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()),
        [
            ({"logisticregression__C": (0.1, 1.0)}, 2),
            {"logisticregression__tol": [1e-4]},
        ],
        n_iter=1,
        n_points=2,
        **common,
    )


@parametrize_with_checks(
    list(_instances()),
    expected_failed_checks=lambda est: {
        "check_supervised_y_2d": "DataConversionWarning not caught",
        "check_requires_y_none": "Doesn't fail gracefully",
    },
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_total_iterations_counts_every_sub_space():
    search = BayesSearchCV(SVC(), [({"C": (0.1, 1.0)}, 19), {"gamma": (0.1, 1.0)}])
    assert search.set_params(n_iter=23).total_iterations == 42
    assert BayesSearchCV(SVC(), {"C": (0.1, 1.0)}).total_iterations == 50
    assert math.isfinite(search.total_iterations)


def test_fitted_search_pickles_with_its_results(iris):
    X, y = iris
    search = BayesSearchCV(
        SVC(), [({"C": (0.1, 10.0)}, 3), {"gamma": (0.01, 1.0)}], n_iter=2, cv=3
    ).fit(X, y)
    again = pickle.loads(pickle.dumps(search))
    assert [len(r.x_iters) for r in again.optimizer_results_] == [3, 2]
    assert (again.predict(X) == search.predict(X)).all()


def test_groups_with_metadata_routing(diabetes):
    # scikit-optimize's BayesSearchCV breaks here (design notes, section 6).
    X, y = diabetes
    with sklearn.config_context(enable_metadata_routing=True):
        search = BayesSearchCV(
            Ridge(), {"alpha": (1e-3, 1e3, "log-uniform")}, n_iter=2, cv=GroupKFold(4)
        ).fit(X, y, groups=np.arange(len(y)) % 4)
    assert search.n_splits_ == 4

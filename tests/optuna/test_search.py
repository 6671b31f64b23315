"""skhyper.optuna.OptunaSearchCV: Optuna's arguments on skhyper's search."""

import inspect
import math
import pickle
import time

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold
from sklearn.neighbors import KernelDensity, KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

import skhyper
from skhyper import NoImprovement, Real, TargetScore
from skhyper.generators import GPGenerator
from skhyper.optuna import OptunaSearchCV
from tests.conftest import FailingClassifier
from tests.optuna.standins import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    GPSampler,
    IntDistribution,
    QMCSampler,
    RandomSampler,
    create_study,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

KW = inspect.Parameter.KEYWORD_ONLY
POS = inspect.Parameter.POSITIONAL_OR_KEYWORD
# optuna-integration 5.0.0's OptunaSearchCV.__init__, read with inspect.
OPTUNA_SIGNATURE = [
    ("estimator", POS, inspect.Parameter.empty),
    ("param_distributions", POS, inspect.Parameter.empty),
    ("cv", KW, None),
    ("enable_pruning", KW, False),
    ("error_score", KW, math.nan),
    ("max_iter", KW, 1000),
    ("n_jobs", KW, None),
    ("n_trials", KW, 10),
    ("random_state", KW, None),
    ("refit", KW, True),
    ("return_train_score", KW, False),
    ("scoring", KW, None),
    ("study", KW, None),
    ("subsample", KW, 1.0),
    ("timeout", KW, None),
    ("verbose", KW, 0),
    ("callbacks", KW, None),
    ("catch", KW, ()),
]

SVC_SPACE = {
    "C": FloatDistribution(1e-2, 1e2, log=True),
    "gamma": FloatDistribution(1e-3, 1.0, log=True),
}


def _same_default(a, b):
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b and type(a) is type(b)


def test_signature_is_optunas():
    parameters = inspect.signature(OptunaSearchCV).parameters
    assert [p.name for p in parameters.values()] == [n for n, _, _ in OPTUNA_SIGNATURE]
    for (name, kind, default), parameter in zip(
        OPTUNA_SIGNATURE, parameters.values(), strict=True
    ):
        assert parameter.kind is kind, name
        assert _same_default(parameter.default, default), name
    fit = inspect.signature(OptunaSearchCV.fit).parameters
    assert list(fit) == ["self", "X", "y", "groups", "fit_params"]
    assert fit["groups"].default is None


def test_every_optuna_argument_is_a_parameter():
    names = [n for n, _, _ in OPTUNA_SIGNATURE]
    given = {n: d for n, _, d in OPTUNA_SIGNATURE[2:]}
    search = OptunaSearchCV(SVC(), SVC_SPACE, **given)
    assert sorted(search.get_params(deep=False)) == sorted(names)


def test_is_a_skhyper_bayes_search_on_a_gaussian_process(iris):
    X, y = iris
    search = OptunaSearchCV(SVC(), SVC_SPACE, n_trials=4, cv=3, random_state=0)
    assert isinstance(search, skhyper.BayesSearchCV)
    search.fit(X, y)
    assert isinstance(search.generator_, GPGenerator)
    assert search.generator_.acquisition == "log_ei"


@pytest.mark.parametrize("n_trials", [1, 3, 7])
def test_n_trials_is_the_number_of_candidates(iris, n_trials):
    X, y = iris
    search = OptunaSearchCV(SVC(), SVC_SPACE, n_trials=n_trials, cv=3, random_state=0)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == n_trials
    assert search.n_trials_ == n_trials
    assert [t.number for t in search.trials_] == list(range(n_trials))


def test_default_n_trials_is_ten(iris):
    X, y = iris
    search = OptunaSearchCV(SVC(), SVC_SPACE, cv=3, random_state=0).fit(X, y)
    assert search.n_trials_ == 10


def test_get_params_unchanged_by_fit_and_clone(iris):
    X, y = iris
    search = OptunaSearchCV(
        SVC(), SVC_SPACE, n_trials=3, cv=3, timeout=60.0, subsample=0.8, random_state=0
    )
    before = search.get_params()
    search.fit(X, y)
    after = search.get_params()
    assert after.keys() == before.keys()
    assert all(after[k] is before[k] for k in before)
    # the core settings fit used are gone again
    assert search.__dict__.get("n_iter") is None
    assert "_trial_recorder" not in search.__dict__
    assert search.max_time is None and search.callbacks is None
    copy = clone(search).set_params(n_trials=5, timeout=None)
    assert copy.get_params()["n_trials"] == 5
    assert not hasattr(copy, "cv_results_")


def test_same_seed_same_trials(iris):
    X, y = iris

    def run(seed):
        search = OptunaSearchCV(SVC(), SVC_SPACE, n_trials=5, cv=3, random_state=seed)
        return search.fit(X, y).cv_results_["params"]

    assert run(3) == run(3)
    assert run(3) != run(4)


class SlowClassifier(ClassifierMixin, BaseEstimator):
    """A majority-class classifier whose fit takes ``delay`` seconds."""

    def __init__(self, delay=0.05, quality=0.0):
        self.delay = delay
        self.quality = quality

    def fit(self, X, y):
        time.sleep(self.delay)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)

    def score(self, X, y):
        return float(np.mean(self.predict(X) == y)) + self.quality


@pytest.mark.parametrize("n_trials", [50, None])
def test_timeout_ends_the_search(iris, n_trials):
    X, y = iris
    search = OptunaSearchCV(
        SlowClassifier(),
        {"quality": FloatDistribution(0.0, 1.0)},
        n_trials=n_trials,
        timeout=0.4,
        cv=2,
        random_state=0,
    )
    start = time.monotonic()
    search.fit(X, y)
    assert time.monotonic() - start < 3.0
    assert "max_time=0.4" in search.stop_reason_
    assert 1 <= search.n_trials_ < 50
    assert hasattr(search, "best_estimator_")


def test_n_trials_none_evaluates_a_finite_space_once_without_warning(iris, recwarn):
    X, y = iris
    space = {
        "C": CategoricalDistribution([0.1, 1.0, 10.0]),
        "kernel": CategoricalDistribution(["rbf", "linear"]),
    }
    search = OptunaSearchCV(SVC(), space, n_trials=None, cv=3, random_state=0)
    search.fit(X, y)
    assert search.n_trials_ == 6
    assert not [w for w in recwarn if "total space of parameters" in str(w.message)]


def test_n_trials_none_prints_no_total(iris, capsys):
    X, y = iris
    space = {"C": FloatDistribution(0.1, 10.0)}
    OptunaSearchCV(SVC(), space, n_trials=None, timeout=0.2, cv=3, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert "iteration 1: 2 candidates done, best score so far" in out
    assert "stopped: max_time=0.2 s reached" in out


def test_parameters_come_in_the_order_of_param_distributions(iris):
    # Optuna's trials suggest the parameters in param_distributions' order,
    # and scripts print or tabulate best_params_ as they come.
    space = {
        "gamma": FloatDistribution(1e-4, 1.0, log=True),
        "C": FloatDistribution(1e-3, 1e3, log=True),
        "kernel": CategoricalDistribution(["rbf", "linear"]),
    }
    search = OptunaSearchCV(SVC(), space, n_trials=4, cv=3, random_state=0)
    search.fit(*iris)
    assert list(search.best_params_) == ["gamma", "C", "kernel"]
    assert list(search.best_trial_.params) == ["gamma", "C", "kernel"]
    assert all(list(t.params) == ["gamma", "C", "kernel"] for t in search.trials_)
    assert list(search.best_trial_.distributions) == ["gamma", "C", "kernel"]


@pytest.mark.parametrize("refit", [True, False])
def test_refit(iris, refit):
    X, y = iris
    search = OptunaSearchCV(
        SVC(), SVC_SPACE, n_trials=4, cv=3, refit=refit, random_state=0
    ).fit(X, y)
    assert search.best_params_ == search.best_trial_.params
    assert search.best_score_ == search.best_trial_.value
    assert isinstance(search.best_index_, int)
    assert search.best_index_ == search.best_trial_.number
    if refit:
        assert search.best_estimator_.get_params()["C"] == search.best_params_["C"]
        assert search.refit_time_ > 0
        assert search.predict(X).shape == y.shape
    else:
        assert not hasattr(search, "best_estimator_")
        with pytest.raises(AttributeError, match="predict"):
            search.predict(X)


def test_multi_metric_scoring_optimizes_the_refit_metric(iris):
    # Optuna's OptunaSearchCV has a single metric (it reads "mean_test_score");
    # here scikit-learn's multi-metric scoring works as in GridSearchCV.
    X, y = iris
    search = OptunaSearchCV(
        SVC(),
        SVC_SPACE,
        n_trials=4,
        cv=3,
        random_state=0,
        scoring=["accuracy", "balanced_accuracy"],
        refit="balanced_accuracy",
    ).fit(X, y)
    trial = search.best_trial_
    means = search.cv_results_["mean_test_balanced_accuracy"]
    assert trial.value == means[trial.number]
    assert {"mean_test_accuracy", "split2_test_balanced_accuracy"} <= set(
        trial.user_attrs
    )
    assert search.best_score_ == trial.value
    with pytest.raises(ValueError, match="refit must be set to a scorer key"):
        OptunaSearchCV(
            SVC(), SVC_SPACE, n_trials=2, cv=3, scoring=["accuracy", "recall_macro"]
        ).fit(X, y)


def test_multi_metric_with_refit_false_has_no_best_trial(iris):
    X, y = iris
    search = OptunaSearchCV(
        SVC(),
        SVC_SPACE,
        n_trials=2,
        cv=3,
        scoring=["accuracy", "f1_macro"],
        refit=False,
    ).fit(X, y)
    assert len(search.trials_) == 2
    assert search.trials_[0].value == search.cv_results_["mean_test_accuracy"][0]
    with pytest.raises(AttributeError, match="refit=False"):
        search.best_trial_


def test_error_score_nan_records_fail_trials_and_goes_on(iris):
    X, y = iris
    space = {
        "fail": CategoricalDistribution([True, False]),
        "quality": FloatDistribution(0.0, 1.0),
    }
    search = OptunaSearchCV(
        FailingClassifier(), space, n_trials=6, cv=3, random_state=0
    )
    with pytest.warns(UserWarning):
        search.fit(X, y)
    states = {t.state.name for t in search.trials_}
    assert states == {"COMPLETE", "FAIL"}
    for trial in search.trials_:
        if trial.params["fail"]:
            assert trial.state.name == "FAIL" and trial.value is None
            assert math.isnan(trial.user_attrs["mean_test_score"])
        else:
            assert trial.state.name == "COMPLETE"
    assert search.best_params_["fail"] is False


def test_error_score_raise_raises(iris):
    X, y = iris
    search = OptunaSearchCV(
        FailingClassifier(),
        {"fail": CategoricalDistribution([True])},
        n_trials=1,
        cv=3,
        error_score="raise",
    )
    with pytest.raises(ArithmeticError, match="refuses to fit"):
        search.fit(X, y)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"enable_pruning": True},
            ValueError,
            r"partial_fit.*HalvingBayesSearchCV\(.*resource='max_iter'",
        ),
        ({"study": create_study()}, ValueError, "skhyper has no TPE sampler"),
        (
            {"study": create_study(sampler=RandomSampler(seed=0))},
            ValueError,
            r"skhyper\.RandomSearchCV",
        ),
        (
            {"study": create_study(sampler=QMCSampler())},
            ValueError,
            "generator='sobol'",
        ),
        (
            {"study": create_study(sampler=GPSampler())},
            ValueError,
            "what this face already does without study=",
        ),
        ({"study": object()}, ValueError, "checkpoint='search.ckpt'"),
        (
            {"catch": (ValueError,), "error_score": "raise"},
            ValueError,
            r"catch=\(ValueError\) with error_score='raise'.*error_score=np.nan",
        ),
        ({"catch": "ValueError"}, TypeError, "exception class"),
        ({"callbacks": ["not callable"]}, TypeError, r"\(study, trial\)"),
        ({"callbacks": [NoImprovement()]}, TypeError, "skhyper.BayesSearchCV"),
        ({"callbacks": [TargetScore(0.9)]}, TypeError, "takes a SearchState"),
    ],
)
def test_options_without_an_equivalent_raise_at_fit(iris, kwargs, error, match):
    X, y = iris
    search = OptunaSearchCV(LogisticRegression(), {"C": Real(0.1, 1.0)}, **kwargs)
    with pytest.raises(error, match=match):
        search.fit(X, y)
    assert not hasattr(search, "cv_results_")


def test_pruning_message_names_the_estimators_iteration_parameter(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    with pytest.raises(ValueError, match="resource='logisticregression__max_iter'"):
        OptunaSearchCV(pipe, {}, enable_pruning=True).fit(X, y)
    with pytest.raises(ValueError, match="resource='n_samples' grows the training"):
        OptunaSearchCV(KNeighborsClassifier(), {}, enable_pruning=True).fit(X, y)


@pytest.mark.parametrize("catch", [ValueError, (ValueError, TypeError), ()])
def test_catch_with_a_numeric_error_score_changes_nothing(iris, catch):
    X, y = iris
    search = OptunaSearchCV(SVC(), SVC_SPACE, n_trials=2, cv=3, catch=catch)
    assert search.fit(X, y).n_trials_ == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_trials": 0},
        {"max_iter": 0},
        {"subsample": 0.0},
        {"subsample": 1.5},
        {"subsample": 0},
        {"timeout": 0},
        {"enable_pruning": "yes"},
        {"callbacks": print},
    ],
)
def test_invalid_values_raise_scikit_learns_error(iris, kwargs):
    X, y = iris
    with pytest.raises(ValueError, match="parameter of OptunaSearchCV must be"):
        OptunaSearchCV(SVC(), SVC_SPACE, **kwargs).fit(X, y)


def test_param_distributions_must_be_a_mapping_or_a_list(iris):
    X, y = iris
    with pytest.raises(ValueError, match="'param_distributions' parameter"):
        OptunaSearchCV(SVC(), "C").fit(X, y)


class CountingClassifier(ClassifierMixin, BaseEstimator):
    """Records the number of samples of every fit (fits run in-process)."""

    sizes: list = []

    def __init__(self, quality=0.0):
        self.quality = quality

    def fit(self, X, y):
        CountingClassifier.sizes.append(len(X))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return self.quality


@pytest.mark.parametrize("subsample, n", [(0.4, 60), (60, 60), (1.0, 150), (500, 150)])
def test_subsample_searches_on_part_and_refits_on_all(iris, subsample, n):
    X, y = iris
    CountingClassifier.sizes = []
    search = OptunaSearchCV(
        CountingClassifier(),
        {"quality": FloatDistribution(0.0, 1.0)},
        n_trials=2,
        cv=3,
        subsample=subsample,
        random_state=0,
    ).fit(X, y)
    indices = search.sample_indices_
    assert len(indices) == n and len(set(indices)) == n
    assert (np.diff(indices) > 0).all()
    assert CountingClassifier.sizes[:-1] == [n * 2 // 3] * 6
    assert CountingClassifier.sizes[-1] == 150  # the refit sees every sample
    assert search.n_splits_ == 3


def test_subsample_is_seeded_and_splits_groups_of_the_part(iris):
    X, y = iris
    groups = np.arange(len(y)) % 5

    def run(seed):
        return OptunaSearchCV(
            SVC(),
            SVC_SPACE,
            n_trials=2,
            cv=GroupKFold(n_splits=5),
            subsample=0.5,
            random_state=seed,
        ).fit(X, y, groups)

    assert (run(0).sample_indices_ == run(0).sample_indices_).all()
    assert (run(0).sample_indices_ != run(1).sample_indices_).any()
    assert run(0).n_splits_ == 5


def test_subsample_of_no_sample_raises(iris):
    X, y = iris
    with pytest.raises(ValueError, match="leaves none"):
        OptunaSearchCV(SVC(), SVC_SPACE, subsample=0.001).fit(X, y)


def test_groups_and_fit_params_reach_the_splitter_and_the_estimator(diabetes):
    X, y = diabetes
    groups = np.arange(len(y)) % 4
    search = OptunaSearchCV(
        Ridge(),
        {"alpha": FloatDistribution(1e-3, 1e3, log=True)},
        n_trials=2,
        cv=GroupKFold(n_splits=4),
    )
    search.fit(X, y, groups, sample_weight=np.ones(len(y)))
    assert search.n_splits_ == 4
    with pytest.raises(ValueError, match="groups"):
        clone(search).fit(X, y)


def test_empty_space_evaluates_the_estimator_once(iris):
    # Optuna runs n_trials identical trials; skhyper evaluates the one
    # candidate once and says so.
    X, _ = iris
    with pytest.warns(UserWarning, match="total space of parameters 1 is smaller"):
        search = OptunaSearchCV(PCA(), {}, cv=3).fit(X)
    assert search.n_trials_ == 1 and search.trials_[0].params == {}
    assert search.transform(X).shape == X.shape
    assert search.inverse_transform(search.transform(X)).shape == X.shape


def test_methods_of_the_best_estimator(iris):
    X, y = iris
    search = OptunaSearchCV(
        LogisticRegression(), {"C": FloatDistribution(1e-2, 1e2, log=True)}, n_trials=3
    ).fit(X, y)
    assert search.predict_proba(X).shape == (150, 3)
    assert search.predict_log_proba(X).shape == (150, 3)
    assert search.decision_function(X).shape == (150, 3)
    assert (search.classes_ == [0, 1, 2]).all()
    assert search.score(X, y) > 0.9
    density = OptunaSearchCV(KernelDensity(), {}, cv=3, n_trials=1).fit(X)
    assert density.score_samples(X).shape == (150,)


@pytest.mark.parametrize(
    "estimator, kind",
    [
        (LogisticRegression(), "classifier"),
        (make_pipeline(StandardScaler(), Ridge()), "regressor"),
        (KernelDensity(), None),
    ],
)
def test_estimator_type_is_the_estimators(estimator, kind):
    # optuna-integration's OptunaSearchCV answers _estimator_type from the
    # estimator's tags on every scikit-learn; scikit-learn's searches dropped
    # it in 1.8 (is_classifier reads the tags), so the face defines it.
    search = OptunaSearchCV(estimator, {})
    assert search._estimator_type == kind


def test_a_list_of_sub_spaces_is_accepted(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), SVC())
    svc = {"svc__C": FloatDistribution(1e-2, 1e2, log=True), "svc__kernel": ["rbf"]}
    linear = {"svc": [LogisticRegression()], "svc__C": Real(0.1, 10.0, log=True)}
    search = OptunaSearchCV(pipe, [svc, linear], n_trials=6, cv=3, random_state=0)
    search.fit(X, y)
    for trial in search.trials_:
        expected = svc if "svc" not in trial.params else linear
        assert trial.distributions == expected


def test_a_whole_grid_is_listed_in_grid_order_and_numbered_so(iris):
    X, y = iris
    space = {
        "C": CategoricalDistribution([1.0, 10.0, 0.1]),
        "kernel": CategoricalDistribution(["rbf", "linear"]),
    }
    search = OptunaSearchCV(SVC(), space, n_trials=6, cv=3, random_state=0).fit(X, y)
    params = search.cv_results_["params"]
    assert params[:2] == [{"C": 1.0, "kernel": "rbf"}, {"C": 1.0, "kernel": "linear"}]
    assert [t.params for t in search.trials_] == params
    assert [t.number for t in search.trials_] == list(range(6))
    assert search.best_trial_.number == search.best_index_
    # the times still tell the order of evaluation, given by "iteration"
    order = np.argsort(search.cv_results_["iteration"], kind="stable")
    starts = [search.trials_[i].datetime_start for i in order]
    assert starts == sorted(starts)


def test_fitted_search_pickles_with_its_trials(iris):
    X, y = iris
    search = OptunaSearchCV(SVC(), SVC_SPACE, n_trials=3, cv=3, random_state=0)
    search.fit(X, y)
    again = pickle.loads(pickle.dumps(search))
    assert again.trials_ == search.trials_
    assert again.best_trial_ == search.best_trial_
    assert (again.predict(X) == search.predict(X)).all()
    assert again.trials_[0].distributions["C"] == SVC_SPACE["C"]


def test_unfitted_search_has_no_optuna_attributes():
    search = OptunaSearchCV(SVC(), SVC_SPACE)
    for name in ("trials_", "n_trials_", "best_trial_", "user_attrs_", "study_"):
        assert not hasattr(search, name)
    with pytest.raises(NotFittedError):
        search.trials_dataframe()
    with pytest.raises(NotFittedError):
        search.set_user_attr("key", "value")


def _instances():
    common = dict(cv=2, random_state=0, n_trials=3)
    yield OptunaSearchCV(
        Ridge(), {"alpha": FloatDistribution(0.1, 10.0, log=True)}, **common
    )
    yield OptunaSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()),
        {
            "logisticregression__C": FloatDistribution(0.1, 1.0),
            "logisticregression__max_iter": IntDistribution(100, 300, step=100),
        },
        subsample=0.9,
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


def test_real_optuna_distributions_and_callback_if_installed(iris):
    optuna = pytest.importorskip("optuna")
    X, y = iris
    search = OptunaSearchCV(
        SVC(),
        {
            "C": optuna.distributions.FloatDistribution(1e-2, 1e2, log=True),
            "degree": optuna.distributions.IntDistribution(1, 5),
            "kernel": optuna.distributions.CategoricalDistribution(["rbf", "poly"]),
        },
        n_trials=8,
        cv=3,
        random_state=0,
        callbacks=[
            optuna.study.MaxTrialsCallback(
                5, states=(optuna.trial.TrialState.COMPLETE,)
            )
        ],
    ).fit(X, y)
    assert search.n_trials_ == 5
    assert search.best_trial_.state == optuna.trial.TrialState.COMPLETE


class _SixParameters(BaseEstimator):
    def __init__(self, ud=0.0, dud=0.0, lud=1.0, iud=0, idd=0, ild=1):
        self.ud, self.dud, self.lud = ud, dud, lud
        self.iud, self.idd, self.ild = iud, idd, ild

    def fit(self, X, y=None):
        return self

    def score(self, X, y=None):
        return -abs(self.ud - 3.0)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_optunas_deprecated_distributions_are_searched_as_their_new_forms():
    # optuna-integration refuses these (its clone breaks on them); the face
    # searches them as the FloatDistribution / IntDistribution they stand for.
    optuna = pytest.importorskip("optuna")
    d = optuna.distributions
    if not hasattr(d, "DiscreteUniformDistribution"):
        pytest.skip("this Optuna has no deprecated distributions")
    space = {
        "ud": d.UniformDistribution(low=0, high=10),
        "dud": d.DiscreteUniformDistribution(low=0, high=10, q=2),
        "lud": d.LogUniformDistribution(low=1, high=10),
        "iud": d.IntUniformDistribution(low=0, high=10),
        "idd": d.IntUniformDistribution(low=0, high=10, step=2),
        "ild": d.IntLogUniformDistribution(low=1, high=10),
    }
    X = np.zeros((12, 1))
    search = OptunaSearchCV(_SixParameters(), space, n_trials=10, random_state=0)
    search.fit(X)
    assert clone(search).param_distributions == space
    params = search.cv_results_["params"]
    assert len({p["ud"] for p in params}) == 10  # continuous
    assert {p["dud"] for p in params} <= {0.0, 2.0, 4.0, 6.0, 8.0, 10.0}
    assert {p["idd"] for p in params} <= {0, 2, 4, 6, 8, 10}
    for p in params:
        assert 0 <= p["ud"] <= 10 and 1 <= p["lud"] <= 10
        assert isinstance(p["iud"], int) and 0 <= p["iud"] <= 10
        assert isinstance(p["ild"], int) and 1 <= p["ild"] <= 10


def test_an_optuna_distribution_of_another_kind_is_refused_not_fixed(iris):
    """A user's own subclass of Optuna's BaseDistribution is not a value to
    hold fixed: the search says which distributions it takes."""

    class StepsOfTen(BaseDistribution):
        def __init__(self):
            self.low, self.high = 0, 100

    X, y = iris
    search = OptunaSearchCV(SVC(), {"C": StepsOfTen()}, n_trials=2)
    with pytest.raises(TypeError, match="'C'.*Optuna distribution.*StepsOfTen"):
        search.fit(X, y)
    # Also a ValueError, which optuna-integration's own test_catch expects.
    with pytest.raises(ValueError, match="'C'.*Optuna distribution.*StepsOfTen"):
        search.fit(X, y)

"""EarlyStopping: the validation set comes from the training fold only."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.fixes import parse_version
from threadpoolctl import threadpool_limits

from skhyper import HyperSearchCV, Integer, Real
from skhyper.early_stopping import EarlyStopping, iterations_used

HGB_TAKES_X_VAL = parse_version(sklearn.__version__) >= parse_version("1.7")


class LeakDetector(ClassifierMixin, BaseEstimator):
    """Column 0 of X is the row id. ``fit`` records the ids it trained and
    validated on; ``score`` returns 1 when the validation set was disjoint
    from both the fitted rows and the scored (test) rows, else 0."""

    def __init__(self, style="eval_set"):
        self.style = style

    def fit(self, X, y, eval_set=None):
        X_val = eval_set[0][0]
        self.fit_ids_ = set(np.asarray(X)[:, 0].astype(int))
        self.val_ids_ = set(np.asarray(X_val)[:, 0].astype(int))
        self.classes_ = np.unique(y)
        self.n_iter_ = 7
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        test_ids = set(np.asarray(X)[:, 0].astype(int))
        clean = not (self.val_ids_ & test_ids) and not (self.val_ids_ & self.fit_ids_)
        return float(clean and len(self.val_ids_) > 0)


class LeakyEarlyStopping(EarlyStopping):
    """What a naive wrapper does: validate on everything it can see,
    including the rows the search later scores."""

    X_all = None

    def fit(self, X, y):
        self.estimator_ = clone_fit(self.estimator, X, y, self.X_all)
        self.classes_ = self.estimator_.classes_
        return self


def clone_fit(estimator, X, y, X_all):
    from sklearn.base import clone

    return clone(estimator).fit(X, y, eval_set=[(X_all, np.zeros(len(X_all)))])


@pytest.fixture(scope="module")
def ids_data():
    rng = np.random.default_rng(0)
    X = np.column_stack([np.arange(120), rng.normal(size=(120, 2))])
    y = np.tile([0, 1, 2], 40)
    return X, y


def test_validation_set_never_comes_from_the_test_fold(ids_data):
    X, y = ids_data
    scores = cross_val_score(EarlyStopping(LeakDetector()), X, y, cv=KFold(4))
    assert scores.tolist() == [1.0] * 4
    search = HyperSearchCV(
        EarlyStopping(LeakDetector()),
        {"validation_fraction": Real(0.1, 0.3)},
        n_iter=4,
        cv=KFold(3),
        random_state=0,
    ).fit(X, y)
    assert (search.cv_results_["mean_test_score"] == 1.0).all()


def test_the_leak_detector_catches_a_leak(ids_data):
    X, y = ids_data
    LeakyEarlyStopping.X_all = X
    scores = cross_val_score(LeakyEarlyStopping(LeakDetector()), X, y, cv=KFold(4))
    assert scores.tolist() == [0.0] * 4


def test_split_is_stratified_and_sized(ids_data):
    X, y = ids_data
    model = EarlyStopping(LeakDetector(), validation_fraction=0.25).fit(X, y)
    assert model.n_validation_samples_ == 30
    val = np.array(sorted(model.estimator_.val_ids_))
    assert np.bincount(y[val]).tolist() == [10, 10, 10]
    assert model.n_iterations_ == 7
    assert iterations_used(make_pipeline(StandardScaler(), model)) == 7.0
    # The same seed gives the same split.
    again = EarlyStopping(LeakDetector(), validation_fraction=0.25).fit(X, y)
    assert again.estimator_.val_ids_ == model.estimator_.val_ids_


def test_rare_class_falls_back_to_a_plain_split(ids_data):
    X, y = ids_data
    y = y.copy()
    y[0] = 5  # a class with one member cannot be stratified
    with pytest.warns(UserWarning, match="could not stratify"):
        EarlyStopping(LeakDetector()).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"validation_fraction": 0.0}, "validation_fraction"),
        ({"validation_fraction": 1.5}, "validation_fraction"),
        ({"patience": 0}, "patience"),
        ({"stratify": "yes"}, "stratify"),
    ],
)
def test_bad_parameters(ids_data, params, match):
    X, y = ids_data
    with pytest.raises(ValueError, match=match):
        EarlyStopping(LeakDetector(), **params).fit(X, y)


def test_estimator_without_a_validation_parameter(ids_data):
    from sklearn.linear_model import LogisticRegression

    X, y = ids_data
    with pytest.raises(TypeError, match="neither eval_set nor"):
        EarlyStopping(LogisticRegression()).fit(X, y)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X[::2], y[::2]


@pytest.fixture(autouse=True)
def single_threaded_boosters():
    """OpenMP threads of the boosters only contend on small data."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


def boosters():
    out = []
    if HGB_TAKES_X_VAL:
        out.append(
            (
                "hgb",
                lambda: HistGradientBoostingClassifier(max_iter=300, learning_rate=0.3),
            )
        )
    out.append(
        (
            "lightgbm",
            lambda: pytest.importorskip("lightgbm").LGBMClassifier(
                n_estimators=300, learning_rate=0.3, verbose=-1, n_jobs=1
            ),
        )
    )
    out.append(
        (
            "xgboost",
            lambda: pytest.importorskip("xgboost").XGBClassifier(
                n_estimators=300, learning_rate=0.3, n_jobs=1
            ),
        )
    )
    return out


@pytest.mark.parametrize("name, make", boosters(), ids=[b[0] for b in boosters()])
def test_real_boosters_stop_early_in_every_fold(cancer, name, make):
    X, y = cancer
    model = EarlyStopping(make(), patience=5)
    cv = cross_validate(
        model,
        X,
        y,
        cv=3,
        scoring={"accuracy": "accuracy", "n_iter": iterations_used},
    )
    assert (cv["test_accuracy"] > 0.9).all()
    assert (cv["test_n_iter"] >= 1).all()
    assert (cv["test_n_iter"] < 300).all(), cv["test_n_iter"]


@pytest.mark.parametrize("name, make", boosters(), ids=[b[0] for b in boosters()])
def test_iterations_reported_in_cv_results(cancer, name, make):
    X, y = cancer
    search = HyperSearchCV(
        EarlyStopping(make(), patience=5),
        {"estimator__max_depth": Integer(2, 6)},
        n_iter=3,
        cv=3,
        scoring={"accuracy": "accuracy", "n_iter": iterations_used},
        refit="accuracy",
        random_state=0,
    ).fit(X, y)
    n_iter = search.cv_results_["mean_test_n_iter"]
    assert n_iter.shape == (3,) and (n_iter < 300).all()
    assert "split2_test_n_iter" in search.cv_results_
    assert search.best_estimator_.n_iterations_ < 300


def test_sample_weight_is_split_and_regression_is_not_stratified():
    lightgbm = pytest.importorskip("lightgbm")
    X, y = load_diabetes(return_X_y=True)
    model = EarlyStopping(
        lightgbm.LGBMRegressor(n_estimators=200, verbose=-1, n_jobs=1), patience=3
    )
    model.fit(X, y, sample_weight=np.ones(len(y)))
    assert model.n_validation_samples_ == 45
    assert model.n_iterations_ < 200
    assert model.predict(X[:2]).shape == (2,)
    assert not hasattr(model, "predict_proba")


@pytest.mark.skipif(HGB_TAKES_X_VAL, reason="scikit-learn >= 1.7 takes X_val")
def test_old_hgb_gets_a_clear_error(cancer):
    X, y = cancer
    with pytest.raises(TypeError, match="X_val from scikit-learn 1.7"):
        EarlyStopping(HistGradientBoostingClassifier()).fit(X, y)


if HGB_TAKES_X_VAL:
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.utils.estimator_checks import parametrize_with_checks

    @parametrize_with_checks(
        [
            EarlyStopping(HistGradientBoostingClassifier(max_iter=10), patience=2),
            EarlyStopping(HistGradientBoostingRegressor(max_iter=10), patience=2),
        ]
    )
    def test_sklearn_estimator_checks(estimator, check):
        if "check_classifiers_one_label_sample_weights" in str(check):
            # Zero weights for all but one class can leave the validation
            # part with only zero weights, which the estimator refuses.
            pytest.xfail("a validation split of zero-weight samples")
        check(estimator)

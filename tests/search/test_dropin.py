"""HyperSearchCV is a drop-in for GridSearchCV / RandomizedSearchCV."""

import zlib

import numpy as np
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    GroupShuffleSplit,
    KFold,
    ParameterGrid,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import SVC

from skhyper import BayesSearchCV, HyperSearchCV, Integer, RandomSearchCV, Real
from skhyper.generators import GPGenerator

TIME_KEYS = ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time")


def assert_same_results(a, b, skip=TIME_KEYS):
    assert set(a) == set(b)
    for key in a:
        if key in skip:
            continue
        if key == "params":
            assert a[key] == b[key]
        elif np.ma.isMaskedArray(a[key]):
            assert np.array_equal(a[key].mask, b[key].mask), key
            assert list(a[key]) == list(b[key]), key
            assert a[key].dtype == b[key].dtype, key
        else:
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)
            assert a[key].dtype == b[key].dtype, key


@pytest.mark.parametrize("return_train_score", [False, True])
def test_swapping_gridsearchcv_gives_the_same_results(iris, return_train_score):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), SVC())
    grid = [
        {"svc__C": [0.1, 1, 10], "svc__kernel": ["rbf"], "svc__gamma": [0.01, 0.1]},
        {"svc__C": [0.5, 5], "svc__kernel": ["linear"]},
    ]
    kwargs = dict(cv=3, return_train_score=return_train_score)
    ours = HyperSearchCV(pipe, grid, generator="grid", **kwargs).fit(X, y)
    theirs = GridSearchCV(pipe, grid, **kwargs).fit(X, y)
    theirs_results = dict(theirs.cv_results_, iteration=np.zeros(8, dtype=int))
    assert_same_results(ours.cv_results_, theirs_results)
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_score_ == theirs.best_score_
    assert ours.best_index_ == theirs.best_index_
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.n_iter_ == 1 and ours.n_splits_ == 3


def test_randomized_distributions_are_accepted_with_the_same_keys(iris):
    X, y = iris
    dists = {"C": stats.loguniform(1e-2, 1e2), "max_iter": [200, 500]}
    est = LogisticRegression()
    ours = RandomSearchCV(est, dists, n_iter=6, random_state=0).fit(X, y)
    theirs = RandomizedSearchCV(est, dists, n_iter=6, random_state=0).fit(X, y)
    assert set(ours.cv_results_) == set(theirs.cv_results_) | {"iteration"}
    assert all(1e-2 <= p["C"] <= 1e2 for p in ours.cv_results_["params"])


def test_multimetric_with_refit_name(iris):
    X, y = iris
    search = HyperSearchCV(
        SVC(),
        {"C": Real(1e-2, 1e2, log=True)},
        generator="sobol",
        n_iter=6,
        batch_size=2,
        scoring=["accuracy", "f1_macro"],
        refit="f1_macro",
        random_state=0,
    ).fit(X, y)
    results = search.cv_results_
    assert {"mean_test_accuracy", "rank_test_f1_macro"} <= set(results)
    assert search.best_score_ == results["mean_test_f1_macro"].max()
    np.testing.assert_array_equal(
        search.generator_.scores_, results["mean_test_f1_macro"]
    )
    assert list(results["iteration"]) == [0, 0, 1, 1, 2, 2]


def test_multimetric_with_callable_refit_optimizes_the_first_metric(iris):
    X, y = iris
    search = HyperSearchCV(
        SVC(),
        {"C": [0.01, 1]},
        generator="grid",
        scoring={"acc": "accuracy", "bal": "balanced_accuracy"},
        refit=lambda r: int(np.argmin(r["rank_test_bal"])),
    ).fit(X, y)
    np.testing.assert_array_equal(
        search.generator_.scores_, search.cv_results_["mean_test_acc"]
    )
    assert search.best_params_ == {"C": 1}


def test_nested_cv_clone_and_set_params(iris):
    X, y = iris
    search = HyperSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()),
        {"logisticregression__C": Real(1e-3, 1e3, log=True)},
        generator="sobol",
        n_iter=4,
        cv=3,
        random_state=0,
    )
    scores = cross_val_score(search, X, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.8
    cloned = clone(search).set_params(n_iter=2, generator="random")
    assert cloned.get_params()["n_iter"] == 2
    cloned.fit(X, y)
    assert len(cloned.cv_results_["params"]) == 2


def test_set_params_reaches_a_generator_instance(iris):
    from skhyper import GridGenerator

    search = HyperSearchCV(Ridge(), {"alpha": Real(0.1, 10)}, generator=GridGenerator())
    search.set_params(generator__n_points=3)
    X, y = iris
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 3


@pytest.mark.parametrize("backend", ["threading", "loky"])
def test_joblib_backends(diabetes, backend):
    from joblib import parallel_backend

    X, y = diabetes
    search = RandomSearchCV(
        Ridge(), {"alpha": Real(0.01, 10)}, n_iter=4, random_state=0, n_jobs=2
    )
    with parallel_backend(backend):
        search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4


def test_integers_stay_integers_in_params_and_cv_results(iris):
    X, y = iris
    from sklearn.neighbors import KNeighborsClassifier

    search = RandomSearchCV(
        KNeighborsClassifier(),
        {"n_neighbors": Integer(1, 30)},
        n_iter=5,
        random_state=0,
    ).fit(X, y)
    assert all(type(p["n_neighbors"]) is int for p in search.cv_results_["params"])
    assert search.cv_results_["param_n_neighbors"].dtype.kind == "i"


def _fold_fingerprint(estimator, X, y):
    """A score that names the test fold: a checksum of its row ids (column 0)."""
    return float(zlib.crc32(np.sort(X[:, 0]).astype(np.int64).tobytes()))


@pytest.mark.parametrize(
    "cv, groups",
    [
        (KFold(3, shuffle=True), None),
        (StratifiedKFold(3, shuffle=True), None),
        (GroupShuffleSplit(3, test_size=0.3), np.arange(150) // 10),
    ],
    ids=["KFold", "StratifiedKFold", "GroupShuffleSplit"],
)
@pytest.mark.parametrize("search_class", [HyperSearchCV, BayesSearchCV])
def test_shuffling_cv_without_seed_gives_every_batch_the_same_folds(
    iris, search_class, cv, groups
):
    """GridSearchCV splits once for all its candidates; a search in batches
    does too, also when the splitter shuffles without a seed."""
    X, y = iris
    X = np.column_stack([np.arange(len(y)), X])  # row ids, read by the scorer
    search = search_class(
        make_pipeline(FunctionTransformer(lambda Z: Z[:, 1:]), SVC()),
        {"svc__C": Real(0.1, 10)},
        n_iter=6,
        batch_size=2,
        cv=cv,
        scoring=_fold_fingerprint,
        random_state=0,
    ).fit(X, y, groups=groups)
    results = search.cv_results_
    assert sorted(set(results["iteration"])) == [0, 1, 2]
    for k in range(3):
        assert len(set(results[f"split{k}_test_score"])) == 1
    assert len({results[f"split{k}_test_score"][0] for k in range(3)}) == 3


class _SplitsOnce(KFold):
    """A splitter whose ``split`` yields folds at its first call only, as
    scikit-learn's own tests' ``OneTimeSplitter``."""

    def split(self, X, y=None, groups=None):
        if getattr(self, "used_", False):
            return iter(())
        self.used_ = True
        return super().split(X, y, groups)


@pytest.mark.parametrize("search_class", [HyperSearchCV, BayesSearchCV])
def test_a_splitter_that_splits_once_serves_every_batch(iris, search_class):
    """GridSearchCV calls ``cv.split`` once; a search in batches must not
    find no folds at its second batch."""
    X, y = iris
    X = np.column_stack([np.arange(len(y)), X])  # row ids, read by the scorer
    search = search_class(
        make_pipeline(FunctionTransformer(lambda Z: Z[:, 1:]), SVC()),
        {"svc__C": Real(0.1, 10)},
        n_iter=6,
        batch_size=2,
        cv=_SplitsOnce(3, shuffle=True, random_state=0),
        scoring=_fold_fingerprint,
        random_state=0,
    ).fit(X, y)
    results = search.cv_results_
    assert sorted(set(results["iteration"])) == [0, 1, 2]
    for k in range(3):
        assert len(set(results[f"split{k}_test_score"])) == 1


GRID = {"C": [0.1, 1.0, 10.0], "kernel": ["linear", "rbf"]}


@pytest.mark.parametrize(
    "kwargs, one_batch",
    [
        ({}, True),
        ({"n_iter": 6}, True),
        ({"max_time": 600.0}, False),
        ({"callbacks": [lambda state: False]}, False),
        ({"batch_size": 2}, False),
        ({"n_iter": 4}, False),
    ],
    ids=["default", "n_iter=size", "max_time", "callbacks", "batch_size", "part"],
)
def test_a_grid_that_n_iter_covers_is_evaluated_as_gridsearchcv_does(
    iris, kwargs, one_batch
):
    """Every candidate in one batch, in grid order, GridSearchCV's scores;
    the GP is still told them all. Whatever could end the search early (or
    a batch size of the user's) keeps the GP's order and batches."""
    X, y = iris
    search = BayesSearchCV(SVC(), param_grid=GRID, random_state=0, **kwargs)
    search.fit(X, y)
    results = search.cv_results_
    n = kwargs.get("n_iter", 6)
    assert len(results["params"]) == n
    assert (search.n_iter_ == 1) is one_batch
    assert set(results["iteration"]) == (
        {0} if one_batch else set(range(search.n_iter_))
    )
    assert isinstance(search.generator_, GPGenerator)
    assert len(search.generator_.scores_) == n
    if n == 6:
        assert list(results["params"]) == list(ParameterGrid(GRID))
        grid = GridSearchCV(SVC(), param_grid=GRID).fit(X, y)
        np.testing.assert_allclose(
            results["mean_test_score"], grid.cv_results_["mean_test_score"]
        )
        assert search.best_params_ == grid.best_params_


@pytest.mark.parametrize(
    "search_class, keyword, n_iter, warns",
    [
        (BayesSearchCV, "param_grid", 50, False),
        (BayesSearchCV, "search_spaces", None, False),
        (BayesSearchCV, "param_distributions", None, False),
        (BayesSearchCV, "search_spaces", 20, True),
        (BayesSearchCV, "param_distributions", 20, True),
        (RandomSearchCV, "param_distributions", None, True),
        (RandomSearchCV, "param_grid", None, False),
    ],
)
def test_a_space_smaller_than_n_iter_warns_only_about_a_chosen_budget(
    iris, search_class, keyword, n_iter, warns, recwarn
):
    """GridSearchCV(est, grid) means 'the whole grid': swapped for
    BayesSearchCV(est, grid) (positional or param_grid=), whose n_iter=50 the
    user never chose, it says nothing; an n_iter the user set, or
    RandomSearchCV's default (RandomizedSearchCV's, which warns), does."""
    X, y = iris
    small = {"C": [0.1, 1.0], "kernel": ["linear", "rbf"]}  # 4 < 10
    kwargs = {keyword: small} if keyword != "search_spaces" else {}
    args = (small,) if keyword == "search_spaces" else ()
    if n_iter is not None:
        kwargs["n_iter"] = n_iter
    search_class(SVC(), *args, **kwargs).fit(X, y)
    said = [w for w in recwarn if "is smaller than n_iter" in str(w.message)]
    assert bool(said) is warns


def test_a_search_reports_nan_scores_once_in_scikit_learns_words(iris, recwarn):
    """The generator's own note on NaN scores is for ask/tell users; inside a
    search scikit-learn's non-finite-score warning says it, once."""
    X, y = iris

    def fails_for_c_below_1(estimator, X, y):
        return np.nan if estimator.C < 1 else 1.0

    search = BayesSearchCV(
        SVC(), {"C": Real(0.1, 10, log=True)}, n_iter=8, batch_size=2
    )
    search.set_params(scoring=fails_for_c_below_1, random_state=0).fit(X, y)
    said = [str(w.message) for w in recwarn]
    assert not [m for m in said if "Candidates scored NaN" in m]
    assert len([m for m in said if "test scores are non-finite" in m]) == 1
    with pytest.warns(RuntimeWarning, match="Candidates scored NaN"):
        GPGenerator().start(search.generator_.space_).tell([{"C": 1.0}], [np.nan])


def test_shuffling_cv_without_seed_is_rejected_with_a_checkpoint(iris, tmp_path):
    X, y = iris
    search = HyperSearchCV(
        SVC(),
        {"C": Real(0.1, 10)},
        n_iter=4,
        cv=KFold(3, shuffle=True),
        checkpoint=tmp_path / "search.ckpt",
    )
    with pytest.raises(ValueError, match="same folds.*random_state"):
        search.fit(X, y)


def test_initial_points_are_evaluated_first(iris):
    X, y = iris
    search = HyperSearchCV(
        SVC(),
        {"C": Real(0.1, 10)},
        n_iter=3,
        initial_points=[{"C": 2.5}],
        random_state=0,
    ).fit(X, y)
    assert search.cv_results_["params"][0] == {"C": 2.5}

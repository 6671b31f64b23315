"""scikit-learn's model-selection gallery, run on every skhyper search.

Each test rebuilds one example of scikit-learn 1.9 that needs no download
(``examples/model_selection/plot_grid_search_digits.py``,
``plot_nested_cross_validation_iris.py``, ``plot_randomized_search.py``,
``plot_multi_metric_evaluation.py``, ``plot_grid_search_refit_callable.py``,
``plot_grid_search_stats.py`` and ``examples/compose/plot_compare_reduction.py``)
in the example's own terms: the same estimator, grid and search call with the
same keywords, then the same use of the results (data frames, reshapes,
ranks, refit callables, nested ``cross_val_score``). Only the search class is
swapped, for each of skhyper's searches in :data:`SEARCHES`.

A ``GridSearchCV`` call becomes ``Search(..., n_iter=<grid size>)``: the
grid's size is the budget that means "the whole grid" to a search that has a
budget (``GridSearchCV`` has none); :func:`test_literal_swap_budget` shows
what the bare class swap evaluates. A ``RandomizedSearchCV`` call swaps the
class only. Every search gets ``random_state=0`` so that a run repeats.

On a finite grid every candidate must be evaluated once, and since the folds
are the same, every candidate's scores must equal those of scikit-learn's
``GridSearchCV`` on the same grid (computed once per module).

To keep the module quick the data, folds and trials are cut where an example
is slow (each cut is named where it is made), the examples' plots are
replaced by the arrays they would draw, and polars by pandas.
"""

from __future__ import annotations

import functools
import itertools
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import scipy.stats as stats
from joblib import Memory
from sklearn.base import BaseEstimator
from sklearn.datasets import load_digits, load_iris, make_hastie_10_2, make_moons
from sklearn.decomposition import NMF, PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_selection import SelectKBest, mutual_info_classif
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import accuracy_score, classification_report, make_scorer
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    RepeatedStratifiedKFold,
    ShuffleSplit,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skhyper import BayesSearchCV, HyperSearchCV, RandomSearchCV

#: Every skhyper search: the class and what it needs beyond the class name.
SEARCHES = {
    "hyper-grid": (HyperSearchCV, {"generator": "grid"}),
    "hyper-random": (HyperSearchCV, {"generator": "random"}),
    "hyper-sobol": (HyperSearchCV, {"generator": "sobol"}),
    "hyper-gp": (HyperSearchCV, {"generator": "gp"}),
    "random": (RandomSearchCV, {}),
    "bayes": (BayesSearchCV, {}),
}


#: Searches whose cv_results_ follow the order of ParameterGrid on a grid that
#: n_iter covers; the others list candidates in the order they were asked.
def searches_read_by_position():
    """Every search: a whole grid's cv_results_ come back in ParameterGrid's
    order whatever order the generator asked, so scripts that read them by
    position (reshape, curves against param_*) work with all of them."""
    return list(SEARCHES)


pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    # a few digits folds have candidates that predict no eight at all
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning"),
]


def grid_search_class(name):
    """What ``GridSearchCV`` becomes: the skhyper class, budgeted to the grid."""
    cls, extra = SEARCHES[name]

    def make(*args, **kwargs):
        grid = args[1] if len(args) > 1 else kwargs["param_grid"]
        n_iter = len(ParameterGrid(grid))
        return cls(*args, n_iter=n_iter, random_state=0, **extra, **kwargs)

    return make


def randomized_search_class(name):
    """What ``RandomizedSearchCV`` becomes: the skhyper class, seeded."""
    cls, extra = SEARCHES[name]
    return functools.partial(cls, random_state=0, **extra)


# -- comparing candidates across searches --------------------------------------


def value_key(value):
    """A hashable stand-in for a parameter value, distinct by type and value."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, BaseEstimator):
        return ("estimator", repr(value))
    return (type(value).__name__, repr(value))


def candidate_key(params):
    return tuple(sorted((name, value_key(v)) for name, v in params.items()))


def assert_whole_grid(search, grid):
    """Every candidate of ``grid`` evaluated exactly once, nothing else."""
    expected = Counter(candidate_key(p) for p in ParameterGrid(grid))
    evaluated = search.cv_results_["params"]
    assert len(evaluated) == len(ParameterGrid(grid))
    assert Counter(candidate_key(p) for p in evaluated) == expected


def scores_by_candidate(results, column):
    return {
        candidate_key(p): float(s)
        for p, s in zip(results["params"], results[column], strict=True)
    }


def assert_same_scores(search, reference, columns=("mean_test_score",)):
    """Each candidate scored as ``reference`` (GridSearchCV) scored it."""
    for column in columns:
        got = scores_by_candidate(search.cv_results_, column)
        want = scores_by_candidate(reference.cv_results_, column)
        assert got.keys() == want.keys()
        for key, score in want.items():
            assert got[key] == pytest.approx(score, rel=1e-9, abs=1e-12), (
                column,
                key,
            )


# -- plot_grid_search_digits.py ------------------------------------------------

DIGITS_GRID = [
    {"kernel": ["rbf"], "gamma": [1e-3, 1e-4], "C": [1, 10, 100, 1000]},
    {"kernel": ["linear"], "C": [1, 10, 100, 1000]},
]
DIGITS_SCORES = ["precision", "recall"]
PRECISION_THRESHOLD = 0.98


@functools.cache
def digits_is_eight():
    # The example splits all 1797 images; with 600 the linear SVC at C=1000
    # converges at once (on the full half it can take a minute).
    digits = load_digits()
    X = digits.images.reshape((len(digits.images), -1))[:600]
    y = digits.target[:600] == 8
    return train_test_split(X, y, test_size=0.5, random_state=0)


def high_precision_shortlist(cv_results):
    """The example's shortlist: precise enough, and within one standard
    deviation of the best recall among those."""
    table = pd.DataFrame(cv_results)
    precise = table[table["mean_test_precision"] > PRECISION_THRESHOLD][
        [
            "mean_score_time",
            "mean_test_recall",
            "std_test_recall",
            "mean_test_precision",
            "std_test_precision",
            "rank_test_recall",
            "rank_test_precision",
            "params",
        ]
    ]
    recalls = precise["mean_test_recall"]
    return precise[recalls > recalls.max() - recalls.std()]


def fastest_of_shortlist(cv_results):
    """The example's refit callable: the shortlisted model quickest to score."""
    return high_precision_shortlist(cv_results)["mean_score_time"].idxmin()


@functools.cache
def digits_reference():
    X_train, _, y_train, _ = digits_is_eight()
    return GridSearchCV(
        SVC(), DIGITS_GRID, scoring=DIGITS_SCORES, refit=fastest_of_shortlist
    ).fit(X_train, y_train)


@pytest.mark.parametrize("name", SEARCHES)
def test_grid_search_digits(name):
    X_train, X_test, y_train, y_test = digits_is_eight()
    GridSearch = grid_search_class(name)

    search = GridSearch(
        SVC(), DIGITS_GRID, scoring=DIGITS_SCORES, refit=fastest_of_shortlist
    )
    search.fit(X_train, y_train)
    report = classification_report(y_test, search.predict(X_test))

    assert_whole_grid(search, DIGITS_GRID)
    reference = digits_reference()
    assert_same_scores(search, reference, ["mean_test_precision", "mean_test_recall"])
    shortlist = high_precision_shortlist(search.cv_results_)
    assert search.best_index_ in shortlist.index
    assert search.best_params_ == search.cv_results_["params"][search.best_index_]
    assert {candidate_key(p) for p in shortlist["params"]} == {
        candidate_key(p)
        for p in high_precision_shortlist(reference.cv_results_)["params"]
    }
    assert "accuracy" in report


# -- plot_nested_cross_validation_iris.py ---------------------------------------

IRIS_GRID = {"C": [1, 10, 100], "gamma": [0.01, 0.1]}
#: The example runs 30 trials; two show the same.
NUM_TRIALS = 2


def nested_and_non_nested(GridSearch):
    X_iris, y_iris = load_iris(return_X_y=True)
    svm = SVC(kernel="rbf")
    non_nested_scores = np.zeros(NUM_TRIALS)
    nested_scores = np.zeros(NUM_TRIALS)
    searches = []
    for i in range(NUM_TRIALS):
        inner_cv = KFold(n_splits=4, shuffle=True, random_state=i)
        outer_cv = KFold(n_splits=4, shuffle=True, random_state=i)
        clf = GridSearch(estimator=svm, param_grid=IRIS_GRID, cv=inner_cv)
        clf.fit(X_iris, y_iris)
        non_nested_scores[i] = clf.best_score_
        nested_score = cross_val_score(clf, X=X_iris, y=y_iris, cv=outer_cv)
        nested_scores[i] = nested_score.mean()
        searches.append(clf)
    return non_nested_scores, nested_scores, searches


@functools.cache
def nested_reference():
    return nested_and_non_nested(GridSearchCV)


@pytest.mark.parametrize("name", SEARCHES)
def test_nested_cross_validation_iris(name):
    non_nested, nested, searches = nested_and_non_nested(grid_search_class(name))
    score_difference = non_nested - nested

    ref_non_nested, ref_nested, ref_searches = nested_reference()
    for search, reference in zip(searches, ref_searches, strict=True):
        assert_whole_grid(search, IRIS_GRID)
        assert_same_scores(search, reference)
    np.testing.assert_allclose(non_nested, ref_non_nested)
    # Ties in the inner search may pick another of the equally good
    # candidates than GridSearchCV does, so the outer score may differ a bit.
    np.testing.assert_allclose(nested, ref_nested, atol=0.03)
    assert np.all(np.isfinite(score_difference))


# -- plot_randomized_search.py --------------------------------------------------

SGD_DISTRIBUTIONS = {
    "average": [True, False],
    "l1_ratio": stats.uniform(0, 1),
    "alpha": stats.loguniform(1e-2, 1e0),
}
SGD_GRID = {
    "average": [True, False],
    "l1_ratio": np.linspace(0, 1, num=10),
    "alpha": np.power(10, np.arange(-2, 1, dtype=float)),
}
N_ITER_SEARCH = 15


@functools.cache
def three_digits():
    # The example fits 5 folds of the 537 images of three digits; 180 images in
    # 3 folds keep the 60-candidate grid quick.
    X, y = load_digits(return_X_y=True, n_class=3)
    return X[:180], y[:180]


def sgd_classifier():
    # The example leaves SGD unseeded; a seed makes its scores comparable.
    return SGDClassifier(
        loss="hinge", penalty="elasticnet", fit_intercept=True, random_state=0
    )


def top_ranked(results, n_top=3):
    """The example's report: (rank, mean, std, params) of the best ranks."""
    rows = []
    for rank in range(1, n_top + 1):
        for candidate in np.flatnonzero(results["rank_test_score"] == rank):
            rows.append(
                (
                    rank,
                    results["mean_test_score"][candidate],
                    results["std_test_score"][candidate],
                    results["params"][candidate],
                )
            )
    return rows


@functools.cache
def sgd_grid_reference():
    X, y = three_digits()
    return GridSearchCV(sgd_classifier(), param_grid=SGD_GRID, cv=3).fit(X, y)


@pytest.mark.parametrize("name", SEARCHES)
def test_randomized_search(name):
    X, y = three_digits()
    clf = sgd_classifier()
    RandomizedSearch = randomized_search_class(name)
    GridSearch = grid_search_class(name)

    random_search = RandomizedSearch(
        clf, param_distributions=SGD_DISTRIBUTIONS, n_iter=N_ITER_SEARCH, cv=3
    )
    random_search.fit(X, y)
    random_report = top_ranked(random_search.cv_results_)
    grid_search = GridSearch(clf, param_grid=SGD_GRID, cv=3)
    grid_search.fit(X, y)
    grid_report = top_ranked(grid_search.cv_results_)

    params = random_search.cv_results_["params"]
    assert len(params) == N_ITER_SEARCH
    assert len({candidate_key(p) for p in params}) == N_ITER_SEARCH
    for p in params:
        assert type(p["average"]) is bool
        assert 0 <= p["l1_ratio"] <= 1 and 1e-2 <= p["alpha"] <= 1
    assert random_report[0][0] == 1
    assert random_report[0][3] == random_search.best_params_
    # 15 draws come within noise of the best of the 60-candidate grid
    assert random_search.best_score_ >= sgd_grid_reference().best_score_ - 0.05

    assert_whole_grid(grid_search, SGD_GRID)
    reference = sgd_grid_reference()
    assert_same_scores(grid_search, reference)
    assert grid_search.best_score_ == pytest.approx(reference.best_score_)
    expected_report = top_ranked(reference.cv_results_)
    assert [row[0] for row in grid_report] == [row[0] for row in expected_report]
    assert [row[1] for row in grid_report] == pytest.approx(
        [row[1] for row in expected_report]
    )


# -- plot_multi_metric_evaluation.py --------------------------------------------

TREE_GRID = {"min_samples_split": range(2, 403, 20)}
TREE_SCORING = {"AUC": "roc_auc", "Accuracy": make_scorer(accuracy_score)}


@functools.cache
def hastie():
    # The example draws 8000 samples; 1000 show the same curves.
    return make_hastie_10_2(n_samples=1000, random_state=42)


def tree_search(GridSearch):
    X, y = hastie()
    # The example runs 2 jobs; the test machine has few cores to spare.
    return GridSearch(
        DecisionTreeClassifier(random_state=42),
        param_grid=TREE_GRID,
        scoring=TREE_SCORING,
        refit="AUC",
        n_jobs=1,
        return_train_score=True,
    ).fit(X, y)


def curves(results):
    """The arrays the example plots: x, then per scorer and sample the mean,
    the band around it, and the best point."""
    X_axis = np.array(results["param_min_samples_split"].data, dtype=float)
    drawn = {}
    for scorer in sorted(TREE_SCORING):
        for sample in ("train", "test"):
            mean = results[f"mean_{sample}_{scorer}"]
            std = results[f"std_{sample}_{scorer}"]
            drawn[scorer, sample] = (mean, mean - std, mean + std)
        best_index = np.nonzero(results[f"rank_test_{scorer}"] == 1)[0][0]
        drawn[scorer, "best"] = (
            X_axis[best_index],
            results[f"mean_test_{scorer}"][best_index],
        )
    return X_axis, drawn


@functools.cache
def fitted_tree(name):
    return tree_search(GridSearchCV if name == "sklearn" else grid_search_class(name))


def tree_reference():
    return fitted_tree("sklearn")


@pytest.mark.parametrize("name", SEARCHES)
def test_multi_metric_evaluation(name):
    search = fitted_tree(name)
    X_axis, drawn = curves(search.cv_results_)

    assert_whole_grid(search, TREE_GRID)
    reference = tree_reference()
    assert_same_scores(
        search,
        reference,
        [f"mean_{s}_{m}" for s in ("train", "test") for m in TREE_SCORING],
    )
    assert search.best_score_ == pytest.approx(reference.best_score_)
    assert sorted(X_axis) == list(TREE_GRID["min_samples_split"])
    _, ref_drawn = curves(reference.cv_results_)
    for scorer in TREE_SCORING:
        assert drawn[scorer, "best"] == pytest.approx(ref_drawn[scorer, "best"])
        for sample in ("train", "test"):
            for array in drawn[scorer, sample]:
                assert array.shape == X_axis.shape
                assert np.all(np.isfinite(array))


@pytest.mark.parametrize("name", searches_read_by_position())
def test_multi_metric_curves_ascend(name):
    """The example draws its curves against ``X_axis`` as it comes, which
    ascends in GridSearchCV's results."""
    X_axis, _ = curves(fitted_tree(name).cv_results_)
    assert np.all(np.diff(X_axis) > 0)


# -- plot_grid_search_refit_callable.py -----------------------------------------

PCA_GRID = {"reduce_dim__n_components": [6, 8, 10, 15, 20, 25, 35, 45, 55]}


def lower_bound(cv_results):
    """Best mean test score less its standard deviation."""
    best = np.argmax(cv_results["mean_test_score"])
    return cv_results["mean_test_score"][best] - cv_results["std_test_score"][best]


def best_low_complexity(cv_results):
    """The example's refit callable: fewest components within one std of the
    best score."""
    within = np.flatnonzero(cv_results["mean_test_score"] >= lower_bound(cv_results))
    components = cv_results["param_reduce_dim__n_components"][within]
    return within[components.argmin()]


@functools.cache
def digits_few():
    # The example fits the 1797 images in 30 shuffle splits; 400 images in 5
    # splits keep the logistic regressions quick.
    X, y = load_digits(return_X_y=True)
    return X[:400], y[:400]


def complexity_search(GridSearch):
    X, y = digits_few()
    pipe = Pipeline(
        [
            ("reduce_dim", PCA(random_state=42)),
            ("classify", LogisticRegression(random_state=42, C=0.01, max_iter=1000)),
        ]
    )
    return GridSearch(
        pipe,
        cv=ShuffleSplit(n_splits=5, random_state=0),
        n_jobs=1,
        param_grid=PCA_GRID,
        scoring="accuracy",
        refit=best_low_complexity,
        return_train_score=True,
    ).fit(X, y)


def split_scores(results, n_candidates, sample):
    """The example's per-split matrix: one row per candidate."""
    n_splits = sum(
        1 for key in results if key.startswith("split") and key.endswith("test_score")
    )
    return np.array(
        [
            [results[f"split{i}_{sample}_score"][j] for i in range(n_splits)]
            for j in range(n_candidates)
        ]
    )


@functools.cache
def complexity_reference():
    return complexity_search(GridSearchCV)


@pytest.mark.parametrize("name", SEARCHES)
def test_grid_search_refit_callable(name):
    grid = complexity_search(grid_search_class(name))
    results = grid.cv_results_
    n_components = results["param_reduce_dim__n_components"]
    table = pd.DataFrame(
        {
            "n_components": n_components,
            "mean_test_score": results["mean_test_score"],
            "std_test_score": results["std_test_score"],
            "mean_train_score": results["mean_train_score"],
            "std_train_score": results["std_train_score"],
            "mean_fit_time": results["mean_fit_time"],
            "rank_test_score": results["rank_test_score"],
        }
    ).sort_values("n_components")
    best_components = n_components[grid.best_index_]
    test_scores = split_scores(results, len(n_components), "test")
    train_scores = split_scores(results, len(n_components), "train")

    assert_whole_grid(grid, PCA_GRID)
    reference = complexity_reference()
    assert_same_scores(grid, reference, ["mean_test_score", "mean_train_score"])
    assert grid.best_index_ == best_low_complexity(results)
    assert grid.best_params_ == reference.best_params_
    assert best_components == reference.best_params_["reduce_dim__n_components"]
    assert list(table["n_components"]) == PCA_GRID["reduce_dim__n_components"]
    assert test_scores.shape == train_scores.shape == (len(n_components), 5)
    np.testing.assert_allclose(test_scores.mean(axis=1), results["mean_test_score"])
    assert lower_bound(results) == pytest.approx(lower_bound(reference.cv_results_))


# -- plot_grid_search_stats.py ---------------------------------------------------

KERNEL_GRID = [
    {"kernel": ["linear"]},
    {"kernel": ["poly"], "degree": [2, 3]},
    {"kernel": ["rbf"]},
]
#: The example repeats 10-fold CV 10 times; 3 repeats keep the statistics.
N_SPLITS, N_REPEATS = 10, 3


def moons_search(GridSearch):
    X, y = make_moons(noise=0.352, random_state=1, n_samples=100)
    cv = RepeatedStratifiedKFold(n_splits=N_SPLITS, n_repeats=N_REPEATS, random_state=0)
    search = GridSearch(
        estimator=SVC(random_state=0), param_grid=KERNEL_GRID, scoring="roc_auc", cv=cv
    )
    search.fit(X, y)
    train_index, test_index = next(cv.split(X, y))
    return search, len(train_index), len(test_index)


def ranked_models(cv_results):
    """The example's table: models by rank, named by their parameter values."""
    results_df = pd.DataFrame(cv_results).sort_values(by=["rank_test_score"])
    names = results_df["params"].apply(lambda p: "_".join(str(v) for v in p.values()))
    return results_df.set_index(names).rename_axis("kernel")


def corrected_std(differences, n_train, n_test):
    """Nadeau and Bengio's variance correction for overlapping training sets."""
    k = len(differences)
    return np.sqrt((1 / k + n_test / n_train) * np.var(differences, ddof=1))


def corrected_t_test(differences, n_train, n_test):
    """Right-tailed paired t-test with the corrected standard deviation."""
    t_stat = np.mean(differences) / corrected_std(differences, n_train, n_test)
    return t_stat, stats.t.sf(np.abs(t_stat), len(differences) - 1)


def model_statistics(search, n_train, n_test):
    results_df = ranked_models(search.cv_results_)
    model_scores = results_df.filter(regex=r"split\d*_test_score")
    correlations = model_scores.transpose().corr()
    differences = model_scores.iloc[0].values - model_scores.iloc[1].values
    t_stat, p_value = corrected_t_test(differences, n_train, n_test)
    posterior = stats.t(
        len(differences) - 1,
        loc=np.mean(differences),
        scale=corrected_std(differences, n_train, n_test),
    )
    pairwise = {
        (model_scores.index[i], model_scores.index[j]): corrected_t_test(
            model_scores.iloc[i].values - model_scores.iloc[j].values,
            n_train,
            n_test,
        )[1]
        for i, j in itertools.combinations(range(len(model_scores)), 2)
    }
    return {
        "index": list(results_df.index),
        "model_scores": model_scores.to_numpy(),
        "correlations": correlations.to_numpy(),
        "t_stat": t_stat,
        "p_value": p_value,
        "better": 1 - posterior.cdf(0),
        "pairwise": pairwise,
    }


@functools.cache
def moons_reference():
    return moons_search(GridSearchCV)


@pytest.mark.parametrize("name", SEARCHES)
def test_grid_search_stats(name):
    search, n_train, n_test = moons_search(grid_search_class(name))
    summary = model_statistics(search, n_train, n_test)

    assert_whole_grid(search, KERNEL_GRID)
    reference, _, _ = moons_reference()
    assert_same_scores(search, reference)
    expected = model_statistics(reference, n_train, n_test)
    assert summary["index"] == expected["index"]
    np.testing.assert_allclose(summary["model_scores"], expected["model_scores"])
    np.testing.assert_allclose(summary["correlations"], expected["correlations"])
    for key in ("t_stat", "p_value", "better"):
        assert summary[key] == pytest.approx(expected[key])
    assert summary["pairwise"] == pytest.approx(expected["pairwise"])
    assert summary["model_scores"].shape == (4, N_SPLITS * N_REPEATS)


# -- compose/plot_compare_reduction.py -------------------------------------------

N_FEATURES_OPTIONS = [2, 4, 8]
C_OPTIONS = [1, 10, 100, 1000]
REDUCER_LABELS = ["PCA", "NMF", "KBest(mutual_info_classif)"]


def reduction_grid():
    return [
        {
            "reduce_dim": [PCA(iterated_power=7), NMF(max_iter=1_000)],
            "reduce_dim__n_components": N_FEATURES_OPTIONS,
            "classify__C": C_OPTIONS,
        },
        {
            "reduce_dim": [SelectKBest(mutual_info_classif)],
            "reduce_dim__k": N_FEATURES_OPTIONS,
            "classify__C": C_OPTIONS,
        },
    ]


@pytest.fixture(scope="module")
def transformer_cache(tmp_path_factory):
    """The example's ``memory=``: every search runs on the same folds, so each
    reducer is fitted once per fold for all seven searches."""
    memory = Memory(location=tmp_path_factory.mktemp("pipeline-cache"), verbose=0)
    yield memory
    memory.clear(warn=False)


@functools.cache
def digits_for_reduction():
    # The example fits all 1797 images in 5 folds; mutual information on 300
    # images keeps the 36 candidates quick.
    X, y = load_digits(return_X_y=True)
    return X[:300], y[:300]


def reduction_search(GridSearch, memory):
    X, y = digits_for_reduction()
    pipe = Pipeline(
        [
            ("scaling", MinMaxScaler()),
            ("reduce_dim", "passthrough"),
            ("classify", LinearSVC(dual=False, max_iter=10000)),
        ],
        memory=memory,
    )
    grid = GridSearch(pipe, n_jobs=1, param_grid=reduction_grid())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        grid.fit(X, y)
    return grid


def best_c_table(grid):
    """The example's bar chart data: for each reducer and number of features
    the best score over C, read off cv_results_ by its position."""
    mean_scores = np.array(grid.cv_results_["mean_test_score"])
    mean_scores = mean_scores.reshape(len(C_OPTIONS), -1, len(N_FEATURES_OPTIONS))
    mean_scores = mean_scores.max(axis=0)
    return pd.DataFrame(mean_scores.T, index=N_FEATURES_OPTIONS, columns=REDUCER_LABELS)


_reduction_searches: dict = {}


def fitted_reduction(name, memory):
    if name not in _reduction_searches:
        GridSearch = GridSearchCV if name == "sklearn" else grid_search_class(name)
        _reduction_searches[name] = reduction_search(GridSearch, memory)
    return _reduction_searches[name]


@pytest.mark.parametrize("name", SEARCHES)
def test_compare_reduction(name, transformer_cache):
    grid = fitted_reduction(name, transformer_cache)
    table = best_c_table(grid)

    assert_whole_grid(grid, reduction_grid())
    reference = fitted_reduction("sklearn", transformer_cache)
    assert_same_scores(grid, reference)
    assert grid.best_score_ == pytest.approx(reference.best_score_)
    assert table.shape == (len(N_FEATURES_OPTIONS), len(REDUCER_LABELS))
    assert np.all((table.to_numpy() > 0) & (table.to_numpy() <= 1))


@pytest.mark.parametrize("name", searches_read_by_position())
def test_compare_reduction_table(name, transformer_cache):
    """The example reads scores by position, as ``GridSearchCV`` orders them."""
    grid = fitted_reduction(name, transformer_cache)
    reference = fitted_reduction("sklearn", transformer_cache)
    pd.testing.assert_frame_equal(best_c_table(grid), best_c_table(reference))


# -- the bare class swap ----------------------------------------------------------

#: Candidates evaluated when only the class name of ``GridSearchCV(SVC(),
#: DIGITS_GRID)`` changes (12 in the grid): a search with a budget keeps its
#: default one, RandomizedSearchCV's 10 for RandomSearchCV and for the GP
#: generator of HyperSearchCV, and 50 (more than the grid) for BayesSearchCV.
LITERAL_SWAP_EVALUATES = {
    "hyper-grid": 12,
    "hyper-random": 12,
    "hyper-sobol": 12,
    "hyper-gp": 10,
    "random": 10,
    "bayes": 12,
}


@pytest.mark.parametrize("name", SEARCHES)
def test_literal_swap_budget(name):
    X_train, _, y_train, _ = digits_is_eight()
    cls, extra = SEARCHES[name]
    search = cls(SVC(), DIGITS_GRID, random_state=0, **extra)
    with warnings.catch_warnings():
        # BayesSearchCV says that its 50 exceed the grid
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X_train[:200], y_train[:200])
    params = search.cv_results_["params"]
    assert len(params) == LITERAL_SWAP_EVALUATES[name]
    grid_keys = {candidate_key(p) for p in ParameterGrid(DIGITS_GRID)}
    assert {candidate_key(p) for p in params} <= grid_keys
    assert len({candidate_key(p) for p in params}) == len(params)

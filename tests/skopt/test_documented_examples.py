"""scikit-optimize's documented BayesSearchCV examples, imports changed only.

From scikit-optimize 0.10's gallery example ``sklearn-gridsearchcv-replacement``
(minimal example, advanced example with a list of (space, n_iter) pairs,
callbacks, total_iterations) and the ``BayesSearchCV`` docstring. The only
edits: the imports, smaller ``n_iter`` and data (the test suite must stay
fast), ``random_state`` where the result is checked, and assertions in
place of prints.
"""

import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, LinearSVC

from skhyper.skopt import BayesSearchCV, Categorical, Integer, Real

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(n_class=10, return_X_y=True)
    return X[:450], y[:450]


def test_minimal_example(digits):
    X, y = digits
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=0.75, test_size=0.25, random_state=0
    )

    # log-uniform: understand as search over p = exp(x) by varying x
    opt = BayesSearchCV(
        SVC(),
        {
            "C": (1e-6, 1e6, "log-uniform"),
            "gamma": (1e-6, 1e1, "log-uniform"),
            "degree": (1, 8),  # integer valued parameter
            "kernel": ["linear", "poly", "rbf"],  # categorical parameter
        },
        n_iter=8,
        cv=3,
        random_state=0,
    )

    opt.fit(X_train, y_train)

    assert opt.best_score_ > 0.9
    assert opt.score(X_test, y_test) > 0.9
    assert len(opt.cv_results_["params"]) == 8


def test_advanced_example_with_space_and_n_iter_pairs(digits):
    X, y = digits
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

    # pipeline class is used as estimator to enable
    # search over different model types
    pipe = Pipeline([("model", SVC())])

    # single categorical value of 'model' parameter is
    # sets the model class
    linsvc_search = {
        "model": [LinearSVC(max_iter=1000)],
        "model__C": (1e-6, 1e6, "log-uniform"),
    }

    # explicit dimension classes can be specified like this
    svc_search = {
        "model": Categorical([SVC()]),
        "model__C": Real(1e-6, 1e6, prior="log-uniform"),
        "model__gamma": Real(1e-6, 1e1, prior="log-uniform"),
        "model__degree": Integer(1, 8),
        "model__kernel": Categorical(["linear", "poly", "rbf"]),
    }

    opt = BayesSearchCV(
        pipe,
        [(svc_search, 6), (linsvc_search, 4)],  # (parameter space, # of evaluations)
        cv=3,
        random_state=0,
    )

    opt.fit(X_train, y_train)

    assert opt.best_score_ > 0.9
    assert opt.score(X_test, y_test) > 0.9
    kinds = [type(p["model"]).__name__ for p in opt.cv_results_["params"]]
    assert kinds == ["SVC"] * 6 + ["LinearSVC"] * 4


def test_callback_example(capsys):
    X, y = load_iris(return_X_y=True)

    searchcv = BayesSearchCV(
        SVC(gamma="scale"),
        search_spaces={"C": (0.01, 100.0, "log-uniform")},
        n_iter=10,
        cv=3,
        random_state=0,
    )

    # callback handler
    def on_step(optim_result):
        score = searchcv.best_score_
        print("best score: %s" % score)  # noqa: UP031 (as written upstream)
        if score >= 0.98:
            print("Interrupting!")
            return True

    searchcv.fit(X, y, callback=on_step)

    printed = capsys.readouterr().out.splitlines()
    n_steps = len(searchcv.cv_results_["params"])
    assert printed[:n_steps] == [
        f"best score: {s}" for s in _best_so_far(searchcv.cv_results_)
    ]
    assert ("Interrupting!" in printed) == (searchcv.best_score_ >= 0.98)


def _best_so_far(results):
    best, out = -float("inf"), []
    for score in results["mean_test_score"]:
        best = max(best, score)
        out.append(best)
    return out


def test_total_iterations_example():
    X, y = load_iris(return_X_y=True)  # noqa: RUF059 (as written upstream)

    searchcv = BayesSearchCV(
        SVC(),
        search_spaces=[
            ({"C": (0.1, 1.0)}, 19),  # 19 iterations for this subspace
            {"gamma": (0.1, 1.0)},
        ],
        n_iter=23,
    )

    assert searchcv.total_iterations == 42


def test_docstring_example():
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=0.75, random_state=0
    )

    # log-uniform: understand as search over p = exp(x) by varying x
    opt = BayesSearchCV(
        SVC(),
        {
            "C": Real(1e-6, 1e6, prior="log-uniform"),
            "gamma": Real(1e-6, 1e1, prior="log-uniform"),
            "degree": Integer(1, 8),
            "kernel": Categorical(["linear", "poly", "rbf"]),
        },
        n_iter=12,
        random_state=0,
    )

    # executes bayesian optimization
    _ = opt.fit(X_train, y_train)

    # model can be saved, used for predictions or scoring
    assert opt.score(X_test, y_test) > 0.9

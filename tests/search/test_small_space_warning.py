"""The small-space warning shows once per process, not once per fit, in
scikit-learn's words (scripts filter it by its message)."""

import warnings

import pytest
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

from skhyper import BayesSearchCV, HalvingBayesSearchCV, HyperSearchCV, RandomSearchCV
from skhyper.utils._warnings import forget_shown_warnings

SPACE = {"C": [0.1, 1.0, 10.0]}


def small_space_warnings(records):
    return [r for r in records if "total space of parameters" in str(r.message)]


def test_nested_cross_validation_warns_once(iris):
    X, y = iris
    search = RandomSearchCV(SVC(), SPACE, n_iter=10, cv=3, random_state=0)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")  # nothing hidden by Python's filter
        scores = cross_val_score(search, X, y, cv=5)
        search.fit(X, y)
    assert len(scores) == 5
    (record,) = small_space_warnings(records)
    assert str(record.message) == (
        "The total space of parameters 3 is smaller than n_iter=10. Running 3 "
        "iterations. For exhaustive searches, use GridSearchCV."
    )


def test_another_message_is_shown_too(iris):
    X, y = iris
    with pytest.warns(UserWarning, match="parameters 3 is smaller than n_iter"):
        HyperSearchCV(SVC(), SPACE, n_iter=10, cv=3).fit(X, y)
    with pytest.warns(UserWarning, match="parameters 2 is smaller than n_iter"):
        HyperSearchCV(SVC(), {"C": [1.0, 2.0]}, n_iter=10, cv=3).fit(X, y)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        HyperSearchCV(SVC(), SPACE, n_iter=10, cv=3).fit(X, y)
    assert not small_space_warnings(records)


# As real scripts write it, to silence RandomizedSearchCV's warning.
SCIKIT_LEARN_FILTER = "The total space of parameters .* is smaller than n_iter"


@pytest.mark.parametrize("search", ["random", "bayes", "halving"])
def test_scikit_learn_message_filter_silences_it(iris, search):
    X, y = iris
    forget_shown_warnings()
    if search == "random":
        est = RandomSearchCV(SVC(), SPACE, n_iter=10, cv=3, random_state=0)
    elif search == "bayes":
        est = BayesSearchCV(SVC(), SPACE, n_iter=10, cv=3, random_state=0)
    else:
        est = HalvingBayesSearchCV(
            SVC(), param_distributions=SPACE, n_candidates=10, cv=3, random_state=0
        )
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", message=SCIKIT_LEARN_FILTER)
        est.fit(X, y)
    assert not [r for r in records if issubclass(r.category, UserWarning)]

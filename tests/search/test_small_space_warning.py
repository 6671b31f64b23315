"""The small-space warning shows once per process, not once per fit."""

import warnings

import pytest
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

from skhyper import HyperSearchCV, RandomSearchCV

SPACE = {"C": [0.1, 1.0, 10.0]}


def small_space_warnings(records):
    return [r for r in records if "distinct candidates" in str(r.message)]


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
        "The search space holds only 3 distinct candidates, fewer than "
        "n_iter=10; the search evaluates 3."
    )


def test_another_message_is_shown_too(iris):
    X, y = iris
    with pytest.warns(UserWarning, match="only 3 distinct candidates"):
        HyperSearchCV(SVC(), SPACE, n_iter=10, cv=3).fit(X, y)
    with pytest.warns(UserWarning, match="only 2 distinct candidates"):
        HyperSearchCV(SVC(), {"C": [1.0, 2.0]}, n_iter=10, cv=3).fit(X, y)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        HyperSearchCV(SVC(), SPACE, n_iter=10, cv=3).fit(X, y)
    assert not small_space_warnings(records)

"""scikit-learn's estimator checks on every public search."""

from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skhyper import (
    BayesSearchCV,
    HalvingBayesSearchCV,
    HyperSearchCV,
    RandomSearchCV,
    Real,
)

# The same two checks scikit-learn marks as expected failures for GridSearchCV
# and RandomizedSearchCV (sklearn/utils/_test_common/instance_generator.py).
EXPECTED_FAILURES = {
    "check_supervised_y_2d": "DataConversionWarning not caught",
    "check_requires_y_none": "Doesn't fail gracefully",
}


def _instances():
    ridge, logistic = Ridge(), LogisticRegression()
    pipe_ridge = make_pipeline(StandardScaler(), Ridge())
    pipe_logistic = make_pipeline(StandardScaler(), LogisticRegression())
    common = dict(cv=2, error_score="raise", random_state=0)
    yield HyperSearchCV(ridge, {"alpha": [0.1, 1.0]}, generator="grid", **common)
    yield HyperSearchCV(
        logistic,
        {"C": Real(0.1, 1.0)},
        generator="sobol",
        n_iter=2,
        batch_size=1,
        **common,
    )
    yield HyperSearchCV(
        pipe_ridge, {"ridge__alpha": Real(0.1, 1.0, log=True)}, n_iter=2, **common
    )
    yield HyperSearchCV(
        pipe_logistic, {"logisticregression__C": [0.1, 1.0]}, generator="grid", **common
    )
    yield RandomSearchCV(ridge, {"alpha": Real(0.1, 1.0)}, n_iter=2, **common)
    yield RandomSearchCV(logistic, {"C": [0.1, 1.0]}, n_iter=2, **common)
    yield RandomSearchCV(pipe_ridge, {"ridge__alpha": [0.1, 1.0]}, n_iter=2, **common)
    yield RandomSearchCV(
        pipe_logistic,
        {"logisticregression__C": Real(0.1, 1.0)},
        n_iter=2,
        batch_size=1,
        **common,
    )
    yield BayesSearchCV(
        ridge,
        {"alpha": Real(0.1, 10.0, log=True)},
        n_iter=3,
        n_initial_points=2,
        **common,
    )
    yield BayesSearchCV(
        pipe_logistic,
        {
            "logisticregression__C": Real(0.1, 1.0),
            "logisticregression__fit_intercept": [True, False],
        },
        n_iter=3,
        n_initial_points=2,
        **common,
    )
    yield HyperSearchCV(
        ridge,
        {"alpha": Real(0.1, 10.0, log=True)},
        generator="gradient",
        n_iter=3,
        **common,
    )
    yield HalvingBayesSearchCV(
        ridge,
        {"alpha": Real(0.1, 10.0, log=True)},
        resource="max_iter",
        max_resources=9,
        n_candidates=3,
        **common,
    )
    yield HalvingBayesSearchCV(
        pipe_logistic,
        {"logisticregression__C": Real(0.1, 1.0)},
        min_resources=8,
        n_candidates=2,
        generator="random",
        **common,
    )


@parametrize_with_checks(
    list(_instances()), expected_failed_checks=lambda est: EXPECTED_FAILURES
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)

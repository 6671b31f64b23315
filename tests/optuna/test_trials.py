"""Optuna's records of a fitted skhyper.optuna.OptunaSearchCV: trials_,
study_, best_trial_, trials_dataframe(), and the callbacks that see them."""

import datetime
import itertools
import math
import os
import subprocess
import sys
from pathlib import Path
from unittest.mock import MagicMock

import numpy as np
import pytest
from sklearn.svm import SVC

from skhyper.optuna import (
    FrozenTrial,
    OptunaSearchCV,
    SearchStudy,
    StudyDirection,
    TrialState,
)
from tests.conftest import FailingClassifier
from tests.optuna.standins import (
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
    MaxTrialsCallback,
)

SPACE = {
    "C": FloatDistribution(1e-2, 1e2, log=True),
    "degree": IntDistribution(1, 4),
    "kernel": CategoricalDistribution(["rbf", "poly"]),
}

# The columns optuna 5.0's Study.trials_dataframe() gives for the trials of
# optuna-integration's OptunaSearchCV over this space with cv=3 (recorded
# by running it).
OPTUNA_COLUMNS = [
    "number",
    "value",
    "datetime_start",
    "datetime_complete",
    "duration",
    "params_C",
    "params_degree",
    "params_kernel",
    "user_attrs_mean_fit_time",
    "user_attrs_mean_score_time",
    "user_attrs_mean_test_score",
    "user_attrs_split0_test_score",
    "user_attrs_split1_test_score",
    "user_attrs_split2_test_score",
    "user_attrs_std_fit_time",
    "user_attrs_std_score_time",
    "user_attrs_std_test_score",
    "system_attrs_terminator:cv_scores",
    "state",
]
# and with return_train_score=True (also recorded).
OPTUNA_COLUMNS_WITH_TRAIN = [
    *OPTUNA_COLUMNS[:11],
    "user_attrs_mean_train_score",
    "user_attrs_split0_test_score",
    "user_attrs_split0_train_score",
    "user_attrs_split1_test_score",
    "user_attrs_split1_train_score",
    "user_attrs_split2_test_score",
    "user_attrs_split2_train_score",
    "user_attrs_std_fit_time",
    "user_attrs_std_score_time",
    "user_attrs_std_test_score",
    "user_attrs_std_train_score",
    *OPTUNA_COLUMNS[-2:],
]


@pytest.fixture(scope="module")
def fitted(iris):
    X, y = iris
    return OptunaSearchCV(SVC(), SPACE, n_trials=5, cv=3, random_state=0).fit(X, y)


def test_trials_are_the_rows_of_cv_results(fitted):
    results = fitted.cv_results_
    trials = fitted.trials_
    assert len(trials) == fitted.n_trials_ == 5
    for row, trial in enumerate(trials):
        assert isinstance(trial, FrozenTrial)
        assert trial.number == trial.trial_id == trial._trial_id == row
        assert trial.params == results["params"][row]
        assert trial.value == results["mean_test_score"][row]
        assert trial.values == [trial.value]
        assert trial.state is TrialState.COMPLETE
        assert trial.intermediate_values == {} and trial.last_step is None
        splits = [results[f"split{i}_test_score"][row] for i in range(3)]
        assert trial.system_attrs == {"terminator:cv_scores": splits}


def test_user_attrs_are_optunas_keys_with_cv_results_values(fitted):
    results = fitted.cv_results_
    expected = [
        "mean_fit_time",
        "std_fit_time",
        "mean_score_time",
        "std_score_time",
        "split0_test_score",
        "split1_test_score",
        "split2_test_score",
        "mean_test_score",
        "std_test_score",
    ]
    for trial in fitted.trials_:
        assert list(trial.user_attrs) == expected
        for key, value in trial.user_attrs.items():
            assert type(value) is float
            assert value == results[key][trial.number]


def test_distributions_are_the_users_objects(fitted):
    for trial in fitted.trials_:
        assert trial.distributions == SPACE
        assert trial.distributions["C"] is SPACE["C"]


def test_times_are_ordered(fitted):
    trials = fitted.trials_
    for trial in trials:
        assert isinstance(trial.datetime_start, datetime.datetime)
        assert trial.datetime_start <= trial.datetime_complete
        assert trial.duration == trial.datetime_complete - trial.datetime_start
    for before, after in itertools.pairwise(trials):
        assert before.datetime_complete <= after.datetime_start


def test_best_trial_and_study(fitted):
    study = fitted.study_
    assert isinstance(study, SearchStudy)
    best = fitted.best_trial_
    assert best == study.best_trial == fitted.trials_[fitted.best_index_]
    assert best.number == fitted.best_index_
    assert study.best_value == fitted.best_score_ == best.value
    assert study.best_params == fitted.best_params_
    assert study.best_trials == [best]
    assert study.direction is StudyDirection.MAXIMIZE
    assert study.directions == [StudyDirection.MAXIMIZE]
    assert study.trials == fitted.trials_
    assert "n_trials=5" in repr(study)


def test_trials_are_copies(fitted):
    trial = fitted.trials_[0]
    trial.params["C"] = -1.0
    trial.user_attrs["mine"] = 1
    assert fitted.trials_[0].params["C"] > 0
    assert "mine" not in fitted.trials_[0].user_attrs
    # deepcopy=False gives the study's own records
    assert (
        fitted.study_.get_trials(deepcopy=False)[0]
        is (fitted.study_.get_trials(deepcopy=False)[0])
    )


def test_user_attrs_of_the_study(iris):
    X, y = iris
    search = OptunaSearchCV(SVC(), SPACE, n_trials=2, cv=3).fit(X, y)
    assert search.user_attrs_ == {}
    search.set_user_attr("dataset", "iris")
    assert search.user_attrs_ == {"dataset": "iris"}
    assert search.study_.user_attrs == {"dataset": "iris"}


@pytest.mark.parametrize("return_train_score", [False, True])
def test_trials_dataframe_has_optunas_columns(iris, return_train_score):
    pd = pytest.importorskip("pandas")
    X, y = iris
    search = OptunaSearchCV(
        SVC(),
        SPACE,
        n_trials=4,
        cv=3,
        random_state=0,
        return_train_score=return_train_score,
    ).fit(X, y)
    table = search.trials_dataframe()
    columns = OPTUNA_COLUMNS_WITH_TRAIN if return_train_score else OPTUNA_COLUMNS
    assert list(table.columns) == columns
    assert len(table) == 4
    assert table["number"].tolist() == [0, 1, 2, 3]
    assert table["state"].tolist() == ["COMPLETE"] * 4
    assert np.allclose(table["value"], search.cv_results_["mean_test_score"])
    assert (
        table["params_kernel"].tolist() == search.cv_results_["param_kernel"].tolist()
    )
    assert pd.api.types.is_datetime64_any_dtype(table["datetime_start"])
    assert pd.api.types.is_timedelta64_dtype(table["duration"])


def test_trials_dataframe_attrs_and_multi_index(fitted):
    pytest.importorskip("pandas")
    table = fitted.trials_dataframe(attrs=("number", "values", "params", "state"))
    assert list(table.columns) == [
        "number",
        "values_0",
        "params_C",
        "params_degree",
        "params_kernel",
        "state",
    ]
    multi = fitted.study_.trials_dataframe(attrs=("number", "params"), multi_index=True)
    assert list(multi.columns) == [
        ("number", ""),
        ("params", "C"),
        ("params", "degree"),
        ("params", "kernel"),
    ]
    assert list(fitted.trials_dataframe(attrs=("_trial_id",)).columns) == ["trial_id"]


def test_trials_dataframe_of_failed_trials(iris):
    pytest.importorskip("pandas")
    X, y = iris
    space = {"fail": CategoricalDistribution([True, False])}
    search = OptunaSearchCV(FailingClassifier(), space, n_trials=2, cv=3)
    with pytest.warns(UserWarning):
        search.fit(X, y)
    table = search.trials_dataframe()
    failed = table[table["params_fail"]]
    assert failed["state"].tolist() == ["FAIL"]
    assert failed["value"].isna().all()
    values = search.trials_dataframe(attrs=("values",))["values_0"]
    assert values.isna().sum() == 1


def test_trials_dataframe_without_pandas_says_what_to_do(fitted, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"needs pandas.*cv_results_"):
        fitted.trials_dataframe()


def test_empty_study():
    pd = pytest.importorskip("pandas")
    study = SearchStudy()
    assert study.trials == []
    with pytest.raises(ValueError, match="No trials are completed yet"):
        study.best_trial
    assert isinstance(study.trials_dataframe(), pd.DataFrame)
    with pytest.raises(RuntimeError, match="from a callback"):
        study.stop()


def test_get_trials_by_state(iris):
    X, y = iris
    space = {"fail": CategoricalDistribution([True, False])}
    search = OptunaSearchCV(FailingClassifier(), space, n_trials=2, cv=3)
    with pytest.warns(UserWarning):
        search.fit(X, y)
    study = search.study_
    (failed,) = study.get_trials(states=(TrialState.FAIL,))
    assert failed.params == {"fail": True} and failed.value is None
    (complete,) = study.get_trials(states=[TrialState.COMPLETE])
    assert study.best_trial == complete


def test_trial_states_are_numbered_as_optunas():
    assert [(s.name, int(s)) for s in TrialState] == [
        ("RUNNING", 0),
        ("COMPLETE", 1),
        ("PRUNED", 2),
        ("FAIL", 3),
        ("WAITING", 4),
    ]
    assert str(TrialState.COMPLETE) == "TrialState.COMPLETE"
    assert TrialState.FAIL.is_finished() and not TrialState.RUNNING.is_finished()
    assert [(s.name, int(s)) for s in StudyDirection] == [
        ("NOT_SET", 0),
        ("MINIMIZE", 1),
        ("MAXIMIZE", 2),
    ]


def test_trial_states_equal_optunas_own_if_installed():
    optuna = pytest.importorskip("optuna")
    for state in TrialState:
        assert state == optuna.trial.TrialState[state.name]
        assert state in (optuna.trial.TrialState[state.name],)
    assert StudyDirection.MAXIMIZE == optuna.study.StudyDirection.MAXIMIZE


# -- Optuna-style callbacks: (study, trial) after each trial -------------------
def test_each_callback_gets_the_study_and_each_trial(iris):
    # optuna-integration's own test_callbacks, on the face.
    callbacks = [MagicMock(return_value=None) for _ in range(2)]
    X, y = iris
    search = OptunaSearchCV(
        SVC(), SPACE, cv=3, n_trials=5, random_state=0, callbacks=callbacks
    ).fit(X, y)
    for callback in callbacks:
        for trial in search.trials_:
            callback.assert_any_call(search.study_, trial)
        assert callback.call_count == 5


def test_callbacks_see_the_search_so_far(iris):
    X, y = iris
    seen = []

    def watch(study, trial):
        seen.append(
            (trial.number, len(study.trials), study.best_value, trial.user_attrs)
        )
        previous = study.user_attrs.get("previous_best_value")
        if previous != study.best_value:
            study.set_user_attr("previous_best_value", study.best_value)

    search = OptunaSearchCV(
        SVC(), SPACE, cv=3, n_trials=4, random_state=0, callbacks=[watch]
    ).fit(X, y)
    assert [(n, k) for n, k, _, _ in seen] == [(0, 1), (1, 2), (2, 3), (3, 4)]
    means = search.cv_results_["mean_test_score"]
    assert [best for _, _, best, _ in seen] == np.maximum.accumulate(means).tolist()
    assert [attrs for _, _, _, attrs in seen] == [t.user_attrs for t in search.trials_]
    assert search.user_attrs_ == {"previous_best_value": search.best_score_}


@pytest.mark.parametrize("n_trials, limit", [(8, 3), (8, 1), (2, 5)])
def test_max_trials_callback_stops_the_search(iris, n_trials, limit):
    X, y = iris
    search = OptunaSearchCV(
        SVC(),
        SPACE,
        cv=3,
        n_trials=n_trials,
        random_state=0,
        callbacks=[MaxTrialsCallback(limit, states=(TrialState.COMPLETE,))],
    ).fit(X, y)
    assert search.n_trials_ == min(n_trials, limit)
    if limit < n_trials:
        assert search.stop_reason_ == "study.stop() was called by a callback"
    assert hasattr(search, "best_estimator_")


def test_a_callback_error_propagates(iris):
    X, y = iris

    def broken(study, trial):
        raise KeyError("broken callback")

    search = OptunaSearchCV(SVC(), SPACE, cv=3, n_trials=3, callbacks=[broken])
    with pytest.raises(KeyError, match="broken callback"):
        search.fit(X, y)
    # what finished is kept, as in Optuna's study
    assert search.n_trials_ == 1
    assert not math.isnan(search.trials_[0].value)


def test_the_face_imports_no_optuna():
    code = (
        "import sys\n"
        "from sklearn.datasets import load_iris\n"
        "from sklearn.svm import SVC\n"
        "from skhyper.optuna import OptunaSearchCV\n"
        "from tests.optuna.standins import FloatDistribution\n"
        "X, y = load_iris(return_X_y=True)\n"
        "s = OptunaSearchCV(SVC(), {'C': FloatDistribution(0.1, 10.0)}, n_trials=2,"
        " cv=3, callbacks=[lambda study, trial: None]).fit(X, y)\n"
        "try:\n"
        "    s.trials_dataframe()\n"
        "except ImportError:  # no pandas\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'optuna'))\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_n_trials_none_runs_until_interrupted_and_keeps_the_trials(iris):
    # As Optuna's study.optimize(n_trials=None, timeout=None): Ctrl+C ends it.
    X, y = iris

    def interrupt(study, trial):
        if trial.number == 3:
            raise KeyboardInterrupt

    search = OptunaSearchCV(
        SVC(), SPACE, cv=3, n_trials=None, random_state=0, callbacks=[interrupt]
    )
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)
    assert search.n_trials_ == 4
    assert len(search.cv_results_["params"]) == 4
    assert search.study_.best_value == max(search.cv_results_["mean_test_score"])
    assert not hasattr(search, "best_estimator_")

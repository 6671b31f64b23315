"""Optuna's documented OptunaSearchCV examples, the import changed only.

From optuna-examples: ``sklearn/sklearn_optuna_search_cv_simple.py`` (and
its variant ``terminator/terminator_search_cv.py``). The edits: the import
of ``OptunaSearchCV`` (``from skhyper.optuna import OptunaSearchCV`` in
place of ``optuna.integration.OptunaSearchCV``); ``optuna`` is a stand-in
namespace with Optuna's distributions when Optuna is not installed; fewer
trials (the suite must stay fast) and assertions after the prints.
"""

import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from skhyper.optuna import OptunaSearchCV
from tests.optuna import standins


@pytest.fixture
def optuna():
    try:
        import optuna
    except ImportError:
        return standins.optuna
    return optuna


def test_sklearn_optuna_search_cv_simple(optuna, capsys):
    clf = SVC(gamma="auto")

    param_distributions = {
        "C": optuna.distributions.FloatDistribution(1e-10, 1e10, log=True),
        "degree": optuna.distributions.IntDistribution(1, 5),
    }

    optuna_search = OptunaSearchCV(
        clf, param_distributions, n_trials=25, timeout=600, verbose=2
    )

    X, y = load_iris(return_X_y=True)
    optuna_search.fit(X, y)

    print("Best trial:")
    trial = optuna_search.study_.best_trial

    print("  Value: ", trial.value)
    print("  Params: ")
    for key, value in trial.params.items():
        print("    {}: {}".format(key, value))  # noqa: UP032 (as written)

    out = capsys.readouterr().out
    assert out.count("[CV] END") == 25 * 5  # verbose=2: a line per fit
    assert f"  Value:  {trial.value}" in out
    assert "    C: " in out and "    degree: " in out
    assert trial.value >= 0.96
    assert 1e-10 <= trial.params["C"] <= 1e10 and 1 <= trial.params["degree"] <= 5
    assert optuna_search.n_trials_ == 25


# Optuna 4.9 deprecated optuna.terminator; parts of it are experimental.
@pytest.mark.filterwarnings("ignore:.*optuna.terminator. module has been deprecated")
@pytest.mark.filterwarnings("ignore:.*is experimental")
def test_terminator_search_cv_with_a_stagnation_terminator():
    # terminator/terminator_search_cv.py, with a terminator that needs no
    # torch (the default one fits a PyTorch Gaussian process): Optuna's own
    # TerminatorCallback reads the face's study and stops it.
    optuna = pytest.importorskip("optuna")
    terminator_module = pytest.importorskip("optuna.terminator")
    clf = SVC(gamma="auto")

    param_distributions = {
        "C": optuna.distributions.FloatDistribution(1e-10, 1e10, log=True),
        "degree": optuna.distributions.IntDistribution(1, 5),
    }
    terminator = terminator_module.TerminatorCallback(
        terminator_module.Terminator(
            improvement_evaluator=terminator_module.BestValueStagnationEvaluator(
                max_stagnation_trials=5
            ),
            error_evaluator=terminator_module.StaticErrorEvaluator(0.0),
            min_n_trials=5,
        )
    )
    optuna_search = OptunaSearchCV(
        clf,
        param_distributions,
        n_trials=100,
        timeout=600,
        callbacks=[terminator],
        random_state=0,
    )

    X, y = load_iris(return_X_y=True)
    optuna_search.fit(X, y)

    assert optuna_search.stop_reason_ == "study.stop() was called by a callback"
    assert optuna_search.n_trials_ < 100
    assert optuna_search.study_.best_trial.value >= 0.96

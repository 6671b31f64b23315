"""Ctrl-C during a search without a checkpoint: the interrupt propagates,
and the search keeps what finished."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from skhyper import BayesSearchCV, Real
from skhyper.search._interrupt import INTERRUPTED

from ._logged import LoggedRegressor
from .test_checkpoint import make_search


@pytest.fixture
def data():
    import numpy as np

    rng = np.random.default_rng(0)
    return rng.normal(size=(30, 2)), rng.normal(size=30)


@pytest.fixture(autouse=True)
def reset_logged_regressor():
    LoggedRegressor.log = []
    yield
    LoggedRegressor.log = []
    LoggedRegressor.interrupt_at = None


def test_interrupted_search_keeps_the_finished_candidates(data):
    X, y = data
    LoggedRegressor.interrupt_at = 2 * 2 * 3 + 4  # inside the third batch
    search = make_search()
    with pytest.raises(KeyboardInterrupt) as caught:
        search.fit(X, y)
    message = str(caught.value)
    assert "interrupted after 4 of" in message
    assert "checkpoint=" in message
    assert "\n" not in message  # one line
    assert search.stop_reason_ == INTERRUPTED
    assert search.n_iter_ == 2
    assert len(search.cv_results_["params"]) == 4
    assert search.best_params_ in search.cv_results_["params"]
    best = search.cv_results_["mean_test_score"].argmax()
    assert search.best_index_ == best
    assert search.best_score_ == search.cv_results_["mean_test_score"][best]
    assert not hasattr(search, "best_estimator_")  # nothing refitted after Ctrl-C


def test_interrupt_before_anything_finished_keeps_nothing(data):
    X, y = data
    LoggedRegressor.interrupt_at = 2
    search = make_search()
    with pytest.raises(KeyboardInterrupt, match="before any candidate finished"):
        search.fit(X, y)
    assert search.stop_reason_ == INTERRUPTED
    assert not hasattr(search, "cv_results_")


def test_the_interrupt_traceback_ends_in_fit(data):
    X, y = data
    LoggedRegressor.interrupt_at = 2 * 2 * 3 + 4
    with pytest.raises(KeyboardInterrupt) as caught:
        make_search().fit(X, y)
    frames = [entry.name for entry in caught.traceback]
    assert frames[-1] == "fit" and "run_search" not in frames
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


CHILD = textwrap.dedent(
    """
    import json, signal, sys, time
    # A terminal starts programs with Ctrl-C enabled; a process that ignores
    # SIGINT (as a test session may, after some test) passes that on.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from sklearn.datasets import load_iris
    from sklearn.svm import SVC
    from skhyper import BayesSearchCV, Real

    class SlowSVC(SVC):
        def fit(self, X, y, sample_weight=None):
            time.sleep(0.05)
            return super().fit(X, y, sample_weight=sample_weight)

    def announce(state):
        print("finished", state.n_evaluated, flush=True)

    X, y = load_iris(return_X_y=True)
    search = BayesSearchCV(
        SlowSVC(), {"C": Real(1e-2, 1e2, log=True)}, n_iter=500, cv=3,
        n_jobs=int(sys.argv[1]), random_state=0, callbacks=announce,
        progress_bar=False,
    )
    try:
        search.fit(X, y)
    except KeyboardInterrupt as exc:
        print(json.dumps({
            "message": str(exc),
            "n_results": len(search.cv_results_["params"]),
            "best_in_results": search.best_params_ in search.cv_results_["params"],
            "stop_reason": search.stop_reason_,
            "refitted": hasattr(search, "best_estimator_"),
        }), flush=True)
    else:
        print(json.dumps({"message": "not interrupted"}), flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_sigint_to_a_running_search_keeps_what_finished(n_jobs):
    """A real Ctrl-C: SIGINT to the process group of a child running a
    search (as a terminal sends it, loky's workers included)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(n_jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    try:
        finished = 0
        while finished < 4:
            line = child.stdout.readline()
            assert line, f"the search ended early: {child.stderr.read()}"
            finished = int(line.split()[1])
        os.killpg(child.pid, signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    lines = [line for line in out.splitlines() if not line.startswith("finished")]
    assert child.returncode == 0, err
    report = json.loads(lines[-1])
    assert report["stop_reason"] == INTERRUPTED
    assert report["n_results"] >= finished
    assert report["best_in_results"]
    assert not report["refitted"]
    assert f"after {report['n_results']} of 500 candidates" in report["message"]


def test_bar_says_interrupted(data, capsys):
    pytest.importorskip("rich")
    X, y = data
    LoggedRegressor.interrupt_at = 2 * 2 * 3 + 4
    with pytest.raises(KeyboardInterrupt):
        make_search(progress_bar=True).fit(X, y)
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert line.rstrip().endswith("interrupted")
    assert "4/" in line


def test_bayes_search_interrupted_in_process_has_the_same_fitted_names(data):
    # BayesSearchCV goes through the same loop: its names are the ones above.
    X, y = data
    LoggedRegressor.interrupt_at = 5
    search = BayesSearchCV(
        LoggedRegressor(), {"a": Real(0, 1)}, n_iter=8, batch_size=1, cv=3
    )
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)
    assert len(search.cv_results_["params"]) == 1
    assert search.n_iter_ == 1

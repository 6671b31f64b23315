"""fit_timeout: a fit that runs too long is stopped, recorded as failed, and
the search goes on, under every backend, leaving nothing behind."""

from __future__ import annotations

import signal
import threading
import time
import warnings

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.exceptions import FitFailedWarning

from skhyper import BayesSearchCV, HyperSearchCV, RandomSearchCV, Real
from skhyper.search import _timeout
from skhyper.search._timeout import FitTimeoutError, TimeLimit, _TimeUp
from tests.search._slow import NappingRegressor

X, Y = np.zeros((20, 1)), np.zeros(20)
TIMEOUT = 0.5


def grid_search(kinds, **params):
    space = {"a": [0.1, 0.2, 0.3], "kind": kinds}
    return HyperSearchCV(NappingRegressor(), space, generator="grid", cv=2, **params)


def timeout_threads():
    return [t for t in threading.enumerate() if t.name == "skhyper-fit-timeout"]


def assert_only_the_slow_rows_differ(search, reference, slow):
    results, expected = search.cv_results_, reference.cv_results_
    rows = {repr(sorted(p.items())): i for i, p in enumerate(expected["params"])}
    n_slow = 0
    for i, params in enumerate(results["params"]):
        if params["kind"] == slow:
            n_slow += 1
            assert np.isnan(results["mean_test_score"][i])
            continue
        j = rows[repr(sorted(params.items()))]
        for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
            assert results[key][i] == expected[key][j]
    assert n_slow == 3
    scores = results["mean_test_score"]
    finite = [p for p, s in zip(results["params"], scores, strict=True) if s == s]
    assert (
        search.best_params_ == reference.best_params_ and search.best_params_ in finite
    )


def fit_with_timeout(search):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, Y)
    messages = [str(w.message) for w in caught if w.category is FitFailedWarning]
    assert any(f"ran past fit_timeout={TIMEOUT:g} s" in m for m in messages)
    return search


@pytest.mark.parametrize(
    ("backend", "slow"),
    [
        ("sequential", "nap"),
        ("sequential", "slow_score"),
        ("loky", "nap"),
        ("threading", "busy"),
    ],
)
def test_a_slow_fit_is_recorded_as_failed_and_the_search_goes_on(backend, slow):
    before = threading.active_count()
    n_jobs = 1 if backend == "sequential" else 2
    search = grid_search(["x", slow, "y"], fit_timeout=TIMEOUT, n_jobs=n_jobs)
    with parallel_backend(backend, n_jobs=n_jobs):
        fit_with_timeout(search)
    reference = grid_search(["x", "y"]).fit(X, Y)
    assert_only_the_slow_rows_differ(search, reference, slow)
    assert timeout_threads() == []
    if backend == "sequential":
        assert threading.active_count() == before


@pytest.mark.slow
def test_a_slow_fit_is_stopped_on_dask_workers():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        search = grid_search(["x", "busy", "y"], fit_timeout=TIMEOUT, n_jobs=-1)
        with parallel_backend("dask"):
            fit_with_timeout(search)
    reference = grid_search(["x", "y"]).fit(X, Y)
    assert_only_the_slow_rows_differ(search, reference, "busy")
    assert timeout_threads() == []


def test_every_search_takes_fit_timeout():
    space = {"a": Real(0.0, 1.0), "kind": ["x", "busy"]}
    for cls in (HyperSearchCV, RandomSearchCV, BayesSearchCV):
        search = cls(
            NappingRegressor(), space, n_iter=4, cv=2, random_state=0,
            initial_points=[{"a": 0.5, "kind": "x"}, {"a": 0.5, "kind": "busy"}],
            fit_timeout=TIMEOUT,
        )  # fmt: skip
        assert search.get_params()["fit_timeout"] == TIMEOUT
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(X, Y)
        kinds = [p["kind"] for p in search.cv_results_["params"]]
        scores = search.cv_results_["mean_test_score"]
        assert all(
            np.isnan(s) == (k == "busy") for k, s in zip(kinds, scores, strict=True)
        )


def test_error_score_raise_raises_fit_timeout_error():
    search = grid_search(["nap"], fit_timeout=TIMEOUT, error_score="raise")
    with pytest.raises(FitTimeoutError, match="ran past fit_timeout=0.5 s"):
        search.fit(X, Y)


def test_multimetric_and_train_scores_of_a_stopped_fit():
    search = grid_search(
        ["x", "nap"], fit_timeout=TIMEOUT, return_train_score=True,
        scoring={"r2": "r2", "own": lambda est, X, y: est.score(X, y)}, refit="own",
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, Y)
    results = search.cv_results_
    nap = [p["kind"] == "nap" for p in results["params"]]
    for key in ("mean_test_own", "mean_train_own", "mean_test_r2"):
        assert np.isnan(results[key][nap]).all()
    assert np.isfinite(results["mean_test_own"][~np.array(nap)]).all()


def test_unset_fit_timeout_adds_nothing(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("with_time_limit must not run without fit_timeout")

    monkeypatch.setattr(_timeout, "with_time_limit", never)
    monkeypatch.setattr(_timeout, "TimeLimitedParallel", never)
    search = grid_search(["x", "y"]).fit(X, Y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize("value", [0, -1.0, "1"])
def test_bad_fit_timeout_is_refused(value):
    with pytest.raises(ValueError, match="fit_timeout"):
        grid_search(["x"], fit_timeout=value).fit(X, Y)


# -- the mechanism --------------------------------------------------------------
def run_limited(seconds, body):
    limit = TimeLimit(seconds)
    try:
        try:
            limit.start()
            body()
        finally:
            limit.stop()
    except _TimeUp:
        return "stopped"
    return "finished"


def test_a_limit_stopped_in_time_never_raises_later():
    for _ in range(20):
        assert run_limited(0.05, lambda: None) == "finished"
    time.sleep(0.1)  # a late alarm or watchdog would raise here


def test_the_previous_sigalrm_handler_is_restored():
    if not hasattr(signal, "setitimer"):
        pytest.skip("needs setitimer")
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("needs the main thread")

    def handler(signum, frame):
        pass

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        assert run_limited(0.05, lambda: time.sleep(5)) == "stopped"
        assert signal.getsignal(signal.SIGALRM) is handler
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_a_running_alarm_of_someone_else_is_left_alone():
    if not hasattr(signal, "setitimer"):
        pytest.skip("needs setitimer")
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("needs the main thread")
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda s, f: fired.append(s))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        assert run_limited(0.05, lambda: _busy(5)) == "stopped"
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.6
        time.sleep(0.8)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_limit_in_another_thread_stops_python_code_there():
    outcome = []
    thread = threading.Thread(
        target=lambda: outcome.append(run_limited(0.05, lambda: _busy(5)))
    )
    thread.start()
    thread.join(10)
    assert outcome == ["stopped"] and timeout_threads() == []


def _busy(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass

"""An asynchronous search killed with SIGKILL resumes from its checkpoint,
having lost only the fits that were running."""

from __future__ import annotations

import json
import signal
import time

import pytest

from tests._joblib_features import needs_unordered_results

from .test_checkpoint_kill import cv_fits, recorded_batches, run

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
    needs_unordered_results,
]

N_ITER, FOLDS, WORKERS = 12, 3, 3

SCRIPT = f"""
import json, sys, time
import numpy as np
from joblib import parallel_config
from sklearn.base import BaseEstimator, RegressorMixin
from skhyper import HyperSearchCV, Real

fit_log, checkpoint, output = sys.argv[1:4]


class SlowRegressor(RegressorMixin, BaseEstimator):
    def __init__(self, a=0.5):
        self.a = a

    def fit(self, X, y):
        time.sleep(0.02 + 0.1 * self.a)
        with open(fit_log, "a") as log:
            log.write(json.dumps([self.a, len(X)]) + "\\n")
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return -((self.a - 0.3) ** 2)


rng = np.random.default_rng(0)
X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
with parallel_config(backend="threading"):
    search = HyperSearchCV(
        SlowRegressor(), {{"a": Real(0.0, 1.0)}}, generator="gp", n_iter={N_ITER},
        cv={FOLDS}, n_jobs={WORKERS}, random_state=0, checkpoint=checkpoint,
        asynchronous=True,
    ).fit(X, y)
with open(output, "w") as out:
    json.dump(
        {{
            "a": [p["a"] for p in search.cv_results_["params"]],
            "iteration": search.cv_results_["iteration"].tolist(),
        }},
        out,
    )
"""


def test_sigkill_mid_asynchronous_search_then_resume(tmp_path):
    script = tmp_path / "search.py"
    script.write_text(SCRIPT)
    checkpoint = tmp_path / "search.ckpt"
    killed = run(script, tmp_path / "fits1.log", checkpoint, tmp_path / "unused.json")
    deadline = time.monotonic() + 120
    while len(recorded_batches(checkpoint)) < 4:
        assert killed.poll() is None, killed.stderr.read().decode()
        assert time.monotonic() < deadline, "no candidate recorded in 120 s"
        time.sleep(0.005)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    killed.stderr.close()

    # Every finished candidate is its own record, all its folds fitted.
    batches = recorded_batches(checkpoint)
    assert all(len(batch["candidates"]) == 1 for batch in batches)
    finished = [
        value for b in batches for _, coded in b["candidates"] for _, value in coded
    ]
    assert 4 <= len(finished) < N_ITER
    first_fits = cv_fits(tmp_path / "fits1.log")
    assert all(first_fits.count(a) == FOLDS for a in finished)

    resumed = run(script, tmp_path / "fits2.log", checkpoint, tmp_path / "out.json")
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr.decode()
    second_fits = cv_fits(tmp_path / "fits2.log")
    assert not set(second_fits) & set(finished), "a finished candidate was refitted"
    result = json.loads((tmp_path / "out.json").read_text())
    assert len(result["a"]) == N_ITER == len(set(result["a"]))
    assert result["a"][: len(finished)] == finished
    # The resumed asks number on from the recorded ones.
    recorded_iterations = result["iteration"][: len(finished)]
    assert min(result["iteration"][len(finished) :]) > max(recorded_iterations)

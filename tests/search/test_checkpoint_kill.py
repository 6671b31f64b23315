"""A search process killed with SIGKILL resumes from its checkpoint."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

import skhyper
from skhyper.search._checkpoint_file import read_checkpoint

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"
)

N_ITER, BATCH, FOLDS = 10, 2, 3

SCRIPT = f"""
import json, sys, time
import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from skhyper import HyperSearchCV, Real

fit_log, checkpoint, output = sys.argv[1:4]


class SlowRegressor(RegressorMixin, BaseEstimator):
    def __init__(self, a=0.5):
        self.a = a

    def fit(self, X, y):
        time.sleep(0.03)
        with open(fit_log, "a") as log:
            log.write(json.dumps([self.a, len(X)]) + "\\n")
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return -((self.a - 0.3) ** 2)


rng = np.random.default_rng(0)
X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
search = HyperSearchCV(
    SlowRegressor(), {{"a": Real(0.0, 1.0)}}, generator="gp", n_iter={N_ITER},
    batch_size={BATCH}, cv={FOLDS}, random_state=0, checkpoint=checkpoint,
).fit(X, y)
with open(output, "w") as out:
    json.dump(
        {{
            "a": [p["a"] for p in search.cv_results_["params"]],
            "scores": search.cv_results_["mean_test_score"].tolist(),
            "iteration": search.cv_results_["iteration"].tolist(),
        }},
        out,
    )
"""


def run(script, fit_log, checkpoint, output):
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(skhyper.__file__).parents[1]),
        "OMP_NUM_THREADS": "1",
    }
    return subprocess.Popen(
        [sys.executable, str(script), str(fit_log), str(checkpoint), str(output)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def recorded_batches(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a tail being written
        return read_checkpoint(path).batches


def cv_fits(fit_log):
    lines = fit_log.read_text().splitlines() if fit_log.exists() else []
    return [a for a, n_samples in map(json.loads, lines) if n_samples < 30]


def test_sigkill_mid_search_then_resume_refits_nothing_finished(tmp_path):
    script = tmp_path / "search.py"
    script.write_text(SCRIPT)
    checkpoint = tmp_path / "search.ckpt"

    # The same search, uninterrupted, runs alongside to compare with.
    uninterrupted = run(
        script, tmp_path / "fits0.log", tmp_path / "fresh.ckpt", tmp_path / "ref.json"
    )
    killed = run(script, tmp_path / "fits1.log", checkpoint, tmp_path / "unused.json")
    deadline = time.monotonic() + 120
    while len(recorded_batches(checkpoint)) < 2:
        assert killed.poll() is None, killed.stderr.read().decode()
        assert time.monotonic() < deadline, "no batch recorded in 120 s"
        time.sleep(0.01)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    killed.stderr.close()
    assert killed.returncode == -signal.SIGKILL

    finished = [
        value
        for batch in recorded_batches(checkpoint)
        for _, coded in batch["candidates"]
        for name, value in coded
    ]
    assert 2 * BATCH <= len(finished) < N_ITER
    first_fits = cv_fits(tmp_path / "fits1.log")
    assert all(first_fits.count(a) == FOLDS for a in finished)

    resumed = run(script, tmp_path / "fits2.log", checkpoint, tmp_path / "out.json")
    for process in (resumed, uninterrupted):
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()

    second_fits = cv_fits(tmp_path / "fits2.log")
    assert not set(second_fits) & set(finished), "a finished candidate was refitted"
    result = json.loads((tmp_path / "out.json").read_text())
    assert len(result["a"]) == N_ITER == len(set(result["a"]))
    assert result["a"][: len(finished)] == finished
    assert sorted(result["a"]) == sorted(finished + sorted(set(second_fits)))
    assert all(second_fits.count(a) == FOLDS for a in result["a"][len(finished) :])
    assert result == json.loads((tmp_path / "ref.json").read_text())

"""Searches running at once in one process give the results they give alone."""

from __future__ import annotations

import threading
import warnings

import numpy as np
from sklearn.linear_model import Ridge

from skhyper import BayesSearchCV, HyperSearchCV, Real

from .test_dropin import assert_same_results

SPACE = {"alpha": Real(1e-3, 1e3, log=True), "fit_intercept": [True, False]}


def make_searches(tmp_path):
    common = {"n_iter": 6, "cv": 3}
    return [
        HyperSearchCV(Ridge(), SPACE, generator="random", random_state=0, **common),
        HyperSearchCV(Ridge(), SPACE, generator="sobol", random_state=1,
                      checkpoint=tmp_path / "sobol.ckpt", **common),
        BayesSearchCV(Ridge(), SPACE, random_state=2, batch_size=2,
                      fit_timeout=30, **common),
        BayesSearchCV(Ridge(), SPACE, random_state=3, batch_size=2,
                      checkpoint=tmp_path / "gp.ckpt", fit_timeout=30, **common),
    ]  # fmt: skip


def test_four_searches_in_threads_equal_the_searches_alone(tmp_path, diabetes):
    X, y = diabetes
    (tmp_path / "alone").mkdir()
    (tmp_path / "together").mkdir()
    alone = [s.fit(X, y) for s in make_searches(tmp_path / "alone")]
    together = make_searches(tmp_path / "together")
    errors = []
    start = threading.Barrier(len(together))

    def run(search):
        try:
            start.wait()
            search.fit(X, y)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in together]
    # The warning filters are global: set once here, for every thread.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about here
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert errors == []
    for one, other in zip(alone, together, strict=True):
        assert_same_results(one.cv_results_, other.cv_results_)
        assert one.best_params_ == other.best_params_
        assert np.isfinite(other.best_score_)

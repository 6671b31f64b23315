"""Long runs finish: 2,000 random and 300 GP candidates of a zero-cost estimator.

Time and memory are reported by ``benchmarks/long_run.py`` (in
``benchmarks/RESULTS.md``), never asserted here.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks._zero_cost import zero_cost_data
from benchmarks.long_run import make_search
from skhyper.search._checkpoint_file import read_checkpoint


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "n_iter", "n_batches"), [("random", 2000, 20), ("gp", 300, 300)]
)
def test_long_checkpointed_search_finishes_and_replays(
    tmp_path, kind, n_iter, n_batches
):
    X, y = zero_cost_data()
    path = tmp_path / f"{kind}.ckpt"
    search = make_search(kind, n_iter, folds=3, checkpoint=path).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == n_iter
    assert len({tuple(sorted(p.items())) for p in params}) == n_iter
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.n_iter_ == n_batches == len(read_checkpoint(path).batches)

    again = make_search(kind, n_iter, folds=3, checkpoint=path).fit(X, y)
    # Fit times are measured anew by every fit: equal ones were replayed.
    np.testing.assert_array_equal(
        again.cv_results_["mean_fit_time"], search.cv_results_["mean_fit_time"]
    )
    assert again.best_params_ == search.best_params_
